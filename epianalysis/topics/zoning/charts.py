"""The trend of the county risk map: how many counties stood at each level on every evaluation date.

:func:`zoning_trend` draws the counts per level of every evaluation (for example the 3-day
re-evaluations of the Zhejiang five-colour map) as stacked bars, highest risk at the bottom, with
the count written inside each segment that is tall enough and a legend beside the bars. The input
is plain data (the ``counts`` table of :class:`epianalysis.rulesets.ZoningResult`, and level specs in
the format of :mod:`epianalysis.charts.mapdata`), so any rule set can be drawn. Counties with
missing inputs are counted as *unknown* and drawn grey: every bar adds up to all counties.
"""

from __future__ import annotations

import matplotlib
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, MaxNLocator

from epianalysis.charts.inputs import require_columns
from epianalysis.charts.layout import points_to_pixels
from epianalysis.charts.mapdata import check_levels
from epianalysis.charts.palettes import INK
from epianalysis.charts.style import (
    DateTickFormatter,
    add_frame,
    fix_tick_fonts,
    new_figure,
    press_style,
    set_value_label,
)
from epianalysis.charts.ticks import number_formatter
from epianalysis.errors import DataError, Violation
from epianalysis.text import findings
from epianalysis.text import format as fmt
from epianalysis.text.labels import label

TABLE = "zoning_trend.counts"
MIN_LABELLED = 4
"""A segment of at least this many counties gets its count written inside; a thinner one (the one red
county) gets it beside the bar."""

MAX_DATE_TICKS = 10
"""At most this many evaluation dates are written under the bars (every k-th date otherwise)."""

_AXES = (0.075, 0.165, 0.63, 0.58)  # left, bottom, width, height (figure fractions)
_LEGEND_X = 0.735
_BESIDE_PAD_PT = 2.5  # space between a bar and a count written beside it
MIN_BAR_SHARE = 0.65
"""Bars keep at least this share of the spacing of the evaluations (room for the counts inside them)."""


def text_colour(fill: str) -> str:
    """Ink for a count written on ``fill``: white on dark fills, near-black on light ones.

    Formula: relative luminance ``L = 0.2126 R + 0.7152 G + 0.0722 B`` of the linearised sRGB
    channels (WCAG 2.1, "relative luminance"); dark text where ``L > 0.4``.
    """
    rgb = np.array(to_rgb(fill))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    luminance = float(linear @ np.array([0.2126, 0.7152, 0.0722]))
    return INK["title"] if luminance > 0.4 else "#FFFFFF"


