"""County-day indicators that zoning rules read, computed from the ``cases`` contract.

Every indicator is a float per county and day on a full daily calendar; a missing row or value makes
the indicators that need it NaN (missing inputs give an *unknown* level, never a guessed one).
Formulas are in :data:`INDICATORS`; the building blocks are in :mod:`epianalysis.epidemic`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from epianalysis.epidemic import days_since_last_new_case, per_100k, trailing_sum, wide

INDICATORS: dict[str, str] = {
    "cumulative_confirmed": "cumulative confirmed cases as of D 24:00 (column confirmed)",
    "cumulative_local": "cumulative local confirmed cases as of D (column confirmed_local)",
    "local_share": "cumulative_local / cumulative_confirmed (NaN when confirmed is 0 or local unknown)",
    "new_confirmed": "confirmed(D) - confirmed(D-1); negative = revision",
    "days_since_last_case": "D - last day with a one-day rise in confirmed (NaN: no case yet or "
    "the last rise lies in a stretch of missing days)",
    "days_since_last_local_case": "as days_since_last_case, from confirmed_local",
    "new_cases_7d_sum_per_100k": "(confirmed(D) - confirmed(D-7)) / population * 100000 (both days known)",
    "new_cases_7d_mean_per_100k": "new_cases_7d_sum_per_100k / 7 (7-day mean of daily new cases)",
    "clusters_14d": "sum of clusters_new over D-13..D (all 14 days known)",
    "clusters_cumulative": "sum of clusters_new from the first day of the data to D (all days known)",
}

_INPUTS = ("confirmed", "confirmed_local", "clusters_new")
"""The columns of the ``cases`` contract the indicators read (besides ``date`` and ``region_code``)."""


def county_codes() -> list[str]:
    """The 90 county codes of the region reference, sorted."""
    from epianalysis.reference.regions import counties

    return sorted(counties()["code"].astype(str))


def reference_population() -> pd.Series:
    """Population per region code from the region reference (``epianalysis.reference.regions``)."""
    from epianalysis.reference.regions import load_regions

    ref = load_regions()
    return pd.Series(ref["population"].astype(float).to_numpy(), index=ref["code"].astype(str))


def indicator_grids(
    cases: pd.DataFrame,
    regions: list[str] | None = None,
    population: Mapping[str, float] | pd.Series | None = None,
    end: pd.Timestamp | str | None = None,
) -> dict[str, pd.DataFrame]:
    """All :data:`INDICATORS` as daily grids (index: every day from the first data date to ``end``,
    columns: region codes).

    Parameters
    ----------
    cases : DataFrame
        Rows of the ``cases`` contract; rows of other regions are ignored.
    regions : list of str, optional
        Region codes to evaluate (default: the 90 counties). A region without rows gets NaN.
    population : mapping or Series, optional
        Population per region code (default: the region reference).
    end : date, optional
        Last day of the calendar (default: the last date in ``cases``).
    """
    regions = [str(r) for r in (regions if regions is not None else county_codes())]
    population = reference_population() if population is None else pd.Series(population, dtype=float)
    frame = cases[[c for c in cases.columns if c in ("date", "region_code", *_INPUTS)]]  # the columns read
    frame = frame.assign(region_code=frame["region_code"].astype(str), date=pd.to_datetime(frame["date"]))
    dates_all = frame["date"]
    frame = frame[frame["region_code"].isin(regions)]
    first = dates_all.min()
    last = pd.Timestamp(end) if end is not None else dates_all.max()
    calendar = pd.date_range(first, last, freq="D") if pd.notna(first) else pd.DatetimeIndex([])
    for column in _INPUTS:
        if column not in frame:
            frame[column] = pd.array([pd.NA] * len(frame), dtype="Int64")
    confirmed = wide(frame, "confirmed", calendar, regions)
    local = wide(frame, "confirmed_local", calendar, regions)
    clusters = wide(frame, "clusters_new", calendar, regions)
    sum7 = per_100k(confirmed - confirmed.shift(7), population)
    return {
        "cumulative_confirmed": confirmed,
        "cumulative_local": local,
        "local_share": local / confirmed.where(confirmed > 0),
        "new_confirmed": confirmed.diff(),
        "days_since_last_case": days_since_last_new_case(confirmed),
        "days_since_last_local_case": days_since_last_new_case(local),
        "new_cases_7d_sum_per_100k": sum7,
        "new_cases_7d_mean_per_100k": sum7 / 7.0,
        "clusters_14d": trailing_sum(clusters, 14),
        "clusters_cumulative": clusters.cumsum(skipna=False),
    }


def points(values: np.ndarray, breaks: tuple[float, ...], pts: tuple[float, ...]) -> np.ndarray:
    """Points of a weighted score: ``pts[i]`` for ``breaks[i-1] <= value < breaks[i]`` (NaN stays NaN).

    Formula: ``pts[k]`` with ``k = #{b in breaks : b <= value}``.
    """
    values = np.asarray(values, float)
    k = np.searchsorted(np.asarray(breaks, float), values, side="right")
    out = np.asarray(pts, float)[np.minimum(k, len(pts) - 1)]
    return np.where(np.isnan(values), np.nan, out)
