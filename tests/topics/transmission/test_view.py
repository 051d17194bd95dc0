"""The transmission briefing: which cases count as local, the latest estimate, the summary section and
the reading (Rt itself is tested by hand in test_metrics.py)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from epianalysis import summary
from epianalysis.errors import NotApplicable
from epianalysis.topics.transmission import metrics, view

PROVINCE = "330000"


def province(daily_local: list[int], daily_imported: list[int] | None = None, split: bool = True) -> pd.DataFrame:
    """Province rows from 2020-02-01 with cumulative counts of the given daily new cases."""
    imported = daily_imported or [0] * len(daily_local)
    local = np.cumsum(daily_local)
    imp = np.cumsum(imported)
    return pd.DataFrame(
        {
            "date": pd.date_range("2020-02-01", periods=len(daily_local), freq="D"),
            "region_code": PROVINCE,
            "confirmed": pd.array(local + imp, dtype="Int64"),
            "confirmed_local": pd.array(local if split else [None] * len(local), dtype="Int64"),
            "confirmed_imported": pd.array(imp, dtype="Int64"),
        }
    )


def test_fewer_days_than_a_window_do_not_apply():
    with pytest.raises(NotApplicable, match="more than 7 days"):
        view.transmission_briefing(province([5] * 7), dt.date(2020, 2, 7))


def test_dates_that_skip_days_do_not_apply():
    # bulletins copied on some dates only: 2020-02-01 .. 02-12 daily, then 02-15 (skips 13 and 14)
    rows = province([5] * 15)
    rows = rows[rows["date"] != pd.Timestamp("2020-02-13")]
    rows = rows[rows["date"] != pd.Timestamp("2020-02-14")]
    with pytest.raises(NotApplicable, match="skip 1 time.*from 2020-02-12 to 2020-02-15"):
        view.transmission_briefing(rows, dt.date(2020, 2, 20))


def test_data_after_the_data_date_are_not_used():
    cases = province([20] * 20)
    rt = view.transmission_briefing(cases, dt.date(2020, 2, 15)).rt
    assert rt["date"].max() == pd.Timestamp("2020-02-15")


def test_without_a_local_split_every_case_counts_as_local():
    # 10 local + 5 imported a day; without the split all 15 are infected locally and none is added
    # as an outside infector: the same as 15 local cases a day with no import
    daily, imported = [10] * 20, [5] * 20
    unsplit = province(daily, imported, split=False)
    assert not metrics.local_split_known(unsplit, PROVINCE)
    got = view.transmission_briefing(unsplit, dt.date(2020, 2, 20))
    expected = metrics.rt_for_region(province([15] * 20), PROVINCE)
    assert not got.split_known
    pd.testing.assert_series_equal(got.rt["mean"], expected["mean"])
    assert metrics.local_split_known(province(daily, imported), PROVINCE)


def test_the_summary_names_the_latest_estimate_and_validates():
    # 20 cases a day, then three days without any: the last windows hold 20·4 = 80, 20·3 = 60 ...
    # cases; suppression needs fewer than 12, which no window reaches, so the latest window is the last
    cases = province([20] * 17 + [0] * 3)
    rt = view.transmission_briefing(cases, dt.date(2020, 2, 20))
    section = view.summary(rt)
    summary.check_section("transmission", section)
    assert section["latest"]["window_end"] == "2020-02-20" and section["latest"]["cases"] == 80
    assert section["latest_window_suppressed"] is False and section["latest"]["provisional"] is True
    assert section["local_split_known"] is True
    # 20 cases a day until 02-12, then 9 quiet days: the window ending on 02-21 holds no case and is
    # suppressed; the window 02-12..02-18 holds 20 (>= 12), the one of 02-13..02-19 none
    quiet = view.transmission_briefing(province([20] * 12 + [0] * 9), dt.date(2020, 2, 21))
    s = view.summary(quiet)
    assert s["latest_window_suppressed"] is True
    assert s["latest"]["window_end"] == "2020-02-18" and s["latest"]["cases"] == 20


@pytest.mark.parametrize(
    ("lower", "upper", "word_en", "word_zh"),
    [(0.4, 0.9, "below 1", "低于1"), (1.1, 1.6, "above 1", "高于1"), (0.8, 1.2, "cannot tell", "尚不能判断")],
)
def test_the_reading_says_where_rt_stands_against_1(lower, upper, word_en, word_zh):
    rt = pd.DataFrame(
        {
            "window_start": [pd.Timestamp("2020-02-20")],
            "date": [pd.Timestamp("2020-02-26")],
            "cases": [30.0],
            "mean": [(lower + upper) / 2],
            "lower": [lower],
            "upper": [upper],
            "suppressed": [False],
            "provisional": [False],
        }
    )
    briefing = view.TransmissionBriefing(dt.date(2020, 2, 26), PROVINCE, rt, True)
    assert word_en in view.reading(briefing, "en") and "26 Feb" in view.reading(briefing, "en")
    assert word_zh in view.reading(briefing, "zh") and "2月26日" in view.reading(briefing, "zh")
    unsplit = view.TransmissionBriefing(dt.date(2020, 2, 26), PROVINCE, rt, False)
    assert "imported cases are counted as local" in view.reading(unsplit, "en")


def test_the_table_marks_suppressed_and_provisional_windows():
    # 22 days: the first day only starts the differences, windows end on days 9..22 -> 14 windows
    rt = view.transmission_briefing(province([20] * 13 + [0] * 9), dt.date(2020, 2, 22))
    table = view.rt_table(rt, "en")
    assert len(table) == view.TABLE_WINDOWS
    assert table["Rt (95% credible interval)"].iloc[-1] == "too few cases"
    assert table["Provisional"].iloc[-1] == "yes" and table["Provisional"].iloc[0] == ""
    assert table["Window"].iloc[-1] == "16 Feb – 22 Feb"
