"""Build ``epianalysis/data/regions.csv``: Zhejiang's 102 divisions valid in 2020 (2019 MCA codes).

Run from the repository root::

    python scripts/build_regions.py

What it does, step by step:

1. The hand-made table below gives, per county-level division, its 2019 MCA code, official name,
   English (pinyin) name, the approximate WGS84 position of its government seat, and an
   approximate population weight (ten thousands, roughly 2020 size; used only to apportion).
2. Populations: the province, the 11 prefectures and 3 counties have 2020 census (七普, 1 Nov 2020)
   values. Every other county gets an ESTIMATE: its prefecture's census total, minus the counties
   with a census value, apportioned by the approximate weights with the largest-remainder method,
   so estimates add up exactly to the prefecture totals, which add up to the province total.
3. Tile grid: each county is assigned one cell of a rectangular grid so that the total squared
   displacement between its (aspect-corrected) seat position and the cell centre is minimal: an
   exact assignment (Hungarian algorithm, numpy only). Prefectures and the province get no cell.

The output is deterministic (sorted by code, fixed formatting). Coordinates are checked against
the shipped county polygons by ``tests/test_boundaries.py``.
"""

from __future__ import annotations

import csv
import io
import math
import os
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "epianalysis" / "reference" / "regions.csv"

PROVINCE = ("330000", "浙江省", "Zhejiang", 120.153, 30.267)
PROVINCE_POPULATION = 64_567_588

# code, name_zh, name_en, seat lon, seat lat, 2020 census population
PREFECTURES = [
    ("330100", "杭州市", "Hangzhou", 120.210, 30.246, 11_936_010),
    ("330200", "宁波市", "Ningbo", 121.550, 29.874, 9_404_283),
    ("330300", "温州市", "Wenzhou", 120.699, 27.994, 9_572_903),
    ("330400", "嘉兴市", "Jiaxing", 120.756, 30.746, 5_400_868),
    ("330500", "湖州市", "Huzhou", 120.087, 30.894, 3_367_579),
    ("330600", "绍兴市", "Shaoxing", 120.580, 30.030, 5_270_977),
    ("330700", "金华市", "Jinhua", 119.647, 29.079, 7_050_683),
    ("330800", "衢州市", "Quzhou", 118.859, 28.970, 2_276_184),
    ("330900", "舟山市", "Zhoushan", 122.207, 29.985, 1_157_817),
    ("331000", "台州市", "Taizhou", 121.421, 28.656, 6_622_888),
    ("331100", "丽水市", "Lishui", 119.923, 28.468, 2_507_396),
]

PREFECTURE_SOURCE = {
    "330100": "2020 census (七普), Hangzhou census communique (杭州市第七次人口普查公报), as reported by 澎湃新闻",
    "330200": "2020 census (七普), Ningbo census communique (宁波市第七次人口普查公报), as reported by 宁波晚报",
    "330300": "2020 census (七普), Wenzhou census communique (温州市第七次人口普查公报), as reported by 澎湃新闻",
    "330700": "2020 census (七普), Jinhua census communique (金华市第七次人口普查公报), as reported by 澎湃新闻",
}
PREFECTURE_SOURCE_DEFAULT = (
    "2020 census (七普), prefecture census communique (第七次人口普查公报), Zhejiang statistical yearbook 2021"
)
PROVINCE_SOURCE = "2020 census (七普), Zhejiang census communique (浙江省第七次人口普查主要数据公报, 2021-05)"

