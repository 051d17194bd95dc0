"""Where an aggregation runs: embedded DuckDB (default) or Spark (local, a cluster, or Spark Connect).

Both engines offer the same three operations, so every aggregation is one SQL text
(:mod:`epianalysis.engine.sql`) that runs unchanged on either:

- ``register_parquet(name, path)``: a view over a Parquet file, or over a folder of Parquet files
  partitioned Hive-style (``date=YYYY-MM-DD/part-*.parquet``; the partition value becomes a column);
- ``register_frame(name, df)``: a view over a small pandas table (e.g. the enterprise register);
- ``query(sql)``: run it and return the (small) result as pandas.

PySpark is imported only when the Spark engine is asked for, so the DuckDB path works without it.
When Spark cannot start, :class:`EngineUnavailable` says in one line what is missing: PySpark, a
Java runtime, or a reachable master (a ``spark://`` or ``sc://`` address is probed with a short TCP
connection before Spark is started, instead of waiting for Spark's own minute-long retries).
"""

from __future__ import annotations

import os
import shutil
import socket
import warnings
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse

import duckdb
import pandas as pd

from epianalysis.errors import EngineUnavailable
from epianalysis.fileio import duckdb_connection

ENGINES = ("duckdb", "spark")
DEFAULT_SPARK_MASTER = "local[*]"
CONNECT_TIMEOUT_S = 3.0
# Settings that matter on one machine; on a cluster they come from the cluster's defaults.
SPARK_LOCAL_CONF = {
    "spark.ui.enabled": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.shuffle.partitions": "8",
    # local mode talks to itself only: bind the driver to the loopback interface
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
}


class Engine(Protocol):
    """What an aggregation needs from an engine."""

    name: str

    def register_parquet(self, name: str, path: Path | str) -> None: ...

    def register_frame(self, name: str, frame: pd.DataFrame) -> None: ...

    def query(self, sql: str) -> pd.DataFrame: ...

    def close(self) -> None: ...


def parquet_source(path: Path | str) -> tuple[Path, bool]:
    """The Parquet file or partitioned folder at ``path`` and whether it is a folder.

    Raises
    ------
    FileNotFoundError
        Neither a file nor a folder holding ``*.parquet`` files.
    """
    path = Path(path)
    if path.is_file():
        return path, False
    if path.is_dir() and next(path.rglob("*.parquet"), None) is not None:
        return path, True
    raise FileNotFoundError(f"Parquet log not found (no file, no folder of *.parquet): {path}")


class DuckDBEngine:
    """Embedded DuckDB: scans Parquet out of core on this machine."""

    name = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection | None = None) -> None:
        self._own = con is None
        self.con = duckdb_connection() if con is None else con

    def register_parquet(self, name: str, path: Path | str) -> None:
        # A relation over the file(s), registered under the view name: no path is written into SQL text,
        # so a folder named with quotes, semicolons or SQL is read as the folder it is. The files of a
        # partitioned folder are listed here (not globbed by DuckDB, where * and ? in a name would match).
        path, folder = parquet_source(path)
        if folder:
            files = sorted(str(p) for p in path.rglob("*.parquet") if p.is_file())
            relation = self.con.read_parquet(files, hive_partitioning=True)
        else:
            relation = self.con.read_parquet(str(path))
        self.con.register(name, relation)

    def register_frame(self, name: str, frame: pd.DataFrame) -> None:
        self.con.register(name, frame)

    def query(self, sql: str) -> pd.DataFrame:
        return self.con.execute(sql).df()

    def close(self) -> None:
        if self._own:
            self.con.close()


def _probe(master: str) -> None:
    """Fail fast (one line) when a cluster address does not accept a TCP connection."""
    url = urlparse(master)
    if url.scheme not in ("spark", "sc"):
        return
    port = url.port or (15002 if url.scheme == "sc" else 7077)
    host = url.hostname or ""
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S):
            pass
    except OSError as error:
        raise EngineUnavailable(
            f"Spark master {master} is unreachable ({host}:{port}: {error.strerror or error}); "
            "check --spark-master and that the cluster is up"
        ) from None


