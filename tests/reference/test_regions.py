"""Tests of the region reference table, name resolution and aggregation."""

from __future__ import annotations

import pandas as pd
import pytest

from epianalysis.errors import DataError, RegionLookupError
from epianalysis.reference import regions as R

# 2020 census (七普) figures, from the published communiques.
PROVINCE_2020 = 64_567_588
PREFECTURES_2020 = {
    "330100": 11_936_010,  # 杭州
    "330200": 9_404_283,  # 宁波
    "330300": 9_572_903,  # 温州
    "330400": 5_400_868,  # 嘉兴
    "330500": 3_367_579,  # 湖州
    "330600": 5_270_977,  # 绍兴
    "330700": 7_050_683,  # 金华
    "330800": 2_276_184,  # 衢州
    "330900": 1_157_817,  # 舟山
    "331000": 6_622_888,  # 台州
    "331100": 2_507_396,  # 丽水
}
COUNTIES_2020 = {"330782": 1_859_400, "330481": 1_076_199, "330483": 1_029_754}
# Number of county-level divisions per prefecture in 2020 (2019 MCA list).
N_COUNTIES = {
    "330100": 13,
    "330200": 10,
    "330300": 12,
    "330400": 7,
    "330500": 5,
    "330600": 6,
    "330700": 9,
    "330800": 6,
    "330900": 4,
    "331000": 9,
    "331100": 9,
}


# ----------------------------------------------------------------------------- the table


def test_row_counts_and_levels():
    df = R.load_regions()
    assert len(df) == 102
    assert (df["level"] == "province").sum() == 1
    assert len(R.prefectures()) == 11
    assert len(R.counties()) == 90
    assert df["code"].is_unique
    assert df["code"].str.fullmatch(r"\d{6}").all()
    assert R.PROVINCE_CODE == "330000"


def test_hierarchy():
    df = R.load_regions().set_index("code")
    pref = R.prefectures()
    assert (pref["parent_code"] == "330000").all()
    cty = R.counties()
    assert cty["parent_code"].isin(pref["code"]).all()
    assert cty.groupby("parent_code").size().to_dict() == N_COUNTIES
    assert pd.isna(df.loc["330000", "parent_code"])


def test_named_divisions_of_2020():
    assert R.name("330103", "zh") == "下城区"
    assert R.name("330104", "zh") == "江干区"
    assert R.name("330782", "zh") == "义乌市"
    assert R.name("330383", "zh") == "龙港市"
    assert R.parent("330383") == "330300"
    assert R.name("330782") == "Yiwu"
    assert R.name("330000") == "Zhejiang"
    assert R.name("330100", "zh") == "杭州市"


def test_names_unique():
    df = R.load_regions()
    assert df["name_zh"].is_unique
    assert df["name_en"].is_unique


def test_known_populations_exact():
    df = R.load_regions().set_index("code")
    assert df.loc["330000", "population"] == PROVINCE_2020
    for code, pop in {**PREFECTURES_2020, **COUNTIES_2020}.items():
        assert df.loc[code, "population"] == pop, code
        assert not df.loc[code, "population_is_estimate"]
        assert "2020 census" in df.loc[code, "population_source"]


def test_prefecture_totals_add_up_to_province():
    # hand sum of the 11 published totals
    assert sum(PREFECTURES_2020.values()) == PROVINCE_2020
    assert R.prefectures()["population"].sum() == PROVINCE_2020


def test_county_populations_add_up_to_prefecture_totals():
    cty = R.counties()
    sums = cty.groupby("parent_code")["population"].sum().to_dict()
    assert sums == PREFECTURES_2020
    est = cty[cty["population_is_estimate"]]
    assert len(est) == 87
    assert est["population_source"].str.startswith("estimate:").all()
    assert (cty["population"] > 0).all()
    # 嘉兴's two census counties leave 5,400,868 - 1,076,199 - 1,029,754 = 3,294,915 for the other five
    jx = cty[(cty["parent_code"] == "330400") & cty["population_is_estimate"]]
    assert jx["population"].sum() == 3_294_915


def test_coordinates_plausible():
    df = R.load_regions()
    assert df["lon"].between(118.0, 123.0).all()
    assert df["lat"].between(27.0, 31.3).all()
    # 3 decimals
    assert ((df["lon"] * 1000).round(6) % 1 == 0).all()
    # 嵊泗 is the north-easternmost county, 庆元/泰顺 in the far south
    cty = R.counties().set_index("code")
    assert cty["lon"].idxmax() == "330922"
    assert cty["lat"].idxmin() in {"330329", "330327", "331126", "330383"}


