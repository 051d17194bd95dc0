"""Calibration of the embedded synthetic scenario against the published figures of issue 4.

These are checks of the SYNTHETIC scenario (``data/sample``), not of real data: the scenario was
built to reproduce the published province figures, and the metric functions must find them again.
Expected values are the published figures (docs/methods.md#calibration-of-the-control-index and
docs/methods.md#published-points; press conferences of 2020-02-26 and 2020-03-02); each tolerance
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
    keep = lambda t: t[t["date"] >= "2020-02-29"]  # noqa: E731
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


def test_province_control_index_given_on_2020_03_02(province_index):
    # published province average 96.87 at the press conference of 2020-03-02, data as of 2020-03-01
    # 24:00 (the day the briefing of press date 2020-03-02 shows), simple mean over the 90 counties.
    # The scenario's flow indicators about firms are the county rates of its own register
    # (scenario/indicators.py); the rules (topics/control_index/rules.toml, version 2) are assumptions
    # not fitted to the hundredths: the scenario matches the published figure to one decimal, 96.9
    # (the county curves follow the real daily city figures; their split over counties is the scenario's own)
    row = province_index.loc[pd.Timestamp("2020-03-01")]
    assert row["n_scored"] == 90
    assert round(row["simple_mean"], 1) == 96.9


def test_control_index_still_rising_around_the_press_conference(province_index):
    # the day before (the briefing of 1 March) lower, the day after higher: no plateau fitted to 96.87
    days = [pd.Timestamp(d) for d in ("2020-02-29", "2020-03-01", "2020-03-02")]
    values = province_index.loc[days, "simple_mean"].tolist()
    assert values == sorted(values) and values[0] < 96.87 - 0.5


def test_flow_indicators_about_firms_are_the_registers_own_rates():
    # one set of firms: the control index's resumption and worker-return indicators of a county are the
    # rates the capacity topic computes for that county's firms (December baseline), to 0.1
    data = store.DataStore(SAMPLE)
    day = pd.Timestamp("2020-02-25")
    flow = data.load("flow", as_of=day)
    flow = flow[flow["date"] == day].set_index("region_code")
    daily = data.load("enterprise_daily", as_of=day)
    daily = daily[daily["date"].between("2019-12-01", "2019-12-31") | (daily["date"] == day)]
    based = capacity.with_baseline(daily, "december_2019")
    counties = capacity.recovery(data.load("enterprises"), based[based["date"] == day], by="county")
    counties = counties.set_index("county")
    pairs = (("enterprise_resumption_rate", "resumption_rate_pct"), ("worker_return_rate", "worker_return_pct"))
    for column, rate in pairs:
        expected = counties[rate].astype(float).round(1)
        assert flow.loc[expected.index, column].tolist() == pytest.approx(expected.tolist(), abs=0.051), column
