"""The outlook (docs/rulesets.md#the-outlook), hand-worked for each shipped rule set at its boundaries:
a case on the last day of the window, missing days, a county that never had a case.

Every expected date below is worked out from the rule set's file and its cadence (zhejiang-2020:
evaluations on 9, 12, 15, 18, 21, 24, 27 Feb, 1 Mar ...; the others: every day), never taken from
the code's output.
"""

import numpy as np
import pandas as pd
import pytest
from support import county_series

from epianalysis.rulesets import evaluate
from epianalysis.rulesets.indicators import INDICATORS, indicator_grids
from epianalysis.rulesets.outlook import (
    RESPONSE,
    extend_without_cases,
    latest_lowest_date,
    outlook,
    values_with_cases,
)

CODE = "330782"
POP = {CODE: 100_000.0}
START = "2020-01-20"


def cumulative(days: int, cases_on: dict[str, int]) -> list[int]:
    """Cumulative confirmed on ``days`` days from START, with ``cases_on`` new cases on the given dates."""
    dates = pd.date_range(START, periods=days, freq="D")
    new = [sum(n for d, n in cases_on.items() if pd.Timestamp(d) == day) for day in dates]
    return list(np.cumsum(new))


def one(frame: pd.DataFrame, ruleset: str, as_of: str) -> pd.Series:
    result = outlook(frame, ruleset, as_of, regions=[CODE], population=POP)
    assert len(result.table) == 1
    return result.table.iloc[0]


def till(as_of: str) -> int:
    return (pd.Timestamp(as_of) - pd.Timestamp(START)).days + 1


# ---------------------------------------------------------------------------------- zhejiang-2020
# 15 cases, all local, no cluster: score = 0.6 x 40 + 0.2 x 100 + 0 = 44 -> yellow (>= 40);
# 3 case-free days lower it one level (not below blue), 7 make it green.


def test_zhejiang_blue_after_four_case_free_days_turns_green_on_the_next_evaluation():
    frame = county_series(CODE, START, cumulative(till("2020-02-18"), {"2020-01-30": 14, "2020-02-14": 1}))
    row = one(frame, "zhejiang-2020", "2020-02-18")
    assert (row["level"], row["rule"]) == ("blue", "score_yellow+casefree_3d")  # 4 days since 14 Feb
    assert row["next_evaluation"] == pd.Timestamp("2020-02-21")
    assert (row["step_down_status"], row["step_down_date"], row["step_down_level"]) == (
        "steps_down",
        pd.Timestamp("2020-02-21"),  # 7 days since 14 Feb
        "green",
    )
    assert row["step_down_rule"] == "score_yellow+casefree_7d"
    assert row["lowest_date"] == pd.Timestamp("2020-02-21")
    # one more case: 16 cases, score still 44, days since the case < 3 -> yellow
    assert (row["up_status"], row["up_cases"], row["up_level"]) == ("cases", 1, "yellow")


def test_zhejiang_case_on_the_as_of_day_steps_to_blue_then_green_after_seven_days():
    frame = county_series(CODE, START, cumulative(till("2020-02-18"), {"2020-01-30": 14, "2020-02-18": 1}))
    row = one(frame, "zhejiang-2020", "2020-02-18")
    assert row["level"] == "yellow"
    # 21 Feb: 3 case-free days -> blue; 24 Feb: 6 -> still blue; 27 Feb: 9 -> green
    assert (row["step_down_date"], row["step_down_level"]) == (pd.Timestamp("2020-02-21"), "blue")
    assert row["lowest_date"] == pd.Timestamp("2020-02-27")


def test_zhejiang_exactly_seven_case_free_days_is_already_green():
    frame = county_series(CODE, START, cumulative(till("2020-02-18"), {"2020-01-30": 14, "2020-02-11": 1}))
    row = one(frame, "zhejiang-2020", "2020-02-18")
    assert row["level"] == "green"
    assert row["step_down_status"] == "at_lowest" and pd.isna(row["step_down_date"])
    assert row["lowest_status"] == "at_lowest"


def test_zhejiang_never_a_case_is_green_and_one_case_makes_it_blue():
    frame = county_series(CODE, START, [0] * till("2020-02-18"))
    row = one(frame, "zhejiang-2020", "2020-02-18")
    assert (row["level"], row["rule"]) == ("green", "never_a_case")
    assert row["step_down_status"] == "at_lowest"
    # 1 case: score = 0 + 0.2 x 100 (all local) + 0 = 20 -> score_blue; days since 0..2 < 3
    assert (row["up_status"], row["up_cases"], row["up_level"]) == ("cases", 1, "blue")


