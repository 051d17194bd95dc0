"""The wording of rules in a rule-set file: reason and next templates, level names."""

import pytest

from epianalysis.errors import DataError
from epianalysis.rulesets import load_ruleset, parse_ruleset


def test_shipped_wording_is_loaded():
    rs = load_ruleset("zhejiang-2020")
    casefree = {d.id: d for d in rs.downgrades}["casefree_7d"]
    assert casefree.wording.next("zh") == "连续{value}天无新增可转为{level}"
    assert rs.level("blue").name("en") == "blue" and rs.level("blue").name("zh") == "蓝色"


def test_level_name_defaults_to_key_and_short_name():
    rs = load_ruleset("hghi")
    assert rs.level("green").name("en") == "green" and rs.level("green").name("zh") == "绿"


def test_an_unknown_placeholder_is_refused(two_level_text):
    import tomllib

    data = tomllib.loads(two_level_text)
    data["threshold"]["reason_en"] = "{no_such_indicator} cases"
    data["threshold"]["next_en"] = "{level} after {days}"
    with pytest.raises(DataError) as err:
        parse_ruleset(data)
    problems = {(v.column, v.value) for v in err.value.violations}
    assert ("threshold.reason_en", "no_such_indicator") in problems
    assert ("threshold.next_en", "days") in problems
