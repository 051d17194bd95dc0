"""The Rt chart of the transmission briefing: the estimate of each 7-day window with its 95 % credible
interval, the line R = 1, windows with too few cases marked (no estimate is drawn for them) and the
provisional last week shaded.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from epianalysis.charts.dated import finish_dated_chart
from epianalysis.charts.inputs import require_columns
from epianalysis.charts.palettes import INK, LINE_COLOUR, LOCAL_COLOUR
from epianalysis.charts.style import (
    add_plot_axes,
    new_figure,
    press_style,
)
from epianalysis.charts.ticks import number_formatter
from epianalysis.text import findings
from epianalysis.text.labels import label

COLUMNS = ["date", "mean", "lower", "upper", "suppressed", "provisional"]


def latest_side(rt: pd.DataFrame) -> dict:
    """The ``transmission`` facts a title needs: ``latest`` (the last estimated window's ``lower`` and
    ``upper``) and ``side_since``, the end date of the first window of the unbroken run of estimated
    windows that lie on the same side of 1 as the latest (its 95 % credible interval entirely below,
    or entirely above); ``None`` when the latest interval contains 1. Windows with too few cases
    after the latest estimate do not end the run; one before it does."""
    data = rt.sort_values("date").reset_index(drop=True)
    estimated = ~data["suppressed"].astype(bool).to_numpy()
    if not estimated.any():
        return {"latest": None, "side_since": None}
    lower, upper = data["lower"].astype(float).to_numpy(), data["upper"].astype(float).to_numpy()
    side = np.where(upper < 1, -1, np.where(lower > 1, 1, 0)) * estimated
    last = int(np.flatnonzero(estimated)[-1])
    latest = {"lower": float(lower[last]), "upper": float(upper[last])}
    if side[last] == 0:
        return {"latest": latest, "side_since": None}
    first = last
    while first > 0 and side[first - 1] == side[last]:
        first -= 1
    return {"latest": latest, "side_since": pd.Timestamp(data["date"].iloc[first]).date().isoformat()}


def rt_chart(
    rt: pd.DataFrame,
    split_known: bool = True,
    lang: str = "en",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
) -> Figure:
    """Rt by the end date of its window (:func:`epianalysis.topics.transmission.metrics.cori_rt`).

    Parameters
    ----------
    rt : DataFrame
        ``date`` (window end), ``mean``, ``lower``, ``upper``, ``suppressed``, ``provisional``.
    split_known : bool
        ``False`` when every case was counted as local because the data give no local/imported
        split; the chart then says so in its subtitle.
    title : str, optional
        Default: the finding "Rt below 1 since 6 Feb" (:func:`latest_side`,
        :func:`epianalysis.text.findings.rt_side`) with the topic before the subtitle, else the topic.
    """
    require_columns(rt, COLUMNS, "rt_chart.rt", empty="no window to plot")
    data = rt.sort_values("date").reset_index(drop=True)
    dates = pd.to_datetime(data["date"])
    shown = ~data["suppressed"].astype(bool).to_numpy()
    mean = np.where(shown, data["mean"].astype(float), np.nan)
    lower = np.where(shown, data["lower"].astype(float), np.nan)
    upper = np.where(shown, data["upper"].astype(float), np.nan)
    with press_style(lang) as rc:
        fig = new_figure("wide")
        ax = add_plot_axes(fig)
        ax.fill_between(dates, lower, upper, color=LOCAL_COLOUR, alpha=0.22, linewidth=0, gid="interval")
        (line,) = ax.plot(
            dates, mean, color=LOCAL_COLOUR, linewidth=2.6, label=label("transmission.rt_line", lang), gid="rt"
        )
        ax.axhline(1.0, color=LINE_COLOUR, linewidth=1.2, linestyle=(0, (4, 3)), gid="threshold")
        ax.annotate(
            label("transmission.threshold", lang),
            xy=(1.0, 1.0),
            xycoords=("axes fraction", "data"),
            xytext=(0, 4),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=12,
            color=LINE_COLOUR,
            gid="threshold_label",
        )
        top = float(np.nanmax(upper)) if shown.any() else 2.0
        ax.set_ylim(0, max(2.0, top * 1.08))
        ax.yaxis.set_major_formatter(number_formatter(lang))
        handles: list[object] = [
            line,
            Patch(facecolor=LOCAL_COLOUR, alpha=0.22, label=label("transmission.interval", lang)),
        ]
        if (~shown).any():
            ax.plot(
                dates[~shown],
                np.zeros((~shown).sum()),
                linestyle="none",
                marker="|",
                markersize=14,
                color=INK["muted"],
                clip_on=False,
                gid="suppressed",
            )
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="|",
                    markersize=14,
                    color=INK["muted"],
                    label=label("transmission.suppressed_marker", lang),
                )
            )
        provisional = dates[data["provisional"].astype(bool).to_numpy()]
        if len(provisional):
            ax.axvspan(
                provisional.min() - pd.Timedelta(hours=12),
                provisional.max() + pd.Timedelta(hours=12),
                color=INK["muted"],
                alpha=0.10,
                linewidth=0,
                gid="provisional",
            )
            handles.append(
                Patch(facecolor=INK["muted"], alpha=0.10, label=label("transmission.provisional_span", lang))
            )
        ax.set_xlim(dates.min() - pd.Timedelta(days=1), dates.max() + pd.Timedelta(days=1))
        if not title:
            title, subtitle = findings.headline(
                findings.rt_side({"transmission": latest_side(data)}, lang),
                label("transmission.title", lang),
                subtitle,
                lang,
            )
        notes = [label("transmission.method_note", lang)]
        if not split_known:
            subtitle = label("transmission.subtitle_split_unknown", lang, subtitle=subtitle or "")
        finish_dated_chart(
            fig,
            ax,
            rc,
            value_label=label("transmission.axis", lang),
            start=dates.min().date(),
            end=dates.max().date(),
            handles=handles,
            title=title,
            subtitle=subtitle,
            source=source,
            synthetic=synthetic,
            lang=lang,
            notes=notes,
        )
    return fig
