"""The discharge-rate curve of the recovery briefing: the cumulative share of confirmed patients
discharged, day by day, with the latest value annotated. A rate above 100 % is kept, marked and
explained (never clipped); days without data are gaps in the line, counted in a note.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator

from epianalysis.charts.dated import finish_dated_chart
from epianalysis.charts.inputs import daily_series
from epianalysis.charts.palettes import HIGHLIGHT_COLOUR, INK, SEQUENTIAL_BLUES
from epianalysis.charts.style import add_plot_axes, data_date_subtitle, emphasis, new_figure, press_style
from epianalysis.charts.ticks import percent_formatter
from epianalysis.errors import DataError, Violation
from epianalysis.text import findings
from epianalysis.text import format as fmt
from epianalysis.text.labels import label


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
        As in :func:`epianalysis.topics.recovery.charts.epidemic_curve`; the default title is the
        finding "87.1% of confirmed patients discharged" (the rate on the last date,
        :func:`epianalysis.text.findings.discharged_share`).

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
    x = mdates.date2num(data.index.to_pydatetime())
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
        if not title:
            title, subtitle = findings.headline(
                findings.discharged_share({"recovery": {"discharge_rate": rate.iloc[-1]}}, lang),
                label("recovery.discharge_rate_title", lang),
                subtitle or data_date_subtitle(data.index[-1], lang),
                lang,
            )
        gaps = int(np.isnan(pct).sum())
        if gaps:
            notes.append(label("recovery.gaps_note", lang, count=gaps))
        top = max(100.0, float(np.nanmax(pct)))
        ax.set_ylim(0, top + 10)
        ax.yaxis.set_major_locator(FixedLocator([0, 20, 40, 60, 80, 100]))
        ax.yaxis.set_major_formatter(percent_formatter(lang))
        ax.set_xlim(x[0] - 0.8, x[-1] + 0.8)
        finish_dated_chart(
            fig,
            ax,
            rc,
            value_label=label("recovery.discharge_rate_ylabel", lang),
            start=data.index[0].date(),
            end=data.index[-1].date(),
            handles=handles,
            title=title,
            subtitle=subtitle or data_date_subtitle(data.index[-1], lang),
            source=source,
            synthetic=synthetic,
            lang=lang,
            notes=notes,
            size=size,
        )
    return fig
