"""Enterprises and their daily electricity use and staff on site (scenario).

A 10 % sample of Zhejiang's 44,370 above-scale industrial firms (91 of them leading, ~905 x 10 %) and
3,000 small firms, spread over counties by population. Daily kWh and employees on site cover
2019-01-01 .. 2019-03-31 (Spring Festival 2019-02-05) and 2019-12-01 .. 2020-04-30 (Spring Festival
2020-01-25; no resumption before 2020-02-10), with a weekday pattern, the festival dip and the 2020
recovery. The recovery curve is calibrated (see ``RECOVERY`` and the tests) so that, with the
December-2019 mean daily use as baseline, the published points (docs/methods.md#published-points)
come out: 2020-02-25
above-scale 99.8 % resumed (kWh > 30 % of baseline), 60.1 % of workers back, capacity recovery above
50 %, leading firms 72 %; 76.75 on 2020-02-29; 90.6 on 2020-03-26 (sources in :mod:`.figures`).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from epianalysis.scenario import figures as F

SECTORS = {
    "manufacturing": 0.62,
    "textiles": 0.12,
    "chemicals": 0.07,
    "electronics": 0.08,
    "construction": 0.05,
    "utilities": 0.02,
    "services": 0.04,
}
SIZE_EMPLOYEES = {"leading": (1500, 0.5), "above_scale": (120, 0.7), "small": (18, 0.6)}  # median, sd(log)
KWH_PER_EMPLOYEE = 45.0  # daily, at full capacity (ASSUMPTION)
PERIODS = [(date(2019, 1, 1), date(2019, 3, 31)), (date(2019, 12, 1), date(2020, 4, 30))]
# Group-level capacity (share of baseline use) by date in 2020 (ASSUMPTION, calibrated to the
# published points); before the first resumption date plants run at holiday level.
RECOVERY = {
    # all above-scale firms (above_scale + leading): 02-25 above 50 %, 02-29 76.75, 03-26 90.6
    "above_scale": {
        date(2020, 2, 9): 0.10,
        date(2020, 2, 10): 0.25,
        date(2020, 2, 17): 0.42,
        date(2020, 2, 25): 0.585,
        date(2020, 2, 29): 0.7675,
        date(2020, 3, 15): 0.86,
        date(2020, 3, 26): 0.906,
        date(2020, 4, 30): 0.97,
    },
    "leading": {
        date(2020, 2, 9): 0.12,
        date(2020, 2, 10): 0.30,
        date(2020, 2, 17): 0.52,
        date(2020, 2, 25): 0.72,
        date(2020, 2, 29): 0.80,
        date(2020, 3, 26): 0.92,
        date(2020, 4, 30): 0.98,
    },
    "small": {
        date(2020, 2, 9): 0.05,
        date(2020, 2, 10): 0.10,
        date(2020, 2, 17): 0.25,
        date(2020, 2, 25): 0.40,
        date(2020, 2, 29): 0.55,
        date(2020, 3, 26): 0.882,
        date(2020, 4, 30): 0.95,
    },
}
WORKER_RATIO_0225 = 0.601 / 0.585  # on-site share / capacity share on 2020-02-25 (calibration)
HOLIDAY_LEVEL = 0.12  # use during the festival shutdown
WEEKEND_FACTOR = 0.85


def sample_sizes() -> dict[str, int]:
    """Firms of each size class in the scenario's register: 10 % of the 44,370 above-scale firms
    (4,437), of them 91 leading (10 % of 905, rounded half-up), and 3,000 small firms."""
    n_above = round(F.ABOVE_SCALE_FIRMS * F.ENTERPRISE_SAMPLE_SHARE)
    n_leading = int(F.LEADING_FIRMS * F.ENTERPRISE_SAMPLE_SHARE + 0.5)
    return {"leading": n_leading, "above_scale": n_above - n_leading, "small": F.SMALL_FIRMS_IN_SAMPLE}


def build_enterprises(counties: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The ``enterprises`` table: id, county, sector, size class, employees (:func:`sample_sizes`)."""
    n = sample_sizes()
    sizes = ["leading"] * n["leading"] + ["above_scale"] * n["above_scale"] + ["small"] * n["small"]
    pop = counties["population"].to_numpy(dtype=float)
    region = rng.choice(counties["code"].to_numpy(), size=len(sizes), p=pop / pop.sum())
    sector = rng.choice(list(SECTORS), size=len(sizes), p=list(SECTORS.values()))
    emp = np.empty(len(sizes), dtype=np.int64)
    for size, (median, sd) in SIZE_EMPLOYEES.items():
        mask = np.array(sizes) == size
        emp[mask] = np.maximum(np.rint(median * np.exp(rng.normal(0, sd, mask.sum()))), 3)
    df = pd.DataFrame(
        {
            "enterprise_id": [f"E{i:05d}" for i in range(1, len(sizes) + 1)],
            "region_code": region,
            "sector": sector,
            "size_class": sizes,
            "employees": emp,
        }
    )
    return df.sort_values("enterprise_id").reset_index(drop=True)


