"""Charts of the precision control index: county ranking, province average over time, county map.

Each function takes plain frames (from :mod:`epianalysis.topics.control_index.view`), returns a
press-styled :class:`matplotlib.figure.Figure` and changes no global state. Counties whose index was
computed without one of its indicators are drawn with a hollow marker and explained in a note
(missing indicators are never scored as 0, docs/methods.md#sub-indices-and-the-combined-index).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from epianalysis.charts import maps
from epianalysis.charts.dated import finish_dated_chart
from epianalysis.charts.inputs import require_columns
from epianalysis.charts.palettes import HIGHLIGHT_COLOUR, INK, SEQUENTIAL_BLUES
from epianalysis.charts.style import (
    add_frame,
    add_plot_axes,
    emphasis,
    fix_tick_fonts,
    new_figure,
    press_style,
)
from epianalysis.charts.ticks import number_formatter
from epianalysis.errors import DataError, Violation
from epianalysis.text import findings
from epianalysis.text import format as fmt
from epianalysis.text.labels import label
from epianalysis.topics.control_index.rules import load_registry

TOP_COLOUR = SEQUENTIAL_BLUES[-1]
BOTTOM_COLOUR = HIGHLIGHT_COLOUR


def extremes(counties: pd.DataFrame, column: str = "combined_index") -> dict:
    """The ``control_index`` facts of a title: the first and the last county by ``rank`` (ties by
    region code), as the summary's ``best`` and ``worst`` lists hold them; empty lists when ``column``
    is not the combined index the ranks are of."""
    if column != "combined_index" or "rank" not in counties.columns:
        return {"best": [], "worst": []}
    ranked = counties.dropna(subset=["rank", column]).sort_values(["rank", "region_code"])
    items = [
        {
            "region_code": str(row["region_code"]),
            "name_en": None if pd.isna(row.get("name_en")) else str(row.get("name_en")),
            "name_zh": None if pd.isna(row.get("name_zh")) else str(row.get("name_zh")),
            "combined_index": float(row[column]),
        }
        for _, row in ranked.iterrows()
    ]
    return {"best": items[:1], "worst": items[-1:]}


def _titles(finding: str | None, neutral_key: str, title: str | None, subtitle: str | None, lang: str):
    if title:
        return title, subtitle
    return findings.headline(finding, label(neutral_key, lang), subtitle, lang)


def ranking_chart(
    counties: pd.DataFrame,
    n: int | None = None,
    lang: str = "en",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
    column: str = "combined_index",
) -> Figure:
    """The ``n`` highest and ``n`` lowest counties by index, as two dot plots side by side.

    Parameters
    ----------
    counties : DataFrame
        One row per county: ``region_code``, ``name_en``, ``name_zh``, ``column`` (0–100),
        ``rank`` and ``complete`` (False: an indicator was missing; drawn hollow).
    n : int, optional
        Counties per panel; default: how many a ranking names in public, ``[ranking] named`` of
        ``rules.toml`` (:class:`~epianalysis.topics.control_index.rules.Registry`).
    title : str, optional
        Default: the finding "Chun'an ranks first (97.97), Yueqing last (84.77)"
        (:func:`epianalysis.text.findings.ci_extremes`) over the topic.

    Returns
    -------
    matplotlib.figure.Figure
        Dots carry gids ``top-<code>`` / ``bottom-<code>``. The x axis shows the range of the
        values drawn (a dot plot need not start at 0); each dot is labelled with its value.
    """
    require_columns(
        counties, ["region_code", "name_en", "name_zh", column, "rank", "complete"], "ranking_chart.counties"
    )
    ranked = counties.dropna(subset=[column]).sort_values([column, "region_code"], ascending=[False, True])
    if ranked.empty:
        raise DataError(
            "ranking_chart.counties: no county has an index",
            [Violation("ranking_chart.counties", None, column, "not_all_missing")],
        )
    n = min(load_registry().ranking_named if n is None else n, math.ceil(len(ranked) / 2))
    top, bottom = ranked.head(n), ranked.tail(n).iloc[::-1]
    name = "name_zh" if lang == "zh" else "name_en"
    values = ranked[column].astype(float)
    low = math.floor(float(values.min()) - 1)
    high = min(100.0, math.ceil(float(values.max()) + 1)) if values.max() <= 100 else math.ceil(values.max())
    incomplete_any = False
    with press_style(lang) as rc:
        fig = new_figure("wide")
        width, gap, left0 = 0.33, 0.16, 0.16
        for k, (part, colour, key) in enumerate(((top, TOP_COLOUR, "top"), (bottom, BOTTOM_COLOUR, "bottom"))):
            ax = fig.add_axes((left0 + k * (width + gap), 0.15, width, 0.61))
            y = np.arange(len(part))[::-1]
            for yi, (_, row) in zip(y, part.iterrows(), strict=True):
                complete = bool(row["complete"])
                incomplete_any |= not complete
                v = float(row[column])
                ax.hlines(yi, low, v, color=INK["grid"], linewidth=1.2, zorder=1)
                ax.plot(
                    [v],
                    [yi],
                    marker="o",
                    markersize=9,
                    linestyle="none",
                    zorder=3,
                    markerfacecolor=colour if complete else "white",
                    markeredgecolor=colour,
                    markeredgewidth=1.8,
                    gid=f"{key}-{row['region_code']}",
                )
                ax.annotate(
                    fmt.index(v, lang),
                    xy=(v, yi),
                    xytext=(8, 0),
                    textcoords="offset points",
                    va="center",
                    ha="left",
                    fontsize=11,
                    color=INK["text"],
                )
            ax.set_yticks(y, [f"{int(r['rank'])}. {r[name]}" for _, r in part.iterrows()])
            ax.set_ylim(-0.7, len(part) - 0.3)
            ax.set_xlim(low, high + (high - low) * 0.12)
            ax.grid(axis="y", visible=False)
            ax.grid(axis="x", visible=True)
            ax.xaxis.set_major_formatter(number_formatter(lang))
            ax.tick_params(axis="y", length=0, labelsize=12)
            ax.text(
                0.0,
                1.03,
                label(f"control_index.{key}", lang, n=len(part)),
                transform=ax.transAxes,
                ha="left",
                va="bottom",
                fontsize=14,
                gid=f"panel-{key}",
                **emphasis(colour, lang),
            )
            ax.text(
                1.0,
                1.03,
                label("control_index.axis", lang),
                transform=ax.transAxes,
                ha="right",
                va="bottom",
                fontsize=12,
                color=INK["muted"],
                gid=f"axis-label-{key}",
            )
            fix_tick_fonts(ax, rc)
        notes = [label("control_index.method_note", lang)]
        if incomplete_any:
            notes.insert(0, label("control_index.incomplete_note", lang))
        finding = findings.ci_extremes({"control_index": extremes(counties, column)}, lang)
        title, subtitle = _titles(finding, "control_index.ranking_title", title, subtitle, lang)
        add_frame(
            fig,
            title=title,
            subtitle=subtitle,
            source=source,
            synthetic=synthetic,
            lang=lang,
            notes=notes,
        )
    return fig


def province_average_chart(
    province: pd.DataFrame,
    lang: str = "en",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
    reference: dict | None = None,
) -> Figure:
    """The province average of the index over time: simple mean and population-weighted mean.

    Parameters
    ----------
    province : DataFrame
        :func:`~epianalysis.topics.control_index.metrics.province_average` output (``date``,
        ``simple_mean``, ``population_weighted_mean``).
    reference : dict, optional
        A published value ``{"date": ISO, "value": float}``, drawn as a marked point when its date
        is within the range shown.
    title : str, optional
        Default: the finding "Precision control index averages 95.68" (the simple mean on the last
        date, :func:`epianalysis.text.findings.ci_average`) over the topic.
    """
    require_columns(province, ["date", "simple_mean", "population_weighted_mean"], "province_average_chart.province")
    data = province.sort_values("date")
    if data.empty:
        raise DataError(
            "province_average_chart.province: no rows",
            [Violation("province_average_chart.province", None, "date", "not_empty")],
        )
    dates = pd.to_datetime(data["date"])
    x = dates.to_numpy()
    simple = data["simple_mean"].astype("Float64").astype(float).to_numpy()
    weighted = data["population_weighted_mean"].astype("Float64").astype(float).to_numpy()
    with press_style(lang) as rc:
        fig = new_figure("wide")
        ax = add_plot_axes(fig)
        (l1,) = ax.plot(
            x, simple, color=TOP_COLOUR, linewidth=2.6, label=label("control_index.simple_mean", lang), gid="simple"
        )
        (l2,) = ax.plot(
            x,
            weighted,
            color=SEQUENTIAL_BLUES[3],
            linewidth=2.0,
            linestyle=(0, (5, 3)),
            label=label("control_index.weighted_mean", lang),
            gid="weighted",
        )
        handles: list[object] = [l1, l2]
        last = int(np.flatnonzero(~np.isnan(simple))[-1])
        ax.annotate(
            fmt.index(simple[last], lang),
            xy=(x[last], simple[last]),
            xytext=(-8, 10),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=14,
            gid="latest_label",
            **emphasis(TOP_COLOUR, lang),
        )
        if reference is not None:
            ref_day = pd.Timestamp(reference["date"])
            if dates.min() <= ref_day <= dates.max() + pd.Timedelta(days=1):
                ax.plot(
                    [ref_day],
                    [reference["value"]],
                    marker="D",
                    markersize=8,
                    linestyle="none",
                    color=HIGHLIGHT_COLOUR,
                    zorder=5,
                    gid="published",
                )
                handles.append(
                    Line2D(
                        [],
                        [],
                        marker="D",
                        linestyle="none",
                        color=HIGHLIGHT_COLOUR,
                        label=label(
                            "control_index.published_point",
                            lang,
                            value=fmt.index(reference["value"], lang),
                            date=fmt.date(ref_day, lang, "day_month"),
                        ),
                    )
                )
        finite = np.concatenate([simple[~np.isnan(simple)], weighted[~np.isnan(weighted)]])
        ax.set_ylim(max(0.0, math.floor(finite.min() / 10) * 10), 100)
        ax.yaxis.set_major_formatter(number_formatter(lang))
        latest = {"province_simple_mean": float(simple[-1])} if np.isfinite(simple[-1]) else {}
        title, subtitle = _titles(
            findings.ci_average({"control_index": latest}, lang), "control_index.province_title", title, subtitle, lang
        )
        span_end = max(dates.max(), pd.Timestamp(reference["date"]) if reference else dates.max())
        ax.set_xlim(dates.min() - pd.Timedelta(days=1), span_end + pd.Timedelta(days=1))
        finish_dated_chart(
            fig,
            ax,
            rc,
            value_label=label("control_index.axis", lang),
            start=dates.min().date(),
            end=span_end.date(),
            handles=handles,
            title=title,
            subtitle=subtitle,
            source=source,
            synthetic=synthetic,
            lang=lang,
            notes=[label("control_index.method_note", lang)],
        )
    return fig


def index_map(
    counties: pd.DataFrame,
    lang: str = "en",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
    column: str = "combined_index",
) -> Figure:
    """The 90 counties filled by the index (continuous, :func:`epianalysis.charts.maps.choropleth`).

    The colour scale runs from the lowest county value (rounded down to 5) to 100; counties
    without an index are grey and counted as unknown. Default title: the finding of
    :func:`ranking_chart` (first and last county) over the topic.
    """
    require_columns(counties, ["region_code", column], "index_map.counties")
    values = counties[["region_code", column]].copy()
    values[column] = values[column].astype("Float64").astype(float)
    present = values[column].dropna()
    vmin = math.floor(float(present.min()) / 5) * 5 if len(present) else 0.0
    finding = findings.ci_extremes({"control_index": extremes(counties, column)}, lang)
    title, subtitle = _titles(finding, "control_index.map_title", title, subtitle, lang)
    return maps.choropleth(
        values,
        lang=lang,
        title=title,
        subtitle=subtitle,
        source=source,
        synthetic=synthetic,
        value_column=column,
        vmin=min(vmin, 95.0),
        vmax=100.0,
        value_label=label("control_index.axis", lang),
    )
