"""Epidemic metrics: hand-computed incidence, revisions, trailing means, rates, doubling time, anomalies."""

import math

import numpy as np
import pandas as pd
import pytest

from epianalysis import epidemic


def cases_two_regions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": ["2020-02-01", "2020-02-02", "2020-02-03", "2020-02-01", "2020-02-02", "2020-02-03"],
            "region_code": ["330800", "330800", "330800", "330782", "330782", "330782"],
            "confirmed": pd.array([20, 27, 20, 5, 5, 6], dtype="Int64"),
            "discharged": pd.array([1, 2, 3, 0, 0, 1], dtype="Int64"),
            "deaths": pd.array([0, 0, 0, 0, pd.NA, 0], dtype="Int64"),
        }
    )


def test_incidence_per_region_with_revision_flag_and_original_kept():
    new = epidemic.incidence(cases_two_regions(), ["confirmed"])
    by = {code: g for code, g in new.groupby("region_code")}
    # 衢州-like revision: 27 -> 20 is -7, kept and flagged
    assert by["330800"]["new_confirmed"].tolist()[1:] == [7, -7]
    assert by["330800"]["confirmed_revised"].tolist() == [False, False, True]
    # no differencing across regions: each first row is NA
    assert pd.isna(by["330782"]["new_confirmed"].iloc[0])
    assert by["330782"]["new_confirmed"].tolist()[1:] == [0, 1]


def test_trailing_mean_needs_all_seven_days():
    grid = pd.DataFrame({"A": [1.0, 2, 3, 4, 5, 6, 7, 8, np.nan, 10]}, index=pd.date_range("2020-02-01", periods=10))
    mean = epidemic.trailing_mean(grid, 7)["A"]
    assert mean.iloc[:6].isna().all()
    assert mean.iloc[6] == pytest.approx(4.0)  # (1+..+7)/7
    assert mean.iloc[7] == pytest.approx(5.0)  # (2+..+8)/7
    assert mean.iloc[8:].isna().all()  # a missing day is not imputed


def test_per_100k_exact_and_missing_population():
    grid = pd.DataFrame({"330782": [7.0], "330783": [3.0]})
    rate = epidemic.per_100k(grid, {"330782": 1_859_400})
    assert rate.loc[0, "330782"] == pytest.approx(7 * 100_000 / 1_859_400)
    assert math.isnan(rate.loc[0, "330783"])


def test_active_and_missing_term():
    active = epidemic.active(cases_two_regions())
    assert active.tolist()[:3] == [19, 25, 17]  # 20-1-0, 27-2-0, 20-3-0
    assert pd.isna(active.iloc[4])


def test_days_since_last_new_case_and_gaps():
    grid = pd.DataFrame(
        {
            "A": [0, 0, 2, 2, 2, 3, 3],  # rises on day 2 and day 5
            "B": [4, 4, 4, 4, 4, 4, 4],  # first value above 0: when the cases came is unknown
            "C": [0, 0, 0, 0, 0, 0, 0],  # never a case
            "D": [1, 2, np.nan, 2, 2, 2, 2],  # a missing day after the last known rise
        },
        dtype=float,
        index=pd.date_range("2020-02-01", periods=7),
    )
    days = epidemic.days_since_last_new_case(grid)
    assert days["A"].tolist()[2:] == [0, 1, 2, 0, 1]
    assert days["A"].iloc[:2].isna().all()
    assert days["B"].isna().all()
    assert days["C"].isna().all()
    assert days["D"].iloc[1] == 0
    assert days["D"].iloc[2:].isna().all()


def test_doubling_time():
    grid = pd.DataFrame({"A": [10.0] + [15] * 6 + [20], "B": [10.0] * 8})
    td = epidemic.doubling_time(grid, window=7)
    assert td["A"].iloc[7] == pytest.approx(7.0)  # 10 -> 20 in 7 days
    assert math.isnan(td["B"].iloc[7])  # no growth: not doubling


