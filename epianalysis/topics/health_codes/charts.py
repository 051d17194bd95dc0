"""Charts of the health code: share green over time, yellow and red holders with conversions to green.

Each function takes the province series of :func:`epianalysis.topics.health_codes.view.province_series`
and returns a press-styled :class:`matplotlib.figure.Figure`; no global state changes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from epianalysis.charts.dated import finish_dated_chart
from epianalysis.charts.inputs import require_columns
from epianalysis.charts.palettes import HIGHLIGHT_COLOUR, LINE_COLOUR, RISK_COLOURS
from epianalysis.charts.style import (
    add_plot_axes,
    emphasis,
    new_figure,
    press_style,
    thousands_formatter,
)
from epianalysis.charts.ticks import percent_formatter
from epianalysis.text import findings
from epianalysis.text import format as fmt
from epianalysis.text.labels import label

GREEN = RISK_COLOURS["green"]


def _checked(series: pd.DataFrame, columns: list[str], table: str) -> pd.DataFrame:
    require_columns(series, ["date", *columns], table, empty="no rows")
    return series.sort_values("date").reset_index(drop=True)


def peak_facts(series: pd.DataFrame) -> dict:
    """The ``health_codes`` facts of the counts chart's title: ``yellow`` and ``red`` on the last date
    (``data_date``) and ``peak``, the date (the first, on a tie) and number of the most yellow and red
    holders together; missing counts stay missing (no peak is found across them)."""
    data = series.sort_values("date").reset_index(drop=True)
    both = data["yellow"].astype("Float64") + data["red"].astype("Float64")
    last = data.iloc[-1]
    facts = {
        "data_date": pd.Timestamp(last["date"]).date().isoformat(),
        "yellow": None if pd.isna(last["yellow"]) else float(last["yellow"]),
        "red": None if pd.isna(last["red"]) else float(last["red"]),
    }
    if both.isna().any() or both.empty:
        return facts
    top = int(both.astype(float).to_numpy().argmax())
    return {
        **facts,
        "peak": {"date": pd.Timestamp(data["date"].iloc[top]).date().isoformat(), "yellow_red": float(both.iloc[top])},
    }


def share_green_chart(
    series: pd.DataFrame,
    lang: str = "en",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
    reference: dict | None = None,
) -> Figure:
    """Share of codes held that are green, per day (province), with the published point if in range.

    Parameters
    ----------
    series : DataFrame
        ``date`` and ``share_green`` (a fraction).
    reference : dict, optional
        ``{"date": ISO, "share_green": fraction, "codes": count}`` (94.7 % of 14,989,000 codes on
        2020-02-17), marked when in range.
    title : str, optional
        Default: the finding "98.7% of health codes green" (the share on the last date,
        :func:`epianalysis.text.findings.share_green`) over the topic.
    """
    data = _checked(series, ["share_green"], "share_green_chart.series")
    dates = pd.to_datetime(data["date"])
    pct = data["share_green"].astype("Float64").astype(float).to_numpy() * 100
    with press_style(lang) as rc:
        fig = new_figure("wide")
        ax = add_plot_axes(fig)
        (line,) = ax.plot(
            dates.to_numpy(),
            pct,
            color=GREEN,
            linewidth=2.6,
            marker="o",
            markersize=3.5,
            label=label("health_codes.share_line", lang),
            gid="share_green",
        )
        handles: list[object] = [line]
        if reference is not None and dates.min() <= pd.Timestamp(reference["date"]) <= dates.max():
            ax.plot(
                [pd.Timestamp(reference["date"])],
                [reference["share_green"] * 100],
                marker="D",
                markersize=9,
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
                        "health_codes.published_point",
                        lang,
                        share=fmt.percent(reference["share_green"], lang),
                        codes=fmt.count(reference.get("codes"), lang),
                        date=fmt.date(reference["date"], lang, "day_month"),
                    ),
                )
            )
        if (~np.isnan(pct)).any():
            last = int(np.flatnonzero(~np.isnan(pct))[-1])
            ax.annotate(
                fmt.percent(data["share_green"].iloc[last], lang),
                xy=(dates.iloc[last], pct[last]),
                xytext=(-6, 10),
                textcoords="offset points",
                ha="right",
                va="bottom",
                fontsize=14,
                gid="latest_label",
                **emphasis(GREEN, lang),
            )
        low = float(np.nanmin(pct)) if (~np.isnan(pct)).any() else 90.0
        ax.set_ylim(min(90.0, np.floor(low) - 1), 100.5)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6))
        ax.yaxis.set_major_formatter(percent_formatter(lang))
        ax.set_xlim(dates.min() - pd.Timedelta(days=1), dates.max() + pd.Timedelta(days=1))
        if not title:
            last_share = data["share_green"].astype("Float64").astype(float).iloc[-1]
            title, subtitle = findings.headline(
                findings.share_green({"health_codes": {"share_green": last_share}}, lang),
                label("health_codes.share_title", lang),
                subtitle,
                lang,
            )
        finish_dated_chart(
            fig,
            ax,
            rc,
            value_label=label("health_codes.share_axis", lang),
            start=dates.min().date(),
            end=dates.max().date(),
            handles=handles,
            title=title,
            subtitle=subtitle,
            source=source,
            synthetic=synthetic,
            lang=lang,
            notes=[label("health_codes.rules_note", lang)],
        )
    return fig


def colour_counts_chart(
    series: pd.DataFrame,
    lang: str = "en",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
) -> Figure:
    """Residents holding a yellow and a red code per day (stacked areas), and those who turned green.

    Parameters
    ----------
    series : DataFrame
        ``date``, ``yellow``, ``red`` (holders) and ``to_green`` (red → green + yellow → green that day).
    title : str, optional
        Default: the finding "Yellow and red codes down 44% from the peak of 20 Feb" (the last day
        against the highest, :func:`epianalysis.text.findings.below_peak`) over the topic.
    """
    data = _checked(series, ["yellow", "red", "to_green"], "colour_counts_chart.series")
    dates = pd.to_datetime(data["date"]).to_numpy()
    red = data["red"].astype("Float64").fillna(0).astype(float).to_numpy()
    yellow = data["yellow"].astype("Float64").fillna(0).astype(float).to_numpy()
    to_green = data["to_green"].astype("Float64").astype(float).to_numpy()
    with press_style(lang) as rc:
        fig = new_figure("wide")
        ax = add_plot_axes(fig)
        ax.stackplot(
            dates,
            red,
            yellow,
            colors=[RISK_COLOURS["red"], RISK_COLOURS["yellow"]],
            linewidth=0,
            alpha=0.9,
            gid="holders",
        )
        (line,) = ax.plot(
            dates,
            to_green,
            color=LINE_COLOUR,
            linewidth=2.2,
            label=label("health_codes.to_green_line", lang),
            gid="to_green",
        )
        handles = [  # no legend entry for a colour no one held, nor for conversions that never happened
            Patch(facecolor=RISK_COLOURS[colour], label=label(f"health_codes.colour_{colour}", lang))
            for colour, values in (("red", red), ("yellow", yellow))
            if (values > 0).any()
        ]
        if (np.nan_to_num(to_green) > 0).any():
            handles.append(line)
        ax.set_ylim(0, max(1.0, float(np.nanmax(np.r_[red + yellow, np.nan_to_num(to_green)]))) * 1.08)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        ax.yaxis.set_major_formatter(thousands_formatter(lang))
        start, end = pd.Timestamp(dates.min()), pd.Timestamp(dates.max())
        ax.set_xlim(start - pd.Timedelta(days=1), end + pd.Timedelta(days=1))
        if not title:
            title, subtitle = findings.headline(
                findings.below_peak({"health_codes": peak_facts(data)}, lang),
                label("health_codes.counts_title", lang),
                subtitle,
                lang,
            )
        finish_dated_chart(
            fig,
            ax,
            rc,
            value_label=label("health_codes.counts_axis", lang),
            start=start.date(),
            end=end.date(),
            handles=handles,
            title=title,
            subtitle=subtitle,
            source=source,
            synthetic=synthetic,
            lang=lang,
            notes=[label("health_codes.rules_note", lang)],
        )
    return fig
