"""One gate: a log that `validate` refuses is never aggregated or briefed (duplicates, colours, unreadable files)."""

from __future__ import annotations

import datetime as dt

import pytest
from faults import CLEAN_LOG, health_code_log, run_cli

from epianalysis.data.store import DataStore
from epianalysis.engine import health_code_counts
from epianalysis.errors import DataError


def _write_log(folder, rows):
    folder.mkdir(exist_ok=True)
    path = folder / "health_code_log.parquet"
    health_code_log(rows).to_parquet(path, index=False)
    return path


def test_duplicate_person_days_are_refused_everywhere(tmp_path):
    data = tmp_path / "data"
    _write_log(data, CLEAN_LOG + [CLEAN_LOG[1]])  # person 2 twice on 2020-02-14
    # validate, aggregate and the store (the path of every briefing notebook) refuse it alike
    checked = run_cli("validate", str(data))
    assert checked.returncode == 1 and "unique_key(person_id, date)" in checked.stdout + checked.stderr
    out = tmp_path / "counts.csv"
    aggregated = run_cli("aggregate", "--log", str(data / "health_code_log.parquet"), "--out", str(out))
    assert aggregated.returncode == 1
    assert "health_code_log.parquet" in aggregated.stderr and "unique_key(person_id, date)" in aggregated.stderr
    assert "Traceback" not in aggregated.stderr and not out.exists()
    with pytest.raises(DataError, match="breaks its contract"):
        DataStore(data).log("health_code_log", dt.date(2020, 2, 15))


def test_a_colour_outside_green_yellow_red_is_not_dropped_silently(tmp_path):
    path = _write_log(tmp_path / "data", [*CLEAN_LOG[:4], (3, "330106", "2020-02-15", "blue")])
    with pytest.raises(DataError) as refused:
        health_code_counts(path)
    (violation,) = refused.value.violations
    assert (violation.row, violation.column, violation.value) == (5, "colour", "blue")
    assert violation.rule.startswith("isin")


def test_the_clean_log_is_counted_by_hand(tmp_path):
    counts = health_code_counts(_write_log(tmp_path / "data", CLEAN_LOG))
    by_day = counts.groupby("date")[["green", "yellow", "red", "red_to_green", "yellow_to_green"]].sum()
    # 14 Feb: 1 yellow, 1 red; 15 Feb: persons 1 (yellow -> green) and 3 green, person 2 stays red
    assert by_day.loc["2020-02-14"].tolist() == [0, 1, 1, 0, 0]
    assert by_day.loc["2020-02-15"].tolist() == [2, 0, 1, 0, 1]


def test_a_duplicate_in_a_partitioned_log_names_its_file(tmp_path):
    log = health_code_log(CLEAN_LOG + [CLEAN_LOG[3]])
    for day, part in log.groupby("date"):
        folder = tmp_path / "parts" / f"date={day.isoformat()}"
        folder.mkdir(parents=True)
        part.drop(columns="date").to_parquet(folder / "part-0.parquet", index=False)
    with pytest.raises(DataError) as refused:
        health_code_counts(tmp_path / "parts")
    files = {v.file for v in refused.value.violations}
    assert files == {"parts/date=2020-02-15/part-0.parquet"}


def test_a_truncated_parquet_is_exit_1_with_its_name(tmp_path):
    path = _write_log(tmp_path / "data", CLEAN_LOG)
    path.write_bytes(path.read_bytes()[:200])
    result = run_cli("aggregate", "--log", str(path), "--out", str(tmp_path / "out.csv"))
    assert result.returncode == 1 and "health_code_log.parquet" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) <= 3


def test_an_unreadable_register_is_exit_1_with_its_name(tmp_path):
    daily = tmp_path / "enterprise_daily.parquet"
    import pandas as pd

    pd.DataFrame(
        {"date": [dt.date(2020, 2, 1)], "enterprise_id": ["E1"], "kwh": [1.0], "employees_on_site": [1]}
    ).to_parquet(daily, index=False)
    register = tmp_path / "enterprises.csv"
    register.write_bytes(b"enterprise_id,region_code\n\xff\xfe\x00bad\n")
    result = run_cli(
        "aggregate", "--table", "capacity", "--daily", str(daily), "--enterprises", str(register), "--out", "x.csv"
    )
    assert result.returncode == 1, result.stderr
    assert "enterprises.csv" in result.stderr and "Traceback" not in result.stderr