# code, name_zh, name_en, seat lon, seat lat, approximate weight (10k persons; only for apportioning)
COUNTIES = [
    ("330102", "上城区", "Shangcheng", 120.170, 30.243, 35),
    ("330103", "下城区", "Xiacheng", 120.172, 30.290, 53),
    ("330104", "江干区", "Jianggan", 120.205, 30.257, 110),
    ("330105", "拱墅区", "Gongshu", 120.142, 30.319, 63),
    ("330106", "西湖区", "Xihu", 120.130, 30.259, 115),
    ("330108", "滨江区", "Binjiang", 120.212, 30.208, 50),
    ("330109", "萧山区", "Xiaoshan", 120.264, 30.185, 201),
    ("330110", "余杭区", "Yuhang", 120.300, 30.419, 240),
    ("330111", "富阳区", "Fuyang", 119.960, 30.049, 83),
    ("330112", "临安区", "Lin'an", 119.725, 30.234, 64),
    ("330122", "桐庐县", "Tonglu", 119.691, 29.797, 45),
    ("330127", "淳安县", "Chun'an", 119.044, 29.604, 33),
    ("330182", "建德市", "Jiande", 119.282, 29.475, 44),
    ("330203", "海曙区", "Haishu", 121.551, 29.874, 106),
    ("330205", "江北区", "Jiangbei", 121.555, 29.887, 49),
    ("330206", "北仑区", "Beilun", 121.844, 29.899, 84),
    ("330211", "镇海区", "Zhenhai", 121.700, 29.952, 50),
    ("330212", "鄞州区", "Yinzhou", 121.547, 29.817, 161),
    ("330213", "奉化区", "Fenghua", 121.406, 29.655, 58),
    ("330225", "象山县", "Xiangshan", 121.869, 29.476, 56),
    ("330226", "宁海县", "Ninghai", 121.430, 29.288, 70),
    ("330281", "余姚市", "Yuyao", 121.154, 30.037, 125),
    ("330282", "慈溪市", "Cixi", 121.266, 30.170, 183),
    ("330302", "鹿城区", "Lucheng", 120.655, 28.015, 123),
    ("330303", "龙湾区", "Longwan", 120.811, 27.933, 75),
    ("330304", "瓯海区", "Ouhai", 120.637, 27.966, 96),
    ("330305", "洞头区", "Dongtou", 121.157, 27.836, 15),
    ("330324", "永嘉县", "Yongjia", 120.692, 28.153, 87),
    ("330326", "平阳县", "Pingyang", 120.565, 27.662, 86),
    ("330327", "苍南县", "Cangnan", 120.426, 27.518, 84),
    ("330328", "文成县", "Wencheng", 120.091, 27.787, 29),
    ("330329", "泰顺县", "Taishun", 119.718, 27.557, 27),
    ("330381", "瑞安市", "Rui'an", 120.655, 27.779, 152),
    ("330382", "乐清市", "Yueqing", 120.984, 28.113, 145),
    ("330383", "龙港市", "Longgang", 120.553, 27.578, 46),
    ("330402", "南湖区", "Nanhu", 120.784, 30.748, 62),
    ("330411", "秀洲区", "Xiuzhou", 120.709, 30.763, 70),
    ("330421", "嘉善县", "Jiashan", 120.926, 30.831, 65),
    ("330424", "海盐县", "Haiyan", 120.946, 30.526, 51),
    ("330481", "海宁市", "Haining", 120.681, 30.510, 108),
    ("330482", "平湖市", "Pinghu", 121.015, 30.677, 69),
    ("330483", "桐乡市", "Tongxiang", 120.565, 30.630, 103),
    ("330502", "吴兴区", "Wuxing", 120.185, 30.857, 84),
    ("330503", "南浔区", "Nanxun", 120.418, 30.850, 54),
    ("330521", "德清县", "Deqing", 119.977, 30.542, 55),
    ("330522", "长兴县", "Changxing", 119.911, 31.027, 67),
    ("330523", "安吉县", "Anji", 119.680, 30.638, 59),
    ("330602", "越城区", "Yuecheng", 120.582, 29.989, 100),
    ("330603", "柯桥区", "Keqiao", 120.495, 30.082, 110),
    ("330604", "上虞区", "Shangyu", 120.868, 30.033, 83),
    ("330624", "新昌县", "Xinchang", 120.904, 29.499, 43),
    ("330681", "诸暨市", "Zhuji", 120.236, 29.713, 122),
    ("330683", "嵊州市", "Shengzhou", 120.831, 29.561, 68),
    ("330702", "婺城区", "Wucheng", 119.571, 29.087, 95),
    ("330703", "金东区", "Jindong", 119.693, 29.099, 45),
    ("330723", "武义县", "Wuyi", 119.816, 28.893, 46),
    ("330726", "浦江县", "Pujiang", 119.892, 29.453, 46),
    ("330727", "磐安县", "Pan'an", 120.450, 29.054, 18),
    ("330781", "兰溪市", "Lanxi", 119.460, 29.208, 58),
    ("330782", "义乌市", "Yiwu", 120.075, 29.306, 186),
    ("330783", "东阳市", "Dongyang", 120.241, 29.289, 109),
    ("330784", "永康市", "Yongkang", 120.047, 28.888, 96),
    ("330802", "柯城区", "Kecheng", 118.871, 28.969, 53),
    ("330803", "衢江区", "Qujiang", 118.959, 28.980, 37),
    ("330822", "常山县", "Changshan", 118.511, 28.902, 26),
    ("330824", "开化县", "Kaihua", 118.415, 29.137, 25),
    ("330825", "龙游县", "Longyou", 119.172, 29.028, 36),
    ("330881", "江山市", "Jiangshan", 118.627, 28.737, 50),
    ("330902", "定海区", "Dinghai", 122.106, 30.020, 51),
    ("330903", "普陀区", "Putuo", 122.301, 29.949, 38),
    ("330921", "岱山县", "Daishan", 122.204, 30.244, 20),
    ("330922", "嵊泗县", "Shengsi", 122.451, 30.726, 7),
    ("331002", "椒江区", "Jiaojiang", 121.442, 28.673, 67),
    ("331003", "黄岩区", "Huangyan", 121.262, 28.650, 66),
    ("331004", "路桥区", "Luqiao", 121.374, 28.582, 68),
    ("331022", "三门县", "Sanmen", 121.395, 29.105, 44),
    ("331023", "天台县", "Tiantai", 121.006, 29.144, 50),
    ("331024", "仙居县", "Xianju", 120.728, 28.847, 50),
    ("331081", "温岭市", "Wenling", 121.386, 28.372, 142),
    ("331082", "临海市", "Linhai", 121.145, 28.858, 111),
    ("331083", "玉环市", "Yuhuan", 121.232, 28.135, 64),
    ("331102", "莲都区", "Liandu", 119.912, 28.446, 55),
    ("331121", "青田县", "Qingtian", 120.290, 28.139, 50),
    ("331122", "缙云县", "Jinyun", 120.091, 28.659, 40),
    ("331123", "遂昌县", "Suichang", 119.276, 28.592, 19),
    ("331124", "松阳县", "Songyang", 119.482, 28.449, 21),
    ("331125", "云和县", "Yunhe", 119.573, 28.116, 13),
    ("331126", "庆元县", "Qingyuan", 119.063, 27.619, 15),
    ("331127", "景宁畲族自治县", "Jingning", 119.635, 27.974, 11),
    ("331181", "龙泉市", "Longquan", 119.141, 28.074, 25),
]

