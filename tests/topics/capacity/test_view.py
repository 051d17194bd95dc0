"""The capacity briefing's summary section on a hand-made register (every figure worked by hand)."""

import datetime as dt

import pandas as pd
import pytest

from epianalysis.topics.capacity import view as cap_brief

REGISTER = pd.DataFrame(
    {
        "enterprise_id": ["E1", "E2", "E3"],
        "region_code": ["330782", "330782", "330102"],
        "sector": ["manufacturing"] * 3,
        "size_class": ["above_scale", "leading", "small"],
        "employees": [10, 10, 10],
    }
)


def _daily():
    december = pd.date_range("2019-12-01", "2019-12-31")
    rows = [(day, firm, 100.0, 10) for day in december for firm in ["E1", "E2", "E3"]]  # baseline 100 kWh
    day = pd.Timestamp("2020-02-25")
    rows += [(day, "E1", 50.0, 5), (day, "E2", 30.0, 10), (day, "E3", 10.0, 0)]
    frame = pd.DataFrame(rows, columns=["date", "enterprise_id", "kwh", "employees_on_site"])
    frame["employees_on_site"] = frame["employees_on_site"].astype("Int64")
    return frame


def test_summary_by_hand():
    view = cap_brief.capacity_briefing(REGISTER, _daily(), dt.date(2020, 2, 25))
    s = cap_brief.summary(view)
    above, leading = s["above_scale"], s["leading"]
    # above-scale group = above_scale + leading firms (E1, E2); E2 at exactly 30 % of its baseline has
    # NOT resumed (> 30 % needed): 1 of 2 resumed
    assert above["n_enterprises"] == 2
    assert above["resumption_rate_pct"] == pytest.approx(50.0)
    assert above["worker_return_pct"] == pytest.approx(100 * (5 + 10) / 20)  # 75.0
    assert above["capacity_recovery_index"] == pytest.approx(100 * (50 + 30) / 200)  # 40.0
    assert (leading["n_enterprises"], leading["resumption_rate_pct"]) == (1, 0.0)
    assert leading["capacity_recovery_index"] == pytest.approx(30.0)
    assert s["all"]["capacity_recovery_index"] == pytest.approx(100 * 90 / 300)  # 30.0
    assert s["data_date"] == "2020-02-25" and s["baseline"] == "december_2019"
    assert sum(s["resumption_map"].values()) == 90  # every county is on the map
    assert s["resumption_map"]["unknown"] == 88  # no firm reports there: unknown, not left out
    assert (s["resumption_map"]["red"], s["resumption_map"]["yellow"]) == (1, 1)


def test_no_reading_on_the_data_date_is_refused():
    from epianalysis.errors import DataError

    with pytest.raises(DataError, match="no meter reading on 2020-02-26"):
        cap_brief.capacity_briefing(REGISTER, _daily(), dt.date(2020, 2, 26))
