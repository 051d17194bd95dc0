"""Source adapters: read a source's own layout, validate it, and write contract tables to a store.

Each adapter (:mod:`epianalysis.sources.jhu`, :mod:`epianalysis.sources.dxy`,
:mod:`epianalysis.sources.tidy`) raises :class:`~epianalysis.errors.DataError` listing every violation
on bad input and then writes nothing; otherwise it writes through
:func:`epianalysis.sources.delivery.deliver` (vintages, ``--replace``, atomic writes, ``source.toml``
recording the source's date convention; docs/data.md#vintages) and returns an :class:`ImportReport`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from epianalysis.errors import Violation

#: Flags of one rule listed by :meth:`ImportReport.summary` before it says how many more there are.
FLAGS_SHOWN = 10


@dataclass
class ImportReport:
    """What an import wrote and what it kept but flagged.

    Attributes
    ----------
    out : pathlib.Path
        The data directory written to.
    table : str
        The contract table written (e.g. ``"cases"``).
    rows : int
        Rows written to the table (rows kept aside, e.g. ``cases_unplaced``, not included).
    regions : int
        Distinct region codes written.
    first_date, last_date : datetime.date or None
        Date range written (store convention).
    flags : list of Violation
        Rows kept and flagged (severity ``"flag"``): revisions, merged duplicates, unplaced rows...
    notes : list of str
        Other facts worth telling the user (date shift applied, side files written, ...).
    """

    out: Path
    table: str
    rows: int
    regions: int
    first_date: date | None
    last_date: date | None
    flags: list[Violation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self, per_rule: int = FLAGS_SHOWN) -> str:
        """A few lines for the command line: what was written, then flags (at most ``per_rule`` of each
        rule, with how many more) and notes. Every flag stays in :attr:`flags`; ``validate`` lists them."""
        span = f"{self.first_date} .. {self.last_date}" if self.first_date else "no dates"
        lines = [f"{self.table}: {self.rows} rows, {self.regions} regions, {span} -> {self.out}"]
        if self.flags:
            counts: dict[str, int] = {}
            for flag in self.flags:
                counts[flag.rule] = counts.get(flag.rule, 0) + 1
            listed = ", ".join(f"{rule} {n}" for rule, n in sorted(counts.items()))
            lines.append(f"flags ({len(self.flags)}): {listed}")
            shown: dict[str, int] = {}
            for flag in self.flags:
                shown[flag.rule] = shown.get(flag.rule, 0) + 1
                if shown[flag.rule] <= per_rule:
                    lines.append(f"  {flag}")
                elif shown[flag.rule] == counts[flag.rule]:
                    lines.append(f"  ... and {counts[flag.rule] - per_rule} more {flag.rule} flag(s)")
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines)


__all__ = ["ImportReport"]