def _dates() -> list[date]:
    out = []
    for a, b in PERIODS:
        out += [a + timedelta(days=i) for i in range((b - a).days + 1)]
    return out


def _festival_shape(days_from_festival: np.ndarray) -> np.ndarray:
    """Use relative to normal around a Spring Festival (day 0), for the 2019 reference."""
    d = days_from_festival
    dip = np.interp(d, [-20, -10, -3, 0, 7, 12, 20, 30], [1.0, 0.9, 0.45, 0.12, 0.15, 0.55, 0.85, 1.0])
    return dip


def _capacity_2020(dates: list[date], size: str) -> np.ndarray:
    anchors = RECOVERY[size]
    sf = F.SPRING_FESTIVAL_2020
    days = np.array([(d - sf).days for d in dates], dtype=float)
    x = [(d - sf).days for d in sorted(anchors)]
    y = [anchors[d] for d in sorted(anchors)]
    pre = _festival_shape(days)
    post = np.interp(days, x, y)
    return np.where(days < x[0], np.minimum(pre, np.where(days >= 0, HOLIDAY_LEVEL, 1.0)), post)


def build_daily(enterprises: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The ``enterprise_daily`` table (date, enterprise_id, kwh, employees_on_site)."""
    dates = _dates()
    n_d, n_e = len(dates), len(enterprises)
    dates_arr = np.array(dates, dtype="datetime64[D]")
    weekday = (dates_arr.view("int64") - 4) % 7  # 0 = Monday
    week = np.where(weekday >= 5, WEEKEND_FACTOR, 1.0)
    sizes = enterprises["size_class"].to_numpy()
    emp = enterprises["employees"].to_numpy(dtype=float)
    base = emp * KWH_PER_EMPLOYEE * np.exp(rng.normal(0, 0.25, n_e))  # firm's normal daily use
    in_2019 = dates_arr < np.datetime64("2019-06-01")
    shape19 = _festival_shape((dates_arr - np.datetime64(F.SPRING_FESTIVAL_2019)).astype(float))
    level = np.empty((n_d, n_e))
    firm_lag = rng.normal(0, 1, n_e)  # firms ahead of or behind their group's recovery
    for size in RECOVERY:
        cols = sizes == size
        cap20 = _capacity_2020(dates, size)
        group = np.where(in_2019, shape19 * 0.93, cap20)  # 2019 use ~7 % below Dec 2019
        # individual firms spread around the group level (logit noise), holiday floor kept
        g = np.clip(group, 0.02, 0.995)[:, None]
        logit = np.log(g / (1 - g)) + 0.35 * firm_lag[cols][None, :]
        level[:, cols] = 1 / (1 + np.exp(-logit))
    noise = np.exp(rng.normal(0, 0.05, (n_d, n_e)))
    kwh = base[None, :] * level * week[:, None] * noise
    # Rescale from 2020-02-10 so that the groups follow RECOVERY exactly (the firm spread biases the
    # mean): leading on its own, above-scale (above_scale + leading together) on the "above_scale"
    # curve, small on its own. Baseline: each firm's mean daily use in December 2019.
    dec = (dates_arr >= np.datetime64("2019-12-01")) & (dates_arr <= np.datetime64("2019-12-31"))
    post = dates_arr >= np.datetime64("2020-02-10")
    baseline = kwh[dec].mean(axis=0)
    lead, above, small = sizes == "leading", sizes == "above_scale", sizes == "small"
    for cols, target in (
        (lead, _capacity_2020(dates, "leading") * baseline[lead].sum()),
        (small, _capacity_2020(dates, "small") * baseline[small].sum()),
    ):
        kwh[:, cols] *= np.where(post, target / kwh[:, cols].sum(axis=1), 1.0)[:, None]
    target = _capacity_2020(dates, "above_scale") * baseline[lead | above].sum() - kwh[:, lead].sum(axis=1)
    kwh[:, above] *= np.where(post, target / kwh[:, above].sum(axis=1), 1.0)[:, None]
    # staff on site: firm level x a daily factor so that the above-scale worker return follows
    # capacity x WORKER_RATIO_0225 from 2020-02-10 (60.1 % on 2020-02-25)
    big = lead | above
    mean_level = (level[:, big] * emp[big]).sum(axis=1) / emp[big].sum()
    want = np.clip(_capacity_2020(dates, "above_scale") * WORKER_RATIO_0225, 0, 1)
    factor = np.where(post, want / mean_level, 1.0)
    on_site_share = np.clip(level * factor[:, None], 0, 1)
    on_site = rng.binomial(np.broadcast_to(emp.astype(np.int64), (n_d, n_e)), on_site_share)
    weekend_off = (week < 1) & ~post
    on_site = np.where(weekend_off[:, None], np.rint(on_site * 0.8), on_site).astype(np.int64)
    df = pd.DataFrame(
        {
            "date": np.repeat(dates_arr, n_e).astype("datetime64[s]"),
            "enterprise_id": np.tile(enterprises["enterprise_id"].to_numpy(), n_d),
            "kwh": np.round(kwh.ravel(), 1),
            "employees_on_site": pd.array(on_site.ravel(), dtype="Int64"),
        }
    )
    return df
