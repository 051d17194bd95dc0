"""County-day case counts of the scenario, following the real daily province and city figures.

How the curves are made (all deterministic):

1. The province and city figures of every day are the real ones (:mod:`.daily`: official bulletins
   first, then the other sources' daily series, docs/data.md#the-daily-figures-of-the-scenario).
   A city whose cumulative count falls (衢州 -7 on 2020-02-20, 杭州 -10 on 2020-02-09) is followed
   gross of the fall, which one county then carries (``design.REVISED_COUNTIES``).
2. Each city's daily new local cases are split over its counties, exact at the county anchors
   (台州 02-01/02-08, 温州 and 金华 02-17) and at the county totals of the design
   (:mod:`epianalysis.scenario.design`), within each county's window (first and last case day). A
   few cases are placed by hand: the 13th case of 拱墅/北仑/象山 on 02-11, and the last new case of
   February of 杭州, 宁波 and 金华 in 桐庐, 海曙 and 义乌 (five-colour calibration). Local cases after
   February go to one county of their city (``design.LATE_LOCAL_COUNTIES``).
3. Imported cases go to a county of the city the real figures place them in (until 2020-03-19),
   then over the counties of ``design.IMPORTED_SPLIT``.
4. Discharges are exact every day for the province and on every bulletin day for the cities (never
   above confirmed minus deaths, except where reassigned cases' discharges stay counted); the
   death, severe/critical (split by active cases) and cluster outbreaks follow.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from epianalysis.reference.regions import PROVINCE_CODE
from epianalysis.scenario import daily as R
from epianalysis.scenario import figures as F
from epianalysis.scenario.allocate import allocate, day_index, interpolate_anchors, split_by_weight, window_schedule
from epianalysis.scenario.design import (
    ACTIVE_AT_END,
    FIXED_LOCAL,
    IMPORTED_COUNTY,
    IMPORTED_SPLIT,
    LATE_LOCAL_COUNTIES,
    N_CLUSTERS,
    N_DAYS,
    REVISED_COUNTIES,
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


def _dates() -> list[date]:
    return [START + timedelta(days=i) for i in range(N_DAYS)]


def _curve(anchors: dict[date, tuple], shift=lambda d: 0) -> np.ndarray:
    return interpolate_anchors({day_index(START, d): v[0] - shift(d) for d, v in anchors.items()}, N_DAYS)


def city_local(cities: list[str]) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int, int]]]:
    """(days, cities) reported and gross cumulative local cases, and the falls (day, city, amount)."""
    reported = R.city_matrix("confirmed_local", _dates(), cities).astype(np.int64)
    falls = []
    gross = reported.copy()
    for j in range(len(cities)):
        for t in range(1, N_DAYS):
            if reported[t, j] < reported[t - 1, j]:
                amount = int(reported[t - 1, j] - reported[t, j])
                falls.append((t, j, amount))
                gross[t:, j] += amount
    return reported, gross, falls


def _last_rise(curve: np.ndarray, until: int) -> int:
    rises = np.flatnonzero(np.diff(curve[: until + 1]) > 0) + 1
    return int(rises[-1])


def _fixed_cases(codes: list[str], cities: list[str], gross: np.ndarray, feb_end: int) -> list:
    """The cases placed by hand: ``FIXED_LOCAL`` and the last February case of 桐庐, 海曙 and 义乌."""
    parent = {c: c[:4] + "00" for c in codes}
    fixed = list(FIXED_LOCAL)
    for code in [*F.LATE_CASE_COUNTIES, F.YIWU]:
        t = _last_rise(gross[:, cities.index(parent[code])], feb_end)
        fixed.append((START + timedelta(days=t), code, 1))
    return fixed


def _local_confirmed(design: pd.DataFrame, cities: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(days, counties) daily new local cases gross of revisions, and the reported cumulative
    (revisions applied in the counties of ``REVISED_COUNTIES``)."""
    codes = design["code"].tolist()
    feb_end = day_index(START, date(2020, 3, 1))
    _, gross, falls = city_local(cities)
    city_inc = np.diff(np.vstack([np.zeros((1, len(cities)), dtype=np.int64), gross]), axis=0)
    fixed = _fixed_matrix(codes, _fixed_cases(codes, cities, gross, feb_end))
    city_of = design["parent_code"].to_numpy()
    cmat = np.array([[c == p for p in cities] for c in city_of])  # county x city
    parent_inc = city_inc - fixed @ cmat
    if (parent_inc < 0).any():
        t, j = np.argwhere(parent_inc < 0)[0]
        raise ValueError(f"a case placed by hand in {cities[j]} on day {t} has no new case of its city")
    totals = design["total"].to_numpy() - fixed[: feb_end + 1].sum(axis=0)
    first = design["first"].to_numpy()
    last = design["last"].to_numpy()
    days = np.arange(feb_end + 1)[:, None]
    anchor_map: dict[int, dict[str, int]] = {}
    for d, vals, _ in F.COUNTY_CONFIRMED:
        anchor_map.setdefault(day_index(START, d), {}).update(vals)
    fixed_cum = fixed.cumsum(axis=0)
    county_inc = np.zeros((N_DAYS, len(codes)), dtype=np.int64)
    for j, city in enumerate(cities):
        idx = np.flatnonzero(cmat[:, j])
        sub_codes = [codes[i] for i in idx]
        anchors = []
        for t in sorted(anchor_map):
            if all(c in anchor_map[t] for c in sub_codes):
                anchors.append((t, np.array([anchor_map[t][c] for c in sub_codes]) - fixed_cum[t, idx]))
        anchors.append((feb_end, totals[idx]))
        parent = parent_inc[: feb_end + 1, j]
        if parent.sum() != totals[idx].sum():
            raise ValueError(f"design totals of {city} ({totals[idx].sum()}) differ from its cases ({parent.sum()})")
        lo, hi = first[idx], last[idx]
        sched = window_schedule(np.cumsum(parent), lo, hi)
        ok = (days >= lo[None, :]) & (days <= hi[None, :])
        # a day of the real city figures outside every window: nearest counties with cases left
        near = (days >= lo[None, :] - 3) & (days <= hi[None, :] + 3)
        county_inc[: feb_end + 1, idx] = allocate(
            parent, anchors, sched, ok, deadline=hi, label=f"counties of {city}", fallback=near | (days > hi)
        )
        late = parent_inc[feb_end + 1 :, j]
        if late.any():
            target = LATE_LOCAL_COUNTIES.get(city) or sub_codes[int(np.argmax(totals[idx]))]
            county_inc[feb_end + 1 :, codes.index(target)] += late
    new_local = county_inc + fixed
    reported = new_local.cumsum(axis=0)
    for t, j, amount in falls:
        county = REVISED_COUNTIES[cities[j]][0]
        reported[t:, codes.index(county)] -= amount
    return new_local, reported


