"""Health-code charts: the titles state the share green and the fall from the peak, percent ticks are
written by the text layer."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.text import Text

from epianalysis.topics.health_codes import charts

DAYS = pd.date_range("2020-02-11", "2020-03-01")


def _text(fig, gid):
    return next(t.get_text() for t in fig.findobj(Text) if t.get_gid() == gid)


def _series(yellow_red_last: float = 5400.0) -> pd.DataFrame:
    rise = np.linspace(300.0, 9700.0, 10)  # to the peak on 20 Feb
    fall = np.linspace(9000.0, yellow_red_last, len(DAYS) - 10)
    both = np.r_[rise, fall]
    return pd.DataFrame(
        {
            "date": DAYS,
            "yellow": both * 0.55,
            "red": both * 0.45,
            "to_green": 900.0,
            "share_green": np.linspace(0.946, 0.9866, len(DAYS)),
        }
    )


def test_share_green_title_and_percent_ticks():
    fig = charts.share_green_chart(_series(), lang="en", subtitle="Data as of 1 Mar 2020, 24:00")
    assert _text(fig, "title") == "98.7% of health codes green"
    assert _text(fig, "subtitle") == "Share of health codes that are green · Data as of 1 Mar 2020, 24:00"
    fig.canvas.draw()
    ax = fig.axes[0]
    low, high = ax.get_ylim()
    shown = [t.get_text() for y, t in zip(ax.get_yticks(), ax.get_yticklabels(), strict=True) if low <= y <= high]
    assert shown[-1] == "100%" and all(t.endswith("%") and ".0" not in t for t in shown)


def test_counts_title_states_the_fall_from_the_peak():
    fig = charts.colour_counts_chart(_series(), lang="en", subtitle="S")
    # 1 - 5400 / 9700 = 0.443 -> 44 %
    assert _text(fig, "title") == "Yellow and red codes down 44% from the peak of 20 Feb"
    rising = _series().iloc[:10]  # the last day is the peak: no fall to report
    assert (
        _text(charts.colour_counts_chart(rising, lang="en"), "title")
        == "Yellow and red codes, and conversions to green"
    )


def test_peak_facts_by_hand():
    facts = charts.peak_facts(_series())
    assert facts["peak"] == {"date": "2020-02-20", "yellow_red": 9700.0}
    assert facts["data_date"] == "2020-03-01"
    assert facts["yellow"] + facts["red"] == 5400.0
    gap = _series()
    gap.loc[3, "red"] = None
    assert "peak" not in charts.peak_facts(gap)  # a missing day: no peak is claimed


def test_no_legend_entry_for_a_colour_no_one_held():
    series = _series().assign(red=0.0)
    fig = charts.colour_counts_chart(series, lang="en")
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["Yellow", "Turned green that day"]
    fig = charts.colour_counts_chart(_series().assign(to_green=0.0), lang="en")
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["Red", "Yellow"]
