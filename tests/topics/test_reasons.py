"""Why a topic does not apply, in English and Chinese (epianalysis.topics.reasons).

See docs/output.md#topics-that-do-not-apply.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from epianalysis.briefing.index import day_index
from epianalysis.errors import NotApplicable
from epianalysis.topics import get_topic
from epianalysis.topics.reasons import parse, reason, reason_text

#: Three ASCII words in a row: an English sentence (the zh reasons hold codes, dates and table names only).
ENGLISH = re.compile(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+")


def test_a_registry_reason_keeps_its_english_text_and_carries_its_code():
    why = get_topic("health_codes").not_applicable(dt.date(2020, 2, 10), ["cases", "health_code_log", "health_codes"])
    code, params, english = parse(why)
    assert (code, params) == ("na_starts_later", {"topic": "health_codes", "first": "2020-02-11"})
    assert english.startswith("applies from data date 11 Feb 2020 (health codes were first issued in Hangzhou")
    assert why.endswith("[na_starts_later: topic=health_codes; first=2020-02-11]")
    zh = reason_text(why, "zh")
    assert zh.startswith("自数据日期2020年2月11日起适用（健康码于2020年2月11日在杭州首次发放")
    assert not ENGLISH.search(zh)


def test_a_topic_reason_with_parameters_in_both_languages():
    why = reason("transmission.na_skipped_days", gaps=2, before="2020-02-01", after="2020-02-04")
    assert (
        reason_text(why, "en")
        == "Rt needs one row per day; the cases skip 2 time(s), first from 2020-02-01 to 2020-02-04"
    )
    assert reason_text(why, "zh") == "计算Rt需要逐日数据；病例数据有2处缺日，首处自2020-02-01至2020-02-04"
    # what a notebook raises crosses to the runner as its message
    assert parse(str(NotApplicable(why)))[0] == "transmission.na_skipped_days"


def test_a_reason_without_code_is_never_english_on_a_chinese_page():
    assert reason_text("some older reason", "en") == "some older reason"
    assert reason_text("some older reason", "zh") == "本日不适用"


def test_the_chinese_day_index_says_why_a_topic_does_not_apply(tmp_path):
    day = tmp_path / "2020-02-11"
    day.mkdir()
    summary = {
        "date": "2020-02-11",
        "data_as_of": "2020-02-10",
        "languages": ["en", "zh"],
        "source": "cases only",
        "synthetic": False,
        "not_applicable": {
            "health_codes": get_topic("health_codes").not_applicable(
                dt.date(2020, 2, 10), ["cases", "health_code_log", "health_codes"]
            ),
            "control_index": get_topic("control_index").not_applicable(dt.date(2020, 2, 10), ["cases"]),
        },
    }
    (day / "summary.json").write_text(json.dumps(summary), "utf-8")
    html = day_index(day, day.name).read_text("utf-8")
    zh = re.search(r'<section lang="zh[^"]*">(.*?)</section>', html, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", zh.split("本期未包含")[1])
    assert items == [
        "健康码：自数据日期2020年2月11日起适用（健康码于2020年2月11日在杭州首次发放，见2020年2月18日新闻发布会）",
        "精密智控指数：需要数据表 control, flow，数据文件夹中没有",
    ]
    assert not any(ENGLISH.search(item) for item in items)
    en = re.search(r'<section lang="en">(.*?)</section>', html, re.S).group(1)
    assert "Health codes: applies from data date 11 Feb 2020 (health codes were first issued" in en
