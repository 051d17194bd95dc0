"""Tests of the generated press paragraph (epianalysis.text.narrative) and its templates.

The summary below is written by hand from published figures: press conference of 2020-03-02
(data as of 1 March 24:00: 1205 confirmed, 1050 discharged = 87.1 %, 1 death; all 90 counties
green on the five-colour map; precision control index 96.87), the capacity figures of 2020-02-25
(44,370 above-scale firms, 99.8 % resumed, 60.1 % of workers back; leading firms 72 %; target 75 %
by 29 February; index 76.75), and 14.989 M health codes, 94.7 % green (2020-02-17).
"""

from __future__ import annotations

import copy
import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from epianalysis import summary
from epianalysis.errors import DataError
from epianalysis.text import narrative
from epianalysis.text.templates import TEMPLATES_FILE, load_templates


def press_summary() -> dict:
    """The schema's example summary (epianalysis.summary.example) with the published figures put in,
    checked against the schema: a fixture made from the declared output, not by hand."""
    s = summary.example()
    s["synthetic"] = False
    s["recovery"].update(
        confirmed=1205,
        confirmed_local=1205,
        confirmed_imported=0,
        discharged=1050,
        deaths=1,
        active=154,
        discharge_rate=1050 / 1205,
        severe=10,
        critical=4,
        days_since_last_local_case=9,
        flags=[],
    )
    s["zoning"]["counts"] = {"red": 0, "orange": 0, "yellow": 0, "blue": 0, "green": 90, "unknown": 0}
    s["zoning"]["changes"] = [
        {
            "region_code": "330122",
            "name_zh": "桐庐县",
            "name_en": "Tonglu",
            "from": "blue",
            "to": "green",
            "text_en": "Tonglu: blue → green",
            "text_zh": "桐庐由蓝转绿",
        },
        {
            "region_code": "330203",
            "name_zh": "海曙区",
            "name_en": "Haishu",
            "from": "blue",
            "to": "green",
            "text_en": "Haishu: blue → green",
            "text_zh": "海曙由蓝转绿",
        },
    ]
    s["zoning"]["counties"] = []
    ci = s["control_index"]
    ci.update(province_simple_mean=96.87, control_index_mean=98.5, flow_index_mean=93.12, n_counties=90, n_scored=90)
    ci["best"] = [
        {"region_code": "330127", "name_zh": "淳安县", "name_en": "Chun'an", "combined_index": 99.41, "rank": 1}
    ]
    ci["worst"] = [
        {"region_code": "330382", "name_zh": "乐清市", "name_en": "Yueqing", "combined_index": 88.06, "rank": 90}
    ]
    ci["counties_with_missing_indicators"] = []
    cap = s["capacity"]
    complete = {"estimated": False, "sampling_fraction": None}  # the published counts are province totals
    cap["above_scale"].update(
        n_enterprises=44370,
        n_enterprises_sample=44370,
        resumption_rate_pct=99.8,
        worker_return_pct=60.1,
        capacity_recovery_index=52.3,
        **complete,
    )
    cap["leading"].update(n_enterprises=905, n_enterprises_sample=905, capacity_recovery_index=72.0, **complete)
    cap["target"].update(target_date="2020-02-29", target=75.0, value=76.75, gap=-1.75, met=True)
    cap["days_behind_normal_year"] = 16
    s["health_codes"].update(
        holders=14989000, share_green=0.947, yellow=512000, red=282000, new_red=118, new_yellow=392, to_green=895
    )
    s["health_codes"].update(sample=None, **complete)
    summary.check_summary(s)
    return s


def numbers_in(text: str, lang: str) -> list[Decimal]:
    """Every number written in ``text`` (thousands separators removed)."""
    pattern = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?" if lang == "en" else r"\d+(?:\.\d+)?"
    return [Decimal(m.replace(",", "")) for m in re.findall(pattern, text)]


