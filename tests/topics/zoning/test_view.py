"""The risk-zoning briefing section: evaluation in force, counts, changes and summary, by hand.

Hand case (rule set zhejiang-2020, assumptions in its TOML): 义乌 330782 has 10 cases on 02-01 (one
cluster), 5 more on 02-10 and 1 on 02-14: cumulative 16 -> 0.6·40 + 0.2·100 + 0.2·50 = 54 -> yellow.
东阳 330783 never has a case -> green. Evaluations every 3 days from 02-09. With data as of 02-19 the
evaluation in force is 02-18 (previous 02-15): 义乌 4 days without a case -> one level down, blue.
"""

import json

import pandas as pd
import pytest
from support import county_series

from epianalysis.errors import NotApplicable
from epianalysis.rulesets import evaluate, parse_ruleset
from epianalysis.topics.zoning import view as Z

DAYS = pd.date_range("2020-01-25", "2020-02-29")
CODES = ["330782", "330783"]


def hand_cases() -> pd.DataFrame:
    steps = {"2020-02-01": 10, "2020-02-10": 5, "2020-02-14": 1}
    rows, total = [], 0
    for day in DAYS:
        total += steps.get(day.strftime("%Y-%m-%d"), 0)
        cluster = 1 if day == pd.Timestamp("2020-02-01") else 0
        rows.append((day, "330782", total, total, cluster))
        rows.append((day, "330783", 0, 0, 0))
    frame = pd.DataFrame(rows, columns=["date", "region_code", "confirmed", "confirmed_local", "clusters_new"])
    for column in ("confirmed", "confirmed_local", "clusters_new"):
        frame[column] = frame[column].astype("Int64")
    return frame


@pytest.fixture(scope="module")
def zb():
    return Z.zoning_for_briefing(hand_cases(), "2020-02-19", regions=CODES)


def test_latest_evaluation_on_or_before_as_of(zb):
    assert zb.evaluation_date == pd.Timestamp("2020-02-18")
    assert zb.previous_date == pd.Timestamp("2020-02-15")
    # the trend stops at the evaluation in force
    assert zb.trend["date"].dt.strftime("%m-%d").tolist() == ["02-09", "02-12", "02-15", "02-18"]
    on_the_day = Z.zoning_for_briefing(hand_cases(), "2020-02-18", regions=CODES)
    assert on_the_day.evaluation_date == pd.Timestamp("2020-02-18")


def test_no_evaluation_before_the_first_is_a_clear_error():
    with pytest.raises(ValueError, match="no risk-zoning evaluation on or before 2020-02-08.*2020-02-09"):
        Z.zoning_for_briefing(hand_cases(), "2020-02-08", regions=CODES)


def test_summary_section_by_hand(zb):
    summary = Z.summary(zb)
    outlook = summary.pop("outlook")  # the outlook part: tests/topics/zoning/test_outlook.py
    assert outlook["next_evaluation_date"] == "2020-02-21"
    assert summary == {
        "ruleset": "zhejiang-2020",
        "ruleset_version": "1",
        "data_date": zb.as_of.isoformat(),
        "evaluation_date": "2020-02-18",
        "previous_evaluation_date": "2020-02-15",
        "counts": {"red": 0, "orange": 0, "yellow": 0, "blue": 1, "green": 1, "unknown": 0},
        "changes": [
            {
                "region_code": "330782",
                "name_zh": "义乌市",
                "name_en": "Yiwu",
                "from": "yellow",
                "to": "blue",
                "text_en": "Yiwu: yellow → blue",
                "text_zh": "义乌由黄转蓝",
            }
        ],
        "counties": [{"region_code": "330782", "name_zh": "义乌市", "name_en": "Yiwu", "level": "blue"}],
        "published_reference": None,  # all 90 counties low-risk was published on 2020-03-02
    }
    assert list(summary["counts"]) == ["red", "orange", "yellow", "blue", "green", "unknown"]
    json.dumps(summary)  # JSON-ready


def test_map_inputs_and_change_marks(zb):
    values = Z.map_values(zb).set_index("region_code")["level"].to_dict()
    assert values == {"330782": "blue", "330783": "green"}
    assert Z.changed_texts(zb, "en") == {"330782": "yellow → blue"}
    assert Z.changed_texts(zb, "zh") == {"330782": "黄→蓝"}
    levels = Z.map_levels(zb.ruleset)
    assert [spec["key"] for spec in levels] == ["red", "orange", "yellow", "blue", "green", "unknown"]
    assert levels[4]["label_en"] == "Green · low risk"


