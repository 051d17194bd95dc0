"""The outlook in the zoning briefing: reasons in words, next evaluation, chart, tooltips, summary.

Hand case (as in test_view.py): 义乌 330782 has 10 cases on 02-01 (one cluster), 5 more on 02-10 and 1
on 02-14: 16 cases, score 0.6·40 + 0.2·100 + 0.2·50 = 54 -> yellow; on 02-18, 4 days without a case ->
blue; on 02-21, 7 days -> green. 东阳 330783 never has a case -> green. Data as of 02-18.
"""

import re

import pandas as pd
import pytest
from support import county_series

from epianalysis.charts.export import add_svg_titles, save_figure
from epianalysis.summary import check_section
from epianalysis.text import narrative
from epianalysis.topics.zoning import outlook as O
from epianalysis.topics.zoning import view as Z

CODES = ["330782", "330783"]


def hand_cases() -> pd.DataFrame:
    days = pd.date_range("2020-01-25", "2020-02-18")
    confirmed, total = [], 0
    steps = {"2020-02-01": 10, "2020-02-10": 5, "2020-02-14": 1}
    for day in days:
        total += steps.get(day.strftime("%Y-%m-%d"), 0)
        confirmed.append(total)
    clusters = [1 if d == pd.Timestamp("2020-02-01") else 0 for d in days]
    yiwu = county_series("330782", "2020-01-25", confirmed, clusters)
    dongyang = county_series("330783", "2020-01-25", [0] * len(days))
    return pd.concat([yiwu, dongyang], ignore_index=True)


@pytest.fixture(scope="module")
def zb():
    return Z.zoning_for_briefing(hand_cases(), "2020-02-18", regions=CODES)


def test_reason_sentences_read_as_a_press_officer_writes_them(zb):
    rows = O.data_table(zb).set_index("region_code")
    assert rows.loc["330782", "reason_en"] == "Yiwu: blue — no new case for 4 days; green after 7 case-free days"
    assert rows.loc["330782", "reason_zh"] == "义乌市：蓝色——已连续4天无新增确诊病例，连续7天无新增可转为绿色"
    assert rows.loc["330783", "reason_en"] == "Dongyang: green — no confirmed case so far"
    assert rows.loc["330783", "reason_zh"] == "东阳市：绿色——无确诊病例"


def test_outlook_cells_and_next_evaluation(zb):
    table = O.reasons_table(zb, "en")
    assert len(table) == 1  # green counties that are not sensitive are left out
    assert table.iloc[0]["Reason"].startswith("Yiwu: blue")
    assert table.iloc[0]["Lowest level (green), if no new case"] == "green on 21 Feb"
    assert table.iloc[0]["Next step down, if no new case"] == "green on 21 Feb"
    assert table.iloc[0]["What would move it up"] == "1 case by 21 Feb → yellow"
    zh = O.reasons_table(zb, "zh")
    assert zh.iloc[0]["何种情况会上调"] == "2月21日前新增1例即转为黄色"
    assert (
        O.next_sentence(zb, "en")
        == "If no new case is reported, at the next evaluation (21 Feb 2020): Yiwu can turn green."
    )
    assert O.next_sentence(zb, "zh") == "如无新增病例，下次评估（2020年2月21日）时义乌可转为绿色。"
    nxt = O.next_table(zb, "en")
    assert nxt.to_dict("list") == {
        "County": ["Yiwu"],
        "Now": ["Blue · lower risk"],
        "At the next evaluation": ["Green · low risk"],
        "Reason": ["no new case for 4 days"],
    }


def test_changes_table_gives_the_reason_with_values():
    zb = Z.zoning_for_briefing(hand_cases(), "2020-02-18", regions=CODES)
    table = Z.changes_table(zb, "en")
    assert table["Reason"].tolist() == ["no new case for 4 days"]  # yellow -> blue on 02-18


def test_summary_outlook_follows_the_schema_and_names_yiwu(zb):
    section = Z.summary(zb)
    check_section("zoning", section)
    out = section["outlook"]
    assert out["next_evaluation_date"] == "2020-02-21"
    assert out["can_change"] == [
        {"region_code": "330782", "name_zh": "义乌市", "name_en": "Yiwu", "level": "blue", "to_level": "green"}
    ]
    yiwu = next(c for c in out["counties"] if c["region_code"] == "330782")
    assert (yiwu["step_down_date"], yiwu["lowest_date"], yiwu["up_cases"]) == ("2020-02-21", "2020-02-21", 1)
    assert yiwu["population_estimated"] is False  # 2020 census (yw.gov.cn)
    assert out["population_sensitive"] == []
    en = narrative.paragraph({"zoning": section}, "en")
    zh = narrative.paragraph({"zoning": section}, "zh")
    assert "At the assessment of 21 February, if no new case is reported, Yiwu can turn green." in en
    assert "如无新增病例，2月21日评估时义乌可转为绿色。" in zh


