"""The streaming, partitioned health-code log writer used at province scale."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from epianalysis.reference.regions import counties
from epianalysis.scenario import health_codes as H
from epianalysis.scenario import partitioned as P

SCALE = 0.001  # about 64,600 residents


def _write(root, window=None, seed=11):
    table = counties().sort_values("code").reset_index(drop=True)
    burden = pd.Series(2.0, index=table["code"])
    return P.write_log_partitioned(root, table, burden, SCALE, np.random.default_rng(seed), window), table


def test_layout_and_rows(tmp_path):
    rows, table = _write(tmp_path / "log", (date(2020, 2, 16), date(2020, 2, 18)))
    days = sorted(p.name for p in (tmp_path / "log").iterdir())
    assert days == ["date=2020-02-16", "date=2020-02-17", "date=2020-02-18"]
    part = pq.read_table(tmp_path / "log" / "date=2020-02-17" / P.PART_FILE)
    assert part.column_names == ["person_id", "region_code", "colour", "reason"]  # date is the folder
    df = part.to_pandas()
    assert df["person_id"].is_unique and df["person_id"].is_monotonic_increasing
    assert set(df["colour"].astype(str)) <= set(H.COLOURS)
    # every resident is simulated: ids run up to the sum of round(population * scale)
    residents = int(np.rint(table["population"].to_numpy(dtype=float) * SCALE).sum())
    assert df["person_id"].max() <= residents
    # codes held on 2020-02-17: calibrated to 14.989 M of 64.6 M residents (23.2 %), +-3 points here
    assert abs(len(df) / residents - 14.989 / 64.6) < 0.03
    assert rows == sum(pq.ParquetFile(p / P.PART_FILE).metadata.num_rows for p in (tmp_path / "log").iterdir())


def test_deterministic_bytes(tmp_path):
    window = (date(2020, 3, 1), date(2020, 3, 2))
    _write(tmp_path / "a", window)
    _write(tmp_path / "b", window)
    for day in ("date=2020-03-01", "date=2020-03-02"):
        assert (tmp_path / "a" / day / P.PART_FILE).read_bytes() == (tmp_path / "b" / day / P.PART_FILE).read_bytes()


def test_colour_rules_hold_across_days(tmp_path):
    _write(tmp_path / "log", (date(2020, 2, 14), date(2020, 3, 20)))
    log = pd.read_parquet(tmp_path / "log")
    log["colour"] = log["colour"].astype(str)
    log["date"] = pd.to_datetime(log["date"].astype(str))
    red = log[log["colour"] == "red"].sort_values(["person_id", "date"])
    # a red code lasts 14 days (docs/methods.md#colour-rules): no run of consecutive red days is longer
    run = red.groupby("person_id")["date"].apply(lambda d: (d.diff().dt.days != 1).cumsum().value_counts().max())
    assert run.max() <= H.RED_DAYS
    released = log[log["reason"].astype(str) == "released"]
    assert (released["colour"] == "green").all() and len(released) > 0
