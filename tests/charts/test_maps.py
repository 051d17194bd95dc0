"""County maps: choropleth and tile grid of the 90 counties, legend counts, unknown, changes, labels."""

from __future__ import annotations

import logging
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import PathPatch, Rectangle

from epianalysis.charts import fonts
from epianalysis.charts.export import save_figure
from epianalysis.charts.mapdata import CHANGED_COLOUR, UNKNOWN_COLOUR, prepare_map
from epianalysis.charts.maps import aspect_ratio, choropleth
from epianalysis.charts.placement import interior_point, text_overlaps
from epianalysis.charts.tilegrid import short_name_zh, shorten, split_pinyin, tile_map
from epianalysis.errors import DataError
from epianalysis.reference.regions import counties

LEVELS = [
    {"key": "red", "colour": "#D00000", "label_en": "Red", "label_zh": "红色"},
    {"key": "orange", "colour": "#F08000", "label_en": "Orange", "label_zh": "橙色"},
    {"key": "yellow", "colour": "#F0C000", "label_en": "Yellow", "label_zh": "黄色"},
    {"key": "blue", "colour": "#2070C0", "label_en": "Blue", "label_zh": "蓝色"},
    {"key": "green", "colour": "#30A060", "label_en": "Green", "label_zh": "绿色"},
]
# Five counties given (two red, one orange, one yellow, one blue, none green); 85 not given.
SMALL = pd.DataFrame(
    {
        "region_code": ["330102", "330103", "330122", "330782", "330203"],
        "level": ["red", "red", "orange", "yellow", "blue"],
    }
)
CHANGED = {"330782": "yellow → blue", "330203": "blue → green"}
ALL_CODES = sorted(counties()["code"].astype(str))


@pytest.fixture
def cjk_font() -> str:
    family = fonts.register_cjk_font()
    if family is None:
        pytest.skip("no CJK font installed (apt-get install fonts-droid-fallback)")
    return family


def _patches(fig, prefix: str) -> dict[str, object]:
    ax = next(a for a in fig.axes if a.get_gid() == "map")
    found: dict[str, list] = {}
    for patch in ax.patches:
        gid = patch.get_gid() or ""
        if gid.startswith(prefix):
            found.setdefault(gid[len(prefix) :], []).append(patch)
    assert all(len(v) == 1 for v in found.values()), "a county drawn more than once"
    return {code: v[0] for code, v in found.items()}


def _legend_texts(fig) -> list[str]:
    legend = next(lg for lg in fig.legends if lg.get_gid() == "map_legend")
    return [t.get_text() for t in legend.get_texts()]


def _text(fig, gid: str) -> str:
    return next(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_gid() == gid))


@pytest.mark.parametrize("draw, prefix", [(choropleth, "county-"), (tile_map, "tile-")])
def test_every_county_drawn_exactly_once(draw, prefix):
    fig = draw(SMALL, LEVELS, "en")
    patches = _patches(fig, prefix)
    assert sorted(patches) == ALL_CODES
    assert len(patches) == 90


@pytest.mark.parametrize("draw", [choropleth, tile_map])
def test_legend_counts_equal_hand_counts_and_missing_counties_are_unknown(draw):
    fig = draw(SMALL, LEVELS, "en", changed=CHANGED)
    # Hand count: red 2, orange 1, yellow 1, blue 1, green 0; 90 - 5 = 85 not in the input.
    assert _legend_texts(fig) == [
        "Red (2)",
        "Orange (1)",
        "Yellow (1)",
        "Blue (1)",
        "Green (0)",
        "Unknown (missing data) (85)",
        "Changed since last evaluation (2)",
    ]
    fills = {
        c: to_hex(p.get_facecolor()).upper()
        for c, p in _patches(fig, "county-" if draw is choropleth else "tile-").items()
    }
    assert fills["330102"] == "#D00000"
    assert fills["330782"] == "#F0C000"
    assert fills["330106"] == UNKNOWN_COLOUR  # 西湖区: not in the input
    assert sum(1 for f in fills.values() if f == UNKNOWN_COLOUR) == 85


def test_missing_level_value_is_unknown_and_legend_in_chinese(cjk_font):
    values = pd.DataFrame({"region_code": ["330782", "330783"], "level": ["green", None]})
    data = prepare_map(values, LEVELS, "zh")
    assert data.classes["330782"] == "green"
    assert data.classes["330783"] == "unknown"
    assert data.legend[4][2] == "绿色（1）"
    assert data.legend[5][2] == "未知（数据缺失）（89）"


