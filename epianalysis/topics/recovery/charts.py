"""The two epidemic charts of the recovery briefing: the epidemic curve and the discharge-rate curve.

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
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, MaxNLocator, PercentFormatter

from epianalysis.charts.dated import finish_dated_chart
from epianalysis.charts.inputs import daily_series
from epianalysis.charts.palettes import (
    HIGHLIGHT_COLOUR,
    IMPORTED_COLOUR,
    INK,
    LINE_COLOUR,
    LOCAL_COLOUR,
    REVISION_COLOUR,
    SEQUENTIAL_BLUES,
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
from epianalysis.errors import DataError, Violation
from epianalysis.text import format as fmt
from epianalysis.text.labels import label

BAR_WIDTH_DAYS = 0.8


def _x(index: pd.DatetimeIndex) -> np.ndarray:
    return mdates.date2num(index.to_pydatetime())


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
        Defaults: "Daily new confirmed cases" and "Data as of <last date>, 24:00" (in ``lang``).
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
        handles.append(Patch(facecolor=LOCAL_COLOUR, label=bars.get_label()))  # an empty container has no colour
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
        finish_dated_chart(
            fig,
            ax,
            rc,
            value_label=label("recovery.epidemic_curve_ylabel", lang),
            start=data.index[0].date(),
            end=data.index[-1].date(),
            handles=handles,
            title=title or label("recovery.epidemic_curve_title", lang),
            subtitle=subtitle or data_date_subtitle(data.index[-1], lang),
            source=source,
            synthetic=synthetic,
            lang=lang,
            notes=notes,
            size=size,
        )
    return fig


def discharge_rate_curve(
    df: pd.DataFrame,
    lang: str = "en",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
    size: str = "wide",
) -> Figure:
    """The cumulative discharge rate over time, in percent, with the latest value annotated.

    Parameters
    ----------
    df : DataFrame
        One row per date: ``date``, ``discharge_rate`` as a fraction, i.e. cumulative discharged /
        cumulative confirmed (docs/methods.md#discharge-rate; e.g. 943 / 1205 = 78.26 % for Zhejiang,
        press conference of 2020-02-28). Missing values are allowed (gaps in the line). A value above 1
        (Hangzhou, 2 Mar 2020: 170 / 169 = 100.6 %) is kept, drawn in red above the 100 % line and
        explained.
    lang : {"en", "zh"}
    title, subtitle, source, synthetic, size
        As in :func:`epidemic_curve`.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    DataError
        Missing columns, bad or duplicate dates, non-numeric, infinite or negative rates.
    MissingFontError
        ``lang="zh"`` without a CJK font.
    """
    table = "discharge_rate_curve.df"
    data = daily_series(df, ["discharge_rate"], table, integer=False)
    rate = data["discharge_rate"]
    negative = rate.to_numpy() < 0
    if negative.any():
        raw_dates = pd.to_datetime(df["date"]).dt.normalize()
        violations = [
            Violation(
                table,
                int(np.flatnonzero(raw_dates.to_numpy() == day)[0]) + 1,
                "discharge_rate",
                "non_negative",
                repr(float(value)),
            )
            for day, value in rate[negative].items()
        ]
        raise DataError(f"{table}: discharge rate below zero", violations)
    if rate.isna().all():
        raise DataError(
            f"{table}: every discharge rate is missing", [Violation(table, None, "discharge_rate", "not_all_missing")]
        )
    # Before the first case the rate is undefined (0 / 0), not missing: the line starts at the first value.
    first = rate.first_valid_index()
    data, rate = data.loc[first:], rate.loc[first:]
    x = _x(data.index)
    pct = rate.to_numpy() * 100.0
    with press_style(lang) as rc:
        fig = new_figure(size)
        ax = add_plot_axes(fig, size)
        line_colour = SEQUENTIAL_BLUES[-1]
        ax.axhline(100, color=INK["muted"], linewidth=1.0, linestyle=(0, (4, 3)), zorder=2, gid="reference_100")
        (line,) = ax.plot(
            x,
            pct,
            color=line_colour,
            linewidth=2.6,
            marker="o",
            markersize=3.5,
            zorder=4,
            label=label("recovery.discharge_rate_line", lang),
            gid="discharge_rate",
        )
        above = np.nan_to_num(pct, nan=0.0) > 100.0
        handles: list[object] = [line]
        if above.any():
            ax.plot(
                x[above],
                pct[above],
                linestyle="none",
                marker="o",
                markersize=8,
                zorder=5,
                markerfacecolor=HIGHLIGHT_COLOUR,
                markeredgecolor="white",
                gid="above_100",
            )
            peak = int(np.flatnonzero(above)[np.argmax(pct[above])])
            ax.annotate(
                fmt.percent(rate.iloc[peak], lang),
                xy=(x[peak], pct[peak]),
                xytext=(0, 9),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=12,
                gid="above_100_label",
                **emphasis(HIGHLIGHT_COLOUR, lang),
            )
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markersize=8,
                    markerfacecolor=HIGHLIGHT_COLOUR,
                    markeredgecolor="white",
                    label=label("recovery.above_100", lang),
                )
            )
        last = int(np.flatnonzero(~np.isnan(pct))[-1])
        ax.plot(
            [x[last]],
            [pct[last]],
            marker="o",
            markersize=9,
            color=line_colour,
            zorder=6,
            markeredgecolor="white",
            markeredgewidth=1.5,
        )
        ax.annotate(
            label("recovery.discharge_rate_latest", lang, value=fmt.percent(rate.iloc[last], lang)),
            xy=(x[last], pct[last]),
            xytext=(-12, 12),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=14,
            gid="latest_label",
            **emphasis(line_colour, lang),
        )
        notes = [label("recovery.above_100_note", lang)] if above.any() else []
        gaps = int(np.isnan(pct).sum())
        if gaps:
            notes.append(label("recovery.gaps_note", lang, count=gaps))
        top = max(100.0, float(np.nanmax(pct)))
        ax.set_ylim(0, top + 10)
        ax.yaxis.set_major_locator(FixedLocator([0, 20, 40, 60, 80, 100]))
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0, symbol="%"))
        ax.set_xlim(x[0] - 0.8, x[-1] + 0.8)
        finish_dated_chart(
            fig,
            ax,
            rc,
            value_label=label("recovery.discharge_rate_ylabel", lang),
            start=data.index[0].date(),
            end=data.index[-1].date(),
            handles=handles,
            title=title or label("recovery.discharge_rate_title", lang),
            subtitle=subtitle or data_date_subtitle(data.index[-1], lang),
            source=source,
            synthetic=synthetic,
            lang=lang,
            notes=notes,
            size=size,
        )
    return fig
