"""Palettes: valid hexes, the five risk levels in order, labels beside colours, contrast."""

from __future__ import annotations

import re

import pytest

from epianalysis.charts import palettes
from epianalysis.charts.palettes import (
    IMPORTED_COLOUR,
    LOCAL_COLOUR,
    RISK_COLOURS,
    RISK_LEVELS,
    SEQUENTIAL_BLUES,
    contrast_ratio,
    relative_luminance,
    risk_colour,
    risk_legend_items,
)

HEX = re.compile(r"^#[0-9A-F]{6}$")


def test_all_colours_are_hex():
    colours = [
        *RISK_COLOURS.values(),
        LOCAL_COLOUR,
        IMPORTED_COLOUR,
        *SEQUENTIAL_BLUES,
        palettes.REVISION_COLOUR,
        palettes.HIGHLIGHT_COLOUR,
        *palettes.INK.values(),
    ]
    for colour in colours:
        assert HEX.match(colour), colour


def test_five_levels_high_to_low_and_grey_unknown():
    assert RISK_LEVELS == ("red", "orange", "yellow", "blue", "green")
    assert set(RISK_COLOURS) == {*RISK_LEVELS, "unknown"}
    assert risk_colour(None) == risk_colour("unknown") == RISK_COLOURS["unknown"]
    r, g, b = (int(RISK_COLOURS["unknown"][i : i + 2], 16) for i in (1, 3, 5))
    assert r == g == b  # neutral grey
    with pytest.raises(KeyError, match="purple"):
        risk_colour("purple")


def test_legend_items_pair_every_colour_with_a_label():
    items = risk_legend_items("zh")
    assert [colour for _, colour in items] == [RISK_COLOURS[k] for k in (*RISK_LEVELS, "unknown")]
    assert items[0][0] == "高风险（红）"
    assert items[-1][0] == "未知（数据缺失）"
    assert len(risk_legend_items("en", include_unknown=False)) == 5


def test_relative_luminance_against_hand_values():
    # WCAG: white 1, black 0; #0072B2 by hand: 0.7152*0.168 + 0.0722*0.445 = 0.152.
    assert relative_luminance("#FFFFFF") == pytest.approx(1.0)
    assert relative_luminance("#000000") == pytest.approx(0.0)
    assert relative_luminance("#0072B2") == pytest.approx(0.152, abs=0.002)
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)


def test_local_and_imported_differ_in_lightness():
    # Distinguishable without hue (greyscale print, colour-vision deficiency): by hand about 2.3.
    assert contrast_ratio(LOCAL_COLOUR, IMPORTED_COLOUR) >= 2.0


def test_sequential_ramp_gets_darker():
    lum = [relative_luminance(c) for c in SEQUENTIAL_BLUES]
    assert lum == sorted(lum, reverse=True)
    assert len(SEQUENTIAL_BLUES) <= palettes.sequential_cmap().N


def test_risk_levels_get_darker_towards_red_except_yellow_is_lightest():
    # The lightness order keeps red and green apart for red-green colour blindness.
    assert relative_luminance(RISK_COLOURS["green"]) > 1.5 * relative_luminance(RISK_COLOURS["red"])
    assert max(RISK_LEVELS, key=lambda k: relative_luminance(RISK_COLOURS[k])) == "yellow"


def test_every_five_colour_rule_set_uses_the_press_palette():
    import tomllib

    from epianalysis.paths import PACKAGE_DIR

    zoning = tomllib.loads((PACKAGE_DIR / "rulesets" / "zhejiang-2020.toml").read_text("utf-8"))
    resumption = tomllib.loads((PACKAGE_DIR / "topics" / "capacity" / "resumption_map.toml").read_text("utf-8"))
    pairs = [(level["key"], level["colour"]) for level in zoning["levels"]]
    pairs += [(band["band"], band["colour"]) for band in [*resumption["bands"], resumption["unknown"]]]
    assert len(pairs) == 11  # five levels; five bands and unknown
    for key, colour in pairs:
        assert colour.upper() == RISK_COLOURS[key], key
