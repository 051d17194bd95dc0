"""national-2020: every rule, hand-checked, including the edges (exactly 14 days, exactly 50 cases)."""

import pandas as pd
import pytest
from support import county_series

from epianalysis.rulesets import evaluate

D = "2020-02-20"  # evaluation day; the series start 20 days earlier (2020-01-31 .. 2020-02-20)


def level_on(frame: pd.DataFrame, code: str = "330782") -> pd.Series:
    result = evaluate(frame, "national-2020", start=D, end=D, regions=[code])
    assert len(result.levels) == 1
    return result.levels.iloc[0]


def series(last_case_days_ago: int | None, total: int, cluster_days_ago: int | None = None) -> pd.DataFrame:
    """21 days ending on D; the whole total arrives on D - last_case_days_ago (0 cases if None)."""
    confirmed = [0] * 21
    clusters = [0] * 21
    if last_case_days_ago is not None:
        for i in range(20 - last_case_days_ago, 21):
            confirmed[i] = total
    if cluster_days_ago is not None:
        clusters[20 - cluster_days_ago] = 1
    return county_series("330782", "2020-01-31", confirmed, clusters)


def test_no_confirmed_case_is_low():
    row = level_on(series(None, 0))
    assert (row["level"], row["rule"]) == ("low", "no_confirmed_case")
    assert row["colour"] == "#2E9E44" and row["label_zh"] == "低风险"


def test_exactly_14_days_without_a_case_is_low():
    row = level_on(series(14, 80, cluster_days_ago=14))
    assert row["days_since_last_case"] == 14
    assert (row["level"], row["rule"]) == ("low", "no_new_case_14d")


def test_13_days_without_a_case_is_medium_when_at_most_50():
    row = level_on(series(13, 10))
    assert row["days_since_last_case"] == 13
    assert (row["level"], row["rule"]) == ("medium", "new_case_14d_at_most_50")


def test_exactly_50_cases_with_cluster_is_medium():
    row = level_on(series(2, 50, cluster_days_ago=1))
    assert (row["level"], row["rule"]) == ("medium", "new_case_14d_at_most_50")


def test_51_cases_with_cluster_13_days_ago_is_high():
    row = level_on(series(2, 51, cluster_days_ago=13))
    assert row["clusters_14d"] == 1
    assert (row["level"], row["rule"]) == ("high", "over_50_with_cluster_14d")


def test_51_cases_with_cluster_exactly_14_days_ago_is_medium():
    # the cluster on D-14 lies outside D-13..D
    row = level_on(series(2, 51, cluster_days_ago=14))
    assert row["clusters_14d"] == 0
    assert (row["level"], row["rule"]) == ("medium", "over_50_no_cluster_14d")


def test_missing_cluster_data_gives_unknown_only_where_it_matters():
    frame = series(2, 51, cluster_days_ago=None)
    frame["clusters_new"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    row = level_on(frame)
    assert (row["level"], row["rule"], row["missing_inputs"]) == ("unknown", "unknown", "clusters_14d")
    assert row["colour"] == "#CCCCCC"
    # at most 50 cases: the high rule is false whatever the clusters, so the level is known
    small = series(2, 30)
    small["clusters_new"] = pd.array([pd.NA] * len(small), dtype="Int64")
    assert level_on(small)["level"] == "medium"


def test_county_without_rows_is_unknown():
    result = evaluate(series(2, 5), "national-2020", start=D, end=D, regions=["330782", "330783"])
    other = result.levels.set_index("region_code").loc["330783"]
    assert other["level"] == "unknown"
    assert other["missing_inputs"] == "cumulative_confirmed"
    assert result.counts.loc[0, ["low", "medium", "high", "unknown"]].tolist() == [0, 1, 0, 1]


@pytest.mark.parametrize("gap_day", [5, 12])
def test_missing_day_blocks_days_since_last_case(gap_day):
    # cases on D-15; a missing row later means a case might hide there: not 'low', but unknown
    frame = series(15, 10)
    frame = frame.drop(index=20 - gap_day)
    row = level_on(frame)
    assert pd.isna(row["days_since_last_case"])
    assert row["level"] == "unknown"
