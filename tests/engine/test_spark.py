"""DuckDB and Spark run the same SQL and give the same tables, row for row."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
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


@pytest.fixture(scope="module")
def embedded_slice(tmp_path_factory):
    """The embedded scenario's first week of health codes (Hangzhou's codes from
    11 February, every county's from the 14th) and a tenth of its enterprises over all their days, as
    Parquet files: the whole log (34 M rows) takes Spark half a minute on two cores; the engines are
    compared at province scale by benchmarks/bench_province_brief.py."""
    folder = sample_dir()
    if not (folder / "health_code_log.parquet").is_file():
        pytest.skip(f"embedded scenario not generated ({folder}); run `epianalysis scenario`")
    out = tmp_path_factory.mktemp("embedded")
    week = pq.read_table(folder / "health_code_log.parquet", filters=[("date", "<=", date(2020, 2, 17))])
    pq.write_table(week, out / "health_code_log.parquet")
    register = pd.read_csv(folder / "enterprises.csv", dtype={"enterprise_id": str, "region_code": str})
    register = register.iloc[::10].reset_index(drop=True)
    readings = pq.read_table(
        folder / "enterprise_daily.parquet", filters=[("enterprise_id", "in", register["enterprise_id"].tolist())]
    )
    pq.write_table(readings, out / "enterprise_daily.parquet")
    return out, register, week.num_rows


def test_health_codes_identical_on_the_embedded_scenario(spark, embedded_slice):
    folder, _, rows = embedded_slice
    duck, spk = _engines(spark)
    a = health_code_counts(folder / "health_code_log.parquet", duck)
    b = health_code_counts(folder / "health_code_log.parquet", spk)
    pd.testing.assert_frame_equal(a, b)
    assert rows > 100_000 and int(a[["green", "yellow", "red"]].to_numpy().sum()) == rows  # each row once
    assert a["date"].dt.date.min() == date(2020, 2, 11) and a["date"].dt.date.max() == date(2020, 2, 17)
    assert a["region_code"].nunique() == 90


def test_capacity_identical_on_the_embedded_scenario(spark, embedded_slice):
    folder, register, _ = embedded_slice
    duck, spk = _engines(spark)
    a = capacity_by_county(register, folder / "enterprise_daily.parquet", duck)
    b = capacity_by_county(register, folder / "enterprise_daily.parquet", spk)
    assert len(a) > 0 and int(a["n_enterprises"].max()) > 0
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
