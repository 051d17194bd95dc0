"""Epidemic metrics over the ``cases`` contract at any region level (long tables in, long tables out).

Formulas (docs/methods.md#epidemic-and-recovery):

- incidence: first difference of a cumulative count per region (see
  :func:`daily_new`); a negative value is a revision, kept and flagged;
- 7-day trailing mean: mean of D-6..D inclusive, computed only when all 7 days are known;
- per 100 k: ``value / population * 100000``;
- active = confirmed − discharged − deaths;
- days since the last new case: ``D − last day with a positive one-day increase``;
- doubling time over ``w`` days: ``Td = w · ln 2 / ln(C(D) / C(D−w))``;
- anomaly: a daily count far above the recent distribution (robust z-score against the median and
  MAD of the previous days).

Nothing is imputed: a missing row or value makes every quantity that needs it missing.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

INCIDENCE_COLUMNS = ["confirmed", "confirmed_local", "confirmed_imported"]


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
        cumulative = cumulative.assign(date=pd.to_datetime(cumulative["date"])).sort_values([by, "date"], kind="stable")
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


def wide(
    table: pd.DataFrame, column: str, dates: pd.DatetimeIndex | None = None, regions: list[str] | None = None
) -> pd.DataFrame:
    """One column of a long table as a float grid: a full daily calendar × region codes.

    Days or regions without a row are NaN (missing, never filled). ``dates`` defaults to every day
    from the first to the last date in the table; ``regions`` to the codes present, sorted.
    """
    grid = _pivot(
        pd.to_datetime(table["date"]),
        table["region_code"].astype(str),
        pd.to_numeric(table[column].astype("Float64"), errors="coerce").astype(float),
    )
    if dates is None:
        dates = pd.date_range(grid.index.min(), grid.index.max(), freq="D") if len(grid) else pd.DatetimeIndex([])
    if regions is None:
        regions = sorted(grid.columns)
    return grid.reindex(index=dates, columns=regions).astype(float)


def _pivot(date: pd.Series, region_code: pd.Series, values: pd.Series) -> pd.DataFrame:
    """``values`` as a grid of ``date`` × ``region_code`` (both sorted), as ``DataFrame.pivot`` makes it:
    placed cell by cell when every row has a date and a code and no (date, code) pair comes twice, else
    by pandas' pivot itself (which refuses a duplicate pair with its own error)."""
    day, days = pd.factorize(date, sort=True)
    region, codes = pd.factorize(region_code, sort=True)
    if not len(date) or (day < 0).any() or (region < 0).any() or np.bincount(day * len(codes) + region).max() > 1:
        frame = pd.DataFrame({"date": date, "region_code": region_code, "value": values})
        return frame.pivot(index="date", columns="region_code", values="value")
    grid = np.full((len(days), len(codes)), np.nan)
    grid[day, region] = values.to_numpy(dtype=float)
    return pd.DataFrame(grid, index=pd.DatetimeIndex(days, name="date"), columns=pd.Index(codes, name="region_code"))


def long(grid: pd.DataFrame, name: str) -> pd.DataFrame:
    """Inverse of :func:`wide`: columns ``region_code``, ``date``, ``name`` (NaN kept)."""
    out = grid.rename_axis(index="date", columns="region_code").stack(future_stack=True)
    out = out.rename(name).reset_index()
    return out.sort_values(["region_code", "date"], kind="stable").reset_index(drop=True)


