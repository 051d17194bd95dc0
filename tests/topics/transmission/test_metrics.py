"""Rt by the Cori method against a hand computation and chi-square table values.

Series (window 2, serial interval w1 = w2 = 0.5, prior mean 5 sd 5 -> a = 1, b = 5):

    day          0  1  2  3
    local        2  4  6  8
    imported     1  0  0  0
    infectors    3  4  6  8
    Λ            0  1.5 3.5 5      Λ(t) = 0.5·infectors(t−1) + 0.5·infectors(t−2)

Window ending day 2 (days 1–2): ΣI = 10, ΣΛ = 5   -> shape 11, scale 1/(1/5 + 5) = 1/5.2
Window ending day 3 (days 2–3): ΣI = 14, ΣΛ = 8.5 -> shape 15, scale 1/(0.2 + 8.5) = 1/8.7
Imported cases enter Λ but not ΣI. Gamma(k, θ) quantiles = θ/2 · χ²(2k) quantiles; χ²(22):
2.5 % = 10.982, 97.5 % = 36.781 (standard tables).
"""

import numpy as np
import pandas as pd
import pytest

from epianalysis.errors import DataError
from epianalysis.topics.transmission import metrics as rt

SI = np.array([0.0, 0.5, 0.5])
DAYS = pd.date_range("2020-01-20", periods=4)


def estimate(**kwargs):
    local = pd.Series([2, 4, 6, 8], index=DAYS)
    imported = pd.Series([1, 0, 0, 0], index=DAYS)
    options = dict(si=SI, window=2, min_cases=0, provisional_days=1)
    options.update(kwargs)
    return rt.cori_rt(local, imported, **options)


def test_posterior_parameters_by_hand():
    out = estimate()
    assert out["date"].tolist() == [DAYS[2], DAYS[3]]
    assert out["window_start"].tolist() == [DAYS[1], DAYS[2]]
    assert out["cases"].tolist() == [10, 14]
    assert out["infectiousness"].tolist() == pytest.approx([5.0, 8.5])
    assert out["shape"].tolist() == pytest.approx([11, 15])
    assert out["scale"].tolist() == pytest.approx([1 / 5.2, 1 / 8.7])
    assert out["mean"].tolist() == pytest.approx([11 / 5.2, 15 / 8.7])
    assert out["sd"].tolist() == pytest.approx([11**0.5 / 5.2, 15**0.5 / 8.7])


def test_credible_interval_matches_chi_square_tables():
    first = estimate().iloc[0]
    assert first["lower"] == pytest.approx(10.982 / (2 * 5.2), abs=1e-3)
    assert first["upper"] == pytest.approx(36.781 / (2 * 5.2), abs=1e-3)


def test_suppression_and_provisional():
    out = estimate(min_cases=12)
    assert out["suppressed"].tolist() == [True, False]  # 10 < 12 <= 14
    assert np.isnan(out["mean"].iloc[0]) and out["shape"].iloc[0] == 11  # parameters kept
    assert out["provisional"].tolist() == [False, True]


def test_imported_cases_are_not_counted_as_local():
    without = rt.cori_rt(pd.Series([2, 4, 6, 8], index=DAYS), si=SI, window=2, min_cases=0)
    # Λ(1) = 0.5·2 = 1, Λ(2) = 0.5·4 + 0.5·2 = 3: window 1–2 ΣΛ = 4 (not 5)
    assert without["infectiousness"].iloc[0] == pytest.approx(4.0)
    assert without["cases"].iloc[0] == 10


def test_default_serial_interval_nishiura():
    w = rt.discretised_gamma_si()
    assert w[0] == 0 and w.sum() == pytest.approx(1.0)
    # EpiEstim's discretisation keeps the mean of the continuous distribution (4.7 days)
    assert (np.arange(len(w)) * w).sum() == pytest.approx(4.7, abs=0.02)


def test_bad_incidence_names_the_day():
    local = pd.Series([2, -1, 6, 8], index=DAYS)
    with pytest.raises(DataError) as err:
        rt.cori_rt(local, si=SI, window=2)
    assert err.value.violations[0].row == 2
    assert err.value.violations[0].rule == "non_negative_known_incidence"


def test_cases_present_on_the_first_date_are_the_seeds():
    # EpiEstim takes the first day's incidence as the cases that start the renewal equation: 10
    # cases present on the first date (cumulative 10) infect on the next days. With only those 10 as
    # infectors, the first window (days 1..7) has infectiousness 10 * (w_1 + ... + w_7).
    dates = pd.date_range("2020-01-21", periods=9, freq="D")
    cases = pd.DataFrame(
        {
            "date": dates,
            "region_code": "330000",
            "confirmed": [10] * 9,
            "confirmed_local": [10] * 9,
            "confirmed_imported": [0] * 9,
        }
    )
    w = rt.discretised_gamma_si()
    out = rt.rt_for_region(cases, "330000", min_cases=0)
    assert out["window_start"].iloc[0] == pd.Timestamp("2020-01-22")
    assert out["infectiousness"].iloc[0] == pytest.approx(10 * w[1:8].sum())
    assert out["cases"].iloc[0] == 0  # the seeds are not counted as infected in the window
