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
        Where in the file: for a CSV file the file's line number (the header is line 1; a record
        spanning several lines is named by its first line), for a Parquet file or a table in memory
        the 1-based row; ``None`` for file- or column-level problems.
    column : str or None
        The column checked; ``None`` for row- or file-level rules.
    rule : str
        A short name of the rule that failed, e.g. ``"not_null"`` or ``"cumulative_non_decreasing"``.
    value : str
        The offending value as text ("" where there is none).
    severity : str
        ``"error"`` (the data cannot be used) or ``"flag"`` (kept and marked, e.g. a revision).
    detail : str
        What else helps to act on it, in words (the candidates of an ambiguous region name, the
        ``--rename`` that would fix a missing column); may be empty.

    ``str(violation)`` names the file, line, column and value, then the rule in words
    (:func:`epianalysis.data.rulewords.rule_words`) and its id in brackets.
    """

    file: str
    row: int | None
    column: str | None
    rule: str
    value: str = ""
    severity: str = "error"
    detail: str = ""

    def __deepcopy__(self, memo: dict) -> Violation:
        """The violation itself: it cannot change (frozen, text and numbers only). pandas deep-copies a
        frame's ``attrs``, its flags included, into the result of every operation; copying each flag
        field by field took a quarter of a briefing's computing with a handful of flags."""
        return self

    @property
    def where(self) -> str:
        """``"cases.csv line 3"`` in a CSV file, ``"health_code_log.parquet row 3"`` elsewhere (a Parquet
        file, a table in memory), or the file alone."""
        if self.row is None:
            return self.file
        unit = "line" if self.file.lower().endswith((".csv", ".tsv", ".txt")) else "row"
        return f"{self.file} {unit} {self.row}"

    @property
    def words(self) -> str:
        """The rule in words."""
        from epianalysis.data.rulewords import rule_words

        return rule_words(self.rule)

    def __str__(self) -> str:
        parts = [self.where]
        if self.column:
            parts.append(f"column {self.column!r}")
        if self.value != "":
            parts.append(f"value {self.value!r}")
        detail = f"; {self.detail}" if self.detail else ""
        return f"{self.severity}: {', '.join(parts)}: {self.words}{detail} [{self.rule}]"


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


class MissingFontError(RuntimeError):
    """No font with Chinese glyphs is available, or ``EPIANALYSIS_CJK_FONT`` names an unusable one; the
    message says how to install one (:mod:`epianalysis.charts.fonts`)."""
