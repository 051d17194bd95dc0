"""``import tidy --derive-province``: the province row of a date built from its parts, flagged as derived.

A source that gives the cities (CANG's city table, a city-by-city spreadsheet) has no province row,
and the briefings start from it. For every date that has region rows and no province row, the row
is built as

    province(d) = sum of the prefecture rows of d + sum of the unplaced rows of d

(the unplaced rows being the units that are no place: the provincial prison cluster, 境外输入,
未公布来源...; they count in the province total and in no city). A date without any prefecture row
sums its county rows instead. A count is missing in the province row when it is missing in any row
summed (a sum over a gap is not a total). Cities absent on a date are not invented: the sum covers
the rows given, and the ``derivation`` column of the row says how many prefectures (or counties) and
unplaced rows it adds up. Each file gets one ``province_derived`` flag naming the dates.
"""

from __future__ import annotations

import pandas as pd

from epianalysis.data.contracts import TableSpec
from epianalysis.data.coverage import PROVINCE_CODE, dates_without_province
from epianalysis.errors import Violation
from epianalysis.reference.regions import load_regions

DERIVATION = "derivation"


def _sum(rows: pd.DataFrame, columns: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for col in columns:
        values = rows[col]
        out[col] = pd.NA if values.isna().any() or values.empty else int(values.sum())
    return out


def derive_province(
    placed: pd.DataFrame, unplaced: pd.DataFrame, spec: TableSpec, file: str
) -> tuple[pd.DataFrame, list[Violation]]:
    """``placed`` with a derived province row for every date that lacks one (module docstring).

    Parameters
    ----------
    placed : pandas.DataFrame
        Typed rows with ``date``, ``region_code`` and ``__row`` (the file's line).
    unplaced : pandas.DataFrame
        Typed unplaced rows (``date``, counts), possibly empty.
    spec : TableSpec
        The contract (its count columns are summed).
    file : str
        File name for the flag.

    Returns
    -------
    (pandas.DataFrame, list of Violation)
        The rows with the derived ones added (their ``derivation`` column says what they sum; given
        rows have it empty) and the ``province_derived`` flag (none when nothing was derived).
    """
    missing = dates_without_province(placed)
    if not missing:
        return placed, []
    regions = load_regions()
    level = dict(zip(regions["code"].astype(str), regions["level"], strict=True))
    counts = [c.name for c in spec.columns if c.kind == "count" and c.name in placed.columns]
    levels = placed["region_code"].map(level)
    derived = []
    for day in missing:
        today = placed["date"] == day
        parts = placed[today & (levels == "prefecture")]
        kind = "prefectures"
        if parts.empty:
            parts, kind = placed[today & (levels == "county")], "counties"
        extra = unplaced[unplaced["date"] == day] if len(unplaced) else unplaced
        summed = pd.concat([parts[counts], extra[counts]]) if len(extra) else parts[counts]
        lines = list(parts["__row"]) + (list(extra["__row"]) if "__row" in extra.columns else [])
        text = f"sum of {len(parts)} {kind}" + (f" and {len(extra)} unplaced row(s)" if len(extra) else "")
        row = {"date": day, "region_code": PROVINCE_CODE, **_sum(summed, counts), DERIVATION: text}
        row["__row"] = min(int(x) for x in lines) if lines else 0
        derived.append(row)
    added = pd.DataFrame(derived)
    for col in counts:
        added[col] = added[col].astype("Int64")
    out = placed.copy()
    if DERIVATION not in out.columns:
        out[DERIVATION] = pd.Series(pd.NA, index=out.index, dtype="str")
    out = pd.concat([out, added], ignore_index=True)
    out[DERIVATION] = out[DERIVATION].astype("str")
    span = missing[0].date().isoformat() + (f" .. {missing[-1].date().isoformat()}" if len(missing) > 1 else "")
    flag = Violation(
        file,
        int(added["__row"].min()),
        "region_code",
        "province_derived",
        PROVINCE_CODE,
        "flag",
        detail=f"{len(missing)} date(s), {span}; the 'derivation' column of each says what it sums",
    )
    return out, [flag]