def _imported(codes: list[str], cities: list[str]) -> np.ndarray:
    """(days, counties) daily new imported cases."""
    by_city = R.city_matrix("confirmed_imported", _dates(), cities, fill=0)
    known = ~np.isnan(by_city).all(axis=1)
    out = np.zeros((N_DAYS, len(codes)), dtype=np.int64)
    city_inc = np.diff(np.vstack([np.zeros((1, len(cities))), np.nan_to_num(by_city)]), axis=0)
    city_inc[~known] = 0
    for j, city in enumerate(cities):
        if city_inc[:, j].any():
            out[:, codes.index(IMPORTED_COUNTY[city])] += city_inc[:, j].astype(np.int64)
    total = R.series("confirmed_imported", _dates())
    inc = np.diff(np.concatenate([[0], total])) - out.sum(axis=1)
    if (inc < 0).any() or inc[known].any():
        raise ValueError("imported cases of the cities and of the province differ")
    sub = list(IMPORTED_SPLIT)
    need = np.array(list(IMPORTED_SPLIT.values()))
    if need.sum() != inc.sum():
        raise ValueError(f"IMPORTED_SPLIT places {need.sum()} cases, the province has {inc.sum()} without a city")
    t0 = int(np.flatnonzero(~known)[0])
    first = np.full(len(sub), t0)
    last = np.full(len(sub), N_DAYS - 1)
    sched = window_schedule(np.cumsum(inc), first, last)
    ok = np.arange(N_DAYS)[:, None] >= first[None, :]
    part = allocate(inc, [(N_DAYS - 1, need)], sched, ok, label="imported")
    for k, code in enumerate(sub):
        out[:, codes.index(code)] += part[:, k]
    return out


