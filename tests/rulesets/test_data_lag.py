"""The data an evaluation reads: ``[schedule] data_lag_days`` (docs/rulesets.md#the-data-an-evaluation-reads).

With a lag L the evaluation of date E reads the data as of E − L 24:00. Worked by hand at the boundary:
a case reported on E − 1 is seen by the evaluation of E with L = 1, a case reported on E is not.

Hand county (zhejiang-2020 weights, its TOML): 10 cases on 02-01 (one cluster) and 5 on 02-10, then one
more case on a day X: 16 cases, score 0.6·40 + 0.2·100 + 0.2·50 = 54 -> yellow before any downgrade;
3 case-free days -> blue, 7 -> green.
"""

import tomllib

import pandas as pd
import pytest
from support import county_series

from epianalysis.errors import DataError
from epianalysis.rulesets import backtest, evaluate, load_ruleset
from epianalysis.rulesets.load import RULESETS_DIR, parse_ruleset
from epianalysis.rulesets.outlook import latest_lowest_date, outlook
from epianalysis.rulesets.outlook_backtest import published_check
from epianalysis.topics.zoning import view as Z

CODE = "330782"


def with_lag(name: str, lag: int):
    """The shipped rule set ``name`` with ``data_lag_days = lag``."""
    with open(RULESETS_DIR / f"{name}.toml", "rb") as handle:
        data = tomllib.load(handle)
    data.setdefault("schedule", {})["data_lag_days"] = lag
    return parse_ruleset(data, source=f"{name}-lag{lag}")


def hand_cases(last_case: str | None, until: str = "2020-02-20") -> pd.DataFrame:
    days = pd.date_range("2020-01-25", until)
    steps = {"2020-02-01": 10, "2020-02-10": 5}
    if last_case is not None:
        steps[last_case] = steps.get(last_case, 0) + 1
    confirmed, total = [], 0
    for day in days:
        total += steps.get(day.strftime("%Y-%m-%d"), 0)
        confirmed.append(total)
    clusters = [1 if d == pd.Timestamp("2020-02-01") else 0 for d in days]
    return county_series(CODE, "2020-01-25", confirmed, clusters)


def level_on(cases: pd.DataFrame, ruleset, day: str) -> pd.Series:
    levels = evaluate(cases, ruleset, regions=[CODE]).levels.set_index("date")
    return levels.loc[pd.Timestamp(day)]


def test_the_shipped_rule_sets_state_their_lag():
    assert {name: load_ruleset(name).data_lag_days for name in ("zhejiang-2020", "national-2020", "hghi")} == {
        "zhejiang-2020": 0,  # the map of 27 Feb is "as of 27 Feb 24:00"
        "national-2020": 0,
        "hghi": 0,
    }
    assert load_ruleset("zhejiang-2020").data_date("2020-02-27") == pd.Timestamp("2020-02-27")
    assert with_lag("zhejiang-2020", 1).data_date("2020-02-27") == pd.Timestamp("2020-02-26")
    assert with_lag("zhejiang-2020", 1).last_evaluation_date("2020-02-26") == pd.Timestamp("2020-02-27")


@pytest.mark.parametrize("lag", [-1, 1.5, True, "1"])
def test_the_lag_is_a_non_negative_whole_number_of_days(lag):
    with open(RULESETS_DIR / "zhejiang-2020.toml", "rb") as handle:
        data = tomllib.load(handle)
    data["schedule"]["data_lag_days"] = lag
    with pytest.raises(DataError) as err:
        parse_ruleset(data, source="x.toml")
    assert [v.column for v in err.value.violations] == ["schedule.data_lag_days"]


def test_a_case_on_e_minus_1_is_seen_and_a_case_on_e_is_not():
    lag0, lag1 = load_ruleset("zhejiang-2020"), with_lag("zhejiang-2020", 1)
    # case on 02-17 (E - 1): both see it; 0 days (lag 1, data of 02-17) and 1 day (lag 0) -> yellow
    on_e_minus_1 = hand_cases("2020-02-17")
    row = level_on(on_e_minus_1, lag1, "2020-02-18")
    assert (row["data_date"], row["days_since_last_case"], row["level"]) == (pd.Timestamp("2020-02-17"), 0, "yellow")
    assert level_on(on_e_minus_1, lag0, "2020-02-18")["level"] == "yellow"
    # case on 02-18 (E): lag 1 reads 02-17, 7 days after 02-10 -> green; lag 0 sees it -> yellow
    on_e = hand_cases("2020-02-18")
    row = level_on(on_e, lag1, "2020-02-18")
    assert (row["days_since_last_case"], row["cumulative_confirmed"], row["level"]) == (7, 15, "green")
    row = level_on(on_e, lag0, "2020-02-18")
    assert (row["data_date"], row["days_since_last_case"], row["level"]) == (pd.Timestamp("2020-02-18"), 0, "yellow")
    # case on 02-15: 3 case-free days as of 02-18 (lag 0) -> blue; 2 as of 02-17 (lag 1) -> yellow
    assert level_on(hand_cases("2020-02-15"), lag0, "2020-02-18")["level"] == "blue"
    assert level_on(hand_cases("2020-02-15"), lag1, "2020-02-18")["level"] == "yellow"


