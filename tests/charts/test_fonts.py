"""CJK font discovery: Chinese renders without warnings; without a font, zh fails with instructions."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from epianalysis.charts import fonts
from epianalysis.charts.export import save_figure
from epianalysis.charts.fonts import MissingFontError, font_rc, has_truetype_outlines, use_language
from epianalysis.charts.style import add_frame, new_figure, press_style
from epianalysis.topics.recovery.charts import epidemic_curve

DROID = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")


def _daily() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.date_range("2020-02-10", periods=10, freq="D"),
            "new_local": [9, 8, 7, 6, -2, 5, 4, 3, 2, 1],
            "new_imported": [0, 0, 1, 0, 0, 0, 2, 0, 0, 0],
        }
    )


@pytest.fixture
def cjk_font() -> str:
    family = fonts.register_cjk_font()
    if family is None:
        pytest.skip("no CJK font installed (apt-get install fonts-droid-fallback)")
    return family


@pytest.fixture
def no_cjk_font(monkeypatch, tmp_path):
    """Pretend this machine has no CJK font at all."""
    monkeypatch.delenv(fonts.CJK_FONT_ENV, raising=False)
    monkeypatch.setattr(fonts, "FONT_SEARCH_DIRS", (tmp_path,))
    monkeypatch.setattr(fonts, "CJK_FAMILY_NAMES", ())
    fonts.clear_cache()
    yield
    fonts.clear_cache()


@pytest.fixture
def restore_rc():
    saved = matplotlib.rcParams.copy()
    yield
    matplotlib.rcParams.update(saved)


def test_chinese_renders_without_any_warning(cjk_font, tmp_path, caplog):
    with warnings.catch_warnings(), caplog.at_level(logging.WARNING):
        warnings.simplefilter("error")
        fig = epidemic_curve(_daily(), lang="zh", source="浙江省卫生健康委员会", synthetic=True)
        paths = save_figure(fig, tmp_path, "zh", formats=("png", "svg", "pdf"))
    assert [p.suffix for p in paths] == [".png", ".svg", ".pdf"]
    # "Glyph missing" is a warning, "Failed to find font weight" a log record: neither may appear.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_cjk_font_follows_a_latin_font(cjk_font):
    family = font_rc("zh")["font.family"]
    # the Latin fonts (the copy of our texts' characters, the font), then the CJK fonts (likewise)
    assert family == [*fonts.latin_families(), *fonts.cjk_families()]
    assert fonts.latin_families()[-1] == fonts.LATIN_FONT and fonts.cjk_families()[-1] == cjk_font
    assert font_rc("en")["font.family"] == fonts.latin_families()


def test_debian_droid_font_is_preferred_and_truetype(cjk_font):
    if not DROID.is_file():
        pytest.skip("Debian fonts-droid-fallback not installed")
    found = fonts.registered_cjk_font()
    assert found is not None and found.path == DROID and found.truetype
    assert cjk_font == "Droid Sans Fallback"


def test_pdf_embeds_chinese_as_truetype(cjk_font, tmp_path):
    found = fonts.registered_cjk_font()
    if not found.truetype:
        pytest.skip(f"{found.path} has CFF outlines: Type 42 embedding needs a TrueType font")
    fig = epidemic_curve(_daily(), lang="zh", source="浙江")
    (pdf,) = save_figure(fig, tmp_path, "zh", formats=("pdf",))
    data = pdf.read_bytes()
    assert b"/FontFile2" in data  # TrueType program embedded (Type 42)
    assert b"/Type3" not in data


def test_zh_without_font_raises_with_instructions(no_cjk_font):
    assert fonts.register_cjk_font() is None
    with pytest.raises(MissingFontError) as err:
        epidemic_curve(_daily(), lang="zh")
    message = str(err.value)
    assert "apt-get install fonts-droid-fallback" in message
    assert "EPIANALYSIS_CJK_FONT" in message
    with pytest.raises(MissingFontError):
        use_language("zh")


def test_en_works_without_a_cjk_font_and_looks_the_same(no_cjk_font, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = epidemic_curve(_daily(), lang="en", source="JHU CSSE", synthetic=True)
        png, svg = save_figure(fig, tmp_path, "en")
    assert fonts.registered_cjk_font() is None
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Source: JHU CSSE · synthetic scenario" in svg.read_text("utf-8")


def test_en_output_does_not_depend_on_cjk_fonts(monkeypatch, tmp_path):
    fig = epidemic_curve(_daily(), lang="en", source="JHU CSSE")
    (with_fonts,) = save_figure(fig, tmp_path / "a", "en", formats=("png",))
    monkeypatch.setattr(fonts, "FONT_SEARCH_DIRS", ())
    monkeypatch.setattr(fonts, "CJK_FAMILY_NAMES", ())
    monkeypatch.delenv(fonts.CJK_FONT_ENV, raising=False)
    fonts.clear_cache()
    try:
        fig = epidemic_curve(_daily(), lang="en", source="JHU CSSE")
        (without_fonts,) = save_figure(fig, tmp_path / "b", "en", formats=("png",))
    finally:
        fonts.clear_cache()
    assert with_fonts.read_bytes() == without_fonts.read_bytes()


def test_env_var_must_name_a_usable_font(monkeypatch, tmp_path):
    fonts.clear_cache()
    monkeypatch.setenv(fonts.CJK_FONT_ENV, str(tmp_path / "nope.ttf"))
    try:
        with pytest.raises(MissingFontError, match="no such font file"):
            fonts.register_cjk_font()
        latin = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
        monkeypatch.setenv(fonts.CJK_FONT_ENV, str(latin))
        with pytest.raises(MissingFontError, match="no Chinese glyphs"):
            fonts.register_cjk_font()
    finally:
        fonts.clear_cache()


def test_env_var_font_is_used(monkeypatch, restore_rc):
    if not DROID.is_file():
        pytest.skip("Debian fonts-droid-fallback not installed")
    fonts.clear_cache()
    monkeypatch.setenv(fonts.CJK_FONT_ENV, str(DROID))
    monkeypatch.setattr(fonts, "FONT_SEARCH_DIRS", ())
    try:
        assert fonts.register_cjk_font() == "Droid Sans Fallback"
        assert fonts.registered_cjk_font().path == DROID
    finally:
        fonts.clear_cache()


def test_use_language_sets_global_fonts(cjk_font, restore_rc):
    use_language("zh")
    assert list(matplotlib.rcParams["font.family"]) == [*fonts.latin_families(), *fonts.cjk_families()]
    assert fonts.cjk_families()[-1] == cjk_font
    use_language("en")
    assert list(matplotlib.rcParams["font.family"]) == fonts.latin_families()
    with pytest.raises(ValueError, match="fr"):
        use_language("fr")


def test_font_rc_does_not_change_global_state(cjk_font, restore_rc):
    matplotlib.rcParams["font.family"] = ["serif"]
    font_rc("zh")
    assert list(matplotlib.rcParams["font.family"]) == ["serif"]


def test_prepare_makes_the_font_copies_once_and_leaves_the_settings(cjk_font, restore_rc, tmp_path, monkeypatch):
    monkeypatch.setenv("EPIANALYSIS_CACHE_DIR", str(tmp_path))
    fonts.clear_cache()
    matplotlib.rcParams["font.family"] = ["serif"]
    try:
        assert fonts.prepare().family == cjk_font
        made = sorted((tmp_path / "fonts").glob("*.ttf"))
        assert len(made) == 5  # the four faces of the Latin font and the CJK font
        assert list(matplotlib.rcParams["font.family"]) == ["serif"]
        fonts.clear_cache()  # as another process of the same run
        stamps = [p.stat().st_mtime_ns for p in made]
        fonts.prepare()
        assert [p.stat().st_mtime_ns for p in made] == stamps  # found, not made again
        assert sorted((tmp_path / "fonts").glob("*.ttf")) == made
    finally:
        fonts.clear_cache()


@pytest.mark.parametrize(
    ("header", "truetype"),
    [
        (b"\x00\x01\x00\x00" + b"\x00" * 12, True),
        (b"true" + b"\x00" * 12, True),
        (b"OTTO" + b"\x00" * 12, False),
        # A collection whose first font (offset 16) is CFF, then one whose first font is TrueType.
        (b"ttcf\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10OTTO", False),
        (b"ttcf\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10\x00\x01\x00\x00", True),
    ],
)
def test_truetype_outline_detection(tmp_path, header, truetype):
    path = tmp_path / "font.bin"
    path.write_bytes(header)
    assert has_truetype_outlines(path) is truetype


def test_frame_text_in_chinese_has_no_missing_glyphs(cjk_font):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with press_style("zh"):
            fig = new_figure()
            add_frame(
                fig,
                title="義烏市 义乌市 新增确诊",
                subtitle="数据截至2020年3月1日24时",
                source="浙江省卫健委",
                synthetic=True,
                lang="zh",
                notes=["零线以下为订正。"],
            )
        fig.canvas.draw()
