"""The DuckDB aggregation of a person-day health-code log."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from support import HAND_COUNT_COLUMNS, HAND_COUNTS, HAND_LOG, write_log

from epianalysis.engine import aggregate_health_codes
from epianalysis.reference.regions import counties
from epianalysis.scenario import health_codes as H


def test_hand_made_log(tmp_path):
    log = write_log(tmp_path / "log.parquet", HAND_LOG)
    got = aggregate_health_codes(log).set_index(["date", "region_code"])
    cols, expected = HAND_COUNT_COLUMNS, HAND_COUNTS
    assert len(got) == len(expected)
    for (d, code), values in expected.items():
        assert got.loc[(pd.Timestamp(d), code), cols].tolist() == values, (d, code)
    assert str(got[cols[0]].dtype) == "Int64"


def test_missing_log_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="health-code log"):
        aggregate_health_codes(tmp_path / "nope.parquet")


def _pandas_reference(path) -> pd.DataFrame:
    """Independent implementation: shift each person's colour by one day."""
    log = pd.read_parquet(path)
    log["region_code"] = log["region_code"].astype(str)
    log["colour"] = log["colour"].astype(str)
    log["date"] = pd.to_datetime(log["date"])
    prev = log[["person_id", "date", "colour"]].copy()
    prev["date"] = prev["date"] + pd.Timedelta(days=1)
    m = log.merge(prev.rename(columns={"colour": "prev"}), on=["person_id", "date"], how="left")
    out = m.groupby(["date", "region_code"]).apply(
        lambda g: pd.Series(
            {
                "green": (g.colour == "green").sum(),
                "yellow": (g.colour == "yellow").sum(),
                "red": (g.colour == "red").sum(),
                "new_red": ((g.colour == "red") & (g.prev != "red")).sum(),
                "new_yellow": ((g.colour == "yellow") & (g.prev != "yellow")).sum(),
                "red_to_green": ((g.colour == "green") & (g.prev == "red")).sum(),
                "yellow_to_green": ((g.colour == "green") & (g.prev == "yellow")).sum(),
            }
        ),
        include_groups=False,
    )
    return out


def test_matches_pandas_on_generated_log(tmp_path):
    c = counties().sort_values("code").reset_index(drop=True).iloc[[0, 20, 60]]
    risk = pd.Series([0.0, 5.0, 40.0], index=c["code"])
    path = tmp_path / "log.parquet"
    rows = H.write_log(path, c.reset_index(drop=True), risk, 0.002, np.random.default_rng(7))
    assert rows > 10_000
    got = aggregate_health_codes(path).set_index(["date", "region_code"])
    ref = _pandas_reference(path)
    assert got.index.equals(ref.index)
    for col in ref.columns:
        assert (got[col].to_numpy(dtype=np.int64) == ref[col].to_numpy(dtype=np.int64)).all(), col
    assert got["new_red"].sum() > 0 and got["yellow_to_green"].sum() > 0
