"""The Rt chart: estimates only where a window has enough cases, the interval, suppressed windows marked,
and the missing local/imported split said on the chart."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.text import Text

from epianalysis.text.labels import label
from epianalysis.topics.transmission.charts import rt_chart


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


def test_the_missing_split_is_said_on_the_chart():
    texts = [t.get_text() for t in rt_chart(windows(), split_known=False, lang="en").findobj(Text)]
    assert label("transmission.split_unknown_chart", "en") in texts
    texts = [t.get_text() for t in rt_chart(windows(), split_known=True, lang="en").findobj(Text)]
    assert label("transmission.split_unknown_chart", "en") not in texts
