"""zhejiang-2020: schedule, never-a-case green, 3- and 7-day downgrades, changes text.

Levels below are hand-computed from the documented assumptions in zhejiang-2020.toml:
score = 0.6·P(cumulative) + 0.2·P(local share) + 0.2·P(clusters); cumulative 16 → 40 points,
local share 1 → 100, one cluster → 50: 0.6·40 + 0.2·100 + 0.2·50 = 54 → yellow (40 ≤ score < 55).
Cumulative 5, no cluster: 0 + 20 + 0 = 20 → blue.
"""

import pandas as pd
from support import county_series

from epianalysis.rulesets import evaluate, load_ruleset

DAYS = pd.date_range("2020-01-25", "2020-02-29")


def cumulative(steps: dict[str, int]) -> list[int]:
    """Cumulative counts over DAYS rising by the given amounts on the given dates."""
    total, out = 0, []
    for day in DAYS:
        total += steps.get(day.strftime("%Y-%m-%d"), 0)
        out.append(total)
    return out


def yiwu_like() -> pd.DataFrame:
    clusters = [1 if d == pd.Timestamp("2020-02-01") else 0 for d in DAYS]
    steps = {"2020-02-01": 10, "2020-02-10": 5, "2020-02-14": 1}
    return county_series("330782", "2020-01-25", cumulative(steps), clusters)


def test_schedule_every_three_days_from_0209():
    result = evaluate(yiwu_like(), "zhejiang-2020", regions=["330782"])
    assert [d.strftime("%m-%d") for d in result.counts["date"]] == [
        "02-09",
        "02-12",
        "02-15",
        "02-18",
        "02-21",
        "02-24",
        "02-27",
    ]
    assert list(result.counts.columns) == ["date", "green", "blue", "yellow", "orange", "red", "unknown"]


def test_yiwu_yellow_blue_green_and_its_changes():
    result = evaluate(yiwu_like(), "zhejiang-2020", regions=["330782"])
    levels = result.levels.set_index(result.levels["date"].dt.strftime("%m-%d"))
    assert levels.loc["02-15", "risk_score"] == 54
    assert levels.loc["02-15", ["level", "rule"]].tolist() == ["yellow", "score_yellow"]
    assert levels.loc["02-18", ["level", "rule", "previous_level"]].tolist() == [
        "blue",
        "score_yellow+casefree_3d",
        "yellow",
    ]
    assert levels.loc["02-21", ["level", "rule"]].tolist() == ["green", "score_yellow+casefree_7d"]
    changes = result.changes[result.changes["date"] >= "2020-02-15"]
    assert changes[["from", "to"]].values.tolist() == [["yellow", "blue"], ["blue", "green"]]
    # the engine writes no press text (the zoning topic does: tests/topics/zoning/test_view.py)
    assert list(result.changes.columns) == ["region_code", "name_zh", "name_en", "date", "from", "to"]


def test_no_downgrade_on_first_map_of_0209():
    # last case 02-01: 8 case-free days on 02-09, but the first map is by score alone
    frame = county_series(
        "330782",
        "2020-01-25",
        cumulative({"2020-02-01": 16}),
        [1 if d == pd.Timestamp("2020-02-01") else 0 for d in DAYS],
    )
    levels = evaluate(frame, "zhejiang-2020", regions=["330782"]).levels
    assert levels["level"].tolist()[:2] == ["yellow", "green"]
    assert levels["rule"].tolist()[:2] == ["score_yellow", "score_yellow+casefree_7d"]


def test_three_day_downgrade_stops_at_blue_and_a_new_case_resets():
    # base blue (score 20); cases on 02-11 and 02-16
    frame = county_series("330782", "2020-01-25", cumulative({"2020-02-11": 4, "2020-02-16": 1}))
    levels = evaluate(frame, "zhejiang-2020", regions=["330782"]).levels
    by_day = dict(zip(levels["date"].dt.strftime("%m-%d"), levels["level"]))
    # 02-15: 4 case-free days, blue cannot go lower by the 3-day rule; 02-18: 2 days after the new case
    assert by_day["02-15"] == "blue"
    assert by_day["02-18"] == "blue"
    # 02-24: 8 days after 02-16
    assert by_day["02-24"] == "green"


def test_never_a_case_is_green_and_missing_is_unknown():
    never = county_series("330783", "2020-01-25", [0] * len(DAYS))
    frame = pd.concat([never, yiwu_like()])
    result = evaluate(frame, "zhejiang-2020", regions=["330782", "330783", "330784"])
    first = result.levels[result.levels["date"] == "2020-02-09"].set_index("region_code")
    assert first.loc["330783", ["level", "rule"]].tolist() == ["green", "never_a_case"]
    assert first.loc["330784", "level"] == "unknown"
    # 义乌-like on 02-09: 10 cases (0 points) + local 20 + one cluster 10 = 30 -> blue
    assert result.counts.iloc[0][["green", "blue", "yellow", "unknown"]].tolist() == [1, 1, 0, 1]


def test_downgrades_are_data():
    rs = load_ruleset("zhejiang-2020")
    assert [(d.condition.value, d.steps, d.to_level, d.min_level) for d in rs.downgrades] == [
        (3.0, 1, None, "blue"),
        (7.0, 0, "green", None),
    ]
    assert rs.schedule_start == "2020-02-09" and rs.schedule_every_days == 3
    assert len(rs.assumptions) >= 3
