"""Baselines of the capacity topic (epianalysis.topics.capacity.baselines): readings in key order or
not, repeated readings refused (docs/methods.md#baselines). The formulas are checked by hand in
test_metrics.py (with_baseline is re-exported by metrics)."""

import pandas as pd
import pytest

from epianalysis.errors import DataError
from epianalysis.topics.capacity.baselines import with_baseline

T = pd.Timestamp


def daily(rows):
    frame = pd.DataFrame(rows, columns=["date", "enterprise_id", "kwh"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


ROWS = [
    ("2019-12-01", "A", 10.0),
    ("2019-12-01", "B", 4.0),
    ("2019-12-02", "A", 30.0),  # A's December mean 20, B's 4
    ("2020-02-10", "A", 12.0),
    ("2020-02-10", "B", 0.0),
]


def test_readings_in_any_order_come_back_sorted_with_their_baselines():
    shuffled = daily([ROWS[i] for i in (4, 2, 0, 3, 1)])
    out = with_baseline(shuffled, "december_2019")
    assert list(zip(out["date"], out["enterprise_id"], strict=True)) == [
        (T("2019-12-01"), "A"),
        (T("2019-12-01"), "B"),
        (T("2019-12-02"), "A"),
        (T("2020-02-10"), "A"),
        (T("2020-02-10"), "B"),
    ]
    assert list(out["baseline_kwh"]) == [20.0, 4.0, 20.0, 20.0, 4.0]
    assert list(out["baseline_readings"]) == [2, 1, 2, 2, 1]
    assert list(out.index) == [0, 1, 2, 3, 4]


def test_the_same_readings_sorted_or_not_give_the_same_frame():
    in_order = with_baseline(daily(ROWS), "december_2019")
    shuffled = with_baseline(daily([ROWS[i] for i in (3, 1, 4, 0, 2)]), "december_2019")
    pd.testing.assert_frame_equal(in_order, shuffled, check_exact=True)


def test_flags_and_method_are_text_columns():
    out = with_baseline(daily([*ROWS, ("2020-02-10", "C", 5.0)]), "december_2019")
    assert list(out["baseline_flag"]) == ["", "", "", "", "", "no_baseline_readings"]
    assert set(out["baseline_method"]) == {"december_2019"}
    zero = with_baseline(daily([("2019-12-01", "Z", 0.0), ("2020-02-10", "Z", 3.0)]), "december_2019")
    assert list(zero["baseline_flag"]) == ["baseline_zero", "baseline_zero"]
    assert out["baseline_flag"].dtype == pd.Series(["x"]).dtype  # the default text dtype


@pytest.mark.parametrize("order", [(0, 1, 2, 2, 3), (2, 0, 2, 1, 3)], ids=["in key order", "shuffled"])
def test_a_repeated_reading_is_refused_with_its_row(order):
    frame = daily([ROWS[i] for i in order])  # ROWS[2] twice: rows 3 and 4 (in order) or 1 and 3
    with pytest.raises(DataError, match="duplicate readings") as info:
        with_baseline(frame, "december_2019")
    row = 4 if order[0] == 0 else 3  # the second of the two is named
    assert f"enterprise_daily row {row}, column 'enterprise_id', value 'A'" in str(info.value)