@pytest.mark.parametrize("draw", [choropleth, tile_map])
def test_changed_counties_are_marked_and_listed(draw):
    fig = draw(SMALL, LEVELS, "en", changed=CHANGED)
    marks = _patches(fig, "changed-")
    assert sorted(marks) == ["330203", "330782"]
    assert all(to_hex(p.get_edgecolor()).upper() == CHANGED_COLOUR for p in marks.values())
    assert all(p.get_linewidth() >= 1.5 for p in marks.values())
    assert _text(fig, "changed_list").splitlines() == ["Haishu: blue → green", "Yiwu: yellow → blue"]


def test_long_list_of_changes_is_cut_and_counted():
    changed = {code: "green → blue" for code in ALL_CODES[:15]}
    fig = choropleth(SMALL, LEVELS, "en", changed=changed)
    lines = _text(fig, "changed_list").splitlines()
    assert len(lines) == 12  # MAX_CHANGES_LISTED: 11 names, then the rest counted: 15 - 11 = 4
    assert lines[-1] == "… and 4 more"
    assert "Changed since last evaluation (15)" in _legend_texts(fig)
    assert len(_patches(fig, "changed-")) == 15


def test_without_changes_there_is_no_changed_entry():
    fig = choropleth(SMALL, LEVELS, "en")
    assert not any("Changed" in t for t in _legend_texts(fig))
    assert _patches(fig, "changed-") == {}


