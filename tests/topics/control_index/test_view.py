"""The control-index briefing's summary section, on a small hand-made case."""

import pandas as pd
import pytest

from epianalysis import summary
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
    # docs/methods.md#published-references: 96.87, given at the press conference of 2020-03-02,
    # data as of 1 March 24:00
    ref = cib.reference()
    assert (ref["value"], ref["date"], ref["press_date"]) == (96.87, "2020-03-01", "2020-03-02")
    assert "press conference" in ref["source"]
    assert cib.reference_on("2020-03-02") == ref and cib.reference_on("2020-03-03") == ref
    assert cib.reference_on("2020-03-01") is None  # not yet published


def _day_tables(day: str):
    control, flow = _tables()
    return control.assign(date=pd.Timestamp(day)), flow.assign(date=pd.Timestamp(day))


@pytest.mark.parametrize(
    ("data_date", "press_date", "shown"),
    [
        ("2020-02-29", None, False),  # briefing of 1 March (the default press date: the day after the data)
        ("2020-03-01", None, True),  # briefing of 2 March: the press conference that gave 96.87
        ("2020-03-01", "2020-03-01", False),  # data of 1 March briefed on 1 March (--as-of): not yet published
        ("2020-02-28", "2020-03-02", True),  # an earlier data date briefed on 2 March: published by then
    ],
)
def test_the_reference_is_shown_from_its_press_date_on(data_date, press_date, shown):
    control, flow = _day_tables(data_date)
    day = pd.Timestamp(data_date).date()
    view = cib.control_index_briefing(control, flow, day, REGIONS, press_date=press_date)
    s = cib.summary(view)
    summary.check_section("control_index", s)
    assert (s["published_reference"] is not None) is shown
    assert (view.reference is not None) is shown  # the input of the province chart
    for lang in ("en", "zh"):
        table = cib.headline_table(view, lang).to_string()
        assert ("96.87" in table) is shown


def test_the_combined_index_is_called_the_precision_control_index():
    # one name, one number: the combined index is never named like its control sub-index (管控指数)
    control, flow = _tables()
    view = cib.control_index_briefing(control, flow, pd.Timestamp("2020-03-01").date(), REGIONS)
    ranking = cib.ranking_table(view, "zh")
    assert "精密智控指数" in ranking.columns and "管控指数" in ranking.columns
    assert list(ranking.columns).index("精密智控指数") != list(ranking.columns).index("管控指数")
    assert "Precision control index" in cib.ranking_table(view, "en").columns
    assert "Combined index" not in cib.ranking_table(view, "en").columns
