"""Engine selection, and the one-line errors when Spark cannot start."""

from __future__ import annotations

import sys

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from epianalysis import cli
from epianalysis.engine import EngineUnavailable, get_engine, health_code_counts
from epianalysis.engine import backends as B


def _log(tmp_path):
    df = pd.DataFrame(
        {
            "person_id": [1, 2, 1, 2],
            "region_code": ["330102"] * 4,
            "date": pd.to_datetime(["2020-02-14", "2020-02-14", "2020-02-15", "2020-02-15"]).date,
            "colour": ["red", "green", "green", "yellow"],
            "reason": [None] * 4,
        }
    )
    path = tmp_path / "log.parquet"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path)
    return path


def test_unknown_engine_is_a_value_error():
    with pytest.raises(ValueError, match="unknown engine 'polars'"):
        get_engine("polars")


def test_duckdb_works_without_pyspark(tmp_path, monkeypatch):
    # a None entry in sys.modules makes `import pyspark...` raise ImportError
    for name in ("pyspark", "pyspark.sql"):
        monkeypatch.setitem(sys.modules, name, None)
    got = health_code_counts(_log(tmp_path), "duckdb")
    # 02-14: 1 green, 1 red (new); 02-15: person 1 red -> green, person 2 green -> yellow (new)
    assert got[["green", "yellow", "red", "new_red", "new_yellow", "red_to_green"]].values.tolist() == [
        [1, 0, 1, 1, 0, 0],
        [1, 1, 0, 0, 1, 1],
    ]
    with pytest.raises(EngineUnavailable, match="needs PySpark") as err:
        get_engine("spark")
    assert "\n" not in str(err.value)


def test_no_java_is_one_line(monkeypatch, tmp_path):
    pytest.importorskip("pyspark")
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no java on PATH
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(EngineUnavailable, match="needs a Java runtime") as err:
        get_engine("spark", "local[1]")
    assert "\n" not in str(err.value)


def test_unreachable_master_fails_fast(monkeypatch):
    pytest.importorskip("pyspark")
    monkeypatch.setattr(B, "CONNECT_TIMEOUT_S", 0.5)
    for url in ("spark://127.0.0.1:1", "sc://127.0.0.1:1"):  # a closed port on this machine
        with pytest.raises(EngineUnavailable, match="unreachable") as err:
            get_engine("spark", url)
        assert "\n" not in str(err.value) and url in str(err.value)


def test_a_master_that_does_not_answer_fails_fast(monkeypatch):
    # a remote master that never answers, simulated: the test sends nothing over the network
    pytest.importorskip("pyspark")

    def silent(address, timeout):
        assert timeout == B.CONNECT_TIMEOUT_S
        raise TimeoutError("timed out")

    monkeypatch.setattr(B.socket, "create_connection", silent)
    with pytest.raises(EngineUnavailable, match="unreachable") as err:
        get_engine("spark", "spark://spark-master.example:7077")
    assert "\n" not in str(err.value)


def test_cli_reports_spark_problem_in_one_line(tmp_path, capsys):
    pytest.importorskip("pyspark")
    code = cli.main(
        [
            "aggregate",
            "--engine",
            "spark",
            "--spark-master",
            "spark://127.0.0.1:1",
            "--log",
            str(_log(tmp_path)),
            "--out",
            str(tmp_path / "hc.csv"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: Spark master spark://127.0.0.1:1 is unreachable") and err.count("\n") == 1
    assert not (tmp_path / "hc.csv").exists()


def test_cli_aggregate_duckdb_writes_table(tmp_path):
    out = tmp_path / "hc.csv"
    assert cli.main(["aggregate", "--log", str(_log(tmp_path)), "--out", str(out)]) == 0
    text = out.read_text().splitlines()
    assert text[0] == "date,region_code,green,yellow,red,new_red,new_yellow,red_to_green,yellow_to_green"
    assert text[1:] == ["2020-02-14,330102,1,0,1,1,0,0,0", "2020-02-15,330102,1,1,0,0,1,1,0"]


def test_missing_log_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="Parquet log not found"):
        health_code_counts(tmp_path / "nope")
