"""County-day case counts of the scenario, following the official province and city figures.

How the curves are made (all deterministic):

1. The province curve of local cases outside the prison, gross of the 衢州 revision, is interpolated
   through the official anchors (:mod:`.figures`).
2. Its daily increments are split over the 11 cities, exact at the city anchors (02-01, 02-06, 02-17,
   03-01), then each city's over its counties, exact at the county anchors (台州 02-01/02-08, 温州 and
   金华 02-17) and at the county totals of the design (:mod:`epianalysis.scenario.design`), within
   each county's window (first and last case day). A few cases are placed by hand (``FIXED_LOCAL``):
   the late cases of 桐庐/海曙, 义乌's last case, the 13th case of 拱墅/北仑/象山 on 02-11 (five-colour
   calibration), the March local cases.
3. 柯城区 carries the 7 cases of 衢州 that were revised away on 2020-02-20: its cumulative falls by 7
   that day (a deliberate revision).
4. Imported cases (from 2020-03-02; the first 8 in 青田县), discharges (exact at the province and
   city anchors, never above confirmed minus deaths), the death, severe/critical (split by active
   cases) and cluster outbreaks follow.

Deviation, documented in ``source.toml``: to let 桐庐/海曙 have a new case on 2020-02-21 while the
city totals stay exact from 02-21 on, 杭州 and 宁波 reach 169/157 on 02-21, so the province total of
2020-02-20 is 1201 instead of the published 1203.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from epianalysis.reference.regions import PROVINCE_CODE
from epianalysis.scenario import figures as F
from epianalysis.scenario.allocate import allocate, day_index, interpolate_anchors, split_by_weight, window_schedule
from epianalysis.scenario.design import (
    ACTIVE_AT_END,
    FIXED_LOCAL,
    IMPORTED_SPLIT,
    N_CLUSTERS,
    N_DAYS,
    REVISED_COUNTY,
    START,
    county_design,
)

COUNT_COLUMNS = [
    "confirmed",
    "confirmed_local",
    "confirmed_imported",
    "discharged",
    "deaths",
    "severe",
    "critical",
    "clusters_new",
]


def _fixed_matrix(codes: list[str], items) -> np.ndarray:
    pos = {c: i for i, c in enumerate(codes)}
    out = np.zeros((N_DAYS, len(codes)), dtype=np.int64)
    for d, code, n in items:
        out[day_index(START, d), pos[code]] += n
    return out


def _curve(anchors: dict[date, tuple], shift=lambda d: 0) -> np.ndarray:
    return interpolate_anchors({day_index(START, d): v[0] - shift(d) for d, v in anchors.items()}, N_DAYS)


def _local_confirmed(design: pd.DataFrame, cities: list[str]) -> np.ndarray:
    """(days, counties) daily new local cases, gross of the revision."""
    codes = design["code"].tolist()
    feb_end = day_index(START, date(2020, 3, 1))
    rev_day = day_index(START, F.REVISION[0])
    fixed = _fixed_matrix(codes, FIXED_LOCAL)
    fixed_feb = fixed.copy()
    fixed_feb[feb_end + 1 :] = 0
    fixed_cum = fixed_feb.cumsum(axis=0).sum(axis=1)
    prison = _curve(F.PRISON_CONFIRMED)
    imported = _curve(F.PROVINCE_IMPORTED)
    anchors = {}
    for d, (v, _) in F.PROVINCE_CONFIRMED.items():
        t = day_index(START, d)
        if t > feb_end:
            continue
        v = v - prison[t] - imported[t] + (F.REVISION[2] if t >= rev_day else 0)
        # the published 2020-02-20 total counts 杭州/宁波 at 169/157 (see module docstring)
        moved = d == F.LATE_CASE_SHIFTED_ANCHOR
        anchors[t] = v - (len(F.LATE_CASE_COUNTIES) if moved else 0)
    gross = interpolate_anchors(anchors, N_DAYS)
    rest = gross - fixed_cum
    inc = np.diff(np.concatenate([[0], rest]))
    if (inc < 0).any():
        raise ValueError("province local curve falls")

    city_of = design["parent_code"].to_numpy()
    cmat = np.array([[c == p for p in cities] for c in city_of])  # county x city
    fixed_city_cum = fixed_feb.cumsum(axis=0) @ cmat
    totals = design["total"].to_numpy() - fixed_feb.sum(axis=0)
    # windows of the remaining cases
    first = design["first"].to_numpy()
    last = design["last"].to_numpy().copy()
    city_first = np.array([first[cmat[:, j]].min() for j in range(len(cities))])
    city_last = np.array([last[cmat[:, j] & (totals > 0)].max() for j in range(len(cities))])
    city_anchors = []
    for d, (vals, _) in sorted(F.CITY_CONFIRMED.items()):
        t = day_index(START, d)
        shift = F.REVISION[2] if t >= rev_day else 0
        v = np.array(vals) + np.where(np.array(cities) == F.REVISION[1], shift, 0)
        city_anchors.append((t, v - fixed_city_cum[t]))
    city_anchors[-1] = (feb_end, city_anchors[-1][1])
    city_anchors = _with_county_sums(city_anchors, design, cities, np.cumsum(inc), fixed_city_cum)
    days = np.arange(N_DAYS)[:, None]
    city_ok = (days >= city_first[None, :]) & (days <= city_last[None, :])
    city_sched = window_schedule(np.cumsum(inc), city_first, city_last)
    city_inc = allocate(
        inc[: feb_end + 1],
        city_anchors,
        city_sched[: feb_end + 1],
        city_ok[: feb_end + 1],
        deadline=city_last,
        label="cities",
    )
    county_inc = np.zeros((N_DAYS, len(codes)), dtype=np.int64)
    anchor_map: dict[int, dict[str, int]] = {}
    for d, vals, _ in F.COUNTY_CONFIRMED:
        anchor_map.setdefault(day_index(START, d), {}).update(vals)
    fixed_cum_county = fixed_feb.cumsum(axis=0)
    for j, city in enumerate(cities):
        idx = np.flatnonzero(cmat[:, j])
        sub_codes = [codes[i] for i in idx]
        anchors = []
        for t in sorted(anchor_map):
            if all(c in anchor_map[t] for c in sub_codes):
                v = np.array([anchor_map[t][c] for c in sub_codes]) - fixed_cum_county[t, idx]
                anchors.append((t, v))
        anchors.append((feb_end, totals[idx]))
        parent = city_inc[:, j]
        sched = window_schedule(np.cumsum(parent), first[idx], last[idx])
        ok = (days[: feb_end + 1] >= first[idx][None, :]) & (days[: feb_end + 1] <= last[idx][None, :])
        county_inc[: feb_end + 1, idx] = allocate(
            parent, anchors, sched, ok, deadline=last[idx], label=f"counties of {city}"
        )
    return county_inc + fixed


def _with_county_sums(city_anchors, design, cities, parent_cum, fixed_city_cum):
    """Add a city anchor on each date where all counties of one city have an anchor.

    That city gets the sum of its counties; the others share the rest of the parent's total between
    their bracketing anchors, in proportion to their increments there (largest remainder).
    """
    out = dict(city_anchors)
    for d, vals, _ in F.COUNTY_CONFIRMED:
        t = day_index(START, d)
        if t in out:
            continue
        sums = {}
        for j, city in enumerate(cities):
            members = design.loc[design["parent_code"] == city, "code"]
            if members.isin(list(vals)).all():
                sums[j] = sum(vals[c] for c in members) - fixed_city_cum[t, j]
        t0 = max(x for x in out if x < t)
        t1 = min(x for x in out if x > t)
        v0, v1 = out[t0], out[t1]
        fixed = np.zeros(len(cities), dtype=bool)
        fixed[list(sums)] = True
        rest = int(parent_cum[t] - sum(sums.values()) - v0[~fixed].sum())
        gap = np.where(fixed, 0, v1 - v0)
        v = v0 + split_by_weight(rest, gap.astype(float), gap)
        for j, val in sums.items():
            v[j] = val
        out[t] = v
    return sorted(out.items())


def _imported(codes: list[str]) -> np.ndarray:
    """(days, counties) daily new imported cases."""
    first_day = min(d for d, v in F.PROVINCE_IMPORTED.items() if v[0] > 0)
    first_n = F.PROVINCE_IMPORTED[first_day][0]
    fixed = _fixed_matrix(codes, [(first_day, F.IMPORTED_FIRST_COUNTY, first_n)])
    total = _curve(F.PROVINCE_IMPORTED)
    rest = total - fixed.cumsum(axis=0).sum(axis=1)
    inc = np.diff(np.concatenate([[0], rest]))
    sub = list(IMPORTED_SPLIT)
    need = np.array(list(IMPORTED_SPLIT.values()))
    t0 = day_index(START, first_day) + 1
    first = np.full(len(sub), t0)
    last = np.full(len(sub), N_DAYS - 1)
    sched = window_schedule(np.cumsum(inc), first, last)
    ok = np.arange(N_DAYS)[:, None] >= first[None, :]
    part = allocate(inc, [(N_DAYS - 1, need)], sched, ok, label="imported")
    out = fixed
    for k, code in enumerate(sub):
        out[:, codes.index(code)] += part[:, k]
    return out


def _reverse_cummin(a: np.ndarray) -> np.ndarray:
    return np.minimum.accumulate(a[::-1], axis=0)[::-1]


def _discharged(design, cities, confirmed, deaths) -> np.ndarray:
    """(days, counties) cumulative discharged, exact at the province and city anchors."""
    codes = design["code"].tolist()
    prison = _curve(F.PRISON_DISCHARGED)
    province = _curve(F.PROVINCE_DISCHARGED)
    prov = province - prison
    inc = np.diff(np.concatenate([[0], prov]))
    if (inc < 0).any():
        raise ValueError("province discharged outside the prison falls")
    active_end = np.array([ACTIVE_AT_END.get(c, 0) for c in codes])
    cap = _reverse_cummin(confirmed - deaths)
    end_need = cap[-1] - active_end
    city_of = design["parent_code"].to_numpy()
    cmat = np.array([[c == p for p in cities] for c in city_of]).astype(np.int64)
    city_cap = _reverse_cummin(confirmed @ cmat - deaths @ cmat)
    vals, _ = F.CITY_DISCHARGED_0301
    anchors = [(day_index(START, date(2020, 3, 1)), np.array(vals)), (N_DAYS - 1, end_need @ cmat)]
    lag = 12
    lagged = np.concatenate([np.zeros((lag, len(cities))), (confirmed @ cmat)[:-lag]])
    sched = lagged / np.maximum(lagged[-1], 1)
    ok = np.ones_like(sched, dtype=bool)
    city_inc = allocate(inc, anchors, sched, ok, cap=city_cap, label="discharged cities")
    out = np.zeros_like(confirmed)
    lagged_c = np.concatenate([np.zeros((lag, len(codes))), confirmed[:-lag]])
    for j in range(len(cities)):
        idx = np.flatnonzero(cmat[:, j])
        s = lagged_c[:, idx] / np.maximum(lagged_c[-1, idx], 1)
        part = allocate(
            city_inc[:, j],
            [(N_DAYS - 1, end_need[idx])],
            s,
            np.ones_like(s, dtype=bool),
            cap=cap[:, idx],
            label=f"discharged {cities[j]}",
        )
        out[:, idx] = part
    return out.cumsum(axis=0)


def _severe_critical(active: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    anchors = dict(F.PROVINCE_SEVERE_CRITICAL)
    anchors[date(2020, 1, 20)] = (0, 0, "ASSUMPTION")
    anchors[date(2020, 3, 15)] = (2, 1, "ASSUMPTION")
    anchors[date(2020, 3, 25)] = (0, 0, "ASSUMPTION")
    sev = interpolate_anchors({day_index(START, d): v[0] for d, v in anchors.items()}, N_DAYS)
    crit = interpolate_anchors({day_index(START, d): v[1] for d, v in anchors.items()}, N_DAYS)
    severe = np.zeros_like(active)
    critical = np.zeros_like(active)
    for d in range(N_DAYS):
        severe[d] = split_by_weight(int(sev[d]), active[d], active[d])
        critical[d] = split_by_weight(int(crit[d]), severe[d], severe[d])
    return severe, critical


def _clusters(new_local: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Cluster outbreaks on county-days with >= 3 new local cases, 2020-01-22 .. 2020-02-15."""
    lo, hi = day_index(START, date(2020, 1, 22)), day_index(START, date(2020, 2, 15))
    w = np.where(new_local >= 3, new_local, 0).astype(float)
    w[:lo] = 0
    w[hi + 1 :] = 0
    flat = w.ravel()
    picks = rng.choice(flat.size, size=N_CLUSTERS, replace=False, p=flat / flat.sum())
    out = np.zeros(flat.size, dtype=np.int64)
    out[np.sort(picks)] = 1
    return out.reshape(new_local.shape)