def test_zhejiang_orange_needs_enough_cases_to_reach_red():
    # 60 local cases and 1 cluster: 0.6 x 80 + 0.2 x 100 + 0.2 x 50 = 78 -> orange (>= 55), case on 18 Feb.
    # Red needs >= 90: 100 or more cases gives 0.6 x 100 + 20 + 10 = 90 -> 40 more cases.
    confirmed = cumulative(till("2020-02-18"), {"2020-01-30": 59, "2020-02-18": 1})
    clusters = [0] * len(confirmed)
    clusters[10] = 1
    row = one(county_series(CODE, START, confirmed, clusters), "zhejiang-2020", "2020-02-18")
    assert row["level"] == "orange"
    assert (row["up_status"], row["up_cases"], row["up_level"]) == ("cases", 40, "red")


def test_zhejiang_missing_as_of_day_gives_unknown_outlook():
    frame = county_series(CODE, START, cumulative(till("2020-02-18"), {"2020-01-30": 14, "2020-02-14": 1}))
    frame = frame[frame["date"] != "2020-02-18"]
    row = one(frame, "zhejiang-2020", "2020-02-18")
    assert row["level"] == "unknown"
    assert row["step_down_status"] == "unknown" and pd.isna(row["step_down_date"])
    assert row["lowest_status"] == "unknown" and row["up_status"] == "unknown"
    assert pd.isna(row["up_cases"])


def test_zhejiang_missing_days_hiding_the_last_case_give_unknown():
    # the cases rose across a gap (13..16 Feb missing): the day of the last case is unknown
    frame = county_series(CODE, START, cumulative(till("2020-02-18"), {"2020-01-30": 14, "2020-02-15": 1}))
    frame = frame[~frame["date"].isin(["2020-02-13", "2020-02-14", "2020-02-15", "2020-02-16"])]
    row = one(frame, "zhejiang-2020", "2020-02-18")
    assert row["step_down_status"] == "unknown"


# ---------------------------------------------------------------------------------- national-2020


def test_national_case_on_the_last_day_of_the_window_steps_down_the_next_day():
    # last case 4 Feb: 13 days on 17 Feb (medium), 14 days on 18 Feb -> low
    frame = county_series(CODE, START, cumulative(till("2020-02-17"), {"2020-02-04": 10}))
    row = one(frame, "national-2020", "2020-02-17")
    assert (row["level"], row["rule"]) == ("medium", "new_case_14d_at_most_50")
    assert (row["step_down_date"], row["step_down_level"]) == (pd.Timestamp("2020-02-18"), "low")
    assert row["step_down_rule"] == "no_new_case_14d"
    assert row["lowest_date"] == pd.Timestamp("2020-02-18")


def test_national_cases_never_make_high_without_a_cluster():
    # the move-up search says so rather than "unknown" (topics/zoning/outlook.up_text words it)
    frame = county_series(CODE, START, cumulative(till("2020-02-18"), {"2020-02-10": 10}))
    row = one(frame, "national-2020", "2020-02-18")
    assert row["level"] == "medium"
    assert row["step_down_date"] == pd.Timestamp("2020-02-24")  # 14 days after 10 Feb
    assert row["up_status"] == "not_within_max" and pd.isna(row["up_cases"])


def test_national_high_steps_to_medium_when_the_cluster_leaves_the_window():
    # 60 cases, a cluster on 10 Feb, last case on 12 Feb: high on 18 Feb. The cluster leaves D-13..D
    # on 24 Feb (medium: > 50 without a cluster); 14 days after 12 Feb is 26 Feb (low).
    confirmed = cumulative(till("2020-02-18"), {"2020-02-01": 59, "2020-02-12": 1})
    clusters = [0] * len(confirmed)
    clusters[(pd.Timestamp("2020-02-10") - pd.Timestamp(START)).days] = 1
    row = one(county_series(CODE, START, confirmed, clusters), "national-2020", "2020-02-18")
    assert row["level"] == "high"
    assert (row["step_down_date"], row["step_down_level"]) == (pd.Timestamp("2020-02-24"), "medium")
    assert row["lowest_date"] == pd.Timestamp("2020-02-26")
    assert row["up_status"] == "at_highest"


def test_national_never_a_case_is_low_and_one_case_makes_it_medium():
    row = one(county_series(CODE, START, [0] * till("2020-02-18")), "national-2020", "2020-02-18")
    assert (row["level"], row["step_down_status"]) == ("low", "at_lowest")
    assert (row["up_cases"], row["up_level"]) == (1, "medium")


