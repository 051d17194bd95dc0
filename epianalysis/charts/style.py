"""The one press style of the briefing charts: fixed size and dpi, Agg rendering, a clean frame.

Every chart is a 16:9 figure of 12.8 × 7.2 in at 100 dpi (1280 × 720 px), or a 7.2 × 7.2 in
square (720 × 720 px), laid out with fixed positions (no automatic layout, so text never moves
between runs): a large title and a subtitle with the data date at the top, the plot in the middle,
the source line (with "synthetic scenario" where the data are synthetic), an optional note and a
credit at the bottom. Light horizontal grid, no top/right spines, thousands separators.

Figures are :class:`matplotlib.figure.Figure` objects with an Agg canvas, created without pyplot:
no global figure registry, nothing to leak, the same pixels in a notebook or a batch job.
Rendering settings that matter when a file is written (``svg.hashsalt``, font types, metadata)
are applied again by :func:`epianalysis.charts.export.save_figure`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Iterator, Sequence

import matplotlib
import matplotlib.dates as mdates
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import Formatter, FuncFormatter

from epianalysis.charts.fonts import font_rc
from epianalysis.charts.palettes import INK
from epianalysis.text import format as fmt
from epianalysis.text.labels import check_language, label

DPI = 100
SIZES: dict[str, tuple[float, float]] = {"wide": (12.8, 7.2), "square": (7.2, 7.2)}
"""Figure sizes in inches: ``wide`` 16:9 (1280 × 720 px at :data:`DPI`), ``square`` 720 × 720 px."""

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

SAVE_METADATA: dict[str, dict[str, None]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
}
"""``savefig(metadata=...)`` per format that removes time stamps and version strings.

