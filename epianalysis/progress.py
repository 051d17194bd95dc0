"""Progress a person can read: a tqdm bar on a terminal, plain lines in a log.

A bar redraws itself with carriage returns, which a log file keeps as one long line. When stderr is not
a terminal, :func:`progress_bar` returns a :class:`LineProgress` instead: one line per tenth of the work
(and one at the end), each with the count, the share done and the seconds so far.
"""

from __future__ import annotations

import sys
import time
from typing import IO, Any


class LineProgress:
    """The subset of tqdm's interface the package uses, printing whole lines.

    Parameters
    ----------
    total : int
        Steps of the whole job.
    desc : str
        What is being done, printed at the start of every line.
    unit : str
        Name of one step ("day", "step").
    initial : int
        Steps already done when the job starts (days skipped as up to date).
    file : IO[str]
        Where the lines go (stderr by default).
    """

    def __init__(self, total: int, desc: str, unit: str = "step", initial: int = 0, file: IO[str] | None = None):
        self.total, self.desc, self.unit = max(total, 0), desc, unit
        self.n = initial
        self.file = file if file is not None else sys.stderr
        self.postfix = ""
        self.start = time.monotonic()
        self._printed_tenth = self._tenth()

    def _tenth(self) -> int:
        return 10 * self.n // self.total if self.total else 10

    def update(self, n: int = 1) -> None:
        """Count ``n`` more steps; print a line when a new tenth of the work is done."""
        self.n += n
        tenth = self._tenth()
        if tenth > self._printed_tenth or self.n == self.total:
            self._printed_tenth = tenth
            self._line()

    def set_postfix(self, refresh: bool = True, **values: Any) -> None:
        """Values printed after the count on the next line (e.g. ``failed=0``)."""
        self.postfix = ", ".join(f"{key} {value}" for key, value in values.items())

    def _line(self) -> None:
        share = f" ({100 * self.n // self.total}%)" if self.total else ""
        extra = f", {self.postfix}" if self.postfix else ""
        seconds = time.monotonic() - self.start
        print(f"{self.desc}: {self.n}/{self.total} {self.unit}s{share}{extra}, {seconds:.0f} s", file=self.file)
        self.file.flush()

    def close(self) -> None:
        """Nothing to clean up: every line is already complete."""


def progress_bar(total: int, desc: str, unit: str = "step", initial: int = 0, disable: bool = False) -> Any:
    """A tqdm bar on stderr when it is a terminal, else a :class:`LineProgress`; nothing when ``disable``.

    Both objects offer ``update(n)``, ``set_postfix(**values)`` and ``close()``.
    """
    if disable:
        from tqdm import tqdm

        return tqdm(total=total, disable=True)
    if sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(
            total=total, initial=initial, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=False
        )
    return LineProgress(total, desc, unit=unit, initial=initial)
