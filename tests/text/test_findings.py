"""Chart titles that state the finding: said only when the data support it, with the paragraph's rules,
and the topic moved before the subtitle."""

from __future__ import annotations

import pytest

from epianalysis.text import findings

GREEN_90 = {"red": 0, "orange": 0, "yellow": 0, "blue": 0, "green": 90, "unknown": 0}


def test_headline_moves_the_topic_before_the_subtitle():
    assert findings.headline("All 90 counties low-risk", "Risk map", "Data as of 1 Mar 2020, 24:00", "en") == (
        "All 90 counties low-risk",
        "Risk map · Data as of 1 Mar 2020, 24:00",
    )
    assert findings.headline("All 90 counties low-risk", "Risk map", None, "en") == (
        "All 90 counties low-risk",
        "Risk map",
    )
    # no finding: the topic is the title, the subtitle as it was
    assert findings.headline(None, "Risk map", "Data", "zh") == ("Risk map", "Data")


def test_all_green_only_when_every_county_is_green_and_none_unknown():
    assert findings.zoning_all_green({"zoning": {"counts": GREEN_90}}, "en") == "All 90 counties low-risk"
    assert findings.zoning_all_green({"zoning": {"counts": GREEN_90}}, "zh") == "全省90个县（市、区）均为低风险"
    two_blue = {**GREEN_90, "green": 88, "blue": 2}  # 27 Feb 2020: 88 green, 2 blue
    assert findings.zoning_all_green({"zoning": {"counts": two_blue}}, "en") is None
    one_unknown = {**GREEN_90, "green": 89, "unknown": 1}
    assert findings.zoning_all_green({"zoning": {"counts": one_unknown}}, "en") is None
    no_unknown_count = {k: v for k, v in GREEN_90.items() if k != "unknown"}
    assert findings.zoning_all_green({"zoning": {"counts": no_unknown_count}}, "en") is None
    assert findings.zoning_all_green({}, "en") is None


@pytest.mark.parametrize(
    ("days", "flags", "lang", "text"),
    [
        (9, [], "en", "No new local case for 9 days"),
        (1, [], "en", "No new local case for 1 day"),
        (9, [], "zh", "已连续9天无新增本地确诊病例"),
        (9, ["local_split_unknown"], "en", "No new case for 9 days"),
        (0, [], "en", None),  # a local case on the data date
        (None, [], "en", None),  # unknown (a gap in the data)
    ],
)
def test_no_local_case(days, flags, lang, text):
    summary = {"recovery": {"days_since_last_local_case": days, "flags": flags}}
    assert findings.no_local_case(summary, lang) == text


def test_discharged_share():
    rate = 1050 / 1205  # 87.14 %
    assert (
        findings.discharged_share({"recovery": {"discharge_rate": rate}}, "en")
        == "87.1% of confirmed patients discharged"
    )
    assert findings.discharged_share({"recovery": {"discharge_rate": rate}}, "zh") == "累计治愈出院率达87.1%"
    assert findings.discharged_share({"recovery": {"discharge_rate": 170 / 169}}, "en") == (
        "More patients discharged than confirmed (100.6%)"  # 17000 / 169 = 100.59
    )
    assert findings.discharged_share({"recovery": {"discharge_rate": float("nan")}}, "en") is None


@pytest.mark.parametrize(
    ("lower", "upper", "text"),
    [
        (0.45, 0.93, "Rt below 1 since 7 Feb"),
        (1.10, 1.90, "Rt above 1 since 7 Feb"),
        (0.80, 1.20, None),  # the interval contains 1: the data cannot tell
    ],
)
def test_rt_side(lower, upper, text):
    summary = {"transmission": {"latest": {"lower": lower, "upper": upper}, "side_since": "2020-02-07"}}
    assert findings.rt_side(summary, "en") == text
    assert findings.rt_side({"transmission": {"latest": None, "side_since": None}}, "en") is None


def test_rt_side_in_chinese():
    summary = {"transmission": {"latest": {"lower": 0.4, "upper": 0.9}, "side_since": "2020-02-07"}}
    assert findings.rt_side(summary, "zh") == "2月7日以来Rt低于1"