Keys from the matplotlib ``savefig`` documentation: PNG "Software"; SVG "Date" and "Creator"; PDF
"Creator", "Producer", "CreationDate", "ModDate" (a ``None`` value removes the key).
"""

MAX_NOTES = 2
NOTE_LINE_HEIGHT = 0.026  # figure fraction of one 10.5 pt line (720 px tall figures)

# Fixed layout in figure fractions, per size: left/right margins and vertical positions.
_LAYOUT: dict[str, dict[str, float]] = {
    "wide": {
        "left": 0.075,
        "right": 0.965,
        "title_y": 0.945,
        "subtitle_y": 0.885,
        "legend_y": 0.83,
        "axes_top": 0.745,
        "axes_bottom": 0.165,
        "note_y": 0.058,
        "source_y": 0.025,
        "title_size": 24,
        "subtitle_size": 15,
        "max_date_ticks": 8,
        "legend_columns": 4,
    },
    "square": {
        "left": 0.13,
        "right": 0.95,
        "title_y": 0.95,
        "subtitle_y": 0.885,
        "legend_y": 0.835,
        "axes_top": 0.70,
        "axes_bottom": 0.165,
        "note_y": 0.058,
        "source_y": 0.025,
        "title_size": 20,
        "subtitle_size": 13,
        "max_date_ticks": 5,
        "legend_columns": 2,
    },
}


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
    box = _LAYOUT[size]
    return fig.add_axes(
        (box["left"], box["axes_bottom"], box["right"] - box["left"], box["axes_top"] - box["axes_bottom"])
    )


def add_legend(fig: Figure, handles: Sequence[object], size: str = "wide") -> None:
    """The legend as a frameless row (two columns on a square figure) between subtitle and plot."""
    box = _LAYOUT[size]
    fig.legend(
        handles=list(handles),
        loc="upper left",
        bbox_to_anchor=(box["left"], box["legend_y"]),
        ncol=min(len(handles), int(box["legend_columns"])),
        handlelength=1.6,
        columnspacing=1.8,
        borderaxespad=0.0,
        borderpad=0.0,
    )


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
    """Write title, subtitle, notes (one line each, at most two), source line and credit."""
    check_language(lang)
    box = _LAYOUT[size]
    width = (box["right"] - box["left"]) * fig.bbox.width
    texts = [
        fig.text(
            box["left"],
            box["title_y"],
            title,
            fontsize=box["title_size"],
            ha="left",
            va="top",
            gid="title",
            **emphasis(INK["title"], lang),
        )
    ]
    if subtitle:
        texts.append(
            fig.text(
                box["left"],
                box["subtitle_y"],
                subtitle,
                fontsize=box["subtitle_size"],
                color=INK["text"],
                ha="left",
                va="top",
                gid="subtitle",
            )
        )
    if len(notes) > MAX_NOTES:
        raise ValueError(f"at most {MAX_NOTES} note lines fit below a chart; got {len(notes)}")
    for i, note in enumerate(reversed(notes)):
        texts.append(
            fig.text(
                box["left"],
                box["note_y"] + i * NOTE_LINE_HEIGHT,
                note,
                fontsize=10.5,
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
        fontsize=10.5,
        color=INK["muted"],
        ha="right",
        va="bottom",
        gid="credit",
    )
    renderer = fig.canvas.get_renderer()
    source_width = width - credit.get_window_extent(renderer).width - 20
    texts.append(
        fig.text(
            box["left"],
            box["source_y"],
            source_line(source, synthetic, lang),
            fontsize=10.5,
            color=INK["muted"],
            ha="left",
            va="bottom",
            gid="source",
        )
    )
    for text in texts:
        _shrink_to_width(text, source_width if text.get_gid() == "source" else width, renderer)
    # The small print (notes, source, credit) keeps one size: the smallest any of them needed.
    small = [t for t in (*texts, credit) if t.get_gid() in ("note", "source", "credit")]
    size_small = min(t.get_fontsize() for t in small)
    for text in small:
        text.set_fontsize(size_small)


def _shrink_to_width(text: Text, max_px: float, renderer: object, min_size: float = 8.0) -> None:
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


class DateTickFormatter(Formatter):
    """Date ticks written per language: "3 Feb" / "2月3日", or "Mar" / "3月" for month starts.

    When every tick falls on the first of a month, months are written alone; the year is added to
    the first tick and wherever it changes. Day ticks carry no year (the subtitle gives the date).
    """

    def __init__(self, lang: str):
        self.lang = check_language(lang)

    def __call__(self, x: float, pos: int | None = None) -> str:
        return fmt.date(mdates.num2date(x), self.lang, "day_month")

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        days = [mdates.num2date(v).date() for v in values]
        if days and all(d.day == 1 for d in days):
            out = []
            for i, d in enumerate(days):
                new_year = i == 0 or d.year != days[i - 1].year
                out.append(fmt.date(d, self.lang, "month_year" if new_year else "month"))
            return out
        return [fmt.date(d, self.lang, "day_month") for d in days]


def date_locator(start: dt.date, end: dt.date, max_ticks: int = 8) -> mdates.DateLocator:
    """A locator with at most about ``max_ticks`` evenly spaced date ticks, never crowded.

    Short spans: every ``n`` days counted from ``start`` (``n <= 3``); up to ``2 * max_ticks``
    weeks: Mondays every ``n`` weeks; longer: first of the month every ``n`` months. (Day-of-month
    rules such as 1, 8, 15, 22, 29 put 29 Feb next to 1 Mar; weekly and monthly rules keep equal
    gaps.)
    """
    span = max((end - start).days, 0) + 1
    every = math.ceil(span / max_ticks)
    if every <= 3:
        # DayLocator pins ticks to midnight (where the bars are centred), whatever the view's start
        return mdates.DayLocator(interval=every)
    weeks = span / 7
    if weeks <= max_ticks * 2:
        interval = max(1, math.ceil(weeks / max_ticks))
        return mdates.WeekdayLocator(byweekday=mdates.MO, interval=interval)
    months = span / 30.4
    return mdates.MonthLocator(interval=max(1, math.ceil(months / max_ticks)))


def format_date_axis(ax: Axes, start: dt.date, end: dt.date, lang: str, size: str = "wide") -> None:
    """Date ticks on the x axis of ``ax``: :func:`date_locator` and :class:`DateTickFormatter`."""
    ax.xaxis.set_major_locator(date_locator(start, end, max_ticks=int(_LAYOUT[size]["max_date_ticks"])))
    ax.xaxis.set_major_formatter(DateTickFormatter(lang))
    if (end - start).days <= 120:
        ax.xaxis.set_minor_locator(mdates.DayLocator())
        ax.tick_params(axis="x", which="minor", length=2, color=INK["grid"])
    ax.tick_params(axis="x", which="major", length=5)
