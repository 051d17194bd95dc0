"""The backtest of the outlook (docs/rulesets.md#backtest-of-the-outlook), hand-checked."""

import pandas as pd
from support import county_series

from epianalysis.rulesets.outlook_backtest import backtest_outlook, published_check


def test_held_and_broken_predictions_of_national_2020():
    # county A: 10 cases on 4 Feb, nothing after: on 5 Feb predicted low on 18 Feb (14 days) -> held.
    # county B: 10 cases on 4 Feb, one more on 10 Feb: the 5 Feb prediction (low on 18 Feb) is broken.
    days = 25  # 1 .. 25 Feb
    a = county_series("330782", "2020-02-01", [0] * 3 + [10] * (days - 3))
    b = county_series("330783", "2020-02-01", [0] * 3 + [10] * 6 + [11] * (days - 9))
    result = backtest_outlook(pd.concat([a, b]), "national-2020", "2020-02-05", "2020-02-05", ["330782", "330783"])
    step = result.detail[result.detail["prediction"] == "step_down"].set_index("region_code")
    assert step.loc["330782", "predicted_date"] == pd.Timestamp("2020-02-18")
    assert step.loc["330782", "outcome"] == "held"
    assert step.loc["330783", "outcome"] == "broken" and bool(step.loc["330783", "new_case"])
    totals = result.totals.set_index("prediction")
    assert totals.loc["step_down", ["predicted", "held", "broken", "missed", "unknown"]].tolist() == [2, 1, 1, 0, 0]
    assert totals.loc["step_down", "share_held"] == 0.5


def test_predictions_past_the_last_data_date_are_unknown():
    a = county_series("330782", "2020-02-01", [0] * 3 + [10] * 7)  # data end on 10 Feb, prediction 18 Feb
    result = backtest_outlook(a, "national-2020", "2020-02-05", "2020-02-05", ["330782"])
    assert result.detail["outcome"].unique().tolist() == ["unknown"]


def test_published_maps_due_reached_and_not_reached():
    published = pd.DataFrame(
        {
            "date": ["2020-02-12"] * 3 + ["2020-02-24"] * 3 + ["2020-02-27"],
            "region_code": ["330102", "330103", "330104", "330102", "330103", "330104", "330104"],
            "level": ["yellow", "green", "orange", "green", "blue", "blue", "green"],
        }
    )
    detail, table = published_check(published, "zhejiang-2020")
    first = detail[(detail["from_date"] == "2020-02-12") & (detail["to_date"] == "2020-02-24")]
    # due by 21 Feb (12 + 7 -> the evaluation of 21 Feb); 24 Feb is after it
    assert set(first["due_date"]) == {pd.Timestamp("2020-02-21")}
    assert first.set_index("region_code")["outcome"].to_dict() == {
        "330102": "reached_when_due",
        "330103": "rose",
        "330104": "not_reached_when_due",
    }
    late = detail[(detail["from_date"] == "2020-02-24") & (detail["to_date"] == "2020-02-27")]
    assert late["outcome"].tolist() == ["reached_early"]  # due only on 4 Mar (24 + 7 -> 2 Mar -> 4 Mar)
    assert table["counties"].tolist() == [3, 1, 1]


def test_published_real_maps(real_data_dir):
    raw = pd.read_csv(real_data_dir / "zhejiang_county_risk_levels.csv", dtype={"county_code": str})
    published = raw.rename(columns={"as_of_date": "date", "county_code": "region_code", "colour": "level"})
    detail, _ = published_check(published, "zhejiang-2020")
    pair = detail[(detail["from_date"] == "2020-02-12") & (detail["to_date"] == "2020-02-27")]
    outcomes = pair.set_index("region_code")["outcome"]
    # 12 Feb: 14 counties named, 5 green; 27 Feb: only 桐庐 (330122) and 海曙 of all 90 not green
    assert (outcomes == "stayed_lowest").sum() == 5
    assert outcomes["330122"] == "not_reached_when_due"
    assert (outcomes == "reached_when_due").sum() == 8