def test_capacity_findings():
    summary = {"capacity": {"above_scale": {"capacity_recovery_index": 77.36}, "days_behind_normal_year": 16}}
    assert findings.capacity_recovered(summary, "en") == "Capacity recovered to 77.4% of normal"
    assert findings.capacity_pace(summary, "en") == "Capacity recovery 16 days behind a normal year"
    assert findings.capacity_pace(summary, "zh") == "产能恢复进度比正常年份晚16天"
    assert findings.capacity_pace({"capacity": {"days_behind_normal_year": 0}}, "en") == (
        "Capacity recovery on par with a normal year"
    )
    assert findings.capacity_pace({"capacity": {"days_behind_normal_year": -3}}, "en") == (
        "Capacity recovery 3 days ahead of a normal year"
    )
    assert findings.capacity_pace({"capacity": {"days_behind_normal_year": None}}, "en") is None
    assert findings.capacity_recovered({"capacity": {"above_scale": {}}}, "en") is None


def test_all_resumed_needs_every_county_in_the_top_band():
    counts = {"red": 0, "orange": 0, "yellow": 0, "blue": 0, "green": 90, "unknown": 0}
    summary = {"capacity": {"resumption_map": counts}}
    assert findings.all_resumed(summary, "en", "green", 90.0) == "Resumption of 90% or more in all 90 counties"
    assert findings.all_resumed(summary, "zh", "green", 90.0) == "全省90个县（市、区）复工率均达90%以上"
    one_blue = {**counts, "green": 89, "blue": 1}
    assert findings.all_resumed({"capacity": {"resumption_map": one_blue}}, "en", "green", 90.0) is None
    one_unknown = {**counts, "green": 89, "unknown": 1}
    assert findings.all_resumed({"capacity": {"resumption_map": one_unknown}}, "en", "green", 90.0) is None


def test_control_index_findings():
    summary = {
        "control_index": {
            "province_simple_mean": 96.865,
            "best": [{"region_code": "330127", "name_en": "Chun'an", "name_zh": "淳安县", "combined_index": 97.97}],
            "worst": [{"region_code": "330382", "name_en": "Yueqing", "name_zh": "乐清市", "combined_index": 84.77}],
        }
    }
    assert findings.ci_extremes(summary, "en") == "Chun'an ranks first (97.97), Yueqing last (84.77)"
    assert findings.ci_extremes(summary, "zh") == "淳安县排名第一（97.97分），乐清市排名最后（84.77分）"
    assert findings.ci_average(summary, "en") == "Precision control index averages 96.87"  # 96.865 half-up
    one = {"control_index": {"best": summary["control_index"]["best"], "worst": summary["control_index"]["best"]}}
    assert findings.ci_extremes(one, "en") is None  # one county scored: no first and last
    assert findings.ci_extremes({"control_index": {"best": [], "worst": []}}, "en") is None


def test_health_code_findings():
    assert findings.share_green({"health_codes": {"share_green": 0.9866}}, "en") == "98.7% of health codes green"
    assert findings.share_green({"health_codes": {"share_green": None}}, "en") is None
    day = {
        "data_date": "2020-03-01",
        "yellow": 3000.0,
        "red": 2400.0,
        "peak": {"date": "2020-02-20", "yellow_red": 9700.0},
    }
    # 1 - 5400 / 9700 = 0.443 -> 44 %
    assert findings.below_peak({"health_codes": day}, "en") == "Yellow and red codes down 44% from the peak of 20 Feb"
    assert findings.below_peak({"health_codes": day}, "zh") == "黄码、红码人数较2月20日峰值下降44%"
    at_peak = {**day, "peak": {"date": "2020-03-01", "yellow_red": 5400.0}}  # the peak is today: no fall
    assert findings.below_peak({"health_codes": at_peak}, "en") is None
    tiny = {**day, "peak": {"date": "2020-02-20", "yellow_red": 5401.0}}  # 0.02 % lower: "0%" says nothing
    assert findings.below_peak({"health_codes": tiny}, "en") is None
