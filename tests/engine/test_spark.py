"""DuckDB and Spark run the same SQL and give the same tables, row for row."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from epianalysis.engine import capacity_by_county, get_engine, health_code_counts
from epianalysis.engine.health_codes_pandas import aggregate_health_codes_pandas
from epianalysis.paths import sample_dir
from epianalysis.reference.regions import counties
from epianalysis.scenario import partitioned as P

RESIDENTS = 1_000_000
PROVINCE_RESIDENTS = 64_600_000
WINDOW = (date(2020, 2, 14), date(2020, 2, 20))  # codes issued everywhere, many transitions


@pytest.fixture(scope="module")
def million_log(tmp_path_factory):
    """A 1 M-resident partitioned log over a week (about 2.5 M person-days), written once."""
    root = tmp_path_factory.mktemp("million") / "health_code_log"
    table = counties().sort_values("code").reset_index(drop=True)
    burden = pd.Series(np.linspace(0, 12, len(table)), index=table["code"])
    scale = RESIDENTS / PROVINCE_RESIDENTS
    rows = P.write_log_partitioned(root, table, burden, scale, np.random.default_rng(7), WINDOW)
    return root, rows


def _engines(spark):
    return get_engine("duckdb"), get_engine("spark", session=spark)


def test_health_codes_identical_on_a_million_residents(spark, million_log):
    root, rows = million_log
    duck, spk = _engines(spark)
    a = health_code_counts(root, duck)
    b = health_code_counts(root, spk)
    assert rows > 1_000_000
    assert int(a[["green", "yellow", "red"]].to_numpy().sum()) == rows  # every row counted once
    assert a["date"].dt.date.min() == WINDOW[0] and a["date"].dt.date.max() == WINDOW[1]
    pd.testing.assert_frame_equal(a, b)
    # and an implementation that shares no code with the SQL agrees too
    log = pd.read_parquet(root)
    log["date"] = pd.to_datetime(log["date"].astype(str))
    ref = aggregate_health_codes_pandas(log)
    pd.testing.assert_frame_equal(a, ref.astype({"date": "datetime64[us]"}), check_dtype=False)
    assert int(a["red_to_green"].sum()) + int(a["yellow_to_green"].sum()) > 0  # transitions exercised


def test_health_codes_identical_on_the_embedded_scenario(spark):
    log = sample_dir() / "health_code_log.parquet"
    if not log.is_file():
        pytest.skip(f"embedded scenario not generated ({log}); run `epianalysis scenario`")
    duck, spk = _engines(spark)
    a = health_code_counts(log, duck)
    b = health_code_counts(log, spk)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) > 90 * 60


def test_capacity_identical_on_the_embedded_scenario(spark):
    folder = sample_dir()
    if not (folder / "enterprise_daily.parquet").is_file():
        pytest.skip(f"embedded scenario not generated ({folder}); run `epianalysis scenario`")
    register = pd.read_csv(folder / "enterprises.csv", dtype={"enterprise_id": str, "region_code": str})
    duck, spk = _engines(spark)
    a = capacity_by_county(register, folder / "enterprise_daily.parquet", duck)
    b = capacity_by_county(register, folder / "enterprise_daily.parquet", spk)
    exact = [
        "date",
        "region_code",
        "n_enterprises",
        "n_known",
        "n_resumed",
        "employees",
        "employees_on_site",
        "resumption_rate_pct",
        "worker_return_pct",
    ]
    pd.testing.assert_frame_equal(a[exact], b[exact])
    # float sums: the engines add in different orders; equal to 1e-12 relative
    for column in ["kwh", "baseline_kwh", "capacity_recovery_index"]:
        np.testing.assert_allclose(a[column].astype(float), b[column].astype(float), rtol=1e-12)
