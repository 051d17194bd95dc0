"""The cut-down CJK font: our texts' characters, its own family, the full font behind it."""

from __future__ import annotations

import logging

import matplotlib
import matplotlib.pyplot
import pytest
from matplotlib.ft2font import FT2Font

from epianalysis.charts import fonts, fontsubset
from epianalysis.charts.export import save_figure

OUTSIDE = "龘"  # U+9F98, in the full font, in none of our texts


@pytest.fixture
def truetype_cjk_font():
    family = fonts.register_cjk_font()
    found = fonts.registered_cjk_font()
    if family is None or not found.truetype:
        pytest.skip("no TrueType CJK font installed (apt-get install fonts-droid-fallback)")
    return found


def test_the_characters_are_those_of_our_texts():
    chars = fontsubset.text_characters()
    # 浙 and 愈 are in the labels (浙江省, 治愈率), 县 in the region names; U+9F98 in no file of ours
    assert {"浙", "愈", "县", "，", "（"} <= set(chars) and OUTSIDE not in chars
    assert chars == "".join(sorted(set(chars)))


def test_the_copy_holds_our_characters_under_its_own_name(truetype_cjk_font, tmp_path, monkeypatch):
    monkeypatch.setenv("EPIANALYSIS_CACHE_DIR", str(tmp_path))
    path, family = fontsubset.press_font(truetype_cjk_font.path, truetype_cjk_font.family)
    assert path.parent == tmp_path / "fonts" and family == truetype_cjk_font.family + fontsubset.FAMILY_SUFFIX
    charmap = FT2Font(str(path)).get_charmap()
    assert all(
        ord(c) in charmap
        for c in fontsubset.text_characters()
        if ord(c) in FT2Font(str(truetype_cjk_font.path)).get_charmap()
    )
    assert ord(OUTSIDE) not in charmap
    assert path.stat().st_size < truetype_cjk_font.path.stat().st_size / 10
    # the same font and characters give the same file; other characters another one
    again, _ = fontsubset.press_font(truetype_cjk_font.path, truetype_cjk_font.family)
    assert again == path
    monkeypatch.setattr(fontsubset, "text_characters", lambda: "浙江")
    other, _ = fontsubset.press_font(truetype_cjk_font.path, truetype_cjk_font.family)
    assert other != path and ord("省") not in FT2Font(str(other)).get_charmap()


def test_a_character_outside_the_copy_falls_back_to_the_full_font(truetype_cjk_font, tmp_path, caplog):
    rc = fonts.font_rc("zh")
    assert (
        rc["font.family"][-2:]
        == fonts.cjk_families()
        == [
            truetype_cjk_font.family + fontsubset.FAMILY_SUFFIX,
            truetype_cjk_font.family,
        ]
    )
    with matplotlib.rc_context(rc), caplog.at_level(logging.WARNING):
        fig = matplotlib.pyplot.figure()
        fig.suptitle(f"浙江省 {OUTSIDE}")
        (pdf,) = save_figure(fig, tmp_path, "mixed", formats=("pdf",))
    assert not [r for r in caplog.records if "missing" in r.getMessage().lower()]
    data = pdf.read_bytes()
    # two CJK programs embedded: the copy (浙江省) and the full font (the character outside it)
    assert data.count(b"/FontFile2") == 3  # with the copy of DejaVu Sans for the space