# 2020 census values of single counties, with their citation.
COUNTY_CENSUS = {
    "330782": (1_859_400, "2020 census (七普), Yiwu government (yw.gov.cn, 2021-05-19), published as 185.94万"),
    "330481": (1_076_199, "2020 census (七普), 海宁市第七次全国人口普查公报"),
    "330483": (1_029_754, "2020 census (七普), 桐乡市第七次全国人口普查公报"),
}

ESTIMATE_SOURCE = (
    "estimate: prefecture 2020 census total (less counties with a census value) apportioned by "
    "approximate county shares, largest-remainder method"
)

# Tile grid: number of rows and columns of the candidate cells.
GRID_ROWS = 12
GRID_COLS = 12


def largest_remainder(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split the integer ``total`` in proportion to ``weights`` so that the parts sum to ``total``.

    Each key gets ``floor(total * w / sum(w))``; the units left over go, one each, to the keys with
    the largest fractional parts (ties broken by key order).
    """
    keys = sorted(weights)
    wsum = sum(weights[k] for k in keys)
    quotas = {k: total * weights[k] / wsum for k in keys}
    parts = {k: math.floor(quotas[k]) for k in keys}
    left = total - sum(parts.values())
    order = sorted(keys, key=lambda k: (-(quotas[k] - parts[k]), k))
    for k in order[:left]:
        parts[k] += 1
    return parts


def hungarian(cost: np.ndarray) -> np.ndarray:
    """Minimum-cost assignment of each row to a distinct column (rows <= columns).

    The classic O(n^2 m) potentials method (Kuhn-Munkres with Dijkstra-like updates).
    Returns ``assign`` with ``assign[i]`` = column of row ``i``.
    """
    n, m = cost.shape
    if n > m:
        raise ValueError("more rows than columns")
    inf = float("inf")
    u = np.zeros(n + 1)
    v = np.zeros(m + 1)
    p = np.zeros(m + 1, dtype=int)  # p[j] = row (1-based) matched to column j
    way = np.zeros(m + 1, dtype=int)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = np.full(m + 1, inf)
        used = np.zeros(m + 1, dtype=bool)
        while True:
            used[j0] = True
            i0 = p[j0]
            cur = cost[i0 - 1, :] - u[i0] - v[1:]
            free = ~used[1:]
            better = free & (cur < minv[1:])
            minv[1:][better] = cur[better]
            way[1:][better] = j0
            cand = np.where(free, minv[1:], inf)
            j1 = int(np.argmin(cand)) + 1
            delta = cand[j1 - 1]
            used_idx = np.nonzero(used)[0]
            u[p[used_idx]] += delta
            v[used_idx] -= delta
            minv[1:][free] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    assign = np.zeros(n, dtype=int)
    for j in range(1, m + 1):
        if p[j]:
            assign[p[j] - 1] = j - 1
    return assign


def tile_grid(lon: np.ndarray, lat: np.ndarray, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """Assign each point to one cell of a ``rows`` x ``cols`` grid, minimising squared displacement.

    Positions are projected with an equirectangular correction (x = lon * cos(mean lat)) and scaled
    so that the points' bounding box spans the grid. Row 0 is the north edge, column 0 the west.
    """
    x = lon * math.cos(math.radians(float(lat.mean())))
    y = lat
    span = max(x.max() - x.min(), y.max() - y.min())
    # keep the aspect ratio: one unit of distance is the same along both axes
    gx = (x - x.min()) / span * (cols - 1)
    gy = (y.max() - y) / span * (rows - 1)
    cells_r, cells_c = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    cells_r = cells_r.ravel().astype(float)
    cells_c = cells_c.ravel().astype(float)
    cost = (gy[:, None] - cells_r[None, :]) ** 2 + (gx[:, None] - cells_c[None, :]) ** 2
    assign = hungarian(cost)
    return cells_r[assign].astype(int), cells_c[assign].astype(int)


def build_rows() -> list[dict[str, object]]:
    """All 102 rows of the regions table, sorted by code."""
    rows: list[dict[str, object]] = []
    pref_total = {c: pop for c, _, _, _, _, pop in PREFECTURES}
    if sum(pref_total.values()) != PROVINCE_POPULATION:
        raise ValueError("prefecture census totals do not add up to the province total")
    rows.append(
        dict(
            code=PROVINCE[0],
            name_zh=PROVINCE[1],
            name_en=PROVINCE[2],
            level="province",
            parent_code="",
            population=PROVINCE_POPULATION,
            population_source=PROVINCE_SOURCE,
            population_is_estimate=False,
            lon=PROVINCE[3],
            lat=PROVINCE[4],
            row="",
            col="",
        )
    )
    for code, zh, en, lon, lat, pop in PREFECTURES:
        rows.append(
            dict(
                code=code,
                name_zh=zh,
                name_en=en,
                level="prefecture",
                parent_code="330000",
                population=pop,
                population_source=PREFECTURE_SOURCE.get(code, PREFECTURE_SOURCE_DEFAULT),
                population_is_estimate=False,
                lon=lon,
                lat=lat,
                row="",
                col="",
            )
        )
    lon = np.array([c[3] for c in COUNTIES])
    lat = np.array([c[4] for c in COUNTIES])
    grid_r, grid_c = tile_grid(lon, lat, GRID_ROWS, GRID_COLS)
    populations: dict[str, int] = {}
    for pcode, total in pref_total.items():
        members = [c for c in COUNTIES if c[0][:4] + "00" == pcode]
        known = {c[0]: COUNTY_CENSUS[c[0]][0] for c in members if c[0] in COUNTY_CENSUS}
        unknown = {c[0]: float(c[5]) for c in members if c[0] not in COUNTY_CENSUS}
        populations.update(known)
        populations.update(largest_remainder(total - sum(known.values()), unknown))
    for i, (code, zh, en, lo, la, _w) in enumerate(COUNTIES):
        census = COUNTY_CENSUS.get(code)
        rows.append(
            dict(
                code=code,
                name_zh=zh,
                name_en=en,
                level="county",
                parent_code=code[:4] + "00",
                population=populations[code],
                population_source=census[1] if census else ESTIMATE_SOURCE,
                population_is_estimate=census is None,
                lon=lo,
                lat=la,
                row=int(grid_r[i]),
                col=int(grid_c[i]),
            )
        )
    rows.sort(key=lambda r: str(r["code"]))
    return rows


COLUMNS = [
    "code",
    "name_zh",
    "name_en",
    "level",
    "parent_code",
    "population",
    "population_source",
    "population_is_estimate",
    "lon",
    "lat",
    "row",
    "col",
]


def render(rows: list[dict[str, object]]) -> str:
    """The CSV text (LF line endings, fixed number formats)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow(
            [
                r["code"],
                r["name_zh"],
                r["name_en"],
                r["level"],
                r["parent_code"],
                r["population"],
                r["population_source"],
                "true" if r["population_is_estimate"] else "false",
                f"{float(r['lon']):.3f}",
                f"{float(r['lat']):.3f}",
                r["row"],
                r["col"],
            ]
        )
    return buf.getvalue()


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file in the same folder, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main() -> None:
    rows = build_rows()
    write_atomic(OUT, render(rows))
    print(f"wrote {len(rows)} rows to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
