"""Shared pytest fixtures."""

from __future__ import annotations

import ast
import os
import shutil
import warnings
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

#: Session fixtures that take long to make (a day's report: about a minute; the Spark session): every
#: test file using one runs in the same test process, so that it is made once (docs/conventions.md#tests).
SHARED_FIXTURES = ("day_report", "spark")


@cache
def _test_file_group(path: Path) -> str:
    """The name of a :data:`SHARED_FIXTURES` fixture a test or fixture of the file at ``path`` takes as an
    argument, else the path (a notebook's is its path)."""
    if path.suffix == ".py" and path.is_file():
        tree = ast.parse(path.read_text("utf-8"))
        taken = {arg.arg for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) for arg in node.args.args}
        for name in SHARED_FIXTURES:
            if name in taken:
                return name
    return str(path)


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist, absent without it
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` (``make test``), with the files using one :data:`SHARED_FIXTURES` fixture as
    one unit: whole files still run in one process each, in order (a notebook's cells in one kernel)."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SharedFixtureScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _test_file_group(config.rootpath / super()._split_scope(nodeid))

    return SharedFixtureScheduling(config, log)


def real_data_path() -> Path:
    """Folder of the real public test data: ``$EPIANALYSIS_REAL_DATA`` if set, else the copy shipped in
    ``examples/real/`` (sources and licences in its README)."""
    env = os.environ.get("EPIANALYSIS_REAL_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1] / "examples" / "real"


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    """The real-data folder; the test is skipped (with the reason) when it is absent."""
    path = real_data_path()
    if not path.is_dir():
        pytest.skip(
            f"real public data folder not found at {path}: it ships in examples/real/; "
            "EPIANALYSIS_REAL_DATA, when set, must name a copy of it"
        )
    return path


@pytest.fixture(scope="session", autouse=True)
def session_cache_dir(tmp_path_factory) -> Iterator[Path]:
    """An empty cache folder of this test session (``EPIANALYSIS_CACHE_DIR``, inherited by the kernels of
    the briefings the tests run): no test reads what the checkout's ``.cache`` or an earlier session kept,
    and nothing is left there. Within the session the tests share it, as the notebooks of a run do; a
    test of the cache itself points the variable to its own folder."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EPIANALYSIS_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session")
def spark():
    """A local[2] SparkSession with small settings, started once and stopped by the test session (shared
    by the Spark tests of every folder: a session takes seconds to start).

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
