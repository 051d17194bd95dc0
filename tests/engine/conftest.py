"""Fixtures of the engine tests: a small local Spark session shared by the Spark tests."""

from __future__ import annotations

import shutil
import warnings

import pytest


@pytest.fixture(scope="session")
def spark():
    """A local[2] SparkSession with small settings, started and stopped by the test session.

    Skipped (with the reason) when PySpark or a Java runtime is missing.
    """
    pytest.importorskip("pyspark", reason="PySpark not installed (pip install 'epianalysis[spark]')")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime on PATH: the Spark tests need Java 17")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        from pyspark.sql import SparkSession

        session = (
            SparkSession.builder.master("local[2]")
            .appName("epianalysis-tests")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.driver.memory", "2g")
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
