"""Export: atomic writes, byte-identical files across renders, no time stamps, fixed pixel size, the PNG's
pixels those matplotlib draws (RGB when opaque)."""

from __future__ import annotations

import io
import struct

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from PIL import Image

from epianalysis.charts import fonts
from epianalysis.charts.export import _SAVE_RC_KEYS, png_bytes, png_from_pixels, save_figure
from epianalysis.charts.style import DPI, PRESS_RC
from epianalysis.topics.recovery.charts import discharge_rate_curve, epidemic_curve


def _daily() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.date_range("2020-01-22", periods=40, freq="D"),
            "new_local": [(i * 13) % 40 - (7 if i == 29 else 0) for i in range(40)],
            "new_imported": [i % 3 for i in range(40)],
        }
    )


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def _render(out_dir, lang):
    fig = epidemic_curve(_daily(), lang, source="JHU CSSE", synthetic=True)
    paths = save_figure(fig, out_dir, "epi", formats=("png", "svg", "pdf"))
    rates = pd.DataFrame(
        {
            "date": pd.date_range("2020-02-20", periods=12, freq="D"),
            "discharge_rate": [0.5 + 0.05 * i for i in range(12)],
        }
    )
    paths += save_figure(discharge_rate_curve(rates, lang, size="square"), out_dir, "rate")
    return paths


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_two_renders_give_identical_bytes(tmp_path, lang):
    if lang == "zh" and fonts.register_cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-droid-fallback)")
    first = _render(tmp_path / "a", lang)
    second = _render(tmp_path / "b", lang)
    assert [p.name for p in first] == ["epi.png", "epi.svg", "epi.pdf", "rate.png", "rate.svg"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_files_carry_no_time_stamps_or_versions(tmp_path):
    png, svg, pdf = save_figure(epidemic_curve(_daily(), "en"), tmp_path, "epi", ("png", "svg", "pdf"))
    assert b"Software" not in png.read_bytes()
    text = svg.read_text("utf-8")
    assert "<dc:date>" not in text and "Matplotlib v" not in text
    data = pdf.read_bytes()
    assert b"/CreationDate" not in data and b"/Producer" not in data


def test_png_pixel_sizes(tmp_path):
    (wide,) = save_figure(epidemic_curve(_daily(), "en"), tmp_path, "wide", ("png",))
    (square,) = save_figure(epidemic_curve(_daily(), "en", size="square"), tmp_path, "square", ("png",))
    assert _png_size(wide.read_bytes()) == (1920, 1080)  # 12.8 x 7.2 in at 150 dpi
    assert _png_size(square.read_bytes()) == (1080, 1080)  # 7.2 x 7.2 in


def test_no_temporary_files_left_and_pyplot_figures_closed(tmp_path):
    fig = epidemic_curve(_daily(), "en")
    paths = save_figure(fig, tmp_path / "new" / "dir", "epi")
    assert sorted(p.name for p in (tmp_path / "new" / "dir").iterdir()) == ["epi.png", "epi.svg"]
    assert [p.parent for p in paths] == [tmp_path / "new" / "dir"] * 2
    # a figure made without pyplot stays drawable (the notebook shows it after saving), and the PNG a
    # notebook displays is the saved one
    assert fig.axes
    assert png_bytes(fig) == paths[0].read_bytes()

    managed = plt.figure()
    save_figure(managed, tmp_path, "managed", ("png",))
    assert not plt.fignum_exists(managed.number)


def test_failed_save_keeps_previous_file_and_leaves_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "epi.png"
    target.write_bytes(b"previous version")
    fig = epidemic_curve(_daily(), "en")

    def broken(*args, **kwargs):
        args[0].write(b"partial")
        raise OSError("disk full")

    monkeypatch.setattr(fig, "savefig", broken)
    with pytest.raises(OSError, match="disk full"):
        save_figure(fig, tmp_path, "epi", ("png",))
    assert target.read_bytes() == b"previous version"
    assert [p.name for p in tmp_path.iterdir()] == ["epi.png"]


@pytest.mark.parametrize(
    ("name", "formats", "match"),
    [
        ("epi", ("gif",), "formats"),
        ("epi", ("png", "png"), "formats"),
        ("epi", (), "formats"),
        ("../epi", ("png",), "file stem"),
        ("two words", ("png",), "file stem"),
    ],
)
def test_bad_arguments(tmp_path, name, formats, match):
    with pytest.raises(ValueError, match=match):
        save_figure(epidemic_curve(_daily(), "en"), tmp_path, name, formats)


def _matplotlib_png(fig) -> bytes:
    """The PNG matplotlib itself writes for ``fig`` (RGBA), in the press settings: the reference."""
    buffer = io.BytesIO()
    with matplotlib.rc_context({key: PRESS_RC[key] for key in _SAVE_RC_KEYS}):
        fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def test_an_opaque_chart_is_written_as_rgb_with_the_pixels_matplotlib_draws():
    reference = Image.open(io.BytesIO(_matplotlib_png(epidemic_curve(_daily(), "en"))))
    ours = Image.open(io.BytesIO(png_bytes(epidemic_curve(_daily(), "en"))))
    assert reference.mode == "RGBA" and ours.mode == "RGB"
    expected = np.asarray(reference)
    assert (expected[..., 3] == 255).all()  # the press background is opaque
    assert np.array_equal(np.asarray(ours), expected[..., :3])
    assert ours.info["dpi"] == reference.info["dpi"] == pytest.approx((DPI, DPI), abs=0.1)  # pixels per metre, rounded


def test_a_chart_with_transparent_pixels_keeps_its_alpha_channel():
    fig = Figure(figsize=(2, 1))
    fig.patch.set_alpha(0.0)  # a see-through background around the (white) axes
    fig.add_subplot().plot([0, 1], [1, 0])
    reference = np.asarray(Image.open(io.BytesIO(_matplotlib_png(fig))))
    pixels = reference.tobytes()
    ours = Image.open(io.BytesIO(png_from_pixels(pixels, reference.shape[1], reference.shape[0])))
    assert ours.mode == "RGBA"
    assert (reference[..., 3] < 255).any()
    assert np.array_equal(np.asarray(ours), reference)


def test_pixels_of_the_wrong_size_are_refused():
    with pytest.raises(ValueError, match="not 3 x 2 RGBA pixels"):
        png_from_pixels(bytes(4 * 5), 3, 2)