def test_anomaly_flagged_value_kept():
    values = [2.0, 3, 2, 4, 3, 2, 3, 2, 4, 3, 2, 3, 2, 3, 40, 3]
    grid = pd.DataFrame({"A": values})
    flags = epidemic.flag_anomalies(grid, window=14, threshold=5, min_count=10)["A"]
    assert flags.tolist() == [False] * 14 + [True, False]
    assert grid["A"].iloc[14] == 40  # the value itself is untouched


def test_epidemic_table_columns_and_flags():
    cases = cases_two_regions()
    table = epidemic.epidemic_table(cases, population={"330800": 100_000, "330782": 100_000})
    row = table[(table["region_code"] == "330800") & (table["date"] == "2020-02-03")].iloc[0]
    assert row["new_confirmed"] == -7 and bool(row["revised"])
    assert row["confirmed"] == 20 and row["active"] == 17
    assert row["discharge_rate"] == pytest.approx(3 / 20)
    assert not bool(row["local_split_known"])  # no confirmed_local column: local = confirmed, flagged
    assert row["days_since_last_local_case"] == 1


@pytest.mark.parametrize(("today", "flagged"), [(26.0, False), (27.0, True)])
def test_anomaly_threshold_by_hand(today, flagged):
    # 14 prior days: 10, 12, 14 repeated (10 x5, 12 x5, 14 x4): median m = 12; deviations |x - 12|:
    # 0 x5, 2 x9 -> MAD = 2; scale = max(1.4826 * 2, 1) = 2.9652; cut-off 12 + 5 * 2.9652 = 26.826
    history = [10.0, 12, 14] * 4 + [10, 12]
    grid = pd.DataFrame({"A": history + [today]})
    flags = epidemic.flag_anomalies(grid, window=14, threshold=5, min_count=10)["A"]
    assert bool(flags.iloc[14]) is flagged


def test_daily_new_differences_flags_and_gaps():
    cumulative = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-02-01", "2020-02-02", "2020-02-05"]),
            "confirmed": pd.array([10, 13, 12], dtype="Int64"),
        }
    )
    new = epidemic.daily_new(cumulative, ["confirmed"])
    assert pd.isna(new["new_confirmed"].iloc[0])
    assert new["new_confirmed"].iloc[1:].tolist() == [3, -1]
    assert new["confirmed_revised"].tolist() == [False, False, True]
    assert new["gap_days"].iloc[1:].tolist() == [1, 3]


def test_trailing_mean_by_hand():
    # Totals 1..8: the 7-day mean of days 1..7 is 28/7 = 4, of days 2..8 is 35/7 = 5.
    values = pd.Series(np.arange(1.0, 9.0))
    mean = epidemic.trailing_mean(values, 7)
    assert mean.iloc[:6].isna().all()
    assert mean.iloc[6:].tolist() == [4.0, 5.0]


def test_trailing_sum_of_counts_by_hand_a_missing_day_blanks_its_windows():
    grid = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, 5.0], "b": [1.0, np.nan, 1.0, 1.0, 1.0]})
    out = epidemic.trailing_sum(grid, 3)
    # a: 1+2+3 = 6, 2+3+4 = 9, 3+4+5 = 12; b: only the window of days 3..5 is complete, 1+1+1 = 3.
    assert out["a"].iloc[:2].isna().all() and out["a"].iloc[2:].tolist() == [6.0, 9.0, 12.0]
    assert out["b"].iloc[:4].isna().all() and out["b"].iloc[4] == 3.0


def test_trailing_sum_of_fractions_by_hand():
    out = epidemic.trailing_sum(pd.DataFrame({"a": [0.5, 0.25, 1.5]}), 2)
    assert math.isnan(out["a"].iloc[0]) and out["a"].iloc[1:].tolist() == [0.75, 1.75]


def test_wide_places_each_value_and_refuses_a_day_given_twice():
    grid = epidemic.wide(cases_two_regions(), "confirmed", regions=["330782", "330800", "330999"])
    assert grid.loc["2020-02-02", "330800"] == 27.0 and grid.loc["2020-02-03", "330782"] == 6.0
    assert grid["330999"].isna().all()
    twice = pd.concat([cases_two_regions(), cases_two_regions().iloc[[0]]])
    with pytest.raises(ValueError):
        epidemic.wide(twice, "confirmed")