def check_counts(counts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The counts table indexed by date, one float column per key in ``keys``; a :class:`DataError`
    naming row, column and rule for missing columns, bad or duplicate dates, and counts that are
    missing, negative or not whole numbers (a count of counties is never missing: unknown is a level).
    """
    if not isinstance(counts, pd.DataFrame):
        raise TypeError(f"counts must be a pandas DataFrame, not {type(counts).__name__}")
    require_columns(counts, ["date", *keys], TABLE, empty="no evaluation to plot")
    violations: list[Violation] = []
    dates = pd.to_datetime(counts["date"], errors="coerce")
    for pos in np.flatnonzero(dates.isna().to_numpy()):
        violations.append(Violation(TABLE, int(pos) + 1, "date", "valid_date", str(counts["date"].iloc[pos])))
    for pos in np.flatnonzero((dates.duplicated() & dates.notna()).to_numpy()):
        violations.append(Violation(TABLE, int(pos) + 1, "date", "unique_date", str(counts["date"].iloc[pos])))
    out = pd.DataFrame(index=pd.DatetimeIndex(dates.dt.normalize(), name="date"))
    for key in keys:
        raw = counts[key]
        values = pd.to_numeric(raw, errors="coerce").astype("float64").to_numpy()
        for pos in np.flatnonzero(np.isnan(values)):
            violations.append(Violation(TABLE, int(pos) + 1, key, "count_present", str(raw.iloc[pos])))
        bad = ~np.isnan(values) & ((values < 0) | (values != np.round(values)) | ~np.isfinite(values))
        for pos in np.flatnonzero(bad):
            violations.append(Violation(TABLE, int(pos) + 1, key, "whole_count", str(raw.iloc[pos])))
        out[key] = values
    if violations:
        raise DataError(f"{TABLE}: {len(violations)} problem(s) in the counts", violations)
    return out.sort_index()


def trend_segments(counts: pd.DataFrame, levels: list[dict] | None = None) -> pd.DataFrame:
    """The stacked segments of :func:`zoning_trend`: one row per date and level, bottom to top.

    Columns ``date``, ``level``, ``count``, ``bottom``, ``top`` (``top = bottom + count``; the first
    level of a date starts at 0). Levels stack from the highest risk (first spec) up to the lowest,
    then *unknown*: every date's last ``top`` is the number of counties evaluated.
    """
    ordered, unknown = check_levels(levels)
    keys = [spec["key"] for spec in (*ordered, unknown)]
    data = check_counts(counts, keys)
    values = data[keys].to_numpy()
    tops = np.cumsum(values, axis=1)
    return pd.DataFrame(
        {
            "date": np.repeat(data.index.to_numpy(), len(keys)),
            "level": np.tile(keys, len(data)),
            "count": values.ravel().astype("int64"),
            "bottom": (tops - values).ravel().astype("int64"),
            "top": tops.ravel().astype("int64"),
        }
    )


def beside_room(ax, small_texts: list[str], fontsize: float) -> float:
    """Days of room a count written beside a bar takes (the widest of ``small_texts`` and its padding)."""
    if not small_texts:
        return 0.0
    renderer = ax.figure.canvas.get_renderer()
    prop = FontProperties(family=list(matplotlib.rcParams["font.family"]), size=fontsize)
    widest = max(renderer.get_text_width_height_descent(t, prop, ismath=False)[0] for t in small_texts)
    px_per_day = abs(ax.transData.transform((1, 0))[0] - ax.transData.transform((0, 0))[0])
    return (widest + 2 * points_to_pixels(_BESIDE_PAD_PT)) / px_per_day


def bar_width(gap: float, room: float) -> float:
    """Bar width in days: 80 % of the spacing of the evaluations, less where counts written beside
    thin segments need ``room`` between two bars; ``None`` when the bars would get thinner than
    :data:`MIN_BAR_SHARE` of the spacing (many evaluations: only the latest bar gets its counts beside it)."""
    width = min(0.8 * gap, gap - room)
    return width if width >= MIN_BAR_SHARE * gap else None


def label_beside(ax, right: float, small: pd.DataFrame, colours: dict[str, str], fontsize: float, lang: str) -> None:
    """Write the counts of the ``small`` segments of one bar (too thin to hold their number) beside the
    bar's right edge ``right``, each at its segment's height, moved up just enough not to overlap the
    one below, with a short leader in the segment's colour where it moved."""
    if small.empty:
        return
    px_per_county = abs(ax.transData.transform((0, 1))[1] - ax.transData.transform((0, 0))[1])
    step = points_to_pixels(fontsize) * 1.15 / px_per_county
    pad = points_to_pixels(_BESIDE_PAD_PT) / abs(ax.transData.transform((1, 0))[0] - ax.transData.transform((0, 0))[0])
    placed = -np.inf
    for row in small.sort_values("bottom").itertuples(index=False):
        centre = (row.bottom + row.top) / 2
        y = max(centre, placed + step, step / 2)
        placed = y
        moved = abs(y - centre) > step * 0.25
        ax.annotate(
            fmt.count(row.count, lang),
            xy=(right, centre),
            xytext=(right + pad, y),
            textcoords="data",
            ha="left",
            va="center",
            fontsize=fontsize,
            color=INK["title"],
            gid="trend-count-beside",
            arrowprops={"arrowstyle": "-", "color": colours[row.level], "linewidth": 1.0, "shrinkA": 0, "shrinkB": 1}
            if moved
            else None,
            annotation_clip=False,
        )


def zoning_trend(
    counts: pd.DataFrame,
    levels: list[dict] | None = None,
    lang: str = "en",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
) -> Figure:
    """Counties per risk level on every evaluation date, as stacked bars.

    Parameters
    ----------
    counts : DataFrame
        One row per evaluation date: ``date`` and one column per level key (and ``unknown``), the
        number of counties at that level (the ``counts`` of :func:`epianalysis.rulesets.evaluate`).
    levels : list of dict, optional
        Level specs, highest risk first (``key``, ``colour``, ``label_en``, ``label_zh``; an optional
        ``unknown`` spec), as for the maps. Default: the five-colour palette.
    lang : {"en", "zh"}
    title, subtitle : str, optional
        Defaults: the finding of the latest evaluation ("All 90 counties low-risk",
        :func:`epianalysis.text.findings.zoning_all_green`) over "Counties per risk level since the
        first evaluation · Evaluations from <first> to <last>"; without a finding, that topic is the
        title. Levels no county had on any date get no legend entry.
    source : str, optional
        Printed as "Source: ..." in the footer.
    synthetic : bool
        Adds "synthetic scenario" to the source line.

    Returns
    -------
    matplotlib.figure.Figure
        A 1920 × 1080 px press figure; bar segments carry the gid ``trend-<level>``, the counts
        written inside them ``trend-count``, those of thin segments written beside the bar
        ``trend-count-beside``.

    Raises
    ------
    DataError
        See :func:`check_counts`, and malformed level specs.
    """
    ordered, unknown = check_levels(levels)
    specs = [*ordered, unknown]
    segments = trend_segments(counts, levels)
    dates = pd.DatetimeIndex(pd.unique(segments["date"]))
    x = mdates.date2num(dates.to_pydatetime())
    gap = float(np.min(np.diff(x))) if len(x) > 1 else 1.0
    total = float(segments.groupby("date")["top"].max().max())
    fontsize = 10.5 if len(x) <= 16 else 9
    with press_style(lang) as rc:
        fig = new_figure("wide")
        ax = fig.add_axes(_AXES)
        ax.set_xlim(x[0] - gap * 0.6, x[-1] + gap * 0.6)
        ax.set_ylim(0, max(total, 1.0) * 1.02)
        small = segments[(segments["count"] > 0) & (segments["count"] < MIN_LABELLED)]
        room = beside_room(ax, [fmt.count(n, lang) for n in small["count"]], fontsize)
        width = bar_width(gap, room)
        if width is None:  # too many evaluations for counts between the bars: the latest one's, at the right
            width = 0.8 * gap
            small = small[small["date"] == dates[-1]]
            ax.set_xlim(x[0] - gap * 0.6, max(x[-1] + gap * 0.6, x[-1] + width / 2 + room))
        handles = []
        for spec in specs:
            part = segments[segments["level"] == spec["key"]]
            ax.bar(
                x,
                part["count"].to_numpy(),
                bottom=part["bottom"].to_numpy(),
                width=width,
                color=spec["colour"],
                edgecolor="white",
                linewidth=0.6,
                gid=f"trend-{spec['key']}",
            )
            if part["count"].gt(0).any():  # a level no county ever had gets no legend entry
                handles.append(Patch(facecolor=spec["colour"], edgecolor="white", label=spec[f"label_{lang}"]))
            ink = text_colour(spec["colour"])
            for xi, row in zip(x, part.itertuples(index=False), strict=True):
                if row.count >= MIN_LABELLED:
                    ax.text(
                        xi,
                        (row.bottom + row.top) / 2,
                        fmt.count(row.count, lang),
                        ha="center",
                        va="center",
                        fontsize=fontsize,
                        color=ink,
                        gid="trend-count",
                    )
        colours = {spec["key"]: spec["colour"] for spec in specs}
        for xi, day in zip(x, dates, strict=True):
            label_beside(ax, xi + width / 2, small[small["date"] == day], colours, fontsize, lang)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        ax.yaxis.set_major_formatter(number_formatter(lang))
        step = int(np.ceil(len(x) / MAX_DATE_TICKS))
        ax.xaxis.set_major_locator(FixedLocator(x[::step]))
        ax.xaxis.set_major_formatter(DateTickFormatter(lang))
        ax.tick_params(axis="x", which="major", length=5)
        ax.grid(False, axis="x")
        set_value_label(ax, label("zoning.trend_ylabel", lang))
        fix_tick_fonts(ax, rc)
        # Legend beside the bars, top to bottom in the order the segments stack (lowest risk on top).
        legend = fig.legend(
            handles=handles[::-1],
            loc="upper left",
            bbox_to_anchor=(_LEGEND_X, _AXES[1] + _AXES[3]),
            fontsize=13,
            handlelength=1.5,
            handleheight=1.1,
            labelspacing=0.7,
            borderaxespad=0.0,
            borderpad=0.0,
            frameon=False,
        )
        legend.set_gid("trend_legend")
        default_subtitle = label(
            "zoning.trend_subtitle",
            lang,
            first=fmt.date(dates[0], lang, "long"),
            last=fmt.date(dates[-1], lang, "long"),
        )
        if not title:
            last = segments[segments["date"] == dates[-1]]
            latest = {"zoning": {"counts": dict(zip(last["level"], last["count"].astype(int).tolist(), strict=True))}}
            title, subtitle = findings.headline(
                findings.zoning_all_green(latest, lang),
                label("zoning.trend_title", lang),
                subtitle or default_subtitle,
                lang,
            )
        add_frame(
            fig,
            title=title,
            subtitle=subtitle or default_subtitle,
            source=source,
            synthetic=synthetic,
            lang=lang,
        )
    return fig
