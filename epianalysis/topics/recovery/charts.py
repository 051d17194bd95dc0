"""The two epidemic charts of the recovery briefing: the epidemic curve, and the discharge-rate curve
(drawn in :mod:`epianalysis.topics.recovery.discharge_chart`, named here too).

Both take a tidy frame (one row per date), check it, and return a press-styled
:class:`matplotlib.figure.Figure`; they change no global state and write no files (see
:func:`epianalysis.charts.export.save_figure`). Nothing is clipped or dropped: a negative daily
count (a revision) is drawn below zero, hatched and labelled; a discharge rate above 100 % stays
on the chart, marked and explained; missing days are marked and counted in a note.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from epianalysis.charts.dated import finish_dated_chart
from epianalysis.charts.inputs import daily_series
from epianalysis.charts.palettes import (
    IMPORTED_COLOUR,
    INK,
    LINE_COLOUR,
    LOCAL_COLOUR,
    REVISION_COLOUR,
)
from epianalysis.charts.style import (
    add_plot_axes,
    data_date_subtitle,
    emphasis,
    new_figure,
    press_style,
    thousands_formatter,
)
from epianalysis.epidemic import trailing_mean
from epianalysis.text import findings
from epianalysis.text import format as fmt
from epianalysis.text.labels import label
from epianalysis.topics.recovery.discharge_chart import discharge_rate_curve as discharge_rate_curve  # re-exported

BAR_WIDTH_DAYS = 0.8


def _x(index: pd.DatetimeIndex) -> np.ndarray:
    return mdates.date2num(index.to_pydatetime())


def days_without_new_case(new: pd.Series) -> int | None:
    """Days from the last day with a new case (``new > 0``) to the last day of the daily series, as
    :func:`epianalysis.epidemic.days_since_last_new_case` counts them: ``None`` when no day had a
    case or a day after the last case is missing (the last case may lie in the gap)."""
    values = new.to_numpy(dtype=float)
    cases = np.flatnonzero(values > 0)
    if not len(cases) or np.isnan(values[cases[-1] + 1 :]).any():
        return None
    return int(len(values) - 1 - cases[-1])


def epidemic_curve(
    daily: pd.DataFrame,
    lang: str = "en",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
    mean_window: int | None = 7,
    size: str = "wide",
) -> Figure:
    """Daily new confirmed cases as stacked bars, local below imported, with a trailing mean.

    Parameters
    ----------
    daily : DataFrame
        One row per date: ``date``, ``new_local``, ``new_imported`` (daily increments of the
        cumulative counts: ``new_D = confirmed_D - confirmed_{D-1}``). Missing values are allowed and
        marked; negative values are revisions and are drawn below zero, hatched and labelled.
    lang : {"en", "zh"}
    title, subtitle : str, optional
        Defaults: the finding "No new local case for 9 days" when the series ends with days
        without a local case (:func:`epianalysis.text.findings.no_local_case`), with "Daily new
        confirmed cases · Data as of <last date>, 24:00" as subtitle; else that topic as title.
    source : str, optional
        Printed as "Source: ..." in the footer.
    synthetic : bool
        Adds "synthetic scenario" / "合成情景数据" to the source line.
    mean_window : int or None
        Window of the trailing mean of local + imported (:func:`epianalysis.epidemic.trailing_mean`); ``None`` for none.
    size : {"wide", "square"}

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        Missing columns, unparseable or duplicate dates, non-numeric or non-integer counts.
    MissingFontError
        ``lang="zh"`` without a CJK font.
    """
    data = daily_series(daily, ["new_local", "new_imported"], "epidemic_curve.daily", integer=True)
    # The first day of a series has no previous day to difference against: the curve starts after it.
    first = data[["new_local", "new_imported"]].notna().any(axis=1)
    if first.any():
        data = data.loc[first.idxmax() :]
    local = data["new_local"]
    imported = data["new_imported"]
    split_known = bool(imported.notna().any())
    if not split_known:  # a source without the local/imported split: one series of all cases
        imported = pd.Series(0.0, index=data.index).where(local.notna())
    x = _x(data.index)
    with press_style(lang) as rc:
        fig = new_figure(size)
        ax = add_plot_axes(fig, size)
        loc_pos = local.clip(lower=0).fillna(0).to_numpy()
        imp_pos = imported.clip(lower=0).fillna(0).to_numpy()
        loc_neg = local.clip(upper=0).fillna(0).to_numpy()
        imp_neg = imported.clip(upper=0).fillna(0).to_numpy()
        handles: list[object] = []
        shown = loc_pos > 0
        bars = ax.bar(
            x[shown],
            loc_pos[shown],
            width=BAR_WIDTH_DAYS,
            color=LOCAL_COLOUR,
            label=label("recovery.local_cases" if split_known else "recovery.all_cases", lang),
            gid="local",
            linewidth=0,
        )
        if (loc_pos > 0).any() or (loc_neg < 0).any():  # no legend entry for a series without data
            handles.append(Patch(facecolor=LOCAL_COLOUR, label=bars.get_label()))
        if split_known:
            shown = imp_pos > 0
            bars = ax.bar(
                x[shown],
                imp_pos[shown],
                bottom=loc_pos[shown],
                width=BAR_WIDTH_DAYS,
                color=IMPORTED_COLOUR,
                label=label("recovery.imported_cases", lang),
                gid="imported",
                linewidth=0,
            )
            if (imp_pos > 0).any() or (imp_neg < 0).any():
                handles.append(Patch(facecolor=IMPORTED_COLOUR, label=bars.get_label()))
        revised = (loc_neg < 0) | (imp_neg < 0)
        for values, bottom, colour, gid in (
            (loc_neg, np.zeros_like(loc_neg), LOCAL_COLOUR, "revision_local"),
            (imp_neg, loc_neg, IMPORTED_COLOUR, "revision_imported"),
        ):
            shown = values < 0
            if shown.any():
                ax.bar(
                    x[shown],
                    values[shown],
                    bottom=bottom[shown],
                    width=BAR_WIDTH_DAYS,
                    facecolor="white",
                    edgecolor=colour,
                    hatch="////",
                    linewidth=1.0,
                    gid=gid,
                )
        if revised.any():
            handles.append(
                Patch(
                    facecolor="white", edgecolor=REVISION_COLOUR, hatch="////", label=label("recovery.revision", lang)
                )
            )
            for xi, low in zip(x[revised], (loc_neg + imp_neg)[revised], strict=True):
                ax.annotate(
                    fmt.count(low, lang),
                    xy=(xi, low),
                    xytext=(0, -4),
                    textcoords="offset points",
                    ha="center",
                    va="top",
                    fontsize=11,
                    gid="revision_label",
                    **emphasis(REVISION_COLOUR, lang),
                )
        ax.axhline(0, color=INK["axis"], linewidth=1.0, zorder=3)

        total = local + imported
        if mean_window:
            mean = trailing_mean(total, mean_window).to_numpy()
            if np.isfinite(mean).any():
                (line,) = ax.plot(
                    x,
                    mean,
                    color=LINE_COLOUR,
                    linewidth=2.4,
                    zorder=4,
                    gid="trailing_mean",
                    label=label("recovery.trailing_mean", lang, window=mean_window),
                )
                handles.append(line)
        gaps = total.isna().to_numpy()
        if gaps.any():
            ax.plot(
                x[gaps],
                np.zeros(int(gaps.sum())),
                linestyle="none",
                marker="x",
                markersize=8,
                markeredgewidth=1.6,
                color=INK["muted"],
                zorder=5,
                gid="missing",
            )

        lows = loc_neg + imp_neg
        highs = loc_pos + imp_pos
        top = max(1.0, float(np.nanmax(np.append(highs, np.nan_to_num(mean if mean_window else highs)))))
        low = float(lows.min())
        # Room below the lowest revision for its label (about a tenth of the value range).
        bottom = low - 0.07 * (top - low) if low < 0 else 0.0
        ax.set_ylim(bottom, top * 1.08)
        ax.set_xlim(x[0] - 0.8, x[-1] + 0.8)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        ax.yaxis.set_major_formatter(thousands_formatter(lang))
        notes = []
        if revised.any():
            notes.append(label("recovery.revision_note", lang))
        if gaps.any():
            notes.append(label("recovery.missing_days_note", lang, count=int(gaps.sum())))
        days = days_without_new_case(local)
        facts = {"days_since_last_local_case": days, "flags": [] if split_known else ["local_split_unknown"]}
        if not title:
            title, subtitle = findings.headline(
                findings.no_local_case({"recovery": facts}, lang),
                label("recovery.epidemic_curve_title", lang),
                subtitle or data_date_subtitle(data.index[-1], lang),
                lang,
            )
        finish_dated_chart(
            fig,
            ax,
            rc,
            value_label=label("recovery.epidemic_curve_ylabel", lang),
            start=data.index[0].date(),
            end=data.index[-1].date(),
            handles=handles,
            title=title,
            subtitle=subtitle,
            source=source,
            synthetic=synthetic,
            lang=lang,
            notes=notes,
            size=size,
        )
    return fig