def test_tile_grid_unique_cells_and_shape():
    cty = R.counties().set_index("code")
    assert cty["row"].notna().all() and cty["col"].notna().all()
    assert not cty.duplicated(["row", "col"]).any()
    higher = R.load_regions().query("level != 'county'")
    assert higher["row"].isna().all()
    # orientation: every Huzhou county lies north of every Wenzhou county; Zhoushan east of Quzhou
    hz = cty[cty["parent_code"] == "330500"]
    wz = cty[cty["parent_code"] == "330300"]
    assert hz["row"].max() < wz["row"].min()
    zs = cty[cty["parent_code"] == "330900"]
    qz = cty[cty["parent_code"] == "330800"]
    assert zs["col"].min() > qz["col"].max()
    # neighbours stay close: 义乌 and 东阳 share a border
    d = abs(cty.loc["330782", "row"] - cty.loc["330783", "row"]) + abs(
        cty.loc["330782", "col"] - cty.loc["330783", "col"]
    )
    assert d <= 2


def test_children_parent_level():
    assert R.children("330900") == ["330902", "330903", "330921", "330922"]
    assert len(R.children("330000")) == 11
    assert R.children("330782") == []
    assert R.parent("330000") is None
    assert R.level("330900") == "prefecture"
    assert R.level("330921") == "county"
    with pytest.raises(RegionLookupError):
        R.level("339999")


def test_load_regions_returns_copy():
    df = R.load_regions()
    df.loc[0, "name_en"] = "changed"
    assert R.load_regions().loc[0, "name_en"] == "Zhejiang"


# ----------------------------------------------------------------------------- resolve


def test_resolve_traditional_simplified_english():
    assert R.resolve("義烏") == R.resolve("义乌") == R.resolve("Yiwu") == "330782"
    assert R.resolve("义乌市") == "330782"
    assert R.resolve("yiwu city") == "330782"
    assert R.resolve("  YIWU ") == "330782"
    assert R.resolve("餘杭") == "330110"
    assert R.resolve("餘杭區") == "330110"
    assert R.resolve("330782") == "330782"
    assert R.resolve("景宁") == "331127"  # 景宁畲族自治县
    assert R.resolve("Lin'an") == R.resolve("linan") == "330112"
    assert R.resolve("浙江") == "330000"
    assert R.resolve("杭州") == "330100"


def test_resolve_unknown_lists_close_candidates():
    with pytest.raises(RegionLookupError) as err:
        R.resolve("Yiwuu")
    assert err.value.reason == "unknown region name"
    assert any(c.startswith("330782") for c in err.value.candidates)
    with pytest.raises(RegionLookupError) as err:
        R.resolve("339999")
    assert "unknown region code" in str(err.value)


def test_resolve_ambiguous_partial_name_lists_both():
    # 嵊 begins both 嵊州市 (Shaoxing) and 嵊泗县 (Zhoushan)
    with pytest.raises(RegionLookupError) as err:
        R.resolve("嵊")
    assert "ambiguous" in err.value.reason
    assert [c[:6] for c in err.value.candidates] == ["330683", "330922"]
    with pytest.raises(RegionLookupError) as err:
        R.resolve("Sheng")
    assert [c[:6] for c in err.value.candidates] == ["330683", "330922"]


def test_resolve_partial_unique_name_is_refused_with_suggestion():
    with pytest.raises(RegionLookupError) as err:
        R.resolve("鄞")
    assert [c[:6] for c in err.value.candidates] == ["330212"]


def test_resolve_2021_units_point_to_2019_units():
    # 临平区 (2021) was carved out of 余杭区; 钱塘区 (2021) out of 江干区 and 萧山区
    with pytest.raises(RegionLookupError) as err:
        R.resolve("臨平區")
    assert [c[:6] for c in err.value.candidates] == ["330110"]
    with pytest.raises(RegionLookupError) as err:
        R.resolve("Qiantang District")
    assert [c[:6] for c in err.value.candidates] == ["330104", "330109"]
    with pytest.raises(RegionLookupError):
        R.resolve("330114")


def test_resolve_level_filter():
    assert R.resolve("杭州", level="prefecture") == "330100"
    with pytest.raises(RegionLookupError) as err:
        R.resolve("杭州", level="county")
    assert err.value.candidates[0].startswith("330100")
    with pytest.raises(RegionLookupError):
        R.resolve("330782", level="prefecture")
    with pytest.raises(ValueError):
        R.resolve("义乌", level="town")


# ----------------------------------------------------------------------------- aggregate_up

ZS = ["330902", "330903", "330921", "330922"]  # 舟山's four counties


