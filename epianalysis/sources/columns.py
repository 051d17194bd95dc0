"""A file's columns against a contract: renames, missing columns, and the ``--rename`` that would fix them.

A missing required column is one error on the header line naming the column; when a column of the
file looks like it (a known synonym such as ``as_of_date`` for ``date``, ``city_zh`` or ``unit_code``
for ``region_code``, ``cured`` for ``discharged``, or a close spelling), the error suggests the
``--rename OLD=NEW`` that maps it. The message of the error says which columns the contract requires
and which the file has.
"""

from __future__ import annotations

import difflib

import pandas as pd

from epianalysis.data.contracts import TableSpec
from epianalysis.errors import DataError, Violation

#: Contract column -> names other sources give it (compared case-insensitively).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("as_of_date", "as_of", "data_date", "report_date", "day", "updatetime", "日期"),
    "region_code": (
        "unit_code",
        "city_code",
        "county_code",
        "code",
        "adcode",
        "city_zipcode",
        "region",
        "region_name",
        "unit_zh",
        "city_zh",
        "county_zh",
        "cityname",
        "city",
        "county",
        "name_zh",
        "name",
        "unit",
        "地区",
        "城市",
    ),
    "confirmed": ("confirmed_total", "confirmedcount", "city_confirmedcount", "cases", "确诊"),
    "discharged": ("cured", "recovered", "curedcount", "city_curedcount", "治愈", "出院"),
    "deaths": ("dead", "death", "died", "deadcount", "city_deadcount", "死亡"),
}


def apply_renames(
    raw: pd.DataFrame, renames: dict[str, str], file: str, header_line: int = 1
) -> tuple[pd.DataFrame, list[Violation]]:
    """Rename columns OLD -> NEW; a rename of a column the file lacks, or onto a column it has, is an error."""
    problems = []
    columns = [c for c in raw.columns if not str(c).startswith("__")]
    for old, new in renames.items():
        if old not in raw.columns:
            close = difflib.get_close_matches(old, columns, n=3, cutoff=0.6)
            hint = f"did you mean {', '.join(close)}?" if close else f"the file has: {', '.join(columns)}"
            problems.append(Violation(file, header_line, old, "rename_source_present", f"{old}={new}", detail=hint))
        elif new in raw.columns and new != old:
            problems.append(Violation(file, header_line, new, "rename_target_free", f"{old}={new}"))
    return raw.rename(columns=renames), problems


def suggestion(missing: str, columns: list[str], taken: set[str]) -> str | None:
    """The column of the file that is most likely ``missing`` under another name, if any."""
    free = [c for c in columns if c not in taken]
    folded = {c.casefold(): c for c in free}
    for name in SYNONYMS.get(missing, ()):
        if name in folded:
            return folded[name]
    close = difflib.get_close_matches(missing.casefold(), list(folded), n=1, cutoff=0.75)
    return folded[close[0]] if close else None


def missing_columns(raw: pd.DataFrame, spec: TableSpec, file: str, header_line: int = 1) -> DataError | None:
    """The error for the required columns of ``spec`` that ``raw`` lacks (``None`` when none is missing)."""
    columns = [str(c) for c in raw.columns if not str(c).startswith("__")]
    required = [c.name for c in spec.columns if c.required]
    missing = [c for c in required if c not in columns]
    if not missing:
        return None
    taken = set(spec.names)
    problems, renames = [], []
    for name in missing:
        match = suggestion(name, columns, taken)
        if match is not None:
            taken.add(match)
            renames.append(f"--rename {match}={name}")
        hint = f"try --rename {match}={name}" if match else ""
        problems.append(Violation(file, header_line, name, "column_present", "", detail=hint))
    optional = [c.name for c in spec.columns if not c.required]
    message = (
        f"{file}: cannot import as {spec.name!r}: {len(missing)} required column(s) missing\n"
        f"  {spec.name} requires: {', '.join(required)} (optional: {', '.join(optional)}; "
        f"'epianalysis contracts {spec.name}' explains each)\n"
        f"  the file has: {', '.join(columns)}" + (f"\n  try: {' '.join(renames)}" if renames else "")
    )
    return DataError(message, problems)