def test_tables_and_sentence(zb):
    counts = Z.counts_table(zb, "en")
    assert counts.columns.tolist() == ["Level", "Counties"]
    assert counts.iloc[3].tolist() == ["Blue · lower risk", "1"]
    changes = Z.changes_table(zb, "zh")
    assert changes.iloc[0].tolist() == [
        "330782",
        "义乌市",
        "黄色 · 中风险",
        "蓝色 · 较低风险",
        "score_yellow+casefree_3d",
        "已连续4天无新增确诊病例",
    ]
    # why, in words for a reader: the rule set's own wording with the county's values, no identifier
    assert Z.changes_table(zb, "en").iloc[0, -1] == "no new case for 4 days"
    assert Z.changes_sentence(zb, "en") == "1 county changed level since the previous evaluation (15 Feb 2020)."
    first = Z.zoning_for_briefing(hand_cases(), "2020-02-10", regions=CODES)
    assert first.previous_date is None
    assert Z.changes_sentence(first, "en").startswith("This is the first evaluation")
    assert len(Z.changes_table(first, "en")) == 0


def test_missing_county_data_is_unknown_in_the_summary():
    cases = hand_cases()
    cases = cases[cases["region_code"] == "330782"]
    summary = Z.summary(Z.zoning_for_briefing(cases, "2020-02-19", regions=CODES))
    assert summary["counts"]["unknown"] == 1  # 东阳 without rows: unknown, not green
    assert summary["counts"]["green"] == 0


def test_change_sentences_are_the_topics_not_the_engines(zb):
    # 义乌市 yellow -> blue on 02-18: the level keys in English, short names (义乌, 黄, 蓝) in Chinese
    (change,) = zb.changes.to_dict("records")
    assert Z.change_sentence(zb.ruleset, change, "en") == "Yiwu: yellow → blue"
    assert Z.change_sentence(zb.ruleset, change, "zh") == "义乌由黄转蓝"
    unnamed = dict(change, name_zh=None, name_en=None)  # a code without a name is named by its code
    assert Z.change_sentence(zb.ruleset, unnamed, "en") == "330782: yellow → blue"
    assert Z.change_sentence(zb.ruleset, unnamed, "zh") == "330782由黄转蓝"


def test_change_sentences_of_a_user_rule_set():
    # two levels: none (< 1 case, short name 无) and some (>= 1, 有); 义乌 has its first case on day 3
    rs = parse_ruleset(
        {
            "name": "two-level",
            "version": "0",
            "citation": "test",
            "description": "any case = some",
            "levels": [
                {"key": "none", "colour": "#00ff00", "label_zh": "无", "label_en": "None"},
                {"key": "some", "colour": "#ff0000", "label_zh": "有", "label_en": "Some"},
            ],
            "indicators": [
                {
                    "name": "cumulative_confirmed",
                    "label_zh": "累计确诊",
                    "label_en": "Cumulative confirmed",
                    "computed": "confirmed",
                }
            ],
            "threshold": {"indicator": "cumulative_confirmed", "cutoffs": [1], "closed": "lower"},
        }
    )
    result = evaluate(county_series("330782", "2020-02-01", [0, 0, 2]), rs, regions=["330782"])
    (change,) = result.changes.to_dict("records")
    assert Z.change_sentence(rs, change, "zh") == "义乌由无转有"
    assert Z.change_sentence(rs, change, "en") == "Yiwu: none → some"


@pytest.mark.parametrize(
    ("name", "short"),
    [("义乌市", "义乌"), ("景宁畲族自治县", "景宁"), ("上城区", "上城"), ("县", "县"), ("江山市", "江山")],
)
def test_short_county_names_in_sentences(name, short):
    assert Z.short_name_zh(name) == short


def test_the_published_counts_are_shown_from_their_press_date_on():
    # all 90 counties low-risk: press conference of 2020-03-02, data as of 1 March (topics/zoning/reference.toml)
    before = Z.zoning_for_briefing(hand_cases(), "2020-02-29", regions=CODES)  # briefing of 1 March
    on = Z.zoning_for_briefing(hand_cases(), "2020-02-29", regions=CODES, press_date="2020-03-02")
    assert Z.summary(before)["published_reference"] is None
    assert "low-risk" not in Z.counts_table(before, "en").to_string()
    ref = Z.summary(on)["published_reference"]
    assert (ref["low_risk"], ref["counties"], ref["date"], ref["press_date"]) == (90, 90, "2020-03-01", "2020-03-02")
    assert Z.counts_table(on, "en").iloc[-1].tolist()[1] == "90 of 90 low-risk"
    assert Z.counts_table(on, "zh").iloc[-1].tolist()[1] == "90个中90个为低风险"


def test_province_figures_alone_do_not_make_a_county_map():
    province = pd.DataFrame(
        {
            "date": pd.date_range("2020-02-01", periods=20, freq="D"),
            "region_code": "330000",
            "confirmed": range(1000, 1020),
        }
    )
    with pytest.raises(NotApplicable, match="no county rows"):
        Z.zoning_for_briefing(province, "2020-02-19")
