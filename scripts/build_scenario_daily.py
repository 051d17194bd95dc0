"""Build the real daily figures the embedded scenario follows: ``epianalysis/scenario/daily_*.csv``.

Run from the repository root with the folder of the real public data (docs/data.md#the-daily-figures-of-the-scenario)::

    python scripts/build_scenario_daily.py PATH/TO/real

Every value is taken from the first source in this order that gives the day (the rule of
docs/data.md#the-daily-figures-of-the-scenario); each row names its source:

Province (``daily_province.csv``, one row per day 2020-01-17 .. 2020-04-30):

- ``confirmed``: official bulletin (as of D 24:00); else the JHU CSSE column of D+1 (JHU's column D
  holds the total as of D-1 24:00); else the running sum of the China CDC daily new cases; else
  linear interpolation.
- ``discharged``: official bulletin; else the province row of canghailan/Wuhan-2019-nCoV (which
  gives the bulletin's "as of D 24:00" figure on every date the two share); else 0 where confirmed
  is 0; else interpolation.
- ``deaths``: official bulletin; else the JHU column of D (JHU's deaths are not shifted,
  docs/data.md#per-series-date-conventions); else 0 where confirmed is 0.
- ``imported``: confirmed minus the local cases of the cities and the prison cluster (below).

Cities and the prison cluster (``daily_units.csv``, one row per unit and day from 2020-01-21):

- cumulative cases: official bulletin where it has city rows; else the canghailan snapshot taken on
  D+1 (from 2020-02-07 its city rows are a Toutiao snapshot of the previous day's bulletin); on a
  day whose snapshot does not add up to the province figure, a city whose value differs from both
  neighbouring days is not used (interpolated); the last day (no snapshot of 1 May) repeats the day
  before.
- the split: until 2020-03-19 the snapshots count imported cases in the city they were placed in;
  from 2020-03-20 in a unit of their own (境外输入). The fall of each city on that day is its
  imported cases, taken back from the city's latest rises since 2020-03-01. From 2020-03-20 the
  cities' figures are local cases and the imported cases have no city (``confirmed_imported`` empty).
- ``discharged``: only on the days of an official bulletin with city rows; the snapshots' city
  discharges are intra-day counts that add up to the province's end-of-day figure on no day.
- the prison cluster (省十里丰监狱): bulletin, else the snapshot of D+1, else 0 before it appears.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "epianalysis" / "scenario"
START, END = date(2020, 1, 17), date(2020, 4, 30)
SNAPSHOT_FROM = pd.Timestamp("2020-02-07")  # canghailan city rows are snapshots from this date on
PRISON = "省十里丰监狱"
IMPORTED_UNIT = "境外输入"

BULLETIN = "official-bulletin"
JHU = "jhu"
CANG = "canghailan"
CDC = "pika-chinacdc"
NONE = "no-case-yet"
INTERPOLATED = "interpolated"
REPEATED = "repeated"


def _days() -> pd.DatetimeIndex:
    return pd.date_range(START, END, freq="D")


def _bulletins(real: Path) -> pd.DataFrame:
    b = pd.read_csv(real / "zhejiang_official_bulletins.csv", dtype={"unit_code": str}, parse_dates=["as_of_date"])
    return b.drop_duplicates(["as_of_date", "level", "unit_zh"])


def _jhu(real: Path) -> pd.DataFrame:
    """JHU's Zhejiang row (the files in JHU's own layout), each series at its store dates."""
    from epianalysis.sources.conventions import JHU
    from epianalysis.sources.jhu import read_series

    folder = real / "jhu_csse_format"
    series = {}
    for column in ("confirmed", "deaths"):
        values, problems, _ = read_series(
            folder / f"time_series_covid19_{column}_global.csv", "Zhejiang", "China", column
        )
        if problems:
            raise SystemExit(f"cannot read JHU {column}: {problems}")
        values.index = JHU.of(column).to_store(pd.Series(values.index))
        series[column] = values.astype(float)
    return pd.DataFrame(series)


def _pick(days, layers: list[tuple[str, pd.Series]]) -> tuple[pd.Series, pd.Series]:
    value = pd.Series(np.nan, index=days)
    source = pd.Series("", index=days, dtype=object)
    for name, series in layers:
        series = series.reindex(days)
        take = value.isna() & series.notna()
        value[take] = series[take]
        source[take] = name
    return value, source


def _interpolate(value: pd.Series, source: pd.Series) -> tuple[pd.Series, pd.Series]:
    gap = value.isna()
    source[gap] = INTERPOLATED
    return value.interpolate(limit_area="inside").round(), source


def province(real: Path, local: pd.Series) -> pd.DataFrame:
    """The province's daily figures with the source of each."""
    days = _days()
    b = _bulletins(real)
    bp = b[b["level"] == "province"].set_index("as_of_date")
    jhu = _jhu(real)
    src = pd.read_csv(real / "zhejiang_province_daily_by_source.csv", parse_dates=["date"])
    cang = src[src["source"] == "canghailan_province_row"].set_index("date")
    cdc = pd.read_csv(real / "china_cdc_daily_new_cases.csv", parse_dates=["date"])
    cdc = cdc[cdc["province"] == "Zhejiang"].set_index("date")["new_cases"].cumsum()
    confirmed, c_src = _pick(days, [(BULLETIN, bp["confirmed"]), (JHU, jhu["confirmed"]), (CDC, cdc)])
    confirmed, c_src = _interpolate(confirmed, c_src)
    zero = pd.Series(np.where(confirmed == 0, 0.0, np.nan), index=days)
    discharged, d_src = _pick(days, [(BULLETIN, bp["discharged"]), (CANG, cang["recovered"]), (NONE, zero)])
    discharged, d_src = _interpolate(discharged, d_src)
    deaths, x_src = _pick(days, [(BULLETIN, bp["deaths"]), (JHU, jhu["deaths"]), (NONE, zero)])
    deaths, x_src = _interpolate(deaths, x_src)
    url = bp["source_url"].reindex(days)
    out = pd.DataFrame(
        {
            "date": days.strftime("%Y-%m-%d"),
            "confirmed": confirmed.astype(int).to_numpy(),
            "confirmed_source": c_src.to_numpy(),
            "confirmed_local": local.reindex(days).astype(int).to_numpy(),
            "discharged": discharged.astype(int).to_numpy(),
            "discharged_source": d_src.to_numpy(),
            "deaths": deaths.astype(int).to_numpy(),
            "deaths_source": x_src.to_numpy(),
            "bulletin_url": url.fillna("").to_numpy(),
        }
    )
    out["confirmed_imported"] = out["confirmed"] - out["confirmed_local"]
    return out