def allowed_numbers(summary: dict) -> set[Decimal]:
    """The numbers a paragraph may state for ``summary``: each numeric value as given, rounded to 0-2
    decimals, fractions also as percentages, and the day and month of each date."""
    out: set[Decimal] = set()

    def walk(node):
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, bool):
            pass
        elif isinstance(node, int | float):
            for value in (Decimal(repr(node)), Decimal(repr(node)) * 100):
                for places in (0, 1, 2):
                    out.add(round(value, places).normalize())
            out.add(round(Decimal(repr(node)) / 10000, 1).normalize())  # Chinese 万 (ten thousands)
        elif isinstance(node, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", node):
            out.update({Decimal(int(node[5:7])), Decimal(int(node[8:10]))})

    walk(summary)
    out.add(Decimal(24))  # "24:00" / "24时" of the bulletin convention
    return {d.normalize() for d in out}


# ------------------------------------------------------------------------------ stated numbers


def test_english_paragraph_states_the_summary_numbers():
    s = press_summary()
    text = narrative.paragraph(s, "en")
    assert text.startswith("As of 24:00 on 1 March, Zhejiang had reported 1,205 confirmed cases in total.")
    claims = {
        r"([\d,]+) confirmed cases": s["recovery"]["confirmed"],
        r"([\d,]+) patients have been discharged": s["recovery"]["discharged"],
        r"([\d.]+)% of all confirmed cases": Decimal("87.1"),
        r"([\d,]+) patients? died": s["recovery"]["deaths"],
        r"([\d,]+) patients are still under treatment": s["recovery"]["active"],
        r"([\d,]+) patients are in severe": s["recovery"]["severe"],
        r"and ([\d,]+) in critical": s["recovery"]["critical"],
        r"no new local case for ([\d,]+) days": s["recovery"]["days_since_last_local_case"],
        r"all ([\d,]+) counties are low-risk": 90,
        r"control index averages ([\d.]+) points": Decimal("96.87"),
        r"control sub-index averages ([\d.]+) points and": Decimal("98.50"),
        r"flow sub-index ([\d.]+) points": Decimal("93.12"),
        r"Chun'an ranks first \(([\d.]+) points\)": Decimal("99.41"),
        r"Yueqing last \(([\d.]+) points\)": Decimal("88.06"),
        r"Of the ([\d,]+) industrial enterprises": 44370,
        r"([\d.]+)% have resumed": Decimal("99.8"),
        r"([\d.]+)% of workers": Decimal("60.1"),
        r"capacity has recovered to ([\d.]+)%": Decimal("52.3"),
        r"Leading enterprises have recovered ([\d.]+)%": Decimal("72.0"),
        r"reached ([\d.]+)%": Decimal("76.8"),  # 76.75 rounded half-up to one decimal
        r"target of ([\d.]+)%": 75,
        r"([\d,]+) days behind": 16,
        r"Of ([\d,]+) people holding": 14989000,
        r"([\d.]+)% hold a green code": Decimal("94.7"),
        r"([\d,]+) hold a yellow": 512000,
        r"and ([\d,]+) a red code": 282000,
        r"([\d,]+) red and": 118,
        r"([\d,]+) yellow codes": 392,
        r"([\d,]+) people returned to green": 895,
    }
    for pattern, expected in claims.items():
        found = re.search(pattern, text)
        assert found, f"no match for {pattern!r} in {text!r}"
        assert Decimal(found.group(1).replace(",", "")) == Decimal(expected), pattern
    assert "1,205" in text and "14,989,000" in text  # thousands separators in English
    assert set(numbers_in(text, "en")) <= allowed_numbers(s)


def test_chinese_paragraph_states_the_summary_numbers():
    s = press_summary()
    text = narrative.paragraph(s, "zh")
    assert text.startswith("截至3月1日24时，浙江省累计报告确诊病例1205例。")
    claims = {
        r"确诊病例(\d+)例": 1205,
        r"累计出院(\d+)例": 1050,
        r"占确诊病例的([\d.]+)%": Decimal("87.1"),
        r"累计死亡(\d+)例": 1,
        r"现有确诊病例(\d+)例": 154,
        r"重症病例(\d+)例": 10,
        r"危重症病例(\d+)例": 4,
        r"已连续(\d+)天无新增本地确诊病例": 9,
        r"全省(\d+)个县（市、区）均为低风险（绿色）": 90,
        r"精密智控指数平均为([\d.]+)分": Decimal("96.87"),
        r"管控指数平均为([\d.]+)分": Decimal("98.5"),
        r"畅通指数平均为([\d.]+)分": Decimal("93.12"),
        r"淳安县排名第一（([\d.]+)分）": Decimal("99.41"),
        r"乐清市排名最后（([\d.]+)分）": Decimal("88.06"),
        r"全省(\d+)家规模以上工业企业": 44370,
        r"复工率([\d.]+)%": Decimal("99.8"),
        r"员工到岗率([\d.]+)%": Decimal("60.1"),
        r"，产能恢复率([\d.]+)%": Decimal("52.3"),
        r"龙头企业产能恢复率([\d.]+)%": 72,
        r"产能恢复率达([\d.]+)%": Decimal("76.8"),
        r"实现(\d+)%的目标": 75,
        r"晚(\d+)天": 16,
        r"持码([\d.]+)万人": Decimal("1498.9"),  # 14,989,000 / 10,000: from 10万 on, in 万
        r"绿码占([\d.]+)%": Decimal("94.7"),
        r"黄码([\d.]+)万人，": Decimal("51.2"),  # 512,000 / 10,000
        r"红码([\d.]+)万人。": Decimal("28.2"),  # 282,000 / 10,000
        r"新赋红码(\d+)人": 118,
        r"、黄码(\d+)人": 392,
        r"(\d+)人转为绿码": 895,
    }
    for pattern, expected in claims.items():
        found = re.search(pattern, text)
        assert found, f"no match for {pattern!r} in {text!r}"
        assert Decimal(found.group(1)) == Decimal(expected), pattern
    assert "," not in text  # no thousands separators in Chinese
    assert set(numbers_in(text, "zh")) <= allowed_numbers(s)


def test_chinese_press_formats():
    text = narrative.paragraph(press_summary(), "zh")
    for piece in ("96.87分", "1205例", "90个县（市、区）", "3月1日24时", "87.1%", "与2月27日评估相比"):
        assert piece in text
    assert "。" in text and " " not in text


def test_english_press_formats():
    text = narrative.paragraph(press_summary(), "en")
    for piece in (
        "96.87 points",
        "1,205 confirmed cases",
        "90 counties",
        "As of 24:00 on 1 March",
        "87.1%",
        "1 patient died.",
    ):
        assert piece in text


def test_paragraph_is_the_sentences_joined():
    s = press_summary()
    assert narrative.paragraph(s, "en") == " ".join(narrative.sentences(s, "en"))
    assert narrative.paragraph(s, "zh") == "".join(narrative.sentences(s, "zh"))


# ----------------------------------------------------------------------------- risk-map claims


def test_all_green_claim_only_when_all_counties_green():
    text_en = narrative.paragraph(press_summary(), "en")
    text_zh = narrative.paragraph(press_summary(), "zh")
    assert "all 90 counties are low-risk (green)" in text_en
    assert "均为低风险" in text_zh


def test_one_blue_county_drops_the_claim_and_names_the_county():
    s = press_summary()
    s["zoning"]["counts"].update(green=89, blue=1)
    s["zoning"]["counties"] = [{"region_code": "330122", "name_zh": "桐庐县", "name_en": "Tonglu", "level": "blue"}]
    en, zh = narrative.paragraph(s, "en"), narrative.paragraph(s, "zh")
    assert "all 90" not in en and "low-risk (green)" not in en
    assert "of 90 counties, 89 are green (low risk); 1 is blue (lower risk): Tonglu." in en
    assert "均为低风险" not in zh
    assert "全省90个县（市、区）中，89个为绿色（低风险）；1个为蓝色（较低风险）：桐庐县。" in zh


def test_published_map_of_27_february_names_the_two_blue_counties():
    # Published counts 2020-02-27: 0/0/0/2/88, the two blue ones 桐庐县 and 海曙区.
    s = press_summary()
    s["zoning"]["evaluation_date"] = "2020-02-27"
    s["zoning"]["counts"].update(green=88, blue=2)
    s["zoning"]["counties"] = [
        {"region_code": "330203", "name_zh": "海曙区", "name_en": "Haishu", "level": "blue"},
        {"region_code": "330122", "name_zh": "桐庐县", "name_en": "Tonglu", "level": "blue"},
    ]
    assert "88个为绿色（低风险）；2个为蓝色（较低风险）：桐庐县和海曙区。" in narrative.paragraph(s, "zh")
    assert "88 are green (low risk); 2 are blue (lower risk): Tonglu and Haishu." in narrative.paragraph(s, "en")
    assert "2月27日县域疫情风险评估" in narrative.paragraph(s, "zh")


def test_levels_counted_but_not_named_without_names_or_when_many():
    s = press_summary()
    s["zoning"]["counts"].update(red=1, orange=12, yellow=12, blue=53, green=12)  # published 2020-02-09
    en = narrative.paragraph(s, "en")
    assert (
        "12 are green (low risk); 1 is red (high risk); 12 are orange (higher risk); 12 are yellow "
        "(medium risk); 53 are blue (lower risk)." in en
    )
    assert "risk):" not in en  # counted, not named: no names were given and 12 > max_named_counties


def test_unknown_counties_prevent_the_all_green_claim():
    s = press_summary()
    s["zoning"]["counts"].update(green=89, unknown=1)
    en, zh = narrative.paragraph(s, "en"), narrative.paragraph(s, "zh")
    assert "low-risk (green)" not in en and "1 is not assessed (missing data)" in en
    assert "均为低风险" not in zh and "1个为未评定（数据缺失）" in zh


def test_levels_the_templates_do_not_name_leave_the_breakdown_out():
    s = press_summary()
    s["zoning"]["counts"] = {"low": 80, "medium": 10, "unknown": 0}  # another rule set (covid-act-now)
    en = narrative.paragraph(s, "en")
    assert "risk assessment" not in en and "low-risk" not in en and "80" not in en


def test_missing_unknown_count_prevents_the_all_green_claim():
    s = press_summary()
    del s["zoning"]["counts"]["unknown"]
    assert "all 90 counties" not in narrative.paragraph(s, "en")
    assert "90 are green (low risk)" in narrative.paragraph(s, "en")


def test_changes_are_named():
    s = press_summary()
    s["zoning"]["changes"] = [
        {
            "region_code": "330782",
            "name_zh": "义乌市",
            "name_en": "Yiwu",
            "from": "yellow",
            "to": "blue",
            "text_en": "Yiwu: yellow → blue",
            "text_zh": "义乌由黄转蓝",
        }
    ]
    assert "与2月27日评估相比，义乌由黄转蓝。" in narrative.paragraph(s, "zh")
    assert "Changes since the assessment of 27 February: Yiwu: yellow → blue." in narrative.paragraph(s, "en")


def test_no_changes_and_many_changes():
    s = press_summary()
    s["zoning"]["changes"] = []
    assert "No county changed level since the assessment of 27 February." in narrative.paragraph(s, "en")
    change = {"from": "blue", "to": "green", "text_en": "X: blue → green", "text_zh": "X由蓝转绿"}
    s["zoning"]["changes"] = [dict(change, region_code=str(330100 + i)) for i in range(8)]
    en, zh = narrative.paragraph(s, "en"), narrative.paragraph(s, "zh")
    assert "8 counties changed level" in en
    assert en.count("X: blue → green") == 6  # max_named_changes in narrative.toml
    assert "8个县（市、区）风险等级发生变化" in zh and zh.count("X由蓝转绿") == 6


# ------------------------------------------------------------------------- missing, never made up


@pytest.mark.parametrize(
    ("section", "words_en", "words_zh"),
    [
        ("zoning", ["risk assessment", "counties", "changed"], ["风险", "县（市、区）"]),
        ("control_index", ["index", "points"], ["指数", "分"]),
        ("capacity", ["enterprises", "capacity", "normal year"], ["企业", "产能"]),
        ("health_codes", ["code"], ["码"]),
    ],
)
def test_absent_section_leaves_its_sentences_out(section, words_en, words_zh):
    s = press_summary()
    del s[section]
    en, zh = narrative.paragraph(s, "en"), narrative.paragraph(s, "zh")
    for word in words_en:
        assert word not in en
    for word in words_zh:
        assert word not in zh
    assert "1,205 confirmed cases" in en and "1205例" in zh  # the rest is still said


def test_missing_number_leaves_its_sentence_out():
    s = press_summary()
    s["recovery"]["discharged"] = None
    s["recovery"]["discharge_rate"] = None
    s["recovery"]["deaths"] = None
    s["control_index"]["province_simple_mean"] = float("nan")
    en, zh = narrative.paragraph(s, "en"), narrative.paragraph(s, "zh")
    assert "discharged" not in en and "出院" not in zh
    assert "died" not in en and "No deaths" not in en and "死亡" not in zh
    assert "precision control index" not in en and "精密智控指数" not in zh
    assert "the control sub-index averages 98.50 points" in en  # its neighbour stays
    reasons = {d.id: d.reason for d in narrative.explain(s, "en")}
    assert reasons["discharged"] == "no value for discharge_rate, discharged"


def test_zero_deaths_is_said_as_none():
    s = press_summary()
    s["recovery"]["deaths"] = 0
    assert "No deaths have been reported." in narrative.paragraph(s, "en")
    assert "无死亡病例。" in narrative.paragraph(s, "zh")


def test_discharge_rate_above_100_percent_is_stated_not_clipped():
    # 杭州 on 2 March 2020: 170 discharged, 169 confirmed (transfers from other provinces): 100.6 %.
    s = press_summary()
    s["recovery"].update(confirmed=169, discharged=170, discharge_rate=170 / 169, flags=["discharge_rate_above_1"])
    en, zh = narrative.paragraph(s, "en"), narrative.paragraph(s, "zh")
    assert "170 patients have been discharged, 100.6% of all confirmed cases." in en
    assert "出院人数占确诊病例的100.6%" in zh
    assert "Discharges exceed confirmed cases" in en and "出院人数多于确诊人数" in zh
    s["recovery"]["discharge_rate"] = 1.006
    assert "100.6%" in narrative.paragraph(s, "en") and "100.0%" not in narrative.paragraph(s, "en")


def test_synthetic_scenario_is_said():
    s = press_summary()
    assert "ynthetic" not in narrative.paragraph(s, "en")
    s["synthetic"] = True
    assert narrative.paragraph(s, "en").startswith("(Synthetic scenario) As of")
    assert narrative.paragraph(s, "zh").startswith("（合成情景数据）截至")


def test_days_without_case_wording_follows_the_flags():
    s = press_summary()
    s["recovery"]["flags"] = ["local_split_unknown"]
    en = narrative.paragraph(s, "en")
    assert "no new case for 9 days" in en and "local case" not in en
    s["recovery"]["days_since_last_local_case"] = 0
    assert "no new" not in narrative.paragraph(s, "en")


def test_control_index_coverage_and_missing_indicators():
    s = press_summary()
    s["control_index"].update(n_scored=88, counties_with_missing_indicators=[{"region_code": "331126"}])
    en, zh = narrative.paragraph(s, "en"), narrative.paragraph(s, "zh")
    assert "Only 88 of 90 counties have an index." in en and "Indicators are missing for 1 county." in en
    assert "90个县（市、区）中仅88个有指数得分。" in zh and "1个县（市、区）部分指标缺失。" in zh


def test_capacity_target_missed_and_days_ahead():
    s = press_summary()
    s["capacity"]["target"].update(value=70.24, met=False)
    s["capacity"]["days_behind_normal_year"] = -3
    en, zh = narrative.paragraph(s, "en"), narrative.paragraph(s, "zh")
    assert "was 70.2%, short of the target of 75%." in en and "meeting" not in en
    assert "未达到75%的目标" in zh
    assert "Recovery is 3 days ahead of a normal year." in en and "早3天" in zh
    s["capacity"]["target"].update(value=None, met=None)
    assert "target" not in narrative.paragraph(s, "en")


def test_unsupported_language_and_non_numbers_raise():
    with pytest.raises(ValueError, match="unsupported language 'fr'"):
        narrative.paragraph(press_summary(), "fr")
    s = press_summary()
    s["recovery"]["confirmed"] = "1205"
    with pytest.raises(DataError, match="confirmed"):
        narrative.paragraph(s, "en")
    s = press_summary()
    s["zoning"]["counts"]["blue"] = -1
    with pytest.raises(DataError, match="zoning.counts.blue"):
        narrative.paragraph(s, "en")
    s = press_summary()
    s["data_as_of"] = "1 March"
    with pytest.raises(DataError, match="data_as_of"):
        narrative.paragraph(s, "zh")


def test_a_missing_zoning_count_leaves_the_map_sentences_out():
    s = press_summary()
    s["zoning"]["counts"]["blue"] = None
    en = narrative.paragraph(s, "en")
    assert "risk assessment" not in en and "counties are" not in en
    assert "Changes since the assessment of 27 February" in en  # the changes are still known


# ------------------------------------------------------------------------------ number formats


def test_numbers_are_written_as_every_output_writes_them():
    # The paragraph rounds nothing itself: epianalysis.text.format writes each value
    s = press_summary()
    s["capacity"]["above_scale"]["worker_return_pct"] = 60.15  # 60.15 -> 60.2 (half-up on the decimal)
    s["capacity"]["target"]["value"] = 76.75  # 76.75 -> 76.8
    en, zh = narrative.paragraph(s, "en"), narrative.paragraph(s, "zh")
    assert "60.2% of workers are back" in en and "员工到岗率60.2%" in zh
    assert "reached 76.8%" in en and "产能恢复率达76.8%" in zh
    assert "Of 14,989,000 people holding a health code" in en and "持码1498.9万人" in zh


def test_templates_name_formats_and_styles_that_exist(tmp_path: Path):
    text = TEMPLATES_FILE.read_text(encoding="utf-8")
    bad = text.replace('format = "index"', 'format = "points"', 1).replace('style = "day_month_24h"', 'style = "hh"')
    path = tmp_path / "narrative.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_templates(path)
    rules = {(v.rule, v.value) for v in err.value.violations}
    assert ("unknown_number_format", "points") in rules and ("unknown_date_style", "hh") in rules


# ------------------------------------------------------------------------------ templates as data


def test_templates_are_data_and_wording_changes_without_code(tmp_path: Path):
    path = tmp_path / "narrative.toml"
    text = TEMPLATES_FILE.read_text(encoding="utf-8")
    path.write_text(text.replace("全省精密智控指数平均为", "全省精密智控指数均值"), encoding="utf-8")
    custom = load_templates(path)
    assert "全省精密智控指数均值96.87分" in narrative.paragraph(press_summary(), "zh", custom)


def test_template_problems_are_reported_together(tmp_path: Path):
    raw = tomllib.loads(TEMPLATES_FILE.read_text(encoding="utf-8"))
    assert raw["settings"]["max_named_changes"] == 6
    bad = (
        TEMPLATES_FILE.read_text(encoding="utf-8")
        + """
[[sentences]]
id = "broken"
when = ["all_purple", "confirmed > many"]
en = "{no_such_field} and {confirmed:parsecs}"
zh = "{synthetic}"
"""
    )
    path = tmp_path / "narrative.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_templates(path)
    rules = {(v.column, v.rule, v.value) for v in err.value.violations}
    assert ("sentences.broken.en", "unknown_field", "no_such_field") in rules
    assert ("sentences.broken.en", "unknown_unit_or_not_a_number", "confirmed:parsecs") in rules
    assert ("sentences.broken.zh", "flag_field_not_printable", "synthetic") in rules
    assert ("sentences.broken.when", "unknown_predicate_or_malformed_condition", "all_purple") in rules
    assert ("sentences.broken.when", "number_true_false_or_setting_expected", "confirmed > many") in rules
    assert all(v.file == "narrative.toml" for v in err.value.violations)


def test_shipped_templates_have_both_languages_for_every_sentence():
    t = load_templates()
    assert len(t.sentences) >= 20
    assert all(set(s.text) == {"en", "zh"} and s.text["en"] and s.text["zh"] for s in t.sentences)


def test_paragraph_is_deterministic():
    s = press_summary()
    assert narrative.paragraph(copy.deepcopy(s), "zh") == narrative.paragraph(s, "zh")


# ----------------------------------------------------------------------------- estimates from a sample


def sampled_summary() -> dict:
    """The press summary as the embedded scenario gives it: the health-code log is a 1 % sample of the
    residents and the register a 10 % sample of the above-scale firms, so its counts are estimates."""
    s = press_summary()
    cap = s["capacity"]["above_scale"]
    cap.update(n_enterprises=4437 / 0.1, n_enterprises_sample=4437, estimated=True, sampling_fraction=0.1)
    hc = s["health_codes"]
    sample = {"holders": 405307, "yellow": 2983, "red": 2428, "new_red": 118, "new_yellow": 392, "to_green": 895}
    hc.update({key: n / 0.01 for key, n in sample.items()}, estimated=True, sampling_fraction=0.01)
    return s


def test_counts_from_a_sample_are_said_as_estimates():
    s = sampled_summary()
    en, zh = narrative.paragraph(s, "en"), narrative.paragraph(s, "zh")
    # 4,437 firms / 0.1 = 44,370 -> about 44,400; 405,307 holders / 0.01 = 40,530,700 -> about 40.5 million
    assert "Of about 44,400 industrial enterprises above designated size (estimated from a 10% sample)" in en
    assert "Of about 40.5 million people holding a health code (estimated from a 1% sample of residents)" in en
    assert "about 298,000 hold a yellow and about 243,000 a red code" in en  # 2,983 and 2,428 / 0.01
    assert "about 11,800 red and about 39,200 yellow codes were issued and about 89,500 people" in en
    assert "全省规模以上工业企业约44400家（按10%抽样推算）" in zh
    assert "全省健康码持码约4050万人（按居民1%抽样推算），绿码占94.7%，黄码约29.8万人，红码约24.3万人。" in zh
    assert "当日新赋红码约11800人、黄码约39200人，约89500人转为绿码。" in zh
    for sample_count in ("4,437", "405,307", "2,983", "Of the 44,370"):  # never a sample, nor a total as exact
        assert sample_count not in en
    ids = [d.id for d in narrative.explain(s, "en") if d.text]
    assert "capacity_above_scale_estimated" in ids and "capacity_above_scale" not in ids
    assert "health_codes_holders_estimated" in ids and "health_codes_holders" not in ids


def test_complete_counts_are_said_as_counts():
    ids = [d.id for d in narrative.explain(press_summary(), "en") if d.text]
    assert "capacity_above_scale" in ids and "capacity_above_scale_estimated" not in ids
    assert "health_codes_day" in ids and "health_codes_day_estimated" not in ids
