"""Errors the workbook raises on bad input, each carrying what failed and where.

A :class:`DataError` holds one or more :class:`Violation` rows (file, row, column, rule, value) so
that the CLI can print every problem at once and exit non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Violation:
    """One failed check.

    Parameters
    ----------
    file : str
        The file (or table name) the row came from.
    row : int or None
        1-based data row number in that file (header excluded); ``None`` for file-level problems.
    column : str or None
        The column checked; ``None`` for row- or file-level rules.
    rule : str
        A short name of the rule that failed, e.g. ``"not_null"`` or ``"cumulative_non_decreasing"``.
    value : str
        The offending value as text ("" where there is none).
    severity : str
        ``"error"`` (the data cannot be used) or ``"flag"`` (kept and marked, e.g. a revision).
    """

    file: str
    row: int | None
    column: str | None
    rule: str
    value: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file + (f":{self.row}" if self.row is not None else "")
        col = f" column {self.column!r}" if self.column else ""
        val = f" (value {self.value!r})" if self.value != "" else ""
        return f"{self.severity}: {where}{col}: {self.rule}{val}"


@dataclass
class DataError(Exception):
    """Input data broke a contract. ``violations`` lists every problem found."""

    message: str
    violations: list[Violation] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [self.message, *(f"  {v}" for v in self.violations)]
        return "\n".join(lines)


class RegionLookupError(LookupError):
    """A region name or code could not be resolved to exactly one region."""

    def __init__(self, query: str, candidates: list[str], reason: str):
        self.query = query
        self.candidates = candidates
        self.reason = reason
        hint = f"; candidates: {', '.join(candidates)}" if candidates else ""
        super().__init__(f"{reason}: {query!r}{hint}")


class NotApplicable(ValueError):
    """A briefing does not apply to the requested date (e.g. before the first risk-zoning evaluation).

    The briefing runner leaves such a briefing out of the day's report and records why in
    ``summary.json`` (``not_applicable``), instead of failing the day.
    """


class EngineUnavailable(RuntimeError):
    """The requested aggregation engine cannot start here; the message says what is missing
    (PySpark not installed, no Java, an unreachable master)."""
