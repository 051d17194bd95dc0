"""Where a notebook's time goes: kernel, data loading, computing and charts (docs/output.md#timings).

Inside a notebook, the briefing context times what it does for the notebook with a :class:`Stopwatch`:
reading tables and logs through the store (``load``) and drawing and exporting charts (``charts``),
and writes the seconds to ``<work>/.timings/<topic>.json`` as it goes. After the notebook, the runner
splits its wall time (:func:`split`): the cells' own durations (papermill records them in the executed
notebook) less loading and charts are ``compute``; the rest of the wall time, outside every cell, is
``kernel`` (starting or resetting the kernel, connecting, saving the notebook). The folder is removed
before a report is published; the split reaches the command line and the benchmarks.
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from pathlib import Path

from epianalysis.fileio import atomic_write_text

TIMINGS_DIR = ".timings"
PARTS = ("kernel", "load", "compute", "charts")


class Stopwatch:
    """Seconds spent per part (``load``, ``charts``) by one notebook."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {"load": 0.0, "charts": 0.0}
        self._running: set[str] = set()

    @contextmanager
    def timing(self, part: str):
        """Add the time of the block to ``part`` (a block within a block of the same part counts once)."""
        if part in self._running:
            yield
            return
        self._running.add(part)
        started = time.perf_counter()
        try:
            yield
        finally:
            self._running.discard(part)
            self.seconds[part] = self.seconds.get(part, 0.0) + time.perf_counter() - started

    def save(self, out_dir: Path, topic: str) -> None:
        """Write the seconds so far to ``out_dir/.timings/<topic>.json``."""
        atomic_write_text(Path(out_dir) / TIMINGS_DIR / f"{topic}.json", json.dumps(self.seconds))


def split(work: Path, name: str, wall: float) -> dict[str, float]:
    """The wall time of notebook ``name`` run into ``work``, split into :data:`PARTS` (seconds).

    Parts that cannot be known (a notebook without the recorded seconds) are left out."""
    recorded_file = Path(work) / TIMINGS_DIR / f"{name}.json"
    executed = Path(work) / "notebooks" / f"{name}.ipynb"
    if not recorded_file.is_file() or not executed.is_file():
        return {}
    recorded = json.loads(recorded_file.read_text("utf-8"))
    cells = json.loads(executed.read_text("utf-8"))["cells"]
    in_cells = sum(float(c.get("metadata", {}).get("papermill", {}).get("duration") or 0.0) for c in cells)
    load, charts = recorded.get("load", 0.0), recorded.get("charts", 0.0)
    return {
        "kernel": max(0.0, wall - in_cells),
        "load": load,
        "compute": max(0.0, in_cells - load - charts),
        "charts": charts,
    }


def describe(parts: dict[str, float]) -> str:
    """``kernel 0.4 s, load 1.2 s, compute 0.8 s, charts 2.1 s`` (empty without parts)."""
    return ", ".join(f"{part} {parts[part]:.1f} s" for part in PARTS if part in parts)
