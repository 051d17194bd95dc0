"""Precision control index: normalisation, missing indicators, averages and ranks, by hand
(docs/methods.md#precision-control-index)."""

import pandas as pd
import pytest

from epianalysis.data.contracts import CONTRACTS
from epianalysis.errors import DataError
from epianalysis.topics.control_index import metrics as ci

# A small registry with round numbers, so that every expected value below is easy to check by hand.
TEST_REGISTRY = """
name = "test"
version = "0"
citation = "hand-made"
min_weight_share = 0.5
[group_weights]
control = 1.0
flow = 3.0
{indicators}
"""
INDICATOR = """
[[indicators]]
column = "{column}"
group = "{group}"
name_zh = "{column}"
name_en = "{column}"
direction = "{direction}"
lower = {lower}
upper = {upper}
weight = {weight}
source = "assumption"
"""
CONTROL = [  # column, direction, lower, upper, weight
    ("new_local_cases_14d", "lower_is_better", 0, 10, 0.3),
    ("active_cases_per_100k", "lower_is_better", 0, 10, 0.2),
    ("contact_tracing_rate", "higher_is_better", 0, 100, 0.2),
    ("quarantine_completion_rate", "higher_is_better", 0, 100, 0.15),
    ("green_code_share", "higher_is_better", 50, 100, 0.15),
]
FLOW = [("bus_service_rate", "higher_is_better", 0, 100, 1.0), ("highway_flow_ratio", "higher_is_better", 0, 100, 1.0)]


@pytest.fixture
def registry(tmp_path):
    text = "".join(
        INDICATOR.format(column=c, group=g, direction=d, lower=lo, upper=hi, weight=w)
        for g, rows in (("control", CONTROL), ("flow", FLOW))
        for c, d, lo, hi, w in rows
    )
    path = tmp_path / "registry.toml"
    path.write_text(TEST_REGISTRY.format(indicators=text), encoding="utf-8")
    return ci.load_registry(path)


def _table(rows, columns):
    frame = pd.DataFrame(rows, columns=["date", "region_code", *columns])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


CONTROL_COLUMNS = [c for c, *_ in CONTROL]


def test_package_registry_matches_the_contract_tables():
    registry = ci.load_registry()
    control_cols = [n for n in CONTRACTS["control"].names if n not in ("date", "region_code")]
    flow_cols = [n for n in CONTRACTS["flow"].names if n not in ("date", "region_code")]
    assert [i.column for i in registry.group("control")] == control_cols
    assert [i.column for i in registry.group("flow")] == flow_cols
    assert len(control_cols) == 5 and len(flow_cols) == 7
    for ind in registry.indicators:
        assert ind.name_zh and ind.name_en and ind.direction in ci.DIRECTIONS
        assert "assumption" in ind.source or ind.source.startswith("http")


def test_normalise_at_its_bounds_and_beyond():
    higher = ci.normalise([0, 50, 100, -5, 120, None], 0, 100, "higher_is_better")
    assert list(higher.iloc[:5]) == [0, 50, 100, 0, 100]
    assert pd.isna(higher.iloc[5])
    lower = ci.normalise([0, 2.5, 10, 12], 0, 10, "lower_is_better")
    assert list(lower) == [100, 75, 0, 0]
    shifted = ci.normalise([50, 80, 100], 50, 100, "higher_is_better")
    assert list(shifted) == [0, 60, 100]
    with pytest.raises(ValueError):
        ci.normalise([1], 5, 5, "higher_is_better")


def test_indicator_scores_keep_raw_values_and_flag_values_beyond_bounds(registry):
    table = _table([("2020-03-02", "330102", 12, 0, 95, 100, 40)], CONTROL_COLUMNS)
    scores = ci.indicator_scores(table, "control", registry).set_index("indicator")
    assert scores.loc["new_local_cases_14d", "raw"] == 12
    assert scores.loc["new_local_cases_14d", "score"] == 0
    assert bool(scores.loc["new_local_cases_14d", "beyond_bounds"])
    assert scores.loc["green_code_share", "score"] == 0
    assert bool(scores.loc["green_code_share", "beyond_bounds"])
    assert not bool(scores.loc["contact_tracing_rate", "beyond_bounds"])
    assert scores["weight"].sum() == pytest.approx(1.0)


def test_control_index_by_hand(registry):
    # scores: 100 (0 cases), 80 (2 per 100k), 90, 100, 80 ((90 - 50) / 50)
    table = _table([("2020-03-02", "330102", 0, 2, 90, 100, 90)], CONTROL_COLUMNS)
    out = ci.control_index(table, registry).iloc[0]
    expected = 0.3 * 100 + 0.2 * 80 + 0.2 * 90 + 0.15 * 100 + 0.15 * 80  # = 91
    assert out["control_index"] == pytest.approx(expected) == pytest.approx(91)
    assert out["control_missing"] == ""
    assert out["control_weight_available"] == pytest.approx(1.0)