def test_the_evaluation_dates_follow_the_data_dates():
    cases = hand_cases(None, until="2020-02-20")  # data 01-25 .. 02-20
    daily1 = with_lag("national-2020", 1)
    dates = evaluate(cases, daily1, regions=[CODE]).counts["date"]
    assert (dates.min(), dates.max()) == (pd.Timestamp("2020-01-26"), pd.Timestamp("2020-02-21"))
    dates = evaluate(cases, "national-2020", regions=[CODE]).counts["date"]
    assert (dates.min(), dates.max()) == (pd.Timestamp("2020-01-25"), pd.Timestamp("2020-02-20"))
    # zhejiang-2020 every 3 days from 02-09: data up to 02-20 make the map of 02-21 only with a lag of 1
    assert evaluate(cases, with_lag("zhejiang-2020", 1), regions=[CODE]).counts["date"].max() == pd.Timestamp(
        "2020-02-21"
    )
    assert evaluate(cases, "zhejiang-2020", regions=[CODE]).counts["date"].max() == pd.Timestamp("2020-02-18")
    # an explicit end reads no data after end - lag
    late = hand_cases("2020-02-18")
    row = evaluate(late, with_lag("zhejiang-2020", 1), end="2020-02-18", regions=[CODE]).levels.iloc[-1]
    assert (row["date"], row["cumulative_confirmed"]) == (pd.Timestamp("2020-02-18"), 15)


def test_national_14_days_with_a_lag():
    cases = hand_cases(None, until="2020-02-25")  # last case 02-10
    assert level_on(cases, "national-2020", "2020-02-24")["level"] == "low"  # 14 days as of 02-24
    assert level_on(cases, with_lag("national-2020", 1), "2020-02-24")["level"] == "medium"  # 13 as of 02-23
    assert level_on(cases, with_lag("national-2020", 1), "2020-02-10")["level"] == "medium"  # 10 cases of 02-01
    assert level_on(cases, with_lag("national-2020", 1), "2020-02-01")["level"] == "low"  # 02-01's not yet read


def test_outlook_with_a_lag():
    cases = hand_cases("2020-02-14", until="2020-02-17")  # last case 02-14, data as of 02-17
    lag1 = with_lag("zhejiang-2020", 1)
    row = outlook(cases, lag1, "2020-02-17", regions=[CODE]).table.iloc[0]
    # in force: 02-18 (reads 02-17, 3 days -> blue); green needs 7 days as of E - 1 >= 02-21 -> 02-24
    assert (row["level"], row["next_evaluation"]) == ("blue", pd.Timestamp("2020-02-21"))
    assert (row["step_down_date"], row["step_down_level"]) == (pd.Timestamp("2020-02-24"), "green")
    # one case on 02-18, read by the evaluation of 02-21 (data of 02-20): 2 days, 17 cases -> yellow
    assert (row["up_cases"], row["up_level"]) == (1, "yellow")
    result = outlook(cases, lag1, "2020-02-17", regions=[CODE])
    assert result.evaluation_date == pd.Timestamp("2020-02-18")
    # without a lag: in force 02-15 (1 day -> yellow), blue on 02-18 (4 days), green on 02-21 (7 days)
    row = outlook(cases, "zhejiang-2020", "2020-02-17", regions=[CODE]).table.iloc[0]
    assert (row["level"], row["step_down_date"], row["lowest_date"]) == (
        "yellow",
        pd.Timestamp("2020-02-18"),
        pd.Timestamp("2020-02-21"),
    )


def test_latest_lowest_date_and_the_published_check_with_a_lag():
    lag1 = with_lag("zhejiang-2020", 1)
    assert latest_lowest_date("zhejiang-2020", "2020-02-14") == pd.Timestamp("2020-02-21")  # 02-14 + 7
    assert latest_lowest_date(lag1, "2020-02-14") == pd.Timestamp("2020-02-24")  # 02-14 + 8 -> 02-24
    assert latest_lowest_date(lag1, "2020-02-13") == pd.Timestamp("2020-02-21")  # 02-13 + 8
    assert latest_lowest_date(with_lag("national-2020", 1), "2020-02-10") == pd.Timestamp("2020-02-25")  # + 15
    # a map of E reads the data of E - lag: the date a map's counties are due does not move with the lag
    published = pd.DataFrame(
        {"date": ["2020-02-12", "2020-02-21"], "region_code": [CODE, CODE], "level": ["blue", "green"]}
    )
    for ruleset in ("zhejiang-2020", lag1):
        detail, _ = published_check(published, ruleset)
        assert detail["due_date"].tolist() == [pd.Timestamp("2020-02-21")]


def test_the_backtest_counts_the_cases_the_evaluation_did_not_see():
    # a case on 02-10, evaluated on 02-10: with lag 1 it comes after the data read (02-09)
    cases = hand_cases(None)
    for ruleset, share in ((with_lag("national-2020", 1), 1.0), ("national-2020", 0.0)):
        table = backtest(cases, ruleset, "2020-02-10", "2020-02-10", horizon=3, regions=[CODE]).table
        medium = table.set_index("level").loc["medium"]
        assert (medium["n_outcome"], medium["share_any_case"]) == (1, share)


def test_the_briefing_shows_the_latest_evaluation_the_data_can_make():
    cases = hand_cases("2020-02-14", until="2020-02-17")
    lag1 = with_lag("zhejiang-2020", 1)
    assert Z.zoning_for_briefing(cases, "2020-02-17", lag1, regions=[CODE]).evaluation_date == pd.Timestamp(
        "2020-02-18"
    )
    assert Z.zoning_for_briefing(cases, "2020-02-16", lag1, regions=[CODE]).evaluation_date == pd.Timestamp(
        "2020-02-15"
    )
    assert Z.zoning_for_briefing(cases, "2020-02-17", regions=[CODE]).evaluation_date == pd.Timestamp("2020-02-15")
