"""The Rt chart: estimates only where a window has enough cases, the interval, suppressed windows marked,
and the missing local/imported split said on the chart."""

from __future__ import annotations

import numpy as np
import pandas as pd

from epianalysis.text.labels import label
from epianalysis.topics.transmission.charts import latest_side, rt_chart


def windows() -> pd.DataFrame:
    # five windows: three estimated (the last one provisional), two with too few cases
    return pd.DataFrame(
        {
            "date": pd.date_range("2020-02-20", periods=5, freq="D"),
            "mean": [1.5, 1.2, 0.8, np.nan, np.nan],
            "lower": [1.1, 0.9, 0.5, np.nan, np.nan],
            "upper": [1.9, 1.5, 1.1, np.nan, np.nan],
            "suppressed": [False, False, False, True, True],
            "provisional": [False, False, True, True, True],
        }
    )


def _line(fig, gid):
    return next(line for line in fig.axes[0].get_lines() if line.get_gid() == gid)


def test_estimates_are_drawn_only_where_a_window_has_enough_cases():
    fig = rt_chart(windows(), lang="en", source="test")
    y = np.asarray(_line(fig, "rt").get_ydata(), dtype=float)
    assert y[:3].tolist() == [1.5, 1.2, 0.8] and np.isnan(y[3:]).all()
    assert len(_line(fig, "suppressed").get_xdata()) == 2
    assert _line(fig, "threshold").get_ydata()[0] == 1.0


def _subtitle(fig) -> str:
    return next(t.get_text() for t in fig.texts if t.get_gid() == "subtitle")


def test_the_missing_split_is_said_in_the_subtitle():
    unknown = _subtitle(rt_chart(windows(), split_known=False, lang="en", subtitle="Data as of 15 Mar 2020"))
    assert unknown.startswith("Data as of 15 Mar 2020") and "split unknown" in unknown
    known = _subtitle(rt_chart(windows(), split_known=True, lang="en", subtitle="Data as of 15 Mar 2020"))
    assert "split unknown" not in known
    zh = _subtitle(rt_chart(windows(), split_known=False, lang="zh", subtitle="数据截至3月15日"))
    assert "未区分本地与输入病例" in zh


def _title(fig) -> str:
    return next(t.get_text() for t in fig.texts if t.get_gid() == "title")


def test_latest_side_runs_back_to_the_first_window_on_the_same_side():
    rt = pd.DataFrame(
        {
            "date": pd.date_range("2020-02-01", periods=7, freq="D"),
            "lower": [1.2, 0.9, 0.6, 0.5, 0.4, np.nan, np.nan],
            "upper": [1.9, 1.1, 0.95, 0.9, 0.8, np.nan, np.nan],
            "mean": [1.5, 1.0, 0.8, 0.7, 0.6, np.nan, np.nan],
            "suppressed": [False, False, False, False, False, True, True],
            "provisional": False,
        }
    )
    # 3 Feb is the first window whose interval lies below 1 (2 Feb's reaches 1.1); the two windows with
    # too few cases after the latest estimate do not end the run
    assert latest_side(rt) == {"latest": {"lower": 0.4, "upper": 0.8}, "side_since": "2020-02-03"}
    assert _title(rt_chart(rt, lang="en", subtitle="S")) == "Rt below 1 since 3 Feb"
    around = rt.assign(upper=[1.9, 1.1, 0.95, 0.9, 1.05, np.nan, np.nan])  # the latest interval contains 1
    assert latest_side(around)["side_since"] is None
    assert _title(rt_chart(around, lang="en")) == "Reproduction number Rt (7-day windows)"
    broken = rt.assign(suppressed=[False, False, False, True, False, True, True])  # no estimate on 4 Feb
    assert latest_side(broken)["side_since"] == "2020-02-05"


def test_no_estimate_at_all_gives_the_topic_as_title():
    rt = windows().assign(suppressed=True)
    assert latest_side(rt) == {"latest": None, "side_since": None}
    assert _title(rt_chart(rt, lang="en")) == label("transmission.title", "en")