def _snapshots(real: Path) -> pd.DataFrame:
    c = pd.read_csv(real / "zhejiang_city_daily.csv", dtype={"city_code": str}, parse_dates=["date"])
    c = c[c["date"] >= SNAPSHOT_FROM].copy()
    c["date"] = c["date"] - pd.Timedelta(days=1)
    c["unit"] = c["city_code"].fillna(c["city_zh"])
    return c


def units(real: Path, province_confirmed: pd.Series) -> pd.DataFrame:
    """Cities and the prison cluster, with the rule of the module docstring."""
    days = pd.date_range("2020-01-21", END, freq="D")
    b = _bulletins(real)
    bc = b[b["level"] == "prefecture"]
    snap = _snapshots(real)
    wide = snap.pivot_table(index="date", columns="unit", values="confirmed", aggfunc="first").reindex(days)
    cities = sorted(bc["unit_code"].unique())
    # snapshot days that do not add up to the province: drop a city value unlike both neighbours
    total = wide.sum(axis=1, min_count=1)
    bad = total.notna() & (total != province_confirmed.reindex(days))
    dropped = []
    for d in wide.index[bad]:
        prev, nxt = d - timedelta(days=1), d + timedelta(days=1)
        for city in cities:
            v = wide.at[d, city]
            if prev in wide.index and nxt in wide.index and v != wide.at[prev, city] and v != wide.at[nxt, city]:
                wide.at[d, city] = np.nan
                dropped.append((d, city, v))
    bull = bc.pivot_table(index="as_of_date", columns="unit_code", values="confirmed", aggfunc="first")
    rows = []
    for city in cities:
        value, source = _pick(days, [(BULLETIN, bull[city].dropna()), (CANG, wide[city])])
        source[value.isna() & (days < SNAPSHOT_FROM)] = BULLETIN  # a bulletin without the city: no case
        value[value.isna() & (days < SNAPSHOT_FROM)] = 0
        last = days[-1]
        if pd.isna(value[last]):
            value[last], source[last] = value[days[-2]], REPEATED
        value, source = _interpolate(value, source)
        rows.append((city, value, source))
    # the split: from the day imported cases have a unit of their own, the cities hold local cases
    imp_unit = wide.get(IMPORTED_UNIT, pd.Series(np.nan, index=days))
    split_day = imp_unit[(imp_unit > 1) & (imp_unit.index > pd.Timestamp("2020-03-02"))].index.min()
    out = []
    for city, value, source in rows:
        imported = pd.Series(0.0, index=days)
        fall = int(value[split_day - timedelta(days=1)] - value[split_day])
        rises = value.diff().loc["2020-03-02" : split_day - timedelta(days=1)]
        left = fall
        for d in reversed(rises.index):
            take = int(min(max(rises[d], 0), left))
            imported[d:] += take
            left -= take
        if left:
            raise ValueError(f"{city}: {left} imported cases without a rise")
        imported[split_day:] = np.nan
        local = value - imported.fillna(0)
        for d in days:
            out.append(
                {
                    "date": d.strftime("%Y-%m-%d"),
                    "unit": city,
                    "confirmed_local": int(local[d]),
                    "confirmed_imported": None if pd.isna(imported[d]) else int(imported[d]),
                    "source": source[d],
                }
            )
    # discharged: bulletin days with city rows that add up to the province (less the prison)
    bd = bc.pivot_table(index="as_of_date", columns="unit_code", values="discharged", aggfunc="first")
    bp = b[b["level"] == "province"].set_index("as_of_date")["discharged"]
    bo = b[b["level"] == "other"].set_index("as_of_date")
    frame = pd.DataFrame(out)
    frame["discharged"] = pd.NA
    for d in bd.index:
        if pd.isna(bp.get(d)):
            continue
        vals = bd.loc[d].reindex(cities).fillna(0)
        prison = bo["discharged"].get(d, 0) if d in bo.index else 0
        if vals.sum() + (0 if pd.isna(prison) else prison) != bp[d]:
            continue
        for city in cities:
            frame.loc[(frame["date"] == d.strftime("%Y-%m-%d")) & (frame["unit"] == city), "discharged"] = int(
                vals[city]
            )
    # the prison cluster
    pc = snap[snap["unit"] == PRISON].set_index("date")
    conf, c_src = _pick(days, [(BULLETIN, bo["confirmed"] if len(bo) else pd.Series()), (CANG, pc["confirmed"])])
    dis, d_src = _pick(days, [(BULLETIN, bo["discharged"] if len(bo) else pd.Series()), (CANG, pc["cured"])])
    first = conf.first_valid_index()
    for series, src in ((conf, c_src), (dis, d_src)):
        src[series.isna() & (days < first)] = NONE
        series[series.isna() & (days < first)] = 0
        if pd.isna(series[days[-1]]):
            series[days[-1]], src[days[-1]] = series[days[-2]], REPEATED
    for d in days:
        out_row = {
            "date": d.strftime("%Y-%m-%d"),
            "unit": "prison",
            "confirmed_local": int(conf[d]),
            "confirmed_imported": 0,
            "source": c_src[d] if c_src[d] == d_src[d] else f"{c_src[d]}; discharged {d_src[d]}",
            "discharged": int(dis[d]),
        }
        frame = pd.concat([frame, pd.DataFrame([out_row])], ignore_index=True)
    for d, city, v in dropped:
        print(f"not used: {city} {d.date()} {int(v)} (the snapshot does not add up to the province)")
    print(f"imported cases counted apart from the cities from {split_day.date()}")
    return frame


def build(real: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both tables from the real-data folder (no file written)."""
    jhu = _jhu(real)["confirmed"]
    bp = _bulletins(real)
    bp = bp[bp["level"] == "province"].set_index("as_of_date")["confirmed"]
    first_guess = bp.combine_first(jhu)
    unit_table = units(real, first_guess)
    local = unit_table.groupby("date")["confirmed_local"].sum()
    local.index = pd.to_datetime(local.index)
    local = local.reindex(_days()).fillna(0)
    return province(real, local), unit_table


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    prov, unit_table = build(Path(argv[0]))
    prov.to_csv(OUT / "daily_province.csv", index=False, lineterminator="\n")
    unit_table.to_csv(OUT / "daily_units.csv", index=False, lineterminator="\n")
    print(f"wrote {len(prov)} province days and {len(unit_table)} unit days")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
