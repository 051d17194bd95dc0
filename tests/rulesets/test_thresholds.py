"""Threshold edges of the peer rule sets, in a county of exactly 100 000 inhabitants.

7-day new cases per 100 k = (C(D) − C(D−7)) · 100000 / 100000; the 7-day mean per day is that / 7.
"""

import pytest
from support import county_series

from epianalysis.rulesets import evaluate

POP = {"330782": 100_000}


def level_for_new_cases(ruleset: str, new_in_7_days: int) -> str:
    frame = county_series("330782", "2020-02-01", [100] + [100 + new_in_7_days] * 7)
    result = evaluate(frame, ruleset, start="2020-02-08", end="2020-02-08", regions=["330782"], population=POP)
    return result.levels.loc[0, "level"]


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (0, "low"),
        (7, "low"),  # mean exactly 1 -> low (<= 1)
        (8, "medium"),
        (70, "medium"),  # exactly 10 -> medium
        (71, "high"),
        (175, "high"),  # exactly 25 -> high
        (176, "critical"),
        (525, "critical"),  # exactly 75 -> critical
        (526, "extreme"),
    ],
)
def test_covid_act_now_edges(new, expected):
    assert level_for_new_cases("covid-act-now", new) == expected


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (9, "low"),
        (10, "moderate"),  # < 10 low, exactly 10 moderate
        (49, "moderate"),
        (50, "substantial"),
        (99, "substantial"),
        (100, "high"),
    ],
)
def test_cdc_edges(new, expected):
    assert level_for_new_cases("cdc-transmission-2021", new) == expected


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (6, "green"),
        (7, "yellow"),  # mean 6/7 < 1 green, exactly 1 yellow
        (69, "yellow"),
        (70, "orange"),  # exactly 10 orange
        (174, "orange"),
        (175, "red"),  # exactly 25 red
    ],
)
def test_hghi_edges(new, expected):
    assert level_for_new_cases("hghi", new) == expected


def test_threshold_unknown_without_a_week_of_history():
    frame = county_series("330782", "2020-02-01", [100, 110, 120])
    result = evaluate(frame, "covid-act-now", regions=["330782"], population=POP)
    assert result.levels["level"].tolist() == ["unknown"] * 3
    assert set(result.levels["missing_inputs"]) == {"new_cases_7d_mean_per_100k"}
    assert result.counts["unknown"].tolist() == [1, 1, 1]
    assert list(result.counts.columns) == ["date", "low", "medium", "high", "critical", "extreme", "unknown"]


def test_unknown_population_gives_unknown():
    frame = county_series("330782", "2020-02-01", [100] * 8)
    result = evaluate(
        frame, "hghi", start="2020-02-08", end="2020-02-08", regions=["330782"], population={"330782": float("nan")}
    )
    assert result.levels.loc[0, "level"] == "unknown"
