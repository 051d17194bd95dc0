"""Whether a table of any region level holds what the briefings read first: the province row.

The briefings of a day start from the province's row (the headline numbers). A source that gives the
cities (or counties) but not the province, such as a city-by-city table, passes the row rules and
would only fail when a briefing looks for ``330000``. :func:`coverage_flags` says so at import and in
``validate``, as one flag ``no_province_row`` per file, on the first line concerned, with the number
and range of the dates. ``epianalysis import tidy --derive-province`` builds the row
(:mod:`epianalysis.sources.derive`).

Only tables whose rows may be of any level (``cases``) are concerned; the county tables hold
counties by contract.
"""

from __future__ import annotations

import pandas as pd

from epianalysis.data.contracts import is_unplaced, table_spec
from epianalysis.errors import Violation

PROVINCE_CODE = "330000"


def dates_without_province(df: pd.DataFrame) -> list[pd.Timestamp]:
    """The dates of ``df`` (typed rows with ``date`` and ``region_code``) that have region rows but
    no province row, in order."""
    placed = df[df["region_code"].notna() & df["date"].notna()]
    with_province = set(placed.loc[placed["region_code"] == PROVINCE_CODE, "date"])
    return sorted(d for d in placed["date"].unique() if d not in with_province)


def coverage_flags(df: pd.DataFrame | None, table: str, file: str) -> list[Violation]:
    """The ``no_province_row`` flag of a typed table (see the module docstring); empty when every
    date has its province row or the table is not concerned."""
    try:
        spec = table_spec(table)
    except KeyError:
        return []
    if df is None or spec.region_level is not None or is_unplaced(table):
        return []
    if not {"date", "region_code"} <= set(df.columns) or df.empty:
        return []
    missing = dates_without_province(df)
    if not missing:
        return []
    first = df[df["date"] == missing[0]]
    line = int(first["__row"].min()) if "__row" in first.columns else int(first.index.min()) + 1
    span = missing[0].date().isoformat()
    if len(missing) > 1:
        span += f" .. {missing[-1].date().isoformat()}"
    detail = (
        f"{len(missing)} date(s): {span}; 'epianalysis import tidy --derive-province' builds the row "
        "from the prefectures and the unplaced rows"
    )
    return [Violation(file, line, "region_code", "no_province_row", "", "flag", detail)]
