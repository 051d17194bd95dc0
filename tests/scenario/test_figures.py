"""The published figures of the scenario (figures.toml, epianalysis.scenario.figures) against the
figures stated in the design notes (sections 4.1-4.5), and the checks of the loader."""

from __future__ import annotations

from datetime import date

import pytest

from epianalysis.errors import DataError
from epianalysis.reference.regions import load_regions
from epianalysis.scenario import figures as F


def test_discharge_rates_of_the_press_conferences():
    # 2020-02-28: 943 / 1205 = 78.26 %; 2020-03-02: 1050 / 1205 = 87.1 % (data as of the day before)
    assert F.PROVINCE_CONFIRMED[date(2020, 2, 27)][0] == 1205
    assert F.PROVINCE_DISCHARGED[date(2020, 2, 27)][0] == 943
    assert F.PROVINCE_CONFIRMED[date(2020, 3, 1)][0] == 1205
    assert F.PROVINCE_DISCHARGED[date(2020, 3, 1)][0] == 1050


def test_hangzhou_confirmed_on_1_march():
    assert F.CITY_CONFIRMED[date(2020, 3, 1)][0][F.CITY_CODES.index("330100")] == 169


def test_health_codes_of_17_february():
    assert F.HEALTH_CODES_ISSUED_0217 == 14_989_000
    assert F.HEALTH_CODE_GREEN_SHARE_0217 == 0.947


def test_capacity_recovery_points_and_spring_festivals():
    assert (F.ABOVE_SCALE_FIRMS, F.LEADING_FIRMS) == (44_370, 905)
    assert (F.RESUMED_SHARE_0225, F.WORKER_RETURN_0225, F.CAPACITY_0225_MIN) == (99.8, 60.1, 50.0)
    assert (F.CAPACITY_LEADING_0225, F.CAPACITY_0229, F.CAPACITY_0326) == (72.0, 76.75, 90.6)
    assert F.RESUMED_THRESHOLD == 0.30
    assert (date(2019, 2, 5), date(2020, 1, 25)) == (F.SPRING_FESTIVAL_2019, F.SPRING_FESTIVAL_2020)


def test_five_colour_map_facts():
    # 2020-02-09: 12 green counties (no case); 2020-02-27: the two blue ones are 桐庐县 and 海曙区
    assert F.NEVER_CASE_BY_0209 == 12
    names = load_regions().set_index("code")["name_zh"]
    assert sorted(names[code] for code in F.LATE_CASE_COUNTIES) == sorted(["桐庐县", "海曙区"])


def test_every_figure_names_a_cited_source():
    raw = F.load_figures()
    entries = [
        *raw["province"]["confirmed"],
        *raw["province"]["imported"],
        *raw["province"]["discharged"],
        *raw["province"]["severe_critical"],
        *raw["city"]["confirmed"],
        *raw["city"]["discharged"],
        *raw["prison"]["confirmed"],
        *raw["prison"]["discharged"],
        *raw["county_confirmed"],
        raw["first_death"],
        raw["revision"],
        raw["imported_first"],
    ]
    assert all(isinstance(e["date"], date) and e["source"] in F.SOURCES for e in entries)
    assert all(text.strip() for text in F.SOURCES.values())
    for table in ("five_colour", "health_code", "calendar"):
        assert raw[table]["source"] in F.SOURCES
    assert all(e["source"] in F.SOURCES for e in raw["enterprises"].values() if isinstance(e, dict))


def test_the_citation_lists_the_sources_but_not_the_calendar():
    lines = F.citation_text().splitlines()
    assert len(lines) == len(F.SOURCES) - 1
    assert lines[0].startswith("[zjwjw] Zhejiang Health Commission daily bulletins")
    assert not any(line.startswith("[calendar]") for line in lines)


def test_a_figure_citing_an_unknown_source_is_refused(tmp_path):
    path = tmp_path / "figures.toml"
    path.write_text(
        '[sources]\nzjwjw = "bulletins"\n\n[province]\n'
        'confirmed = [{ date = 2020-01-21, value = 5, source = "zjwjw" }, '
        '{ date = 2020-01-23, value = 43, source = "rumour" }]\n',
        "utf-8",
    )
    with pytest.raises(DataError) as refused:
        F.load_figures(path)
    assert [(v.file, v.column, v.rule, v.value) for v in refused.value.violations] == [
        ("figures.toml", "province.confirmed[1].source", "known_source", "rumour")
    ]
