"""The pandas reference aggregation, and DuckDB and pandas giving identical aggregates on one log."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from epianalysis.engine import aggregate_health_codes
from epianalysis.engine.health_codes import COUNT_COLUMNS
from epianalysis.engine.health_codes_pandas import aggregate_health_codes_pandas
from epianalysis.reference.regions import counties
from epianalysis.scenario import health_codes as H

A, B = "330102", "330103"
HAND_LOG = pd.DataFrame(
    [
        (1, A, "2020-02-14", "green"),
        (2, A, "2020-02-14", "yellow"),
        (3, A, "2020-02-14", "red"),
        (4, B, "2020-02-14", "green"),
        (1, A, "2020-02-15", "yellow"),
        (2, A, "2020-02-15", "yellow"),
        (3, A, "2020-02-15", "red"),
        (4, B, "2020-02-15", "green"),
        (1, A, "2020-02-16", "green"),
        (2, A, "2020-02-16", "green"),
        (3, A, "2020-02-16", "green"),
        (4, B, "2020-02-17", "red"),  # no row on 02-16: new red
        (3, B, "2020-02-18", "red"),  # person 3 moved to B after a gap of a day: new red in B
    ],
    columns=["person_id", "region_code", "date", "colour"],
)


def test_pandas_reference_on_a_hand_made_log():
    got = aggregate_health_codes_pandas(HAND_LOG).set_index(["date", "region_code"])
    expected = {  # green, yellow, red, new_red, new_yellow, red_to_green, yellow_to_green (by hand)
        ("2020-02-14", A): [1, 1, 1, 1, 1, 0, 0],
        ("2020-02-14", B): [1, 0, 0, 0, 0, 0, 0],
        ("2020-02-15", A): [0, 2, 1, 0, 1, 0, 0],
        ("2020-02-15", B): [1, 0, 0, 0, 0, 0, 0],
        ("2020-02-16", A): [3, 0, 0, 0, 0, 1, 2],
        ("2020-02-17", B): [0, 0, 1, 1, 0, 0, 0],
        ("2020-02-18", B): [0, 0, 1, 1, 0, 0, 0],
    }
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
    path = tmp_path / "log.parquet"
    frame = HAND_LOG.assign(date=pd.to_datetime(HAND_LOG["date"]).dt.date, reason=None)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    duck = aggregate_health_codes(path)
    plain = aggregate_health_codes_pandas(HAND_LOG)
    for column in ["region_code", *COUNT_COLUMNS]:
        assert duck[column].tolist() == plain[column].tolist(), column
