"""Write a chart to disk: PNG, SVG and/or PDF, atomically, with the same bytes on every run.

Every format is rendered before any file is written, and each file is first written to a temporary
file in the target folder and then renamed over the final name
(:func:`epianalysis.fileio.atomic_write`), so a reader never sees a half-written chart and a failed
drawing leaves any earlier file untouched. Time stamps and version strings are removed from the file metadata
(:data:`SAVE_METADATA`), SVG ids use a fixed hash salt, and PDF fonts are
embedded as TrueType (Type 42). An opaque chart's PNG is written as RGB, without an alpha channel
(:func:`png_from_pixels`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from matplotlib.figure import Figure
from PIL import Image

from epianalysis.charts.style import DPI, PRESS_RC
from epianalysis.fileio import atomic_write

FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_SAVE_RC_KEYS = (
    "svg.hashsalt",
    "svg.fonttype",
    "pdf.fonttype",
    "ps.fonttype",
    "savefig.facecolor",
    "savefig.bbox",
    "savefig.pad_inches",
    "path.simplify",
    "text.parse_math",
)

SAVE_METADATA: dict[str, dict[str, None]] = {
    "svg": {"Date": None, "Creator": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
}
"""``savefig(metadata=...)`` per format that removes time stamps and version strings.

Keys from the matplotlib ``savefig`` documentation: SVG "Date" and "Creator"; PDF "Creator",
"Producer", "CreationDate", "ModDate" (a ``None`` value removes the key). PNGs are encoded by
:func:`png_from_pixels`, which writes no metadata but the resolution.
"""

PNG_COMPRESS_LEVEL = 1
"""zlib level of the PNGs (Pillow's default is 6): on the zoning charts a fifth less time to write,
files 11 % larger, the same pixels (PNG is lossless)."""


def save_figure(fig: Figure, out_dir: Path, name: str, formats: Sequence[str] = ("png", "svg")) -> list[Path]:
    """Save ``fig`` as ``out_dir/<name>.<format>`` for each format, atomically (a pyplot figure is closed).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A chart, e.g. from :func:`epianalysis.topics.recovery.charts.epidemic_curve`.
    out_dir : Path
        Target folder; created if missing.
    name : str
        File stem: letters, digits, ``.``, ``_``, ``-`` (no folders).
    formats : sequence of {"png", "svg", "pdf"}

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.

    Raises
    ------
    ValueError
        An unknown format, a repeated format, or a file stem with other characters.
    """
    formats = [str(f).lower() for f in formats]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats or len(set(formats)) != len(formats):
        raise ValueError(f"formats must be distinct values from {', '.join(FORMATS)}; got {list(formats)!r}")
    if not _NAME.match(name):
        raise ValueError(f"file stem {name!r} must match {_NAME.pattern} (no folders or spaces)")
    out_dir = Path(out_dir)
    written: list[Path] = []
    for fmt, data in render_figure(fig, formats).items():
        target = out_dir / f"{name}.{fmt}"
        atomic_write(target, lambda tmp, data=data: tmp.write_bytes(data))
        written.append(target)
    return written


def render_figure(fig: Figure, formats: Sequence[str] = FORMATS) -> dict[str, bytes]:
    """The bytes :func:`save_figure` writes for ``fig`` in each of ``formats`` (a pyplot figure is closed).

    The PNG is rendered once: a notebook showing the figure reuses its bytes (:func:`png_bytes`).
    """
    rc = {key: PRESS_RC[key] for key in _SAVE_RC_KEYS}
    rendered: dict[str, bytes] = {}
    try:
        with matplotlib.rc_context(rc):
            for fmt in formats:
                rendered[fmt] = _render(fig, fmt)
                if fmt == "png":
                    fig._press_png = rendered[fmt]  # noqa: SLF001 (see png_bytes)
    finally:
        _close(fig)
    return rendered


def _render(fig: Figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "png":
        # the pixels as savefig draws them for a PNG (same size, colours and background), encoded here
        fig.savefig(buffer, format="rgba", dpi=DPI)
        width, height = (int(inches * DPI) for inches in fig.get_size_inches())  # as Agg sizes its canvas
        return png_from_pixels(buffer.getbuffer(), width, height)
    fig.savefig(buffer, format=fmt, dpi=DPI, metadata=SAVE_METADATA[fmt])
    data = buffer.getvalue()
    return add_svg_titles(data, getattr(fig, "svg_titles", None)) if fmt == "svg" else data


def png_from_pixels(rgba: bytes | memoryview, width: int, height: int) -> bytes:
    """PNG bytes of ``width`` x ``height`` RGBA pixels (rows from the top), at :data:`DPI`.

    When every pixel is opaque, as on every press chart, the PNG holds RGB only: the same picture in a
    file about a tenth smaller, in the time matplotlib's own PNG takes (``benchmarks/bench_png.py``).
    Otherwise it keeps the alpha channel. Pillow writes no time stamp or version.

    Raises
    ------
    ValueError
        ``rgba`` is not ``width * height * 4`` bytes.
    """
    if len(rgba) != width * height * 4:
        raise ValueError(f"{len(rgba)} bytes are not {width} x {height} RGBA pixels")
    image = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1)
    if image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=PNG_COMPRESS_LEVEL, dpi=(DPI, DPI))
    return buffer.getvalue()


def add_svg_titles(svg: bytes, titles: dict[str, str] | None) -> bytes:
    """Give each group ``<g id="ID">`` of ``svg`` named in ``titles`` (id -> text) a ``<title>`` child:
    the tooltip a browser shows when pointing at it (SVG 1.1, section 5.4). Text is XML-escaped."""
    if not titles:
        return svg
    text = svg.decode("utf-8")

    def add(match: re.Match) -> str:
        title = titles.get(match.group(1))
        return match.group(0) if title is None else f"{match.group(0)}<title>{escape(title)}</title>"

    return re.sub(r'<g id="([^"]+)">', add, text).encode("utf-8")


def _close(fig: Figure) -> None:
    """Release a figure that pyplot manages; other figures stay drawable (a notebook may still show
    them) and are freed when no longer referenced."""
    if getattr(fig.canvas, "manager", None) is not None:
        import matplotlib.pyplot as plt

        plt.close(fig)


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG bytes, exactly as :func:`save_figure` writes it (for notebooks and HTML pages).

    A figure already saved as PNG is not rendered again: its saved bytes are returned.
    """
    cached = getattr(fig, "_press_png", None)
    if cached is not None:
        return cached
    with matplotlib.rc_context({key: PRESS_RC[key] for key in _SAVE_RC_KEYS}):
        return _render(fig, "png")


def show_figures_in_notebooks() -> None:
    """Make IPython display a :class:`~matplotlib.figure.Figure` as its press PNG.

    The charts are drawn without pyplot (no inline backend), so without this a notebook cell ending
    with ``fig`` shows only ``<Figure size ...>``. Does nothing outside IPython.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["image/png"].for_type(Figure, png_bytes)
