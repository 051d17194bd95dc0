"""Backtest on a tiny hand-made case (every expected value computed by hand in the comments).

Rule set "two-level": level none if cumulative confirmed < 1, some otherwise. Populations 100 000, so
a count is also a rate per 100 k. Horizon 2: outcome(D) = local(D+2) − local(D).

          d0 d1 d2 d3 d4
    A      0  0  0  0  0    levels none none none | outcomes 0 0 0
    B      2  2  3  5  5    levels some some some | outcomes 1 3 2
    C      0  0  1  1  1    levels none none some | outcomes 1 1 0

Over d0..d2: none = A d0,d1,d2 + C d0,d1 -> n 5, mean (0+0+0+1+1)/5 = 0.4, share 2/5 = 0.4;
some = B d0,d1,d2 + C d2 -> n 4, mean (1+3+2+0)/4 = 1.5, share 3/4 = 0.75. The order holds.
"""

import pandas as pd
import pytest
from support import county_series

from epianalysis.rulesets import backtest, compare

POP = {"330782": 100_000, "330783": 100_000, "330784": 100_000}
CODES = list(POP)
START, END = "2020-02-01", "2020-02-03"


@pytest.fixture
def cases():
    return pd.concat(
        [
            county_series("330782", START, [0, 0, 0, 0, 0]),
            county_series("330783", START, [2, 2, 3, 5, 5]),
            county_series("330784", START, [0, 0, 1, 1, 1]),
        ]
    )


@pytest.fixture
def two_level(tmp_path, two_level_text):
    path = tmp_path / "two-level.toml"
    path.write_text(two_level_text, encoding="utf-8")
    return str(path)


@pytest.fixture
def inverted(tmp_path, two_level_text):
    text = (
        two_level_text.split("[threshold]")[0].replace('name = "two-level"', 'name = "inverted"')
        + """
[[rules]]
id = "has_case"
level = "none"
when = [{indicator = "cumulative_confirmed", op = ">=", value = 1}]
[[rules]]
id = "no_case"
level = "some"
when = [{indicator = "cumulative_confirmed", op = "<", value = 1}]
"""
    )
    path = tmp_path / "inverted.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_per_level_means_by_hand(cases, two_level):
    result = backtest(cases, two_level, START, END, horizon=2, regions=CODES, population=POP)
    table = result.table.set_index("level")
    assert table.loc["none", ["n", "n_outcome"]].tolist() == [5, 5]
    assert table.loc["some", ["n", "n_outcome"]].tolist() == [4, 4]
    assert table.loc["none", "mean_per_100k"] == pytest.approx(0.4)
    assert table.loc["some", "mean_per_100k"] == pytest.approx(1.5)
    assert table.loc["none", "share_any_case"] == pytest.approx(0.4)
    assert table.loc["some", "share_any_case"] == pytest.approx(0.75)
    assert table.loc["unknown", "n"] == 0
    assert result.order_holds is True


def test_outcomes_past_the_data_are_unknown_not_zero(cases, two_level):
    result = backtest(cases, two_level, START, "2020-02-05", horizon=2, regions=CODES, population=POP)
    table = result.table.set_index("level")
    # d3, d4 have no D+2 in the data: counted in n, not in n_outcome
    assert table.loc["none", ["n", "n_outcome"]].tolist() == [7, 5]
    assert table.loc["some", ["n", "n_outcome"]].tolist() == [8, 4]
    assert table.loc["some", "mean_per_100k"] == pytest.approx(1.5)


def test_compare_side_by_side_and_broken_order(cases, two_level, inverted):
    table = compare(cases, [two_level, inverted], START, END, horizon=2, regions=CODES, population=POP)
    assert table["ruleset"].unique().tolist() == ["two-level", "inverted"]
    holds = table.groupby("ruleset", sort=False)["order_holds"].first().tolist()
    assert holds == [True, False]
    inv = table[table["ruleset"] == "inverted"].set_index("level")
    # inverted: 'none' now holds the counties with a case: mean 1.5 above 'some' 0.4
    assert inv.loc["none", "mean_per_100k"] == pytest.approx(1.5)
    assert inv.loc["some", "mean_per_100k"] == pytest.approx(0.4)