def test_a_missing_indicator_is_marked_not_scored_as_zero(registry):
    table = _table([("2020-03-02", "330103", 0, 0, None, 80, 95)], CONTROL_COLUMNS)
    out = ci.control_index(table, registry).iloc[0]
    # available: 0.3*100 + 0.2*100 + 0.15*80 + 0.15*90 = 75.5 over weight 0.8 -> 94.375 (not 75.5)
    assert out["control_index"] == pytest.approx(94.375)
    assert out["control_missing"] == "contact_tracing_rate"
    assert out["control_weight_available"] == pytest.approx(0.8)


def test_too_few_indicators_give_a_missing_index(registry):
    table = _table([("2020-03-02", "330104", 0, None, None, None, None)], CONTROL_COLUMNS)
    out = ci.control_index(table, registry).iloc[0]
    assert pd.isna(out["control_index"])  # 0.3 of the weight < min_weight_share 0.5
    assert out["control_missing"].split(";") == CONTROL_COLUMNS[1:]


def test_combined_index_and_its_flags(registry):
    control = _table(
        [("2020-03-02", "330102", 0, 2, 90, 100, 90), ("2020-03-02", "330103", 0, 0, None, 80, 95)], CONTROL_COLUMNS
    )
    flow = _table([("2020-03-02", "330102", 60, 80)], ["bus_service_rate", "highway_flow_ratio"])
    out = ci.combined_index(control, flow, registry).set_index("region_code")
    # 330102: control 91, flow 70, weights 1:3 -> (91 + 3*70) / 4 = 75.25
    assert out.loc["330102", "combined_index"] == pytest.approx(75.25)
    assert bool(out.loc["330102", "complete"])
    # 330103 has no flow row: combined missing, all flow indicators listed
    assert pd.isna(out.loc["330103", "combined_index"])
    assert out.loc["330103", "missing_indicators"] == "contact_tracing_rate;bus_service_rate;highway_flow_ratio"
    assert not bool(out.loc["330103", "complete"])


def test_province_average_simple_and_population_weighted():
    regions = pd.DataFrame({"code": ["330102", "330103", "330104"], "population": [100, 300, 600]})
    index = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-03-02"] * 3),
            "region_code": ["330102", "330103", "330104"],
            "combined_index": pd.array([90.0, 70.0, None], dtype="Float64"),
        }
    )
    out = ci.province_average(index, regions=regions).iloc[0]
    assert out["simple_mean"] == pytest.approx(80)  # (90 + 70) / 2
    assert out["population_weighted_mean"] == pytest.approx(75)  # (100*90 + 300*70) / 400
    assert (out["n_counties"], out["n_scored"], out["n_missing"]) == (3, 2, 1)


def test_ranks_best_first_ties_share_missing_unranked():
    index = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-03-02"] * 4),
            "region_code": ["330102", "330103", "330104", "330105"],
            "combined_index": pd.array([90.0, 95.0, None, 90.0], dtype="Float64"),
        }
    )
    out = ci.rank_counties(index).set_index("region_code")["rank"]
    assert out["330103"] == 1 and out["330102"] == 2 and out["330105"] == 2
    assert pd.isna(out["330104"])


def test_shortfalls_name_the_indicators_that_pulled_a_county_down(registry):
    control = _table([("2020-03-02", "330102", 0, 2, 90, 100, 90)], CONTROL_COLUMNS)
    flow = _table([("2020-03-02", "330102", 60, 80)], ["bus_service_rate", "highway_flow_ratio"])
    out = ci.shortfalls(control, flow, registry, top=None)
    # flow weight 3/4, each flow indicator 1/2: bus 0.375*40 = 15, highway 0.375*20 = 7.5;
    # control weight 1/4: active 0.25*0.2*20 = 1, tracing 0.25*0.2*10 = 0.5, green 0.25*0.15*20 = 0.75
    assert list(out["indicator"]) == [
        "bus_service_rate",
        "highway_flow_ratio",
        "active_cases_per_100k",
        "green_code_share",
        "contact_tracing_rate",
    ]
    assert list(out["shortfall"]) == pytest.approx([15, 7.5, 1, 0.75, 0.5])
    assert out["shortfall"].sum() == pytest.approx(100 - 75.25)
    assert len(ci.shortfalls(control, flow, registry, top=2)) == 2


def test_an_invalid_registry_names_the_key(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        TEST_REGISTRY.format(
            indicators=INDICATOR.format(
                column="bus_service_rate", group="flow", direction="up", lower=100, upper=0, weight=1
            )
        ),
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        ci.load_registry(path)
    text = str(info.value)
    assert "bad.toml row 1, column 'indicators[1].direction'" in text
    assert "lower_below_upper" in text
