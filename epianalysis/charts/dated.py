"""The finish of every chart over dates: the value label above the axis, date ticks in the briefing
language, the legend row and the frame (title, subtitle, notes, source line, credit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from epianalysis.charts.style import (
    add_frame,
    add_legend,
    fix_tick_fonts,
    format_date_axis,
    keep_value_ticks_inside,
    set_value_label,
)


def finish_dated_chart(
    fig: Figure,
    ax: Axes,
    rc: dict[str, object],
    *,
    value_label: str,
    start: dt.date,
    end: dt.date,
    handles: Sequence[object],
    title: str,
    subtitle: str | None,
    source: str | None,
    synthetic: bool,
    lang: str,
    notes: Sequence[str] = (),
    size: str = "wide",
) -> None:
    """Label the value axis (its tick labels kept inside the figure), tick the dates from ``start`` to
    ``end``, add the legend of ``handles``
    (rows that reach the plot push its top down) and the frame
    (:func:`epianalysis.charts.style.add_frame`). Call inside
    :func:`~epianalysis.charts.style.press_style`."""
    set_value_label(ax, value_label)
    keep_value_ticks_inside(ax)
    format_date_axis(ax, start, end, lang, size)
    fix_tick_fonts(ax, rc)
    add_legend(fig, handles, size, ax=ax)
    add_frame(
        fig, title=title, subtitle=subtitle, source=source, synthetic=synthetic, lang=lang, notes=notes, size=size
    )
