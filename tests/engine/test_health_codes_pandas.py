"""The pandas reference aggregation, and DuckDB and pandas giving identical aggregates on one log."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from support import HAND_B, HAND_COUNTS, HAND_LOG, write_log

from epianalysis.engine import aggregate_health_codes
from epianalysis.engine.health_codes import COUNT_COLUMNS
from epianalysis.engine.health_codes_pandas import aggregate_health_codes_pandas
from epianalysis.reference.regions import counties
from epianalysis.scenario import health_codes as H

MOVED = (3, HAND_B, "2020-02-18", "red", "symptoms")  # person 3 moved to B after a gap of a day: new red in B
HAND_FRAME = pd.DataFrame([*HAND_LOG, MOVED], columns=["person_id", "region_code", "date", "colour", "reason"])


def test_pandas_reference_on_a_hand_made_log():
    got = aggregate_health_codes_pandas(HAND_FRAME).set_index(["date", "region_code"])
    expected = HAND_COUNTS | {("2020-02-18", HAND_B): [0, 0, 1, 1, 0, 0, 0]}  # by hand
    assert len(got) == len(expected)
    for (day, code), values in expected.items():
        assert got.loc[(pd.Timestamp(day), code), COUNT_COLUMNS].tolist() == values, (day, code)
    assert all(str(got[c].dtype) == "Int64" for c in COUNT_COLUMNS)


def test_duckdb_and_pandas_give_identical_aggregates_on_the_same_log(tmp_path):
    # a small generated log (the scenario's simulator, about 1,700 residents, 80 days), one file
    table = counties().sort_values("code").reset_index(drop=True)
    burden = pd.Series(np.linspace(0, 20, len(table)), index=table["code"])  # more episodes in some counties
    path = tmp_path / "health_code_log.parquet"
    rows = H.write_log(path, table, burden, 0.00003, np.random.default_rng(7))
    log = pq.read_table(path).to_pandas()
    assert rows == len(log) > 50_000
    assert set(log["colour"].astype(str)) == {"green", "yellow", "red"}

    duck = aggregate_health_codes(path)
    plain = aggregate_health_codes_pandas(log)
    assert list(duck.columns) == list(plain.columns)
    assert len(duck) == len(plain)
    assert (duck["date"].dt.strftime("%Y-%m-%d").to_numpy() == plain["date"].dt.strftime("%Y-%m-%d").to_numpy()).all()
    assert (duck["region_code"].to_numpy() == plain["region_code"].to_numpy()).all()
    for column in COUNT_COLUMNS:  # row for row, column by column
        assert duck[column].tolist() == plain[column].tolist(), column
    # the log has every kind of transition, so the comparison checks them all
    assert all(int(duck[c].sum()) > 0 for c in COUNT_COLUMNS)


def test_duckdb_and_pandas_agree_on_the_hand_made_log(tmp_path):
    duck = aggregate_health_codes(write_log(tmp_path / "log.parquet", [*HAND_LOG, MOVED]))
    plain = aggregate_health_codes_pandas(HAND_FRAME)
    for column in ["region_code", *COUNT_COLUMNS]:
        assert duck[column].tolist() == plain[column].tolist(), column
