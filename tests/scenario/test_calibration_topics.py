"""Calibration of the embedded synthetic scenario against the published figures of issue 4.

These are checks of the SYNTHETIC scenario (``data/sample``), not of real data: the scenario was
built to reproduce the published province figures, and the metric functions must find them again.
Expected values are the published figures (docs/methods.md#calibration-of-the-control-index and
docs/methods.md#published-points; press conferences of 2020-02-26 and 2020-03-03); each tolerance
says how far the scenario may be from them and why.
"""

from __future__ import annotations

import pandas as pd
import pytest

from epianalysis.data import store
from epianalysis.paths import sample_dir
from epianalysis.topics.capacity import metrics as capacity
from epianalysis.topics.control_index import metrics as control_index

SAMPLE = sample_dir()
pytestmark = pytest.mark.skipif(
    not (SAMPLE / "enterprises.csv").is_file(),
    reason=f"embedded scenario not generated at {SAMPLE} (run `make sample`)",
)


@pytest.fixture(scope="module")
def size_groups() -> pd.DataFrame:
    data = store.DataStore(SAMPLE)
    enterprises = data.load("enterprises")
    daily = data.load("enterprise_daily", as_of="2020-02-29")
    daily = daily[daily["date"].between("2019-12-01", "2020-02-29")]  # the December baseline and February
    table = capacity.recovery(enterprises, capacity.with_baseline(daily, "december_2019"), by="size_group")
    return table.set_index(["date", "size_group"])


@pytest.fixture(scope="module")
def province_index() -> pd.DataFrame:
    data = store.DataStore(SAMPLE)
    control = data.load("control", as_of="2020-03-02")
    flow = data.load("flow", as_of="2020-03-02")
    keep = lambda t: t[t["date"] >= "2020-03-01"]  # noqa: E731
    index = control_index.combined_index(keep(control), keep(flow))
    return control_index.province_average(index).set_index("date")


def test_above_scale_resumed_on_2020_02_25(size_groups):
    # published 99.8 % of 44,370 above-scale firms (press conference, data as of 2020-02-25).
    # The scenario holds 4,437 above-scale firms (one firm = 0.023 points); 99.8 % would be about 9
    # firms not resumed. Tolerance +-0.3 points (the scenario has 2 not resumed: 99.95 %).
    row = size_groups.loc[(pd.Timestamp("2020-02-25"), "above_scale")]
    assert row["resumption_rate_pct"] == pytest.approx(99.8, abs=0.3)


def test_above_scale_workers_back_on_2020_02_25(size_groups):
    # published 60.1 % of workers back; +-0.5 points (rounding of the scenario's on-site counts)
    row = size_groups.loc[(pd.Timestamp("2020-02-25"), "above_scale")]
    assert row["worker_return_pct"] == pytest.approx(60.1, abs=0.5)


def test_capacity_recovery_at_the_end_of_february(size_groups):
    # published capacity recovery index 76.75 at the end of February (above-scale, December baseline)
    row = size_groups.loc[(pd.Timestamp("2020-02-29"), "above_scale")]
    assert row["capacity_recovery_index"] == pytest.approx(76.75, abs=0.5)


def test_leading_firms_capacity_on_2020_02_25(size_groups):
    # published: the 905 leading firms at 72 % (as of 2020-02-25); +-1 point
    row = size_groups.loc[(pd.Timestamp("2020-02-25"), "leading")]
    assert row["capacity_recovery_index"] == pytest.approx(72.0, abs=1.0)


def test_province_control_index_on_2020_03_02(province_index):
    # published province average 96.87 for 2020-03-02 (press conference of 2020-03-03), simple mean
    # over the 90 counties; +-0.5: the official indicators and weights are not published and ours
    # are documented assumptions (topics/control_index/rules.toml, version 2), not fitted to the decimals
    row = province_index.loc[pd.Timestamp("2020-03-02")]
    assert row["n_scored"] == 90
    assert row["simple_mean"] == pytest.approx(96.87, abs=0.5)


def test_control_index_one_day_earlier_is_lower(province_index):
    # the briefing of press date 2020-03-02 shows data as of 2020-03-01: the index still rising
    earlier = province_index.loc[pd.Timestamp("2020-03-01"), "simple_mean"]
    later = province_index.loc[pd.Timestamp("2020-03-02"), "simple_mean"]
    assert earlier < later
    assert earlier == pytest.approx(96.87, abs=2.0)
