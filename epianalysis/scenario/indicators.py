"""County-day ``control`` and ``flow`` indicator tables of the scenario (2020-02-01 .. 2020-04-30).

Plausible trajectories, not published data (ASSUMPTION throughout): control indicators (tracing and
quarantine completion high, new local cases over 14 days and active cases per 100 k from the
scenario's own case table, green-code share from its health codes) and flow indicators recovering
through February and March, slower in counties with more cases. The two flow indicators about
enterprises, ``enterprise_resumption_rate`` and ``worker_return_rate``, are the county's own rates
from the scenario's enterprise register and meter readings (:data:`FROM_FIRMS`, the rates of
docs/methods.md#the-three-rates with the December 2019 baseline), so that the control index and the
capacity briefing describe the same firms. A few values are deliberately missing (:data:`MISSING`),
so that a missing indicator is marked and not scored as zero.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

START, END = date(2020, 2, 1), date(2020, 4, 30)
FLOW_COLUMNS = [
    "bus_service_rate",
    "highway_flow_ratio",
    "checkpoint_open_rate",
    "enterprise_resumption_rate",
    "worker_return_rate",
    "retail_open_rate",
    "logistics_flow_ratio",
]
CONTROL_COLUMNS = [
    "new_local_cases_14d",
    "active_cases_per_100k",
    "contact_tracing_rate",
    "quarantine_completion_rate",
    "green_code_share",
]
# (table, region_code, column, first date, last date): values left missing on purpose.
MISSING = [
    ("flow", "330727", "bus_service_rate", date(2020, 2, 24), date(2020, 2, 28)),
    ("flow", "330921", "highway_flow_ratio", date(2020, 3, 2), date(2020, 3, 3)),
    ("control", "331126", "contact_tracing_rate", date(2020, 2, 27), date(2020, 3, 1)),
]
# (start level %, end level %, mid-point day after 2020-02-01, steepness) per flow indicator
_FLOW_SHAPES = {
    "bus_service_rate": (20, 98, 22, 0.18),
    "highway_flow_ratio": (15, 92, 28, 0.15),
    "checkpoint_open_rate": (10, 99, 24, 0.2),
    "retail_open_rate": (25, 97, 25, 0.16),
    "logistics_flow_ratio": (30, 96, 20, 0.17),
}
# flow indicator -> the column of the county's firm rates (epianalysis.engine.capacity_by_county)
FROM_FIRMS = {"enterprise_resumption_rate": "resumption_rate_pct", "worker_return_rate": "worker_return_pct"}


def _mask_missing(df: pd.DataFrame, table: str) -> pd.DataFrame:
    for tab, code, col, a, b in MISSING:
        if tab == table:
            sel = df["region_code"].eq(code) & df["date"].between(pd.Timestamp(a), pd.Timestamp(b))
            df.loc[sel, col] = np.nan
    return df


def build_flow(
    counties: pd.DataFrame, burden: pd.Series, firms: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Flow indicators per county-day; ``burden`` (cases per 100 k by county) delays the recovery.

    ``firms``: the county-day rates of the scenario's firms (``date``, ``region_code``,
    ``resumption_rate_pct``, ``worker_return_pct``: :func:`epianalysis.engine.capacity_by_county`),
    taken as they are (rounded to 0.1) for the indicators of :data:`FROM_FIRMS`; a county-day without
    firm readings leaves them missing. The other indicators follow :data:`_FLOW_SHAPES` with noise;
    every indicator keeps its own draws of the noise, whatever its source.
    """
    dates = pd.date_range(START, END, freq="D")
    codes = counties["code"].to_numpy()
    t = np.arange(len(dates))[:, None]
    delay = np.minimum(burden.reindex(codes).fillna(0).to_numpy(), 20)[None, :] * 0.6
    out = {"date": np.repeat(dates, len(codes)), "region_code": np.tile(codes, len(dates))}
    grid = pd.MultiIndex.from_arrays([out["date"], out["region_code"]])
    rates = firms.assign(date=pd.to_datetime(firms["date"]), region_code=firms["region_code"].astype(str))
    rates = rates.set_index(["date", "region_code"])
    for col in FLOW_COLUMNS:
        jitter = rng.normal(0, 2.0, (len(dates), len(codes)))
        shift = rng.normal(0, 1.5, len(codes))[None, :]
        if col in FROM_FIRMS:
            values = rates[FROM_FIRMS[col]].astype("Float64").astype(float).reindex(grid).to_numpy()
            out[col] = np.round(values, 1)
            continue
        lo, hi, mid, k = _FLOW_SHAPES[col]
        val = lo + (hi - lo) / (1 + np.exp(-k * (t - mid - delay - shift))) + jitter
        out[col] = np.round(np.clip(val, 0, 100), 1).ravel()
    return _mask_missing(pd.DataFrame(out), "flow")


def build_control(
    cases: pd.DataFrame, health_codes: pd.DataFrame, counties: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Control indicators per county-day from the scenario's cases and health codes."""
    dates = pd.date_range(START, END, freq="D")
    codes = counties["code"].to_numpy()
    c = cases[cases["region_code"].isin(codes)]
    local = c.pivot(index="date", columns="region_code", values="confirmed_local").astype(float)
    # patients in hospital: a county whose discharges count cases reassigned to other provinces
    # (西湖区, see scenario.cases) has none of those in hospital, hence the lower bound 0
    active = (
        c.pivot(index="date", columns="region_code", values="confirmed").astype(float)
        - c.pivot(index="date", columns="region_code", values="discharged").astype(float)
        - c.pivot(index="date", columns="region_code", values="deaths").astype(float)
    ).clip(lower=0)
    new14 = local.diff().clip(lower=0).fillna(local).rolling(14, min_periods=1).sum()
    pop = counties.set_index("code")["population"].astype(float)
    per100k = active / pop.reindex(active.columns).to_numpy() * 1e5
    hc = health_codes.assign(total=health_codes[["green", "yellow", "red"]].sum(axis=1))
    share = (
        hc.pivot(index="date", columns="region_code", values="green").astype(float)
        / hc.pivot(index="date", columns="region_code", values="total").astype(float)
        * 100
    )
    grid = pd.MultiIndex.from_product([dates, codes], names=["date", "region_code"])
    n = len(grid)
    df = pd.DataFrame(index=grid).reset_index()
    df["new_local_cases_14d"] = new14.stack().reindex(grid).to_numpy()
    df["active_cases_per_100k"] = np.round(per100k.stack().reindex(grid).to_numpy(), 3)
    ramp = np.clip((df["date"] - pd.Timestamp(START)).dt.days.to_numpy() / 30, 0, 1)
    df["contact_tracing_rate"] = np.round(np.clip(88 + 10 * ramp + rng.normal(0, 1.5, n), 0, 100), 1)
    df["quarantine_completion_rate"] = np.round(np.clip(90 + 9 * ramp + rng.normal(0, 1.0, n), 0, 100), 1)
    df["green_code_share"] = np.round(share.stack().reindex(grid).to_numpy(), 2)
    return _mask_missing(df, "control")
