"""Whether a frame is already in key order (epianalysis.data.order), so that the store skips its sort."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from epianalysis.data.order import in_key_order

KEY = ["date", "enterprise_id"]


def frame(rows):
    df = pd.DataFrame(rows, columns=KEY)
    df["date"] = pd.to_datetime(df["date"])
    df["enterprise_id"] = df["enterprise_id"].astype("str")
    return df


def test_rows_sorted_by_date_then_id_are_in_order():
    df = frame([("2020-02-01", "E1"), ("2020-02-01", "E2"), ("2020-02-02", "E1"), ("2020-02-02", "E10")])
    assert in_key_order(df, KEY)


def test_a_later_date_may_have_a_smaller_id():
    assert in_key_order(frame([("2020-02-01", "E9"), ("2020-02-02", "E1")]), KEY)


def test_ids_out_of_order_within_a_day_are_not():
    # "E10" < "E2" as text, so E2 before E10 is out of order
    assert not in_key_order(frame([("2020-02-01", "E2"), ("2020-02-01", "E10")]), KEY)


def test_dates_out_of_order_are_not():
    assert not in_key_order(frame([("2020-02-02", "E1"), ("2020-02-01", "E2")]), KEY)


def test_repeated_keys_stay_in_order():  # a stable sort leaves equal keys where they are
    assert in_key_order(frame([("2020-02-01", "E1"), ("2020-02-01", "E1")]), KEY)


def test_short_frames_are_in_order():
    assert in_key_order(frame([]), KEY)
    assert in_key_order(frame([("2020-02-01", "E1")]), KEY)


@pytest.mark.parametrize(
    "column",
    [
        pd.Series([1.0, 2.0]),  # floats: -0.0 and 0.0 compare equal, left to the sort
        pd.Series(["a", "b"], dtype=object),
        pd.Series(["a", "b"], dtype="category"),
        pd.Series([1, None], dtype="Int64"),
    ],
    ids=["float", "object", "category", "missing"],
)
def test_columns_not_compared_here_answer_no(column):
    assert not in_key_order(pd.DataFrame({"k": column}), ["k"])


def test_a_missing_date_or_id_answers_no():
    df = frame([("2020-02-01", "E1"), ("2020-02-02", "E2")])
    assert not in_key_order(df.assign(date=[pd.Timestamp("2020-02-01"), pd.NaT]), KEY)
    assert not in_key_order(df.assign(enterprise_id=pd.Series(["E1", None], dtype="str")), KEY)


def test_agrees_with_a_stable_sort_on_random_frames():
    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(2, 8))
        df = pd.DataFrame(
            {
                "date": pd.to_datetime("2020-02-01") + pd.to_timedelta(rng.integers(0, 3, n), unit="D"),
                "enterprise_id": pd.Series(rng.choice(["E1", "E2", "E10", "é", "Z"], n), dtype="str"),
                "n": rng.integers(0, 3, n),
            }
        )
        if rng.random() < 0.5:  # half of them sorted, so that both answers are met
            df = df.sort_values(["date", "enterprise_id", "n"], kind="stable").reset_index(drop=True)
        for key in (["date", "enterprise_id"], ["enterprise_id", "n"], ["n", "date"]):
            unchanged = df.sort_values(key, kind="stable").index.equals(df.index)
            assert in_key_order(df, key) == unchanged, (df, key)
