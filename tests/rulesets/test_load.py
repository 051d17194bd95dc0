"""Rule sets as data: the shipped files, a user file by path, and clear errors for bad files."""

import re

import pytest
from support import county_series

from epianalysis.errors import DataError
from epianalysis.rulesets import available_rulesets, evaluate, load_ruleset


def test_shipped_rule_sets_load_with_citation_levels_and_colours():
    assert available_rulesets() == ["cdc-transmission-2021", "covid-act-now", "hghi", "national-2020", "zhejiang-2020"]
    for name in available_rulesets():
        rs = load_ruleset(name)
        assert rs.name == name and rs.citation and rs.version
        assert all(re.fullmatch(r"#[0-9A-F]{6}", lv.colour) for lv in (*rs.levels, rs.unknown))
        assert all(lv.label_zh and lv.label_en for lv in rs.levels)
        assert rs.unknown.key == "unknown"


def test_covid_act_now_palette_as_published():
    rs = load_ruleset("covid-act-now")
    assert [lv.colour for lv in rs.levels] == ["#00D474", "#FFC900", "#FF9600", "#D9002C", "#790019"]
    assert rs.unknown.colour == "#CCCCCC"


def test_user_rule_set_by_path(tmp_path, two_level_text):
    path = tmp_path / "two-level.toml"
    path.write_text(two_level_text, encoding="utf-8")
    frame = county_series("330782", "2020-02-01", [0, 0, 2])
    result = evaluate(frame, str(path), regions=["330782"])
    assert result.levels["level"].tolist() == ["none", "none", "some"]
    assert result.levels["colour"].tolist()[-1] == "#FF0000"
    assert result.changes[["region_code", "from", "to"]].values.tolist() == [["330782", "none", "some"]]


def test_bad_rule_set_lists_every_problem(tmp_path, two_level_text):
    bad = (
        two_level_text.replace('colour = "#00ff00"', 'colour = "green"')
        .replace('indicator = "cumulative_confirmed"', 'indicator = "vibes"')
        .replace("cutoffs = [1]", "cutoffs = [1, 2]")
    )
    path = tmp_path / "bad.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_ruleset(path)
    found = {(v.file, v.column, v.rule) for v in err.value.violations}
    assert ("bad.toml", "levels[0].colour", "hex_colour_#RRGGBB") in found
    assert ("bad.toml", "threshold.indicator", "known_indicator") in found
    assert ("bad.toml", "threshold.cutoffs", "numbers_one_fewer_than_levels") in found


def test_rule_with_unknown_level_or_operator(tmp_path, two_level_text):
    text = (
        two_level_text.split("[threshold]")[0]
        + """
[[rules]]
id = "x"
level = "purple"
when = [{indicator = "cumulative_confirmed", op = "=>", value = 1}]
"""
    )
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_ruleset(path)
    rules = {(v.column, v.rule) for v in err.value.violations}
    assert ("rules[0].level", "known_level") in rules
    assert any(col == "rules[0].when[0].op" for col, _ in rules)


def test_unknown_name():
    with pytest.raises(FileNotFoundError, match="national-2020"):
        load_ruleset("no-such-rule-set")
