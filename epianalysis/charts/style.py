"""The one press style of the briefing charts: fixed size and dpi, Agg rendering, a clean frame.

Every chart is a 16:9 figure of 12.8 × 7.2 in or a 7.2 × 7.2 in square at 150 dpi (1920 × 1080
and 1080 × 1080 px, :mod:`epianalysis.charts.layout`), laid out with fixed positions (no automatic
layout, so text never moves between runs): a large title (the finding, when the data support one)
with a boxed "synthetic scenario" banner beside it where the data are synthetic, a subtitle (the
topic and the data date), the plot in the middle, then notes, the source line (which says
"synthetic scenario" too) and a credit at the bottom. Light horizontal grid, no top/right spines,
thousands separators.

Figures are :class:`matplotlib.figure.Figure` objects with an Agg canvas, created without pyplot:
no global figure registry, nothing to leak, the same pixels in a notebook or a batch job.
Rendering settings that matter when a file is written (``svg.hashsalt``, font types, metadata)
are applied again by :func:`epianalysis.charts.export.save_figure`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import Bbox

from epianalysis.charts.dateaxis import DateTickFormatter as DateTickFormatter  # re-exported
from epianalysis.charts.dateaxis import date_locator as date_locator
from epianalysis.charts.dateaxis import format_date_axis as format_date_axis
from epianalysis.charts.fonts import font_rc
from epianalysis.charts.layout import (
    DPI,
    LAYOUT,
    MAX_NOTES,
    MIN_SMALL_PRINT,
    NOTE_LINE_HEIGHT,
    SIZES,
    SMALL_PRINT,
    points_to_pixels,
)
from epianalysis.charts.palettes import HIGHLIGHT_COLOUR, INK
from epianalysis.charts.smallprint import note_lines
from epianalysis.text import format as fmt
from epianalysis.text.labels import check_language, label

SVG_HASHSALT = "epianalysis"

PRESS_RC: dict[str, object] = {
    "figure.dpi": DPI,
    "figure.facecolor": INK["background"],
    "savefig.dpi": DPI,
    "savefig.facecolor": INK["background"],
    "savefig.bbox": None,
    "savefig.pad_inches": 0.0,
    "svg.hashsalt": SVG_HASHSALT,
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "path.simplify": True,
    "font.size": 13,
    "axes.facecolor": INK["background"],
    "axes.edgecolor": INK["axis"],
    "axes.labelcolor": INK["text"],
    "axes.labelsize": 13,
    "axes.titlesize": 20,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.spines.left": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "axes.unicode_minus": True,
    "grid.color": INK["grid"],
    "grid.linewidth": 0.8,
    "xtick.color": INK["axis"],
    "ytick.color": INK["axis"],
    "xtick.labelcolor": INK["text"],
    "ytick.labelcolor": INK["text"],
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "ytick.left": False,
    "legend.frameon": False,
    "legend.fontsize": 12,
    "lines.linewidth": 2.4,
    "text.parse_math": False,
}
"""rcParams of the press style (language-independent; fonts come from :func:`font_rc`)."""

BANNER_SIZE = 10.5
"""Type size (pt) of the synthetic-scenario banner."""
BANNER_SHRINK = 0.9
"""A title may shrink to this share of its width to leave room for the banner beside it; a longer one
keeps its size and the banner goes above it."""
_BANNER_BOX = {"boxstyle": "round,pad=0.35", "facecolor": "#FCEDEE", "edgecolor": HIGHLIGHT_COLOUR, "linewidth": 1.0}
_GAP_PT = 10.0  # space between the title and the banner, and between the source line and the credit


def press_rc(lang: str = "en") -> dict[str, object]:
    """The full rcParams dict for a chart in ``lang`` (:data:`PRESS_RC` plus fonts).

    Raises :class:`~epianalysis.charts.fonts.MissingFontError` for ``"zh"`` without a CJK font.
    """
    return {**PRESS_RC, **font_rc(lang)}


@contextlib.contextmanager
def press_style(lang: str = "en") -> Iterator[dict[str, object]]:
    """Context manager applying the press rcParams for ``lang``; yields the dict applied.

    Examples
    --------
    >>> with press_style("en"):
    ...     fig = new_figure()
    """
    rc = press_rc(lang)
    with matplotlib.rc_context(rc):
        yield rc


def new_figure(size: str = "wide") -> Figure:
    """A blank press figure of a fixed size with an Agg canvas (call inside :func:`press_style`)."""
    if size not in SIZES:
        raise ValueError(f"unknown figure size {size!r}; choose one of {', '.join(SIZES)}")
    fig = Figure(figsize=SIZES[size], dpi=DPI)
    FigureCanvasAgg(fig)
    fig.set_gid(f"press-{size}")
    return fig


def add_plot_axes(fig: Figure, size: str = "wide") -> Axes:
    """The main axes at the fixed position of the layout."""
    box = LAYOUT[size]
    return fig.add_axes(
        (box["left"], box["axes_bottom"], box["right"] - box["left"], box["axes_top"] - box["axes_bottom"])
    )


def add_legend(fig: Figure, handles: Sequence[object], size: str = "wide", ax: Axes | None = None) -> None:
    """The legend as frameless rows between subtitle and plot (at most four columns, two on a square).

    Fewer columns are used when a row would be wider than the plot; when the rows then reach down to
    the value label of ``ax``, the top of ``ax`` is lowered so that nothing overlaps.
    """
    if not handles:
        return
    box = LAYOUT[size]
    renderer = fig.canvas.get_renderer()
    width = (box["right"] - box["left"]) * fig.bbox.width
    columns = min(len(handles), int(box["legend_columns"]))
    while True:
        legend = fig.legend(
            handles=list(handles),
            loc="upper left",
            bbox_to_anchor=(box["left"], box["legend_y"]),
            ncol=columns,
            handlelength=1.6,
            columnspacing=1.8,
            borderaxespad=0.0,
            borderpad=0.0,
        )
        if columns == 1 or legend.get_window_extent(renderer).width <= width:
            break
        legend.remove()
        columns -= 1
    if ax is not None:
        bottom = legend.get_window_extent(renderer).y0 / fig.bbox.height
        room = (points_to_pixels(12) * 1.6 + points_to_pixels(6)) / fig.bbox.height  # the value label and a gap
        position = ax.get_position()
        if position.y1 + room > bottom:
            ax.set_position((position.x0, position.y0, position.width, bottom - room - position.y0))


def keep_value_ticks_inside(ax: Axes, margin_pt: float = 6.0) -> None:
    """Move the left edge of ``ax`` right when its widest value tick label ("1,000,000") would reach
    past the figure's left margin of ``margin_pt``; the plot keeps its right edge. Call after the
    value axis has its locator, formatter and limits (inside :func:`press_style`)."""
    fig = ax.figure
    low, high = sorted(ax.get_ylim())
    ticks = [t for t in ax.yaxis.get_major_locator()() if low <= t <= high]
    if not ticks:
        return
    labels = ax.yaxis.get_major_formatter().format_ticks(ticks)
    prop = FontProperties(family=list(matplotlib.rcParams["font.family"]), size=matplotlib.rcParams["ytick.labelsize"])
    renderer = fig.canvas.get_renderer()
    widest = max(renderer.get_text_width_height_descent(str(t), prop, ismath=False)[0] for t in labels)
    pad = points_to_pixels(matplotlib.rcParams["ytick.major.pad"] + matplotlib.rcParams["ytick.major.size"])
    need = (widest + pad + points_to_pixels(margin_pt)) / fig.bbox.width
    position = ax.get_position()
    if need > position.x0:
        shift = need - position.x0
        ax.set_position((position.x0 + shift, position.y0, position.width - shift, position.height))


def set_value_label(ax: Axes, text: str) -> None:
    """The y-axis label, written horizontally above the top-left corner of the plot (press style):
    it reads without turning the head, and Chinese is not set sideways."""
    ax.set_ylabel("")
    ax.text(
        0.0,
        1.0,
        text,
        transform=ax.transAxes,
        ha="left",
        va="bottom",
        fontsize=12,
        color=INK["muted"],
        gid="value_label",
    )
    ax.yaxis.set_label_coords(0.0, 1.0)


def source_line(source: str | None, synthetic: bool, lang: str) -> str:
    """``"Source: <source> · synthetic scenario"`` / ``"来源：<source> · 合成情景数据"``."""
    parts = [label("source", lang, source=source) if source else label("source_unknown", lang)]
    if synthetic:
        parts.append(label("synthetic", lang))
    return label("separator", lang).join(parts)


def data_date_subtitle(date: object, lang: str) -> str:
    """``"Data as of 1 Mar 2020, 24:00"`` / ``"数据截至2020年3月1日24时"``."""
    return fmt.data_as_of(date, lang)


def add_frame(
    fig: Figure,
    *,
    title: str,
    subtitle: str | None,
    source: str | None,
    synthetic: bool,
    lang: str,
    notes: Sequence[str] = (),
    size: str = "wide",
) -> None:
    """Write title, subtitle, notes (at most :data:`MAX_NOTES` lines), source line and credit; with
    ``synthetic``, a boxed "SYNTHETIC SCENARIO" banner (gid ``synthetic_banner``) at the right of the
    title's line, the title giving way to it (a little smaller), or, for a title that would have to
    shrink more than :data:`BANNER_SHRINK`, above the title's line at the right. Never over the title."""
    check_language(lang)
    if len(notes) > MAX_NOTES:
        raise ValueError(f"at most {MAX_NOTES} note lines fit below a chart; got {len(notes)}")
    box = LAYOUT[size]
    width = (box["right"] - box["left"]) * fig.bbox.width
    renderer = fig.canvas.get_renderer()
    gap = points_to_pixels(_GAP_PT)
    title_text = fig.text(
        box["left"],
        box["title_y"],
        title,
        fontsize=box["title_size"],
        ha="left",
        va="top",
        gid="title",
        **emphasis(INK["title"], lang),
    )
    title_width = width
    if synthetic:
        banner = fig.text(
            box["right"],
            box["title_y"] - 0.006,
            label("synthetic_banner", lang),
            fontsize=BANNER_SIZE,
            ha="right",
            va="top",
            gid="synthetic_banner",
            bbox=_BANNER_BOX,
            **emphasis(HIGHLIGHT_COLOUR, lang),
        )
        beside = width - banner_extent(banner, renderer).width - gap
        if title_text.get_window_extent(renderer).width * BANNER_SHRINK <= beside:
            title_width = beside  # beside the title, which gives way to it
        else:  # a long title keeps its size: the banner goes above it, in the top margin
            lift = banner_extent(banner, renderer).height - banner.get_window_extent(renderer).height
            banner.set_y(box["title_y"] + (lift / 2 + points_to_pixels(2)) / fig.bbox.height)
            banner.set_va("bottom")
    _shrink_to_width(title_text, title_width, renderer)
    if subtitle:
        sub = fig.text(
            box["left"],
            box["subtitle_y"],
            subtitle,
            fontsize=box["subtitle_size"],
            color=INK["text"],
            ha="left",
            va="top",
            gid="subtitle",
        )
        _shrink_to_width(sub, width, renderer)
    lines, note_size = note_lines(notes, width, renderer, lang)
    small: list[Text] = []
    for i, line in enumerate(reversed(lines)):
        small.append(
            fig.text(
                box["left"],
                box["note_y"] + i * NOTE_LINE_HEIGHT,
                line,
                fontsize=note_size,
                color=INK["muted"],
                ha="left",
                va="bottom",
                gid="note",
            )
        )
    credit = fig.text(
        box["right"],
        box["source_y"],
        label("credit", lang),
        fontsize=SMALL_PRINT,
        color=INK["muted"],
        ha="right",
        va="bottom",
        gid="credit",
    )
    source_text = fig.text(
        box["left"],
        box["source_y"],
        source_line(source, synthetic, lang),
        fontsize=SMALL_PRINT,
        color=INK["muted"],
        ha="left",
        va="bottom",
        gid="source",
    )
    for text in small:
        _shrink_to_width(text, width, renderer)
    _shrink_to_width(source_text, width - credit.get_window_extent(renderer).width - gap, renderer)
    # The small print (notes, source, credit) keeps one size: the smallest any of them needed.
    small += [source_text, credit]
    size_small = min(t.get_fontsize() for t in small)
    for text in small:
        text.set_fontsize(size_small)