def _java_available() -> bool:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return True
    return shutil.which("java") is not None


class SparkEngine:
    """PySpark: local mode (``local[*]``), a standalone/YARN/k8s master, or Spark Connect (``sc://``)."""

    name = "spark"

    def __init__(self, master: str | None = None, session=None, conf: dict[str, str] | None = None) -> None:
        self.master = master or DEFAULT_SPARK_MASTER
        self._own = session is None
        self.spark = session if session is not None else self._start(self.master, conf or {})

    @staticmethod
    def _start(master: str, conf: dict[str, str]):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)
                from pyspark.sql import SparkSession
        except ImportError:
            raise EngineUnavailable(
                "the Spark engine needs PySpark, which is not installed: "
                "pip install 'epianalysis[spark]' (or use --engine duckdb)"
            ) from None
        _probe(master)
        if master.startswith("sc://"):
            try:
                return SparkSession.builder.remote(master).getOrCreate()
            except ImportError as error:
                raise EngineUnavailable(f"Spark Connect needs pyspark[connect] ({error})") from None
            except Exception as error:  # noqa: BLE001 - any start failure becomes one line
                raise EngineUnavailable(
                    f"cannot connect to Spark Connect at {master}: {str(error).splitlines()[0]}"
                ) from None
        if not _java_available():
            raise EngineUnavailable(
                "the Spark engine needs a Java runtime (Java 17): none found on PATH or in JAVA_HOME"
            )
        builder = SparkSession.builder.master(master).appName("epianalysis")
        settings = dict(SPARK_LOCAL_CONF) if master.startswith("local") else {"spark.ui.enabled": "false"}
        for key, value in (settings | dict(conf)).items():
            builder = builder.config(key, value)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)
                session = builder.getOrCreate()
        except Exception as error:  # noqa: BLE001 - Py4J/JVM start errors are many types
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise EngineUnavailable(f"Spark could not start with master {master}: {first}") from None
        session.sparkContext.setLogLevel("ERROR")
        return session

    def register_parquet(self, name: str, path: Path | str) -> None:
        path, _ = parquet_source(path)
        # a partitioned folder: Spark discovers date=YYYY-MM-DD as a DATE column by itself
        self.spark.read.parquet(str(path)).createOrReplaceTempView(name)

    def register_frame(self, name: str, frame: pd.DataFrame) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            self.spark.createDataFrame(frame.reset_index(drop=True)).createOrReplaceTempView(name)

    def query(self, sql: str) -> pd.DataFrame:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            return self.spark.sql(sql).toPandas()

    def close(self) -> None:
        if self._own:
            self.spark.stop()


def get_engine(name: str = "duckdb", spark_master: str | None = None, *, con=None, session=None) -> Engine:
    """An engine by name.

    Parameters
    ----------
    name : {"duckdb", "spark"}
        Embedded DuckDB (default) or PySpark.
    spark_master : str, optional
        For Spark: ``local[*]`` (default), ``local[N]``, ``spark://host:7077`` (standalone cluster),
        ``yarn``, ``k8s://...``, or a Spark Connect address ``sc://host:15002``.
    con : duckdb.DuckDBPyConnection, optional
        DuckDB connection to use (e.g. with memory or thread limits).
    session : pyspark.sql.SparkSession, optional
        A running Spark session to use (not stopped by ``close``).

    Raises
    ------
    ValueError
        An unknown engine name.
    EngineUnavailable
        Spark cannot start here (the message names what is missing).
    """
    if name == "duckdb":
        return DuckDBEngine(con)
    if name == "spark":
        return SparkEngine(spark_master, session=session)
    raise ValueError(f"unknown engine {name!r}; use one of {', '.join(ENGINES)}")