def _room(design, cities, confirmed, deaths) -> np.ndarray:
    """(days, counties) discharges allowed above confirmed minus deaths: where a city's real
    discharged count is above its confirmed (杭州 170 of 169 on 2020-03-02, cases reassigned to other
    provinces), the excess from that day on, in the city's revised county (``REVISED_COUNTIES``)."""
    codes = design["code"].tolist()
    room = np.zeros_like(confirmed)
    by_city = R.city_matrix("discharged", _dates(), cities, fill=None)
    city_of = design["parent_code"].to_numpy()
    for city, (county, kept) in REVISED_COUNTIES.items():
        if not kept:
            continue
        j = cities.index(city)
        members = city_of == city
        excess = np.nan_to_num(by_city[:, j]) - (confirmed[:, members] - deaths[:, members]).sum(axis=1)
        room[:, codes.index(county)] = np.maximum.accumulate(np.maximum(excess, 0)).astype(np.int64)
    return room


def _reverse_cummin(a: np.ndarray) -> np.ndarray:
    return np.minimum.accumulate(a[::-1], axis=0)[::-1]


def _discharged(design, cities, confirmed, deaths, room) -> np.ndarray:
    """(days, counties) cumulative discharged: the province's (less the prison) every day, each
    city's on every bulletin day. ``room`` (days, counties): cases revised away whose discharges
    stay counted, allowed above confirmed minus deaths."""
    codes = design["code"].tolist()
    dates = _dates()
    prov = R.series("discharged", dates) - R.prison("discharged", dates)
    inc = np.diff(np.concatenate([[0], prov]))
    if (inc < 0).any():
        raise ValueError("province discharged outside the prison falls")
    active_end = np.array([ACTIVE_AT_END.get(c, 0) for c in codes])
    cap = _reverse_cummin(confirmed - deaths + room)
    end_need = (confirmed - deaths)[-1] - active_end
    city_of = design["parent_code"].to_numpy()
    cmat = np.array([[c == p for p in cities] for c in city_of]).astype(np.int64)
    city_cap = _reverse_cummin((confirmed - deaths + room) @ cmat)
    by_city = R.city_matrix("discharged", dates, cities, fill=None)
    anchors = [(t, by_city[t].astype(np.int64)) for t in range(N_DAYS) if not np.isnan(by_city[t]).any()]
    anchors = [(t, v) for t, v in anchors if v.sum() > 0 or t > 0]
    anchors.append((N_DAYS - 1, end_need @ cmat))
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
    new_local, local = _local_confirmed(design, cities)
    imported = _imported(codes, cities).cumsum(axis=0)
    confirmed = local + imported
    deaths = np.zeros_like(confirmed)
    death_day = int(np.flatnonzero(R.series("deaths", _dates()) > 0)[0])
    deaths[death_day:, codes.index(F.FIRST_DEATH[1])] = 1
    room = _room(design, cities, confirmed, deaths)
    discharged = _discharged(design, cities, confirmed, deaths, room)
    in_hospital = np.maximum(confirmed - discharged - deaths, 0)  # reassigned cases are in no hospital here
    severe, critical = _severe_critical(in_hospital)
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
    conf = R.prison("confirmed_local", dates)
    dis = R.prison("discharged", dates)
    first = int(np.flatnonzero(conf > 0)[0])
    days = dates[first:]
    df = pd.DataFrame(
        {
            "date": days,
            "region_code": pd.array([pd.NA] * len(days), dtype="string"),
            "unit_zh": F.PRISON_NAME_ZH,
            "unit_en": F.PRISON_NAME_EN,
            "parent_code": PROVINCE_CODE,
            "confirmed": conf[first:],
            "confirmed_local": conf[first:],
            "confirmed_imported": 0,
            "discharged": dis[first:],
            "deaths": 0,
            "severe": 0,
            "critical": 0,
            "clusters_new": [1 if i == 0 else 0 for i in range(len(days))],
        }
    )
    df["date"] = pd.to_datetime(df["date"])
    for col in COUNT_COLUMNS:
        df[col] = df[col].astype("Int64")
    return df
