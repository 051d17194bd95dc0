"""Daily incidence derived from cumulative counts, with revisions flagged and kept.

Source: DESIGN §4.1 — incidence is the first difference of a cumulative count; a negative difference
is a revision of earlier counts (e.g. 衢州 confirmed revised down by 7 on 2020-02-20): it is kept as
the negative value it is and flagged, never clipped to zero.
"""

from __future__ import annotations

import pandas as pd


def region_series(cases: pd.DataFrame, region_code: str, columns: list[str]) -> pd.DataFrame:
    """One region's rows of a cases table, sorted by date, with ``date`` as a datetime column.

    Parameters
    ----------
    cases : DataFrame
        Rows of the ``cases`` contract (any region levels mixed).
    region_code : str
        The 6-digit code of the region to select.
    columns : list of str
        Value columns to keep (missing ones are added as all-NA ``Int64``, never filled).
    """
    rows = cases.loc[cases["region_code"].astype(str) == str(region_code)].copy()
    rows["date"] = pd.to_datetime(rows["date"])
    for column in columns:
        if column not in rows:
            rows[column] = pd.array([pd.NA] * len(rows), dtype="Int64")
    return rows.sort_values("date")[["date", *columns]].reset_index(drop=True)


def daily_new(cumulative: pd.DataFrame, columns: list[str], by: str | None = None) -> pd.DataFrame:
    """New counts per day from cumulative counts of one region (or of several, with ``by``).

    Formula: ``new_X(D) = X(D) - X(D_prev)`` where ``D_prev`` is the previous row's date. Rows must be
    one region sorted by date. For each column a boolean ``<column>_revised`` flags a negative
    difference (a revision), and ``gap_days`` gives the days since the previous row (1 for a daily
    series; larger values mean the difference spans several days and is not a one-day count).
    The first row's difference is missing (NA): nothing before it is known.

    Parameters
    ----------
    cumulative : DataFrame
        Columns ``date`` and the cumulative ``columns``, one region, sorted by date.
    columns : list of str
        Cumulative columns to difference; the result names them ``new_<column>``.
    by : str, optional
        A grouping column (e.g. ``region_code``): rows are then sorted by ``(by, date)`` and each
        group is differenced on its own (the first row of every group is NA). The column is kept
        in the result, which is in the order of the sorted rows.
    """
    if by is not None:
        cumulative = cumulative.assign(date=pd.to_datetime(cumulative["date"])).sort_values(
            [by, "date"], kind="stable")
    out = pd.DataFrame({"date": pd.to_datetime(cumulative["date"]).to_numpy()})
    if by is None:
        out["gap_days"] = out["date"].diff().dt.days.astype("Int64")
    else:
        out.insert(0, by, cumulative[by].to_numpy())
        out["gap_days"] = out.groupby(by, sort=False)["date"].diff().dt.days.astype("Int64")
    for column in columns:
        values = cumulative[column].astype("Int64").reset_index(drop=True)
        previous = values.shift(1) if by is None else values.groupby(out[by], sort=False).shift(1)
        new = values - previous
        out[f"new_{column}"] = new
        out[f"{column}_revised"] = (new < 0).fillna(False).astype(bool)
    return out