def banner_extent(banner: Text, renderer: object) -> Bbox:
    """The window extent of the banner with its box (the text's extent padded as the box pads it)."""
    pad = 0.35 * points_to_pixels(banner.get_fontsize()) + points_to_pixels(_BANNER_BOX["linewidth"])
    return banner.get_window_extent(renderer).padded(pad)


def _shrink_to_width(text: Text, max_px: float, renderer: object, min_size: float = MIN_SMALL_PRINT) -> None:
    """Reduce the font size of ``text`` in steps of 0.5 pt until it is at most ``max_px`` wide."""
    while text.get_window_extent(renderer).width > max_px and text.get_fontsize() > min_size:
        text.set_fontsize(text.get_fontsize() - 0.5)


def _is_bold(weight: object) -> bool:
    if isinstance(weight, int):
        return weight >= 600
    return str(weight).lower() in {"semibold", "demibold", "bold", "extra bold", "heavy", "black"}


def emphasis(colour: str, lang: str) -> dict[str, object]:
    """Text keyword arguments for bold text in ``colour``.

    Real bold where every font of ``lang`` has a bold face; otherwise (e.g. Droid Sans Fallback has
    no bold) regular weight, because asking matplotlib for a missing weight logs a "Failed to find
    font weight" warning on stderr, and thickening the glyphs with a stroke path effect would turn
    the text into outlines that cannot be selected or searched in the PDF.
    """
    families = font_rc(lang)["font.family"]
    bold_faces = {entry.name for entry in font_manager.fontManager.ttflist if _is_bold(entry.weight)}
    if all(family in bold_faces for family in families):
        return {"color": colour, "fontweight": "bold"}
    return {"color": colour, "fontweight": "normal"}


def fix_tick_fonts(ax: Axes, rc: dict[str, object]) -> None:
    """Pin the tick-label font family of ``ax`` to the chart's fonts.

    Tick labels are created when the figure is drawn, possibly outside :func:`press_style` (in a
    notebook, or at save time); pinning the family keeps Chinese tick labels in the CJK font.
    """
    ax.tick_params(axis="both", which="both", labelfontfamily=rc["font.family"])


def thousands_formatter(lang: str) -> FuncFormatter:
    """Count ticks as :func:`epianalysis.text.format.count` writes them: ``"12,345"`` (en) / ``"12345"`` (zh)."""
    check_language(lang)
    return FuncFormatter(lambda value, _pos: fmt.count(value, lang))
