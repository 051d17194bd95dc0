"""The scenario follows the real daily figures (docs/data.md#the-daily-figures-of-the-scenario)."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from epianalysis.scenario import daily as R

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cases(scenario_dir):
    df = pd.read_csv(scenario_dir / "cases.csv", dtype={"region_code": str}, parse_dates=["date"])
    return df.set_index(["date", "region_code"]).sort_index()


@pytest.mark.parametrize(
    "day, column, value",
    [
        # canghailan province row, which equals the bulletins on every date they share
        ("2020-02-28", "discharged", 987),
        ("2020-02-29", "discharged", 1027),
        ("2020-01-30", "confirmed", 537),  # bulletin as of 30 Jan 24:00
        ("2020-03-01", "discharged", 1050),  # bulletin, press conference of 2 March
        ("2020-03-01", "confirmed", 1205),
    ],
)
def test_province_days_are_the_real_figures(cases, day, column, value):
    assert cases.loc[(pd.Timestamp(day), "330000"), column] == value


def test_the_change_into_2020_03_01_is_the_real_one(cases):
    # the KPI of the front page of 2 March: 1050 - 1027 = +23 discharged (not an interpolated +36)
    p = cases.xs("330000", level="region_code")
    assert p.loc["2020-03-01", "discharged"] - p.loc["2020-02-29", "discharged"] == 23


def test_every_province_and_city_day_equals_the_daily_file(cases):
    p = cases.xs("330000", level="region_code")
    expected = R.province()
    for column in ("confirmed", "confirmed_local", "confirmed_imported", "discharged", "deaths"):
        assert (p[column].to_numpy() == expected[column].to_numpy()).all(), column
    units = R.units()
    cities = units[units["unit"] != R.PRISON]
    got = cases.loc[list(zip(cities["date"], cities["unit"], strict=True))]
    assert (got["confirmed_local"].to_numpy() == cities["confirmed_local"].to_numpy()).all()
    given = cities["discharged"].notna().to_numpy()
    assert (got["discharged"].to_numpy()[given] == cities["discharged"].to_numpy()[given]).all()
    assert given.sum() == 20 * 11  # bulletin days with city discharges: 23 Jan .. 6 Feb, 17, 20, 21 Feb, 1, 2 Mar


def test_source_toml_gives_the_source_of_every_province_day(scenario_dir):
    meta = tomllib.loads((scenario_dir / "source.toml").read_text("utf-8"))
    days = meta["province_days"]
    assert len(days) == 105 and str(days[0]["date"]) == "2020-01-17" and str(days[-1]["date"]) == "2020-04-30"
    sources = {d[k] for d in days for k in ("confirmed", "discharged", "deaths")}
    assert sources <= {"official-bulletin", "jhu", "canghailan", "pika-chinacdc", "no-case-yet", "interpolated"}
    bulletin_days = [str(d["date"]) for d in days if d["confirmed"] == "official-bulletin"]
    assert "2020-03-02" in bulletin_days and "2020-02-28" not in bulletin_days


def _builder():
    spec = importlib.util.spec_from_file_location("build_scenario_daily", ROOT / "scripts" / "build_scenario_daily.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_daily_files_are_what_the_rule_gives_from_the_real_data(real_data_dir):
    province, units = _builder().build(real_data_dir)
    shipped = pd.read_csv(R.PROVINCE_FILE, keep_default_na=False)
    pd.testing.assert_frame_equal(province.reset_index(drop=True), shipped, check_dtype=False)
    shipped_units = pd.read_csv(R.UNITS_FILE, dtype={"unit": str})
    assert len(units) == len(shipped_units)
    assert (units["confirmed_local"].to_numpy() == shipped_units["confirmed_local"].to_numpy()).all()


def test_the_rule_against_the_bulletins(real_data_dir):
    b = pd.read_csv(real_data_dir / "zhejiang_official_bulletins.csv", parse_dates=["as_of_date"])
    b = b[b["level"] == "province"].drop_duplicates("as_of_date").set_index("as_of_date")
    p = R.province()
    shared = b.index.intersection(p.index)
    assert (p.loc[shared, "confirmed"] == b.loc[shared, "confirmed"]).all()
    assert (p.loc[shared, "confirmed_source"] == "official-bulletin").all()
    # the canghailan province row equals the bulletins' discharged on every date both give
    by_source = pd.read_csv(real_data_dir / "zhejiang_province_daily_by_source.csv", parse_dates=["date"])
    cang = by_source[by_source["source"] == "canghailan_province_row"].set_index("date")["recovered"]
    given = b.index[b["discharged"].notna()].intersection(cang.index)
    assert len(given) == 23 and (cang.loc[given] == b.loc[given, "discharged"]).all()
