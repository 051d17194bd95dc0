"""The control-index briefing's summary section, on a small hand-made case."""

import pandas as pd
import pytest

from epianalysis.topics.control_index import view as cib

CONTROL = [
    "new_local_cases_14d",
    "active_cases_per_100k",
    "contact_tracing_rate",
    "quarantine_completion_rate",
    "green_code_share",
]
FLOW = [
    "bus_service_rate",
    "highway_flow_ratio",
    "checkpoint_open_rate",
    "enterprise_resumption_rate",
    "worker_return_rate",
    "retail_open_rate",
    "logistics_flow_ratio",
]
REGIONS = pd.DataFrame(
    {
        "code": ["330102", "330103", "330104"],
        "name_zh": ["甲", "乙", "丙"],
        "name_en": ["A", "B", "C"],
        "parent_code": "330100",
        "population": [100, 300, 600],
    }
)


def _tables():
    day = pd.Timestamp("2020-03-01")
    control = pd.DataFrame({"date": day, "region_code": REGIONS["code"]})
    for column, value in zip(CONTROL, [0, 0, 100, 100, 100], strict=True):
        control[column] = float(value)
    control.loc[2, "contact_tracing_rate"] = float("nan")  # C: one control indicator missing
    flow = pd.DataFrame({"date": day, "region_code": REGIONS["code"]})
    for column in FLOW:
        flow[column] = [75.0, 37.5, 90.0]  # at, half of, above the 75 % restoration target
    return control, flow


def test_summary_by_hand():
    control, flow = _tables()
    view = cib.control_index_briefing(control, flow, pd.Timestamp("2020-03-01").date(), REGIONS)
    s = cib.summary(view, n=1)
    # A: control 100, flow 100 -> 100; B: flow 50 -> (2*100 + 1*50)/3 = 83.33; C: control on the
    # available indicators = 100, flow 100 (90 is beyond the target: scores 100) -> 100
    assert s["province_simple_mean"] == pytest.approx((100 + 250 / 3 + 100) / 3, abs=0.005)
    assert s["province_population_weighted_mean"] == pytest.approx(
        (100 * 100 + 300 * 250 / 3 + 600 * 100) / 1000, abs=0.005
    )
    assert s["worst"][0]["name_en"] == "B" and s["worst"][0]["rank"] == 3
    assert s["best"][0]["combined_index"] == 100.0
    assert s["counties_with_missing_indicators"] == [{"region_code": "330104", "missing": ["contact_tracing_rate"]}]
    assert s["n_scored"] == 3 and s["data_date"] == "2020-03-01"


def test_tables_mark_the_missing_indicator():
    control, flow = _tables()
    view = cib.control_index_briefing(control, flow, pd.Timestamp("2020-03-01").date(), REGIONS)
    missing = cib.missing_table(view, "en")
    assert missing.iloc[0].tolist() == ["C", "close contacts traced within 24 h", "100.00"]
    pulled = cib.shortfall_table(view, "en", n=1)
    assert pulled.iloc[0, 1] == "B" and "−" in pulled.iloc[0, 3]


def test_the_published_average_is_the_press_conference_figure():
    # docs/methods.md#precision-control-index: 96.87, given at the press conference of 2020-03-02,
    # data as of 1 March 24:00
    ref = cib.reference()
    assert (ref["value"], ref["date"], ref["press_date"]) == (96.87, "2020-03-01", "2020-03-02")
    assert "2020-03-02" in ref["source"]
    assert ref == cib.PUBLISHED_AVERAGE
