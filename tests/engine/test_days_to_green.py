"""Median days to green on the engines equals the pandas implementation and hand-counted cases."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from epianalysis.engine import get_engine
from epianalysis.engine.days_to_green import median_days_to_green, medians_from_episode_counts
from epianalysis.paths import sample_dir
from epianalysis.topics.health_codes import metrics as hc

REGION = "330782"


def _days(first: str, colours: str) -> list[tuple[date, str]]:
    """Rows from a first date and one letter per day: g(reen), y(ellow), r(ed), '.' (no row)."""
    start = date.fromisoformat(first)
    names = {"g": "green", "y": "yellow", "r": "red"}
    return [(start + timedelta(days=i), names[c]) for i, c in enumerate(colours) if c != "."]


# Each person's days, from 2020-02-01 (the log's first date); the comment gives the episodes by hand.
PEOPLE = {
    1: _days("2020-02-01", "g" + "y" * 7 + "g"),  # yellow 02-02 -> green 02-09: 7 days
    2: _days("2020-02-03", "r" * 14 + "g"),  # red 02-03 -> 02-17: 14 days
    3: _days("2020-02-05", "y" + "r" * 14 + "g"),  # yellow then red 02-05 -> 02-20: red (most severe), 15 days
    4: _days("2020-02-01", "r" * 9 + "g"),  # red from the log's first date -> 02-10: left-censored
    5: _days("2020-02-20", "yy"),  # yellow 02-20, 02-21: ongoing on 02-21
    6: _days("2020-02-02", "y...yyyg"),  # rows missing 02-03..05 do not break the run: 02-02 -> 02-09, 7 days
    7: _days("2020-02-10", "yg" + "y" * 8 + "g"),  # yellow 02-10 -> 02-11 (1 day), yellow 02-12 -> 02-20 (8 days)
    8: _days("2020-02-15", "y" * 10 + "g"),  # yellow 02-15, green only 02-25: ongoing on 02-21
    9: _days("2020-02-01", "g" * 25),  # never yellow or red
}

# By hand, as of 2020-02-21: yellow finished 1, 7, 7, 8 (P7, P1, P6, P7) -> median 7; red 14, 15 -> 14.5;
# all 1, 7, 7, 8, 14, 15 -> (7 + 8) / 2 = 7.5. Ongoing: P5, P8 (yellow). Left-censored: P4 (red, finished).
ON_0221 = pd.DataFrame(
    {
        "colour": ["all", "red", "yellow"],
        "n_finished": [6, 2, 4],
        "median_days": [7.5, 14.5, 7.0],
        "n_ongoing": [2, 0, 2],
        "n_left_censored": [1, 1, 0],
    }
)
# As of 2020-02-09: yellow finished P1, P6 (7, 7); P2, P3 (red) and P4 (red, left-censored) still red.
ON_0209 = pd.DataFrame(
    {
        "colour": ["all", "red", "yellow"],
        "n_finished": [2, 0, 2],
        "median_days": [7.0, None, 7.0],
        "n_ongoing": [3, 3, 0],
        "n_left_censored": [1, 1, 0],
    }
)


def _typed(expected: pd.DataFrame) -> pd.DataFrame:
    out = expected.copy()
    out["colour"] = out["colour"].astype("str")
    out["median_days"] = pd.array(out["median_days"].tolist(), dtype="Float64")
    return out


def hand_log() -> pd.DataFrame:
    rows = [(pid, REGION, day, colour) for pid, days in PEOPLE.items() for day, colour in days]
    log = pd.DataFrame(rows, columns=["person_id", "region_code", "date", "colour"])
    return log.assign(reason="checkin")


@pytest.fixture(scope="module")
def hand_logs(tmp_path_factory):
    """The hand-made log as one file and as a date=YYYY-MM-DD/ partitioned folder."""
    root = tmp_path_factory.mktemp("hand")
    log = hand_log()
    single = root / "health_code_log.parquet"
    log.to_parquet(single, index=False)
    folder = root / "partitioned" / "health_code_log"
    for day, part in log.groupby("date"):
        (folder / f"date={day.isoformat()}").mkdir(parents=True)
        part.drop(columns="date").to_parquet(folder / f"date={day.isoformat()}" / "part-0.parquet", index=False)
    return single, folder


@pytest.mark.parametrize(("until", "expected"), [(date(2020, 2, 21), ON_0221), (date(2020, 2, 9), ON_0209)])
def test_hand_counted_episodes_on_duckdb_and_in_pandas(hand_logs, until, expected):
    single, folder = hand_logs
    expected = _typed(expected)
    pd.testing.assert_frame_equal(median_days_to_green(single, until), expected)
    pd.testing.assert_frame_equal(median_days_to_green(folder, until), expected)
    log = hand_log()
    known = log[log["date"] <= until].assign(date=lambda d: pd.to_datetime(d["date"]))
    pd.testing.assert_frame_equal(hc.median_days_to_green(known), expected)


def test_a_log_without_episodes_gives_no_rows(tmp_path):
    log = hand_log()
    log[log["person_id"] == 9].to_parquet(tmp_path / "health_code_log.parquet", index=False)
    out = median_days_to_green(tmp_path / "health_code_log.parquet", date(2020, 2, 21))
    assert out.empty and list(out.columns) == ["colour", "n_finished", "median_days", "n_ongoing", "n_left_censored"]


def test_medians_from_counts_weigh_each_episode():
    # 3 episodes of 2 days and 1 of 10: median of 2, 2, 2, 10 is 2; with one more of 10, of 2, 2, 2, 10, 10 is 2;
    # 2 + 2 of each: (2 + 10) / 2 = 6
    day = pd.Timestamp("2020-02-10")
    counts = pd.DataFrame(
        {
            "colour": ["yellow", "yellow"],
            "start": [day, day],
            "end": [day + pd.Timedelta(days=2), day + pd.Timedelta(days=10)],
            "log_start": [pd.Timestamp("2020-02-01")] * 2,
            "episodes": [3, 1],
        }
    )
    assert medians_from_episode_counts(counts)["median_days"].tolist() == [2.0, 2.0]
    assert medians_from_episode_counts(counts.assign(episodes=[2, 2]))["median_days"].tolist() == [6.0, 6.0]


def test_the_embedded_scenario_matches_the_pandas_implementation():
    log = sample_dir() / "health_code_log.parquet"
    if not log.is_file():
        pytest.skip(f"embedded scenario not generated ({log}); run `epianalysis scenario`")
    until = date(2020, 2, 24)
    rows = pd.read_parquet(log, filters=[("date", "<=", pd.Timestamp(until))])
    expected = hc.median_days_to_green(rows.assign(date=pd.to_datetime(rows["date"])))
    assert expected["n_finished"].sum() > 0 and expected["n_ongoing"].sum() > 0  # both kinds exercised
    pd.testing.assert_frame_equal(median_days_to_green(log, until, checked=True), expected)


def test_spark_gives_the_same_medians_on_a_file_and_a_folder(spark, hand_logs):
    single, folder = hand_logs
    engine = get_engine("spark", session=spark)
    expected = _typed(ON_0221)
    pd.testing.assert_frame_equal(median_days_to_green(single, date(2020, 2, 21), engine), expected)
    pd.testing.assert_frame_equal(median_days_to_green(folder, date(2020, 2, 21), engine), expected)
