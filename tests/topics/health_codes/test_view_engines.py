"""The health-code briefing gives the same summary on DuckDB and Spark, from one file or a partitioned folder."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import pytest

from epianalysis.data.store import DataStore
from epianalysis.engine import get_engine
from epianalysis.reference.regions import counties
from epianalysis.scenario.partitioned import write_log_partitioned
from epianalysis.topics.health_codes import metrics as hc
from epianalysis.topics.health_codes import view as hb

RESIDENTS = 20_000
WINDOW = (dt.date(2020, 2, 11), dt.date(2020, 2, 26))  # codes issued, episodes begun and ended
DATA_DATE = dt.date(2020, 2, 25)  # the day after is in the log: rows after the data date are left out


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """A small scenario log as a date=YYYY-MM-DD/ folder, and the same rows as one Parquet file."""
    folder_dir = tmp_path_factory.mktemp("folder")
    table = counties().sort_values("code").reset_index(drop=True)
    burden = pd.Series(np.linspace(0, 12, len(table)), index=table["code"])
    rng = np.random.default_rng(11)
    write_log_partitioned(folder_dir / "health_code_log", table, burden, RESIDENTS / 64_600_000, rng, WINDOW)
    rows = ds.dataset(folder_dir / "health_code_log", partitioning="hive").to_table().to_pandas()
    rows = rows.astype({"region_code": "str", "colour": "str", "reason": "str"})
    rows["date"] = pd.to_datetime(rows["date"].astype(str)).dt.date
    file_dir = tmp_path_factory.mktemp("file")
    rows.to_parquet(file_dir / "health_code_log.parquet", index=False)
    return DataStore(folder_dir), DataStore(file_dir), rows


def test_summary_is_the_same_from_a_file_and_a_folder_on_duckdb(stores):
    folder, single, rows = stores
    assert folder.log("health_code_log", DATA_DATE).is_dir()
    base = hb.summary(hb.health_code_briefing(folder, DATA_DATE))
    assert hb.summary(hb.health_code_briefing(single, DATA_DATE)) == base
    # counted independently of the engines: the rows of the data date, and the pandas episodes
    today = rows[rows["date"] == DATA_DATE]
    assert base["holders"] == len(today) and base["red"] == int((today["colour"] == "red").sum())
    known = rows[rows["date"] <= DATA_DATE].assign(date=lambda d: pd.to_datetime(d["date"]))
    medians = hc.median_days_to_green(known).set_index("colour")
    assert base["median_days_to_green"]["yellow"] == float(medians.loc["yellow", "median_days"])
    assert base["episodes_finished"]["all"] == int(medians.loc["all", "n_finished"]) > 0


def test_summary_is_the_same_on_spark(spark, stores):
    # the folder on Spark (a file on Spark: tests/engine/test_days_to_green.py, test_spark.py)
    folder, single, _ = stores
    base = hb.summary(hb.health_code_briefing(single, DATA_DATE))
    engine = get_engine("spark", session=spark)
    assert hb.summary(hb.health_code_briefing(folder, DATA_DATE, engine=engine)) == base
