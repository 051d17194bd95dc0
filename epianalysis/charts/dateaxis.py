"""Date ticks of the press charts: where they go and how they read in each language."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.ticker import Formatter

from epianalysis.charts.layout import LAYOUT
from epianalysis.charts.palettes import INK
from epianalysis.text import format as fmt
from epianalysis.text.labels import check_language


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
    ax.xaxis.set_major_locator(date_locator(start, end, max_ticks=int(LAYOUT[size]["max_date_ticks"])))
    ax.xaxis.set_major_formatter(DateTickFormatter(lang))
    if (end - start).days <= 120:
        ax.xaxis.set_minor_locator(mdates.DayLocator())
        ax.tick_params(axis="x", which="minor", length=2, color=INK["grid"])
    ax.tick_params(axis="x", which="major", length=5)