def build_cases(regions: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``cases`` table (counties, prefectures, province) and ``cases_unplaced`` (the prison).

    Parameters
    ----------
    regions : pandas.DataFrame
        The region table (``epianalysis.reference.regions.load_regions()``).
    rng : numpy.random.Generator
        Used only to place cluster outbreaks.
    """
    counties = regions[regions["level"] == "county"].sort_values("code").reset_index(drop=True)
    cities = sorted(regions.loc[regions["level"] == "prefecture", "code"])
    design = county_design(counties)
    codes = design["code"].tolist()
    new_local = _local_confirmed(design, cities)
    local = new_local.cumsum(axis=0)
    rev_day = day_index(START, F.REVISION[0])
    local[rev_day:, codes.index(REVISED_COUNTY)] -= F.REVISION[2]
    imported = _imported(codes).cumsum(axis=0)
    confirmed = local + imported
    deaths = np.zeros_like(confirmed)
    deaths[day_index(START, F.FIRST_DEATH[0]) :, codes.index(F.FIRST_DEATH[1])] = 1
    discharged = _discharged(design, cities, confirmed, deaths)
    severe, critical = _severe_critical(confirmed - discharged - deaths)
    clusters = _clusters(new_local, rng)
    arrays = dict(
        confirmed=confirmed,
        confirmed_local=local,
        confirmed_imported=imported,
        discharged=discharged,
        deaths=deaths,
        severe=severe,
        critical=critical,
        clusters_new=clusters,
    )
    dates = [START + timedelta(days=i) for i in range(N_DAYS)]
    county_df = pd.DataFrame(
        {
            "date": np.repeat(dates, len(codes)),
            "region_code": np.tile(codes, N_DAYS),
            **{k: v.ravel() for k, v in arrays.items()},
        }
    )
    unplaced = _prison(dates)
    city_df = (
        county_df.assign(region_code=county_df["region_code"].map(dict(zip(counties["code"], counties["parent_code"]))))
        .groupby(["date", "region_code"], as_index=False)[COUNT_COLUMNS]
        .sum()
    )
    prov = county_df.groupby("date", as_index=False)[COUNT_COLUMNS].sum()
    prison_full = unplaced.set_index("date")[COUNT_COLUMNS].reindex(
        pd.to_datetime(pd.Series(prov["date"])), fill_value=0
    )
    prov[COUNT_COLUMNS] = prov[COUNT_COLUMNS].to_numpy() + prison_full.to_numpy()
    prov["region_code"] = PROVINCE_CODE
    cases = pd.concat([county_df, city_df, prov], ignore_index=True)
    cases["date"] = pd.to_datetime(cases["date"])
    cases = cases.sort_values(["date", "region_code"], kind="stable").reset_index(drop=True)
    for col in COUNT_COLUMNS:
        cases[col] = cases[col].astype("Int64")
    return cases[["date", "region_code", *COUNT_COLUMNS]], unplaced


def _prison(dates: list[date]) -> pd.DataFrame:
    first = min(F.PRISON_CONFIRMED)
    days = [d for d in dates if d >= first]
    conf = _curve(F.PRISON_CONFIRMED)
    dis = _curve(F.PRISON_DISCHARGED)
    idx = [day_index(START, d) for d in days]
    df = pd.DataFrame(
        {
            "date": days,
            "region_code": pd.array([pd.NA] * len(days), dtype="string"),
            "unit_zh": F.PRISON_NAME_ZH,
            "unit_en": F.PRISON_NAME_EN,
            "parent_code": PROVINCE_CODE,
            "confirmed": conf[idx],
            "confirmed_local": conf[idx],
            "confirmed_imported": 0,
            "discharged": dis[idx],
            "deaths": 0,
            "severe": 0,
            "critical": 0,
            "clusters_new": [1 if d == first else 0 for d in days],
        }
    )
    df["date"] = pd.to_datetime(df["date"])
    for col in COUNT_COLUMNS:
        df[col] = df[col].astype("Int64")
    return df