def test_no_outlook_sentence_when_no_county_can_change(zb):
    section = Z.summary(Z.zoning_for_briefing(hand_cases(), "2020-02-21", regions=CODES))
    assert section["outlook"]["can_change_count"] == 0
    assert "if no new case is reported" not in narrative.paragraph({"zoning": section}, "en")


def test_outlook_chart_counts_and_finding(zb):
    counts = O.chart_counts(zb)
    assert counts["date"].tolist() == [pd.Timestamp("2020-02-21")]  # all green from then on
    assert counts[["green", "blue"]].iloc[0].tolist() == [2, 0]
    fig = O.outlook_figure(zb, "en")
    titles = [t.get_text() for t in fig.texts]
    assert "All 2 counties can be green by 21 Feb if no new case is reported" in titles


def test_the_svg_map_has_a_tooltip_per_county(zb, tmp_path):
    fig = Z.map_figure(zb, "en")
    save_figure(fig, tmp_path, "map", formats=("svg",))
    svg = (tmp_path / "map.svg").read_text("utf-8")
    match = re.search(r'<g id="county-330782"><title>([^<]*)</title>', svg)
    assert match is not None
    assert match.group(1).startswith("Yiwu: blue — no new case for 4 days; green after 7 case-free days")
    assert "If no new case: green on 21 Feb. Up: 1 case by 21 Feb → yellow." in match.group(1)


def test_svg_titles_are_escaped():
    svg = b'<svg><g id="county-1">\n<path/></g><g id="other"></g></svg>'
    out = add_svg_titles(svg, {"county-1": "a < b & c"}).decode()
    assert out == '<svg><g id="county-1"><title>a &lt; b &amp; c</title>\n<path/></g><g id="other"></g></svg>'


def test_population_flags_use_the_census_where_it_exists(real_data_dir):
    census = pd.read_csv(real_data_dir / "zhejiang_population_census.csv", dtype={"unit_code": str})
    counties_2020 = census[(census["census_year"] == 2020) & (census["level"] == "county")]
    zb = Z.zoning_for_briefing(hand_cases(), "2020-02-18", regions=CODES)
    pops = zb.outlook.populations.set_index("region_code")
    for row in counties_2020.itertuples():
        assert int(pops.loc[row.unit_code, "population"]) == int(row.population)
        assert not bool(pops.loc[row.unit_code, "population_is_estimate"])
        assert "census" in pops.loc[row.unit_code, "population_source"]
    estimated = pops[pops["population_is_estimate"]]
    assert len(estimated) == 90 - len(counties_2020)


@pytest.fixture(scope="module")
def scenario_cases():
    from epianalysis.data import store
    from epianalysis.paths import sample_dir

    folder = sample_dir()
    if not (folder / "cases.csv").exists() and not (folder / "cases.parquet").exists():
        pytest.skip(f"embedded scenario not found at {folder}")
    return store.load(folder, "cases")


def test_scenario_yiwu_can_turn_green_on_21_february_and_is_green_on_the_22nd(scenario_cases):
    # the briefing of 2020-02-19 (data as of 18 Feb): 义乌 is blue on the map of 18 Feb, as published (on the
    # scenario already from 15 Feb: tests/rulesets/test_calibration.py)
    zb = Z.zoning_for_briefing(scenario_cases, "2020-02-18", press_date="2020-02-19")
    yiwu = next(c for c in Z.summary(zb)["outlook"]["counties"] if c["region_code"] == "330782")
    assert yiwu["level"] == "blue"
    assert (yiwu["lowest_status"], yiwu["lowest_date"]) == ("reaches", "2020-02-21")
    assert yiwu["step_down_level"] == "green"
    # the briefing of 2020-02-22 (data as of 21 Feb) shows it green
    later = Z.zoning_for_briefing(scenario_cases, "2020-02-21", press_date="2020-02-22")
    assert later.current.set_index("region_code").loc["330782", "level"] == "green"


def test_up_text_when_new_cases_alone_cannot_move_a_county_up(zb):
    row = {"up_status": "not_within_max", "up_cases": None, "up_level": None, "next_evaluation": None}
    assert O.up_text(zb.ruleset, row, "en") == "new cases alone would not move it up"
    assert O.up_text(zb.ruleset, row, "zh") == "仅新增病例不会上调"