def incidence(cases: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """Daily new counts per region from cumulative counts, with revision flags.

    Formula: ``new_X(D) = X(D) − X(D_prev)`` per region (docs/methods.md#incidence-and-revisions);
    negative values are revisions (e.g. 衢州 confirmed −7 on 2020-02-20): kept as they are, flagged in
    ``<X>_revised``.
    ``gap_days`` > 1 means a difference spans several days.

    Parameters
    ----------
    cases : DataFrame
        Rows of the ``cases`` contract (any region level).
    columns : list of str, optional
        Cumulative columns (default: confirmed, confirmed_local, confirmed_imported; absent ones
        are added as all-NA).

    Returns
    -------
    DataFrame
        ``region_code``, ``date``, ``gap_days``, ``new_<X>``, ``<X>_revised`` for each column, sorted
        by region and date.
    """
    columns = list(columns or INCIDENCE_COLUMNS)
    frame = cases.copy()
    frame["region_code"] = frame["region_code"].astype(str)
    for column in columns:
        if column not in frame:
            frame[column] = pd.array([pd.NA] * len(frame), dtype="Int64")
    return daily_new(frame, columns, by="region_code").reset_index(drop=True)


def trailing_mean(grid: pd.DataFrame, window: int = 7) -> pd.DataFrame:
    """Trailing mean over ``window`` days (D−window+1..D inclusive) of a daily grid (see :func:`wide`).

    Formula: ``mean_D = (1/w) Σ_{s=D−w+1..D} x_s``; NaN unless all ``w`` days are known
    (docs/methods.md#7-day-trailing-means).
    """
    return grid.rolling(window, min_periods=window).mean()


def trailing_sum(grid: pd.DataFrame, window: int = 7) -> pd.DataFrame:
    """Trailing sum over ``window`` days (D−window+1..D inclusive); NaN unless all days are known."""
    return grid.rolling(window, min_periods=window).sum()


def per_100k(values: pd.DataFrame | pd.Series, population: Mapping[str, float] | pd.Series) -> pd.DataFrame | pd.Series:
    """Rate per 100 000 inhabitants: ``value × 100000 / population`` (multiplied first, so that a
    whole number of cases in a population of 100 000 gives an exact rate).

    ``values`` is a grid with region codes as columns (or a Series indexed by region code);
    a region without a population (or population ≤ 0) gives NaN.
    """
    pop = pd.Series(population, dtype=float)
    pop = pop.where(pop > 0)
    if isinstance(values, pd.DataFrame):
        return (values * 100_000.0).div(pop.reindex(values.columns).to_numpy(), axis=1)
    return values * 100_000.0 / pop.reindex(values.index)


def active(cases: pd.DataFrame) -> pd.Series:
    """Active cases = confirmed − discharged − deaths (docs/methods.md#active-cases); NA if a term is missing.

    Negative values (more discharged than confirmed, e.g. transfers) are kept as they are.
    """
    return cases["confirmed"].astype("Int64") - cases["discharged"].astype("Int64") - cases["deaths"].astype("Int64")


def days_since_last_new_case(cumulative: pd.DataFrame) -> pd.DataFrame:
    """Days since the last new case on each day of a cumulative daily grid (see :func:`wide`).

    Formula: ``D − max{s ≤ D : C(s) − C(s−1) > 0}``. A day whose one-day increase is unknown (a
    missing day, or the first day of the grid with a count above zero) blocks the count: days after
    it are NaN until the next known increase, because the last case may lie in the unknown stretch.
    A region whose count is 0 so far has NaN (no case yet; see ``cumulative == 0``). Revisions
    (negative increases) are not new cases.
    """
    values = cumulative.to_numpy(dtype=float)
    n_days, _ = values.shape
    new = np.full_like(values, np.nan)
    new[1:] = values[1:] - values[:-1]
    if n_days:
        new[0] = np.where(values[0] == 0, 0.0, np.nan)
    # a zero count after a missing day is still "no case yet" (cumulative counts only grow)
    new = np.where(np.isnan(new) & (values == 0), 0.0, new)
    index = np.arange(n_days, dtype=float)[:, None] * np.ones_like(values)
    marker_day = np.where((new > 0) | np.isnan(new), index, np.nan)
    marker_known = np.where(new > 0, 1.0, np.where(np.isnan(new), 0.0, np.nan))
    last_day = pd.DataFrame(marker_day).ffill().to_numpy()
    last_known = pd.DataFrame(marker_known).ffill().to_numpy()
    days = np.where(last_known == 1.0, index - last_day, np.nan)
    days = np.where(np.isnan(values), np.nan, days)
    return pd.DataFrame(days, index=cumulative.index, columns=cumulative.columns)


def doubling_time(cumulative: pd.DataFrame, window: int = 7) -> pd.DataFrame:
    """Doubling time of a cumulative count over ``window`` days, in days.

    Formula: ``Td(D) = window · ln 2 / ln(C(D) / C(D − window))`` (exponential growth between the two
    days). NaN when either count is missing, ``C(D − window) = 0`` or there was no growth
    (``C(D) ≤ C(D − window)``: the count is not doubling).
    """
    now = cumulative
    before = cumulative.shift(window)
    ratio = now / before.where(before > 0)
    growth = np.log(ratio.where(ratio > 1))
    return window * np.log(2.0) / growth


def flag_anomalies(
    new: pd.DataFrame, window: int = 14, threshold: float = 5.0, min_count: float = 10.0
) -> pd.DataFrame:
    """Flag daily counts far outside the recent distribution; values themselves are not changed.

    Formula (robust z-score): with ``m`` the median and ``MAD`` the median absolute deviation of the
    previous ``window`` days (D−window..D−1, at least half of them known),
    ``flag(D) = x_D ≥ min_count and x_D > m + threshold · max(1.4826 · MAD, 1)``. The floor of 1 keeps
    a flat run of zeros from flagging every small count. Source: Hampel filter (Hampel 1974; Pearson
    et al. 2016, "Generalized Hampel filters"), applied one-sided to spikes.

    Returns a boolean grid of the same shape (False where the value or its history is missing).
    """
    history = new.shift(1).rolling(window, min_periods=max(1, window // 2))
    median = history.median()
    # MAD of the same window around its own median m_D: median_s |x_s - m_D|, s in D-window..D-1
    mad = history.apply(lambda w: np.nanmedian(np.abs(w - np.nanmedian(w))), raw=True)
    scale = np.maximum(1.4826 * mad, 1.0)
    flags = (new >= min_count) & (new > median + threshold * scale)
    return flags.fillna(False).astype(bool)


def epidemic_table(
    cases: pd.DataFrame, population: Mapping[str, float] | pd.Series | None = None, window: int = 7
) -> pd.DataFrame:
    """All epidemic metrics per region and day, on a full daily calendar per region.

    Columns: ``region_code``, ``date``, ``confirmed``, ``new_confirmed``, ``new_local``,
    ``new_imported``, ``revised`` (a negative increase in confirmed, local or imported — kept),
    ``new_local_7d_mean``, ``new_local_7d_per_100k`` (7-day mean of new local cases per 100 k),
    ``active``, ``discharge_rate`` (discharged / confirmed, above 1 kept), ``discharge_rate_above_1``,
    ``days_since_last_local_case``, ``doubling_time`` (of confirmed, over ``window`` days),
    ``anomaly`` (spike in new local cases, see :func:`flag_anomalies`), ``local_split_known``.

    Where ``confirmed_local`` is not given at all for a region, local counts are taken from
    ``confirmed`` and ``local_split_known`` is False. Population defaults to the region reference
    (``epianalysis.reference.regions``).
    """
    if population is None:
        from epianalysis.reference.regions import load_regions

        ref = load_regions()
        population = pd.Series(ref["population"].astype(float).to_numpy(), index=ref["code"].astype(str))
    frame = cases.copy()
    for column in ["confirmed", "confirmed_local", "confirmed_imported", "discharged", "deaths"]:
        if column not in frame:
            frame[column] = pd.array([pd.NA] * len(frame), dtype="Int64")
    grids = {c: wide(frame, c) for c in ["confirmed", "confirmed_local", "confirmed_imported", "discharged", "deaths"]}
    split_known = grids["confirmed_local"].notna().any(axis=0)
    local = grids["confirmed_local"].where(split_known, grids["confirmed"], axis=1)
    new_conf = grids["confirmed"].diff()
    new_local = local.diff()
    new_imp = grids["confirmed_imported"].diff()
    revised = (new_conf < 0) | (new_local < 0) | (new_imp < 0)
    mean_local = trailing_mean(new_local, window)
    confirmed = grids["confirmed"]
    rate = grids["discharged"] / confirmed.where(confirmed > 0)
    parts = {
        "confirmed": confirmed,
        "new_confirmed": new_conf,
        "new_local": new_local,
        "new_imported": new_imp,
        "revised": revised,
        "new_local_7d_mean": mean_local,
        "new_local_7d_per_100k": per_100k(mean_local, population),
        "active": confirmed - grids["discharged"] - grids["deaths"],
        "discharge_rate": rate,
        "discharge_rate_above_1": rate > 1,
        "days_since_last_local_case": days_since_last_new_case(local),
        "doubling_time": doubling_time(confirmed, window),
        "anomaly": flag_anomalies(new_local),
    }
    out = None
    for name, grid in parts.items():
        part = long(grid, name)
        out = part if out is None else out.merge(part, on=["region_code", "date"], how="left")
    out["local_split_known"] = out["region_code"].map(split_known).astype(bool)
    for name in ["revised", "discharge_rate_above_1", "anomaly"]:
        out[name] = out[name].astype(bool)
    return out
