"""Cases of the scenario against the official figures (typed by hand here from the bulletins)."""

from __future__ import annotations

import pandas as pd
import pytest

COUNTS = [
    "confirmed",
    "confirmed_local",
    "confirmed_imported",
    "discharged",
    "deaths",
    "severe",
    "critical",
    "clusters_new",
]


@pytest.fixture(scope="module")
def cases(scenario_dir):
    df = pd.read_csv(scenario_dir / "cases.csv", dtype={"region_code": str}, parse_dates=["date"])
    return df.set_index(["date", "region_code"]).sort_index()


@pytest.fixture(scope="module")
def unplaced(scenario_dir):
    return pd.read_csv(scenario_dir / "cases_unplaced.csv", parse_dates=["date"]).set_index("date")


def _at(cases, d, code):
    return cases.loc[(pd.Timestamp(d), code)]


def _county(cases):
    codes = cases.index.get_level_values("region_code")
    return cases[~codes.str.endswith("00")]


def test_shape(cases):
    assert cases.index.get_level_values("date").nunique() == 105  # 2020-01-17 .. 2020-04-30
    assert cases.index.get_level_values("region_code").nunique() == 102  # 90 + 11 + 1


@pytest.mark.parametrize(
    "d, confirmed, discharged",
    [
        ("2020-02-27", 1205, 943),
        ("2020-03-01", 1205, 1050),
        ("2020-03-02", 1213, 1086),
        ("2020-02-21", 1205, 694),
        ("2020-02-23", 1205, 765),
        ("2020-04-02", 1260, 1228),
    ],
)
def test_province_anchors(cases, d, confirmed, discharged):
    row = _at(cases, d, "330000")
    assert (row["confirmed"], row["discharged"]) == (confirmed, discharged)


def test_discharge_rates(cases):
    r0301 = _at(cases, "2020-03-01", "330000")
    r0227 = _at(cases, "2020-02-27", "330000")
    assert r0301["discharged"] / r0301["confirmed"] == pytest.approx(1050 / 1205)
    assert round(r0227["discharged"] / r0227["confirmed"] * 100, 2) == 78.26


def test_severe_critical_and_imported(cases):
    assert tuple(_at(cases, "2020-02-20", "330000")[["severe", "critical"]]) == (49, 18)
    assert tuple(_at(cases, "2020-03-01", "330000")[["severe", "critical"]]) == (10, 4)
    r = _at(cases, "2020-03-02", "330000")
    assert (r["confirmed_local"], r["confirmed_imported"]) == (1205, 8)
    assert _at(cases, "2020-03-02", "331121")["confirmed_imported"] == 8  # 青田县
    assert _at(cases, "2020-04-02", "330000")["confirmed_local"] == 1218
    feb = cases[cases.index.get_level_values("date") < pd.Timestamp("2020-03-01")]
    assert feb["confirmed_imported"].sum() == 0
    assert (cases["confirmed_local"] + cases["confirmed_imported"] == cases["confirmed"]).all()


def test_city_totals_0301(cases):
    expected = {
        "330100": 169,
        "330200": 157,
        "330300": 504,
        "330400": 45,
        "330500": 10,
        "330600": 42,
        "330700": 55,
        "330800": 14,
        "330900": 10,
        "331000": 145 + 1,
        "331100": 17,
    }
    got = {c: _at(cases, "2020-03-01", c)["confirmed"] for c in expected}
    assert got == expected
    assert sum(expected.values()) + 36 == 1205


def test_prefectures_are_county_sums_and_province_adds_prison(cases, unplaced):
    county = _county(cases).reset_index()
    county["parent"] = county["region_code"].str[:4] + "00"
    sums = county.groupby(["date", "parent"])[COUNTS].sum()
    for (d, parent), row in sums.iterrows():
        assert (cases.loc[(d, parent), COUNTS].to_numpy() == row.to_numpy()).all(), (d, parent)
    prov = county.groupby("date")[COUNTS].sum()
    prison = unplaced[COUNTS].reindex(prov.index, fill_value=0)
    got = cases.xs("330000", level="region_code")[COUNTS]
    assert ((prov + prison).to_numpy() == got.to_numpy()).all()
    assert unplaced.loc["2020-02-20", "confirmed"] == 34
    assert (unplaced.loc["2020-02-21":, "confirmed"] == 36).all()


def test_the_two_revisions_of_the_real_figures(cases):
    # 衢州 revised down by 7 on 2020-02-20 (bulletin); 杭州 down by 10 on 2020-02-09 (canghailan
    # snapshots: 165 -> 155, cases reassigned to other provinces)
    city = cases.xs("330800", level="region_code")["confirmed"]
    assert city.loc["2020-02-19"] - city.loc["2020-02-20"] == 7
    assert city.loc["2020-02-17"] == 21 and city.loc["2020-02-20"] == 14
    hangzhou = cases.xs("330100", level="region_code")["confirmed"]
    assert (hangzhou.loc["2020-02-08"], hangzhou.loc["2020-02-09"]) == (165, 155)
    new = _county(cases)["confirmed"].astype(float).unstack().diff()
    falls = new[new < 0].stack().dropna()
    assert sorted(falls.tolist()) == [-10, -7]
    assert sorted((d.strftime("%m-%d"), c) for d, c in falls.index) == [("02-09", "330106"), ("02-20", "330802")]


def _last_local(cases):
    new = _county(cases)["confirmed_local"].astype(float).unstack().diff().clip(lower=0)
    feb = new.loc[:"2020-02-29"]
    return feb.apply(lambda s: s[s > 0].index.max())


def test_county_facts_for_the_five_colour_map(cases):
    last = _last_local(cases)
    cum = _county(cases)["confirmed_local"].unstack()
    # the last new case of February of 金华, 杭州 and 宁波 in the real daily city figures (02-12,
    # 02-18, 02-20) is placed in 义乌, 桐庐 and 海曙
    assert last["330782"] == pd.Timestamp("2020-02-12")
    assert (last["330122"], last["330203"]) == (pd.Timestamp("2020-02-18"), pd.Timestamp("2020-02-20"))
    others = last.drop(["330122", "330203"]).dropna()
    assert (others <= pd.Timestamp("2020-02-19")).all()
    assert (cum.loc["2020-02-09"] == 0).sum() == 12
    quiet = (cum.loc["2020-02-12"] == 0) | (last.reindex(cum.columns) <= pd.Timestamp("2020-02-05"))
    assert 42 <= quiet.sum() <= 52  # published: 48 green on 2020-02-12
    wenzhou = cum.loc["2020-02-17", [c for c in cum.columns if c.startswith("3303")]]
    assert wenzhou["330382"] == 170 and wenzhou["330302"] == 68  # 乐清, 鹿城 (温州 bulletin)


def test_counts_are_consistent(cases):
    c = _county(cases)
    over = c[c["discharged"] + c["deaths"] > c["confirmed"]]
    # only where the bulletin has it: 杭州 170 discharged of 169 confirmed from 2020-03-02 (reassigned
    # cases), carried by 西湖区 until 杭州's count rises again on 2020-03-13
    assert set(over.index.get_level_values("region_code")) == {"330106"}
    days = over.index.get_level_values("date")
    assert (days.min(), days.max()) == (pd.Timestamp("2020-03-02"), pd.Timestamp("2020-03-12"))
    assert ((over["discharged"] - over["confirmed"]) == 1).all()
    assert (c["critical"] <= c["severe"]).all()
    assert 20 <= c["clusters_new"].sum() <= 60
    assert _at(cases, "2020-02-20", "330324")["deaths"] == 1  # first death, 温州 (永嘉)
