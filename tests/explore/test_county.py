"""The county story: incidence by hand, and Yiwu's published zoning history on the sample."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from epianalysis.errors import DataError
from epianalysis.explore import county
from epianalysis.paths import sample_dir
from epianalysis.reference import regions


def test_incidence_7d_by_hand():
    curve = pd.DataFrame(
        {
            "date": pd.date_range("2020-02-23", "2020-03-01"),
            "new_local": pd.array([5, 1, 0, 2, 0, 0, 1, 3], dtype="Int64"),
            "new_imported": pd.array([0, 0, 0, 0, 1, 0, 0, 0], dtype="Int64"),
        }
    )
    # D-6..D = 24 Feb .. 1 Mar: 1+0+2+1+0+1+3 = 8 cases; 8 / 200,000 * 100,000 = 4.0
    assert county.incidence_7d(curve, 200_000, dt.date(2020, 3, 1)) == pytest.approx(4.0)
    assert county.incidence_7d(curve, None, dt.date(2020, 3, 1)) is None
    gap = curve.assign(new_local=curve["new_local"].astype("Float64").mask(curve["date"] == "2020-02-27"))
    assert county.incidence_7d(gap, 200_000, dt.date(2020, 3, 1)) is None  # a missing day is not read as 0


def test_unknown_county_is_refused():
    with pytest.raises(DataError, match="not a county"):
        county.county_row(regions.load_regions(), "330700")  # 金华市 is a prefecture


@pytest.mark.xfail(
    strict=True,
    reason="the maps are dated by their data (zhejiang-2020 data_lag_days = 0) and 金华's last case is on 02-12: "
    "义乌 is blue from 02-15 (docs/rulesets.md#zhejiang-2020)",
)
def test_yiwu_zoning_history_on_the_sample():
    if not (sample_dir() / "cases.csv").is_file():
        pytest.skip(f"embedded scenario not generated at {sample_dir()}")
    from epianalysis.data import store

    cases = store.load(sample_dir(), "cases", as_of="2020-03-01")
    history = county.zoning_history(cases, "330782", dt.date(2020, 3, 1))
    changes = history[history["changed"]]
    # published: 义乌 yellow -> blue on 2020-02-18, green on 2020-02-21 (docs/rulesets.md#calibration-not-evidence)
    assert [
        (d.date().isoformat(), a, b) for d, a, b in zip(changes["date"], changes["previous"], changes["level"])
    ] == [("2020-02-18", "yellow", "blue"), ("2020-02-21", "blue", "green")]
    table = county.zoning_changes_table(
        county.CountyStory(
            "330782", "义乌市", "Yiwu", None, dt.date(2020, 3, 1), None, None, None, history, None, None, None, None
        ),
        "zh",
    )
    assert list(table.iloc[:, 2]) == ["蓝色 · 较低风险", "绿色 · 低风险"]