def _frame():
    return pd.DataFrame(
        {
            "date": ["2020-02-01"] * 4 + ["2020-02-02"] * 4 + ["2020-02-01"],
            "region_code": ZS + ZS + ["330100"],
            "confirmed": pd.array([7, 2, 1, 0, 8, None, 1, 0, 169], dtype="Int64"),
            "note": ["a"] * 9,
        }
    )


def test_aggregate_up_sums_and_na():
    out = R.aggregate_up(_frame(), ["confirmed"], require_complete=False)
    got = out.set_index(["date", "region_code"])["confirmed"]
    assert got[("2020-02-01", "330900")] == 10  # 7 + 2 + 1 + 0
    assert got[("2020-02-01", "330100")] == 169  # given, kept
    assert got[("2020-02-01", "330000")] == 179  # 169 + 10 (present prefectures only)
    assert pd.isna(got[("2020-02-02", "330900")])  # 8 + NA + 1 + 0 stays NA
    assert pd.isna(got[("2020-02-02", "330000")])
    assert len(out) == 9 + 4
    assert str(out["confirmed"].dtype) == "Int64"
    # input rows keep their extra columns; computed rows have NA there
    assert out.loc[out["region_code"] == "330902", "note"].tolist() == ["a", "a"]
    assert out.loc[out["region_code"] == "330900", "note"].isna().all()


def test_aggregate_up_require_complete_default():
    out = R.aggregate_up(_frame(), ["confirmed"])
    got = out.set_index(["date", "region_code"])["confirmed"]
    assert got[("2020-02-01", "330900")] == 10  # all four counties present
    # only 2 of 11 prefectures present: the province sum is missing data, not a partial sum
    assert pd.isna(got[("2020-02-01", "330000")])
    three = _frame().iloc[:3]
    got3 = R.aggregate_up(three, ["confirmed"]).set_index(["date", "region_code"])["confirmed"]
    assert pd.isna(got3[("2020-02-01", "330900")])


def test_aggregate_up_keeps_given_higher_level():
    df = pd.concat(
        [
            _frame().iloc[:4],
            pd.DataFrame(
                {
                    "date": ["2020-02-01"],
                    "region_code": ["330900"],
                    "confirmed": pd.array([12], dtype="Int64"),
                    "note": ["bulletin"],
                }
            ),
        ],
        ignore_index=True,
    )
    out = R.aggregate_up(df, ["confirmed"])
    row = out[(out["region_code"] == "330900")]
    assert len(row) == 1
    assert row["confirmed"].iloc[0] == 12
    assert row["note"].iloc[0] == "bulletin"


def test_aggregate_up_without_dates():
    df = pd.DataFrame({"region_code": ZS, "n": [1.5, 2.0, 0.5, 1.0]})
    out = R.aggregate_up(df, ["n"], date_column=None, require_complete=False)
    assert out.set_index("region_code").loc["330900", "n"] == pytest.approx(5.0)
    assert list(out["region_code"]) == ["330000", "330900", *ZS]


def test_aggregate_up_rejects_bad_input():
    df = _frame()
    df.loc[0, "region_code"] = "339999"
    with pytest.raises(DataError) as err:
        R.aggregate_up(df, ["confirmed"])
    v = err.value.violations[0]
    assert (v.row, v.column, v.rule, v.value) == (1, "region_code", "known_region_code", "339999")
    dup = pd.concat([_frame(), _frame().iloc[:1]], ignore_index=True)
    with pytest.raises(DataError, match="duplicate"):
        R.aggregate_up(dup, ["confirmed"])
    with pytest.raises(DataError, match="missing columns"):
        R.aggregate_up(_frame(), ["deaths"])


# ----------------------------------------------------------------------------- real data


def test_matches_published_division_list(real_data_dir):
    ref = pd.read_csv(real_data_dir / "zhejiang_admin_divisions.csv", dtype=str, keep_default_na=False)
    ours = R.load_regions().set_index("code")
    assert len(ref) == 102
    for r in ref.itertuples():
        assert r.code in ours.index, r.code
        assert ours.loc[r.code, "name_zh"] == r.name_zh
        assert ours.loc[r.code, "level"] == r.level
        expected_parent = r.parent_code or None
        got = ours.loc[r.code, "parent_code"]
        assert (None if pd.isna(got) else got) == expected_parent


def test_census_values_match_real_data(real_data_dir):
    ref = pd.read_csv(real_data_dir / "zhejiang_population_census.csv", dtype={"unit_code": str})
    ours = R.load_regions().set_index("code")
    for r in ref[ref["census_year"] == 2020].itertuples():
        assert ours.loc[r.unit_code, "population"] == r.population
