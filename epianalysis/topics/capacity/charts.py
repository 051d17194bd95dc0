"""Charts of capacity recovery: rates over time, 2020 against a normal (lunar-aligned) year, the
resumption five-colour map.

Each function takes plain frames (from :mod:`epianalysis.topics.capacity.view`), returns a
press-styled :class:`matplotlib.figure.Figure` and changes no global state.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MultipleLocator

from epianalysis.charts import maps
from epianalysis.charts.dated import finish_dated_chart
from epianalysis.charts.inputs import require_columns
from epianalysis.charts.palettes import HIGHLIGHT_COLOUR, IMPORTED_COLOUR, INK, LOCAL_COLOUR, SEQUENTIAL_BLUES
from epianalysis.charts.placement import annotate_clear
from epianalysis.charts.style import (
    add_frame,
    add_legend,
    add_plot_axes,
    emphasis,
    fix_tick_fonts,
    new_figure,
    press_style,
    set_value_label,
)
from epianalysis.charts.ticks import number_formatter, percent_formatter
from epianalysis.errors import DataError, Violation
from epianalysis.text import findings
from epianalysis.text import format as fmt
from epianalysis.text.labels import label
from epianalysis.topics.capacity.curves import festival_day_of

RATE_STYLE = {  # column: (label key, colour, line style)
    "resumption_rate_pct": ("capacity.resumption", LOCAL_COLOUR, "-"),
    "worker_return_pct": ("capacity.workers", IMPORTED_COLOUR, (0, (5, 3))),
    "capacity_recovery_index": ("capacity.index", INK["title"], "-"),
}


def spread(values: list[float], gap: float = 5.0) -> list[float]:
    """Label positions for sorted ``values``: each at least ``gap`` above the previous (end labels
    of lines that finish close together do not overlap)."""
    out: list[float] = []
    for v in values:
        out.append(v if not out else max(v, out[-1] + gap))
    return out


def _target_handle(ax, x, target: dict, lang: str) -> Line2D:
    ax.plot(
        [x],
        [target["target"]],
        marker="D",
        markersize=9,
        linestyle="none",
        color=HIGHLIGHT_COLOUR,
        zorder=6,
        gid="target",
    )
    return Line2D(
        [],
        [],
        marker="D",
        linestyle="none",
        color=HIGHLIGHT_COLOUR,
        label=label(
            "capacity.target_legend",
            lang,
            target=fmt.percent_value(target["target"], lang, decimals=0),
            date=fmt.date(target["target_date"], lang, "day_month"),
        ),
    )


def rates_chart(
    size_groups: pd.DataFrame,
    group: str = "above_scale",
    target: dict | None = None,
    lang: str = "en",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
) -> Figure:
    """Resumption rate, worker return rate and capacity recovery index of one size group over time.

    Parameters
    ----------
    size_groups : DataFrame
        :func:`~epianalysis.topics.capacity.metrics.recovery` by ``size_group`` (``date``, ``size_group``
        and the three rates in percent).
    target : dict, optional
        :func:`~epianalysis.topics.capacity.curves.gap_to_target` output, drawn as a marked point.
    title : str, optional
        Default: the finding "Capacity recovered to 77.4% of normal" (the group's capacity recovery
        index on its last date, :func:`epianalysis.text.findings.capacity_recovered`) over the topic.
    """
    require_columns(size_groups, ["date", "size_group", *RATE_STYLE], "rates_chart.size_groups")
    data = size_groups[size_groups["size_group"] == group].sort_values("date")
    if data.empty:
        raise DataError(
            f"rates_chart.size_groups: no rows of group {group!r}",
            [Violation("rates_chart.size_groups", None, "size_group", "group_present", group)],
        )
    dates = pd.to_datetime(data["date"])
    with press_style(lang) as rc:
        fig = new_figure("wide")
        ax = add_plot_axes(fig)
        handles: list[object] = []
        ends = []
        for column, (key, colour, style) in RATE_STYLE.items():
            y = data[column].astype("Float64").astype(float).to_numpy()
            (line,) = ax.plot(
                dates.to_numpy(), y, color=colour, linestyle=style, linewidth=2.4, label=label(key, lang), gid=column
            )
            handles.append(line)
            if (~np.isnan(y)).any():
                last = int(np.flatnonzero(~np.isnan(y))[-1])
                ends.append((float(y[last]), dates.iloc[last], column, colour))
        for (value, day, column, colour), y_text in zip(sorted(ends), spread(sorted(v for v, *_ in ends)), strict=True):
            ax.annotate(
                fmt.percent_value(value, lang),
                xy=(day, value),
                xytext=(day + pd.Timedelta(hours=10), y_text),
                textcoords="data",
                ha="left",
                va="center",
                fontsize=12,
                gid=f"{column}_latest",
                **emphasis(colour, lang),
            )
        end = dates.max()
        if target is not None:
            target_day = pd.Timestamp(target["target_date"])
            handles.append(_target_handle(ax, target_day, target, lang))
            end = max(end, target_day)
        ax.set_ylim(0, 105)
        ax.yaxis.set_major_locator(MultipleLocator(20))
        ax.yaxis.set_major_formatter(percent_formatter(lang))
        ax.set_xlim(dates.min() - pd.Timedelta(days=1), end + pd.Timedelta(days=3))
        if not title:
            latest = data[pd.to_datetime(data["date"]) == dates.max()]
            index = latest["capacity_recovery_index"].astype("Float64").astype(float).iloc[0]
            title, subtitle = findings.headline(
                findings.capacity_recovered({"capacity": {group: {"capacity_recovery_index": index}}}, lang, group),
                label("capacity.rates_title", lang, group=label(f"capacity.group_{group}", lang)),
                subtitle,
                lang,
            )
        finish_dated_chart(
            fig,
            ax,
            rc,
            value_label=label("capacity.percent_axis", lang),
            start=dates.min().date(),
            end=end.date(),
            handles=handles,
            title=title,
            subtitle=subtitle,
            source=source,
            synthetic=synthetic,
            lang=lang,
            notes=[label("capacity.method_note", lang)],
        )
    return fig


def normal_year_chart(
    curves: pd.DataFrame,
    target: dict | None = None,
    days_behind: int | None = None,
    lang: str = "en",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
) -> Figure:
    """Capacity recovery index of 2020 against 2019, day by day after the Spring Festival.

    Parameters
    ----------
    curves : DataFrame
        :func:`~epianalysis.topics.capacity.curves.lunar_curves` output (``lunar_day``,
        ``index_2019``, ``index_2020``, ``date_2020``).
    target : dict, optional
        Drawn at the lunar day of its date in 2020.
    days_behind : int, optional
        Days 2020 was behind the normal year on its last day, written beside the 2020 curve (where it
        crosses no line) and, by default, as the title: "Capacity recovery 16 days behind a normal
        year" (:func:`epianalysis.text.findings.capacity_pace`), the topic then in the subtitle.
    """
    require_columns(curves, ["lunar_day", "index_2019", "index_2020", "date_2020"], "normal_year_chart.curves")
    k = curves["lunar_day"].to_numpy()
    y19 = curves["index_2019"].astype("Float64").astype(float).to_numpy()
    y20 = curves["index_2020"].astype("Float64").astype(float).to_numpy()
    with press_style(lang) as rc:
        fig = new_figure("wide")
        ax = add_plot_axes(fig)
        (l19,) = ax.plot(
            k,
            y19,
            color=SEQUENTIAL_BLUES[3],
            linewidth=2.2,
            linestyle=(0, (5, 3)),
            label=label("capacity.normal_year", lang),
            gid="index_2019",
        )
        (l20,) = ax.plot(
            k, y20, color=SEQUENTIAL_BLUES[-1], linewidth=2.8, label=label("capacity.year_2020", lang), gid="index_2020"
        )
        handles: list[object] = [l20, l19]
        ax.axvline(0, color=INK["muted"], linewidth=1.0, linestyle=":", zorder=1)
        ax.text(
            0.5,
            101,
            label("capacity.spring_festival", lang),
            ha="left",
            va="bottom",
            fontsize=11,
            color=INK["muted"],
            gid="festival_label",
        )
        if (~np.isnan(y20)).any():
            last = int(np.flatnonzero(~np.isnan(y20))[-1])
            text = fmt.percent_value(y20[last], lang)
            if days_behind is not None and days_behind > 0:
                text = label("capacity.behind_label", lang, value=text, days=fmt.days(days_behind, lang, unit=True))
        if target is not None:
            lunar = festival_day_of(curves, target["target_date"])
            handles.append(_target_handle(ax, lunar, target, lang))
        ax.set_ylim(0, 108)
        ax.set_xlim(k.min() - 0.5, k.max() + 0.5)
        ax.yaxis.set_major_locator(MultipleLocator(20))
        ax.yaxis.set_major_formatter(percent_formatter(lang))
        ax.xaxis.set_major_locator(MultipleLocator(10))
        ax.xaxis.set_major_formatter(number_formatter(lang))
        ax.set_xlabel(label("capacity.lunar_axis", lang), fontsize=12, color=INK["muted"])
        set_value_label(ax, label("capacity.index_axis", lang))
        fix_tick_fonts(ax, rc)
        add_legend(fig, handles, ax=ax)
        if (~np.isnan(y20)).any():  # placed once the plot has its final size, clear of every line
            annotate_clear(
                ax,
                text,
                (k[last], y20[last]),
                fig.canvas.get_renderer(),
                fontsize=13,
                gid="latest_label",
                **emphasis(SEQUENTIAL_BLUES[-1], lang),
            )
        if not title:
            title, subtitle = findings.headline(
                findings.capacity_pace({"capacity": {"days_behind_normal_year": days_behind}}, lang),
                label("capacity.normal_year_title", lang),
                subtitle,
                lang,
            )
        add_frame(
            fig,
            title=title,
            subtitle=subtitle,
            source=source,
            synthetic=synthetic,
            lang=lang,
            notes=[label("capacity.normal_year_note", lang)],
        )
    return fig


def resumption_map(
    counties: pd.DataFrame,
    zoning,
    lang: str = "en",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
) -> Figure:
    """The resumption five-colour map: each county's band (``band`` column) in the rules' colours.

    Parameters
    ----------
    counties : DataFrame
        ``region_code`` and ``band`` (:func:`~epianalysis.topics.capacity.resumption_map.resumption_zones`).
    zoning : ZoningRules
        Bands in legend order (drawn highest first), colours and labels; ``unknown`` is grey.
    title : str, optional
        Default: the finding "Resumption of 90% or more in all 90 counties" when every county is in
        the top band (:func:`epianalysis.text.findings.all_resumed`) over the topic, else the topic.
    """
    require_columns(counties, ["region_code", "band"], "resumption_map.counties")
    levels = [
        {"key": b.band, "colour": b.colour, "label_en": b.label_en, "label_zh": b.label_zh}
        for b in reversed(zoning.bands)
    ]
    u = zoning.unknown
    levels.append({"key": "unknown", "colour": u.colour, "label_en": u.label_en, "label_zh": u.label_zh})
    if not title:
        bands = counties["band"].fillna(u.band).value_counts()
        counts = {b.band: int(bands.get(b.band, 0)) for b in [*zoning.bands, u]}
        top = zoning.bands[-1]
        title, subtitle = findings.headline(
            findings.all_resumed({"capacity": {"resumption_map": counts}}, lang, top.band, top.lower, u.band),
            label("capacity.map_title", lang),
            subtitle,
            lang,
        )
    return maps.choropleth(
        counties[["region_code", "band"]],
        levels=levels,
        lang=lang,
        title=title,
        subtitle=subtitle,
        source=source,
        synthetic=synthetic,
        value_column="band",
        legend_title=label("capacity.map_legend", lang),
    )
