"""Incidence from cumulative counts: hand-computed differences, revisions and gaps."""

import pandas as pd

from epianalysis.metrics import incidence


def test_daily_new_differences_flags_and_gaps():
    cumulative = pd.DataFrame({
        "date": pd.to_datetime(["2020-02-01", "2020-02-02", "2020-02-05"]),
        "confirmed": pd.array([10, 13, 12], dtype="Int64"),
    })
    new = incidence.daily_new(cumulative, ["confirmed"])
    assert pd.isna(new["new_confirmed"].iloc[0])
    assert new["new_confirmed"].iloc[1:].tolist() == [3, -1]
    assert new["confirmed_revised"].tolist() == [False, False, True]
    assert new["gap_days"].iloc[1:].tolist() == [1, 3]
