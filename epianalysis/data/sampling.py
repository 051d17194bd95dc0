"""Sampled tables: the sampling fractions a data directory declares in its ``source.toml``.

A table whose rows are a sample of the population (the embedded scenario's person-level
health-code log holds 1 % of the residents, its enterprise register a 10 % sample of the
above-scale firms) says so under ``[sampling.<table>]`` (docs/data.md#sampling)::

    [sampling.health_code_log]
    fraction = 0.01                     # every row stands for 1 / 0.01 = 100 residents

    [sampling.enterprises]
    by = "size_class"                   # one fraction per value of this column
    fractions = { leading = 0.1, above_scale = 0.1 }   # a value not listed: fraction unknown

A table without an entry holds complete counts. A count from a sampled table is shown only as a
province-scale estimate, ``count / fraction`` (:meth:`Sampling.estimate`), labelled as such, or not
at all (rates, which the sampling leaves unchanged, are shown instead); where the fraction of a
group is unknown no estimate is made.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from epianalysis.data.contracts import table_spec
from epianalysis.errors import DataError, Violation

SAMPLING_KEY = "sampling"
SOURCE_FILE = "source.toml"


@dataclass(frozen=True)
class Sampling:
    """How the rows of one table were sampled.

    Attributes
    ----------
    table : str
    fraction : float or None
        The sampling fraction of every row (0 < fraction ≤ 1), when one fraction holds for all.
    by : str or None
        Otherwise the column whose value decides the fraction (``size_class``).
    fractions : mapping
        ``value of by -> fraction``; a value not listed was sampled with an unknown fraction.
    note : str
        How the sample was drawn, in words.
    """

    table: str
    fraction: float | None = None
    by: str | None = None
    fractions: Mapping[str, float] = field(default_factory=dict)
    note: str = ""

    def fraction_of(self, group: str | None = None) -> float | None:
        """The fraction of the rows whose ``by`` column is ``group`` (the table's one fraction when it
        has one); ``None`` when unknown."""
        if self.by is None:
            return self.fraction
        return None if group is None else self.fractions.get(str(group))

    def estimate(self, count: Any, group: str | None = None) -> float | None:
        """The province-scale estimate ``count / fraction``; ``None`` when the count is missing or the
        fraction unknown.

        >>> Sampling("health_code_log", fraction=0.01).estimate(405_307)
        40530700.0
        """
        fraction = self.fraction_of(group)
        if fraction is None or count is None or pd.isna(count):
            return None
        return float(count) / fraction

    def estimate_groups(self, counts: Mapping[str, Any]) -> float | None:
        """``Σ count_g / fraction_g`` over the groups of ``by`` (``counts``: group -> count in the
        sample); ``None`` when a group with rows has an unknown fraction.

        >>> Sampling("enterprises", by="size_class", fractions={"leading": 0.1, "above_scale": 0.1}).estimate_groups(
        ...     {"leading": 91, "above_scale": 4346}
        ... )
        44370.0
        """
        total = 0.0
        for group, count in counts.items():
            if count is None or pd.isna(count):
                return None
            if count == 0:
                continue
            value = self.estimate(count, group)
            if value is None:
                return None
            total += value
        return total

    @property
    def single_fraction(self) -> float | None:
        """The fraction that holds for every row: the table's one fraction, or the common value of
        ``fractions`` when all are equal (``None`` otherwise)."""
        if self.by is None:
            return self.fraction
        values = set(self.fractions.values())
        return values.pop() if len(values) == 1 else None


def check_sampling(meta: Mapping[str, Any]) -> list[Violation]:
    """Violations of the ``[sampling]`` tables of ``source.toml`` (``meta``); empty when absent or valid.

    Each entry names a contract table and gives either ``fraction`` (0 < f ≤ 1) or ``by`` (a column of
    the table) with ``fractions`` (value -> 0 < f ≤ 1), not both; ``note`` is text.
    """
    section = meta.get(SAMPLING_KEY)
    if section is None:
        return []
    if not isinstance(section, Mapping):
        return [Violation(SOURCE_FILE, None, SAMPLING_KEY, "type(table)", str(section))]
    out: list[Violation] = []

    def bad(where: str, rule: str, value: object = "") -> None:
        out.append(Violation(SOURCE_FILE, None, f"{SAMPLING_KEY}.{where}", rule, str(value)))

    for table, entry in section.items():
        try:
            spec = table_spec(table)
        except KeyError:
            bad(table, "known_table", table)
            continue
        if not isinstance(entry, Mapping):
            bad(table, "type(table)", entry)
            continue
        if ("fraction" in entry) == ("by" in entry):
            bad(table, "fraction_or_by")
        if "fraction" in entry and not _is_fraction(entry["fraction"]):
            bad(f"{table}.fraction", "in_range(0, 1]", entry["fraction"])
        if "by" in entry:
            if entry["by"] not in spec.names:
                bad(f"{table}.by", "column_of_table", entry["by"])
            fractions = entry.get("fractions")
            if not isinstance(fractions, Mapping):
                bad(f"{table}.fractions", "type(table)", fractions)
            else:
                for group, value in fractions.items():
                    if not _is_fraction(value):
                        bad(f"{table}.fractions.{group}", "in_range(0, 1]", value)
        if "note" in entry and not isinstance(entry["note"], str):
            bad(f"{table}.note", "type(str)", entry["note"])
    return out


def _is_fraction(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 1


def sampling(meta: Mapping[str, Any], table: str) -> Sampling | None:
    """The sampling of ``table`` declared in ``source.toml`` (``meta``); ``None``: complete counts.

    Raises
    ------
    DataError
        The ``[sampling]`` tables break the rules of :func:`check_sampling`.
    """
    problems = check_sampling(meta)
    if problems:
        raise DataError(f"{SOURCE_FILE}: invalid [{SAMPLING_KEY}]", problems)
    entry = (meta.get(SAMPLING_KEY) or {}).get(table)
    if entry is None:
        return None
    return Sampling(
        table=table,
        fraction=None if "fraction" not in entry else float(entry["fraction"]),
        by=entry.get("by"),
        fractions={str(k): float(v) for k, v in (entry.get("fractions") or {}).items()},
        note=str(entry.get("note", "")),
    )


def sampling_of(frame: pd.DataFrame, table: str) -> Sampling | None:
    """The sampling of ``table`` from the ``source.toml`` a frame of the store carries in its
    ``attrs["metadata"]`` (:meth:`epianalysis.data.store.DataStore.load`); ``None`` without one."""
    return sampling(frame.attrs.get("metadata") or {}, table)