def test_continuous_map_draws_a_colorbar_with_its_label():
    values = pd.DataFrame({"region_code": ALL_CODES[:88], "inc": np.linspace(0.0, 87.0, 88)})
    fig = choropleth(values, None, "en", value_column="inc", value_label="Cases per 100k, 7 days", vmin=0, vmax=50)
    cbar = [a for a in fig.axes if a.get_gid() == "colorbar"]
    assert len(cbar) == 1
    assert _text(fig, "colorbar_label") == "Cases per 100k, 7 days"
    assert _legend_texts(fig) == ["Unknown (missing data) (2)"]
    data = prepare_map(values, None, "en", value_column="inc", vmin=0, vmax=50)
    assert data.extend == "max"  # values 51..87 exceed vmax: the bar shows an arrow, nothing is dropped
    fills = {c: to_hex(p.get_facecolor()).upper() for c, p in _patches(fig, "county-").items()}
    assert fills[ALL_CODES[0]] == to_hex(data.cmap(0.0)).upper()
    assert fills[ALL_CODES[25]] == to_hex(data.cmap(0.5)).upper()  # value 25 of 0..50
    assert fills[ALL_CODES[89]] == UNKNOWN_COLOUR


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_prefecture_labels_do_not_overlap(lang, request):
    if lang == "zh":
        request.getfixturevalue("cjk_font")
    fig = choropleth(SMALL, LEVELS, lang)
    ax = next(a for a in fig.axes if a.get_gid() == "map")
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith("prefecture-label-")]
    assert len(labels) == 11
    renderer = fig.canvas.get_renderer()
    assert text_overlaps(labels, renderer) == []
    frame = ax.get_window_extent(renderer)
    for t in labels:
        box = t.get_window_extent(renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
    assert len([p for p in ax.patches if (p.get_gid() or "").startswith("prefecture-")]) == 11


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tile_names_fit_their_tiles_and_do_not_overlap(lang, request):
    if lang == "zh":
        request.getfixturevalue("cjk_font")
    fig = tile_map(SMALL, LEVELS, lang)
    ax = next(a for a in fig.axes if a.get_gid() == "map")
    renderer = fig.canvas.get_renderer()
    tiles = _patches(fig, "tile-")
    texts = {t.get_gid()[len("tile-label-") :]: t for t in ax.texts}
    assert sorted(texts) == ALL_CODES
    assert text_overlaps(list(texts.values()), renderer) == []
    for code, text in texts.items():
        box, tile = text.get_window_extent(renderer), tiles[code].get_window_extent(renderer)
        assert tile.x0 <= box.x0 and box.x1 <= tile.x1 and tile.y0 <= box.y0 and box.y1 <= tile.y1, code
    assert len({t.get_fontsize() for t in texts.values()}) == 1
    if lang == "zh":
        assert texts["330782"].get_text() == "义乌"
        assert texts["331127"].get_text() == "景宁"


def test_tile_cells_are_unique():
    df = counties()
    assert not df.duplicated(["row", "col"]).any()
    assert df[["row", "col"]].notna().all().all()


def test_chinese_maps_render_without_missing_glyph_warnings(cjk_font, tmp_path, caplog):
    with warnings.catch_warnings(), caplog.at_level(logging.WARNING):
        warnings.simplefilter("error")
        for draw in (choropleth, tile_map):
            fig = draw(
                SMALL,
                LEVELS,
                "zh",
                title="县域风险等级",
                subtitle="2020年2月12日评估",
                source="浙江省卫生健康委员会",
                synthetic=True,
                changed=CHANGED,
            )
            save_figure(fig, tmp_path, f"zh_{draw.__name__}", formats=("png",))
    assert [r.getMessage() for r in caplog.records] == []


@pytest.mark.parametrize("draw", [choropleth, tile_map])
def test_rerender_gives_identical_bytes(draw, tmp_path):
    outputs = []
    for run in ("a", "b"):
        fig = draw(SMALL, LEVELS, "en", title="Risk", source="test", synthetic=True, changed=CHANGED)
        outputs.append([p.read_bytes() for p in save_figure(fig, tmp_path / run, "map", formats=("png", "svg"))])
    assert outputs[0] == outputs[1]
    assert outputs[0][0][:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_inputs_name_row_column_and_rule():
    bad = pd.DataFrame({"region_code": ["330782", "330100", "330782"], "level": ["green", "red", "green"]})
    with pytest.raises(DataError) as err:
        choropleth(bad, LEVELS, "en")
    rules = {(v.row, v.column, v.rule) for v in err.value.violations}
    assert (2, "region_code", "county_code_2020") in rules  # 330100 is a prefecture
    assert (3, "region_code", "unique_region_code") in rules
    with pytest.raises(DataError) as err:
        choropleth(pd.DataFrame({"region_code": ["330782"], "level": ["purple"]}), LEVELS, "en")
    assert [(v.row, v.column, v.rule, v.value) for v in err.value.violations] == [(1, "level", "known_level", "purple")]
    with pytest.raises(DataError, match="levels"):
        choropleth(SMALL, [{"key": "red", "colour": "red", "label_en": "R", "label_zh": "红"}], "en")
    with pytest.raises(DataError, match="changed"):
        choropleth(SMALL, LEVELS, "en", changed={"999999": "x"})
    with pytest.raises(DataError, match="required column"):
        choropleth(SMALL.rename(columns={"level": "colour"}), LEVELS, "en")


def test_unknown_spec_overrides_grey():
    levels = [*LEVELS, {"key": "unknown", "colour": "#999999", "label_en": "No data", "label_zh": "无数据"}]
    data = prepare_map(SMALL, levels, "en")
    assert data.fills["330106"] == "#999999"
    assert data.legend[-1][2] == "No data (85)"


def test_default_palette_is_the_five_colours():
    data = prepare_map(SMALL, None, "en")
    assert [key for key, *_ in data.legend] == ["red", "orange", "yellow", "blue", "green", "unknown"]


def test_aspect_ratio_is_inverse_cosine_of_mid_latitude():
    # Province spans 27.1394..31.1809 N: mid 29.16015; 1 / cos(29.16015 deg) = 1.14520 (hand, 4 d.p.)
    assert aspect_ratio() == pytest.approx(1 / math.cos(math.radians(29.16015)), abs=1e-4)
    assert aspect_ratio() == pytest.approx(1.1452, abs=1e-3)


def test_interior_point_of_a_square_and_an_l_shape():
    square = np.array([[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]], dtype=float)
    x, y = interior_point(square)
    assert (x, y) == pytest.approx((1.0, 1.0), abs=0.05)
    # L-shape of arms 2 wide: the largest inscribed circle sits in the corner square on the diagonal,
    # touching x = 0, y = 0 and the notch vertex (2, 2): t = sqrt(2) (2 - t) -> t = 2 sqrt(2) / (1 + sqrt(2)).
    ell = np.array([[0, 0], [4, 0], [4, 2], [2, 2], [2, 4], [0, 4], [0, 0]], dtype=float)
    t = 2 * math.sqrt(2) / (1 + math.sqrt(2))  # 1.1716
    assert interior_point(ell) == pytest.approx((t, t), abs=0.02)


@pytest.mark.parametrize(
    "name, parts",
    [
        ("Shangcheng", ("Shang", "cheng")),
        ("Jianggan", ("Jiang", "gan")),
        ("Pinghu", ("Ping", "hu")),
        ("Haining", ("Hai", "ning")),
        ("Cangnan", ("Cang", "nan")),
        ("Lin'an", ("Lin'", "an")),
        ("Shengzhou", ("Sheng", "zhou")),
        ("Fenghua", ("Feng", "hua")),
    ],
)
def test_split_pinyin_at_syllable_boundary(name, parts):
    assert split_pinyin(name) == parts


def test_short_chinese_names():
    assert short_name_zh("义乌市") == "义乌"
    assert short_name_zh("景宁畲族自治县") == "景宁"
    assert short_name_zh("上城区") == "上城"
    assert all(len(short_name_zh(n)) == 2 for n in counties()["name_zh"])


def test_patches_are_path_patches_and_tiles_rectangles():
    assert all(isinstance(p, PathPatch) for p in _patches(choropleth(SMALL, LEVELS, "en"), "county-").values())
    assert all(isinstance(p, Rectangle) for p in _patches(tile_map(SMALL, LEVELS, "en"), "tile-").values())


def _legend_has_grey(fig) -> bool:
    return any(t.startswith("Unknown") for t in _legend_texts(fig))


@pytest.mark.parametrize("draw", [choropleth, tile_map])
def test_no_grey_legend_entry_without_an_unknown_county(draw):
    every = pd.DataFrame({"region_code": ALL_CODES, "level": ["green"] * 90})
    fig = draw(every, LEVELS, "en")
    texts = _legend_texts(fig)
    assert not _legend_has_grey(fig)
    # the scale's levels stay, with their zero counts: "no county is red" is news
    assert texts == ["Red (0)", "Orange (0)", "Yellow (0)", "Blue (0)", "Green (90)"]
    assert _legend_has_grey(draw(SMALL, LEVELS, "en"))  # 85 counties not given: the grey entry is there


def test_continuous_map_without_unknown_has_only_its_colorbar():
    values = pd.DataFrame({"region_code": ALL_CODES, "index": np.linspace(84.77, 97.97, 90)})
    fig = choropleth(values, None, "en", value_column="index", vmin=80, vmax=100, value_label="Index")
    assert not [lg for lg in fig.legends if lg.get_gid() == "map_legend"]
    fig.canvas.draw()
    cbar = next(a for a in fig.axes if a.get_gid() == "colorbar")
    ticks = [t.get_text() for t in cbar.get_xticklabels() if t.get_text()]
    assert ticks == ["80", "85", "90", "95", "100"]  # whole numbers: no "82.5", no "80.0"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_prefecture_names_never_cover_a_changed_county(lang, request):
    if lang == "zh":
        request.getfixturevalue("cjk_font")
    # the counties under Hangzhou's and Ningbo's names and a few more, marked as changed
    changed = {c: "blue → green" for c in ["330122", "330203", "330212", "330110", "330127", "330782", "330681"]}
    values = pd.DataFrame({"region_code": ALL_CODES, "level": ["green"] * 90})
    fig = choropleth(values, LEVELS, lang, changed=changed)
    ax = next(a for a in fig.axes if a.get_gid() == "map")
    renderer = fig.canvas.get_renderer()
    fig.canvas.draw()
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith("prefecture-label-")]
    marked = [p for p in ax.patches if (p.get_gid() or "").startswith("changed-")]
    assert len(marked) == len(changed)
    for text in labels:
        box = text.get_window_extent(renderer)
        for patch in marked:
            area = patch.get_transform().transform_path(patch.get_path())
            assert not area.intersects_bbox(box, filled=True), (text.get_text(), patch.get_gid())
    assert text_overlaps(labels, renderer) == []


def test_english_tile_names_are_never_broken_inside_a_word():
    fig = tile_map(SMALL, LEVELS, "en")
    ax = next(a for a in fig.axes if a.get_gid() == "map")
    names = dict(zip(counties()["code"].astype(str), counties()["name_en"], strict=True))
    texts = {t.get_gid()[len("tile-label-") :]: t.get_text() for t in ax.texts}
    assert all("\n" not in t for t in texts.values())
    shortened = {code: t for code, t in texts.items() if t != names[code]}
    # a shortened name is the start of the name (at least four letters) and a period, and unique
    for code, text in shortened.items():
        assert text.endswith(".") and names[code].startswith(text[:-1]) and len(text[:-1]) >= 4, (code, text)
    assert len(set(texts.values())) == 90
    assert texts["330102"] == "Shang."  # Shangcheng: first syllable (Shangyu stays whole or reads "Shangy.")
    notes = [t.get_text() for t in fig.texts if t.get_gid() == "note"]
    assert notes == [
        "Names too long for a tile are cut after their first syllable, e.g. " + _first_short(shortened, names)
    ]


def _first_short(shortened: dict[str, str], names: dict[str, str]) -> str:
    code = sorted(shortened)[0]
    return f"{shortened[code]} = {names[code]}."


def test_shorten_adds_letters_until_no_two_read_the_same():
    assert shorten(["Longgang", "Longquan", "Wucheng"], {"Wuyi"}) == {
        "Longgang": "Longg.",
        "Longquan": "Longq.",
        "Wucheng": "Wuch.",  # at least four letters: "Wu." would say nothing
    }
    assert shorten(["Shangcheng"], {"Shang"}) == {"Shangcheng": "Shangc."}  # "Shang." would read as the name Shang