# -------------------------------------------------------------------- rates per 100 000 (daily)
# 10 cases on 15 Feb in a county of 100 000: 7-day sum 10 per 100k, mean 10/7 = 1.43 on 15..21 Feb,
# 0 from 22 Feb (the 7-day window no longer holds 15 Feb).


@pytest.mark.parametrize(
    ("ruleset", "level", "up_cases", "up_level"),
    [
        ("covid-act-now", "medium", 61, "high"),  # mean (10 + k) / 7 > 10  <=>  k > 60
        ("cdc-transmission-2021", "moderate", 40, "substantial"),  # sum 10 + k >= 50
        ("hghi", "yellow", 60, "orange"),  # mean (10 + k) / 7 >= 10  <=>  k >= 60
    ],
)
def test_rate_rule_sets_step_down_when_the_case_leaves_the_7_day_window(ruleset, level, up_cases, up_level):
    frame = county_series(CODE, START, cumulative(till("2020-02-18"), {"2020-02-15": 10}))
    row = one(frame, ruleset, "2020-02-18")
    assert row["level"] == level
    assert row["next_evaluation"] == pd.Timestamp("2020-02-19")
    assert row["step_down_date"] == pd.Timestamp("2020-02-22")
    assert row["lowest_date"] == pd.Timestamp("2020-02-22")
    assert (row["up_cases"], row["up_level"]) == (up_cases, up_level)


def test_rate_rule_set_without_population_is_unknown():
    frame = county_series(CODE, START, cumulative(till("2020-02-18"), {"2020-02-15": 10}))
    result = outlook(frame, "covid-act-now", "2020-02-18", regions=[CODE], population={CODE: float("nan")})
    assert result.table.iloc[0]["step_down_status"] == "unknown"


# ------------------------------------------------------------------------------ the building blocks


def test_every_indicator_says_how_it_responds_to_new_cases():
    assert set(RESPONSE) == set(INDICATORS)


def test_values_with_k_cases_equal_the_engine_on_a_table_with_k_cases():
    confirmed = cumulative(till("2020-02-18"), {"2020-01-30": 14, "2020-02-14": 1})
    frame = county_series(CODE, START, confirmed, local=[c - 1 if c else 0 for c in confirmed])
    as_of, when, k = pd.Timestamp("2020-02-18"), pd.Timestamp("2020-02-21"), 7

    def at(extra):
        grids = indicator_grids(extend_without_cases(frame, [CODE], as_of, 3, extra), [CODE], POP, when)
        return {name: grid.loc[[when], CODE].to_numpy(float) for name, grid in grids.items()}

    expected = at({CODE: k})
    got = values_with_cases(at(None), at({CODE: 1}), np.array([k]))
    for name in INDICATORS:
        np.testing.assert_allclose(got[name], expected[name], err_msg=name)


def test_projection_agrees_with_evaluating_a_table_without_new_cases():
    frame = county_series(CODE, START, cumulative(till("2020-02-18"), {"2020-01-30": 14, "2020-02-18": 1}))
    result = outlook(frame, "zhejiang-2020", "2020-02-18", regions=[CODE], population=POP)
    flat = pd.concat(
        [frame, county_series(CODE, "2020-02-19", [15] * 28)],
        ignore_index=True,
    )
    direct = evaluate(flat, "zhejiang-2020", start="2020-02-19", end="2020-03-17", regions=[CODE])
    assert result.projected["level"].tolist() == direct.levels["level"].tolist()
    assert list(result.dates) == list(pd.to_datetime(direct.counts["date"]))


@pytest.mark.parametrize(
    ("ruleset", "due"),
    [
        ("zhejiang-2020", "2020-02-21"),  # 12 + 7 = 19 Feb, next evaluation 21 Feb
        ("national-2020", "2020-02-26"),  # 12 + 14
        ("covid-act-now", "2020-02-19"),  # 12 + 7
        ("cdc-transmission-2021", "2020-02-19"),
        ("hghi", "2020-02-19"),
    ],
)
def test_latest_lowest_date_from_the_rules_and_the_cadence(ruleset, due):
    assert latest_lowest_date(ruleset, "2020-02-12") == pd.Timestamp(due)


@pytest.mark.parametrize("ruleset", ["zhejiang-2020", "national-2020"])
def test_latest_lowest_date_does_not_depend_on_the_number_of_cases_for_case_free_rules(ruleset):
    assert latest_lowest_date(ruleset, "2020-02-24", confirmed=1) == latest_lowest_date(ruleset, "2020-02-24")
