"""A large table stored as a folder partitioned by day (``health_code_log/date=YYYY-MM-DD/*.parquet``):
seen by the store, ``validate`` and the report digests like a file (docs/data.md#large-logs)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from epianalysis.data.digest import table_digest
from epianalysis.data.layout import is_table_folder, table_files, table_of
from epianalysis.data.store import DataStore
from epianalysis.data.validate import validate_directory
from epianalysis.errors import DataError


def write_partition(root: Path, day: str, colours: list[str], first_person: int = 1) -> Path:
    """One day of a partitioned log: the date is the folder's name, not a column of the file."""
    folder = root / "health_code_log" / f"date={day}"
    folder.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(
        {
            "person_id": pd.array(range(first_person, first_person + len(colours)), dtype="int64"),
            "region_code": ["330782"] * len(colours),
            "colour": colours,
            "reason": ["checkin"] * len(colours),
        }
    )
    path = folder / "part-00000.parquet"
    frame.to_parquet(path, index=False)
    return path


def test_a_partitioned_log_folder_is_a_table_of_the_store(tmp_path):
    write_partition(tmp_path, "2020-02-17", ["green", "yellow"])
    write_partition(tmp_path, "2020-02-18", ["green", "green"])
    (tmp_path / "notes").mkdir()  # any other folder is not a table
    pd.DataFrame({"a": [1]}).to_csv(tmp_path / "cases.csv", index=False)
    store = DataStore(tmp_path)
    assert store.tables() == ["cases", "health_code_log"]
    assert store.log("health_code_log", "2020-02-18") == tmp_path / "health_code_log"
    assert is_table_folder(tmp_path / "health_code_log") and not is_table_folder(tmp_path / "notes")
    assert table_of(tmp_path / "health_code_log") == "health_code_log" and table_of(tmp_path / "notes") is None
    assert [p.name for p in table_files(tmp_path)] == ["cases.csv", "health_code_log"]


def test_a_folder_named_after_a_small_table_is_not_a_table(tmp_path):
    (tmp_path / "cases" / "date=2020-02-17").mkdir(parents=True)
    assert DataStore(tmp_path).tables() == []
    assert validate_directory(tmp_path) == []


def test_a_partitioned_log_in_a_vintage(tmp_path):
    write_partition(tmp_path / "vintages" / "2020-02-20", "2020-02-19", ["green", "red"])
    store = DataStore(tmp_path)
    assert store.tables(as_of="2020-02-20") == ["health_code_log"]
    assert store.tables(as_of="2020-02-19") == []
    assert store.log("health_code_log", "2020-02-20") == tmp_path / "vintages" / "2020-02-20" / "health_code_log"


def test_a_bad_row_is_named_by_its_partition_file_and_row_in_the_store_and_validate(tmp_path):
    write_partition(tmp_path, "2020-02-17", ["green", "yellow"])
    write_partition(tmp_path, "2020-02-18", ["green", "purple", "red"])
    expected = (
        "health_code_log/date=2020-02-18/part-00000.parquet",
        2,
        "colour",
        "isin(['green', 'yellow', 'red'])",
        "purple",
    )
    with pytest.raises(DataError) as refused:
        DataStore(tmp_path).log("health_code_log", "2020-02-18")
    assert [(v.file, v.row, v.column, v.rule, v.value) for v in refused.value.violations] == [expected]
    found = validate_directory(tmp_path)
    assert [(v.file, v.row, v.column, v.rule, v.value) for v in found] == [expected]


def test_a_repeated_person_day_across_files_of_one_partition_is_an_error(tmp_path):
    write_partition(tmp_path, "2020-02-17", ["green", "yellow"])
    extra = tmp_path / "health_code_log" / "date=2020-02-17" / "part-00001.parquet"
    pd.read_parquet(write_partition(tmp_path, "2020-02-17", ["green", "yellow"])).head(1).to_parquet(extra)
    found = validate_directory(tmp_path)
    assert [(v.file, v.row, v.rule) for v in found] == [
        ("health_code_log/date=2020-02-17/part-00001.parquet", 1, "unique_key(person_id, date)")
    ]


def test_a_file_and_a_folder_of_the_same_table_is_an_error_in_words(tmp_path):
    write_partition(tmp_path, "2020-02-17", ["green", "yellow"])
    frame = pd.read_parquet(tmp_path / "health_code_log").astype({"date": "str"})
    frame.assign(date=pd.to_datetime(frame["date"]).dt.date).to_parquet(tmp_path / "health_code_log.parquet")
    with pytest.raises(DataError) as twice:
        DataStore(tmp_path).log("health_code_log", "2020-02-17")
    message = str(twice.value)
    assert "health_code_log stored twice" in message
    assert "a parquet file and a partitioned folder" in message
    assert sorted((v.file, v.rule) for v in twice.value.violations) == [
        ("health_code_log", "one_file_per_table"),
        ("health_code_log.parquet", "one_file_per_table"),
    ]
    refused = [v for v in validate_directory(tmp_path) if v.rule == "one_file_per_table"]
    assert sorted((v.file, v.severity) for v in refused) == [
        ("health_code_log", "error"),
        ("health_code_log.parquet", "error"),
    ]
    assert "also stored as health_code_log/" in [v.value for v in refused if v.file.endswith(".parquet")][0]


def test_a_root_log_folder_beside_vintages_breaks_the_one_layout_rule(tmp_path):
    write_partition(tmp_path, "2020-02-17", ["green"])
    (tmp_path / "vintages" / "2020-02-18").mkdir(parents=True)
    with pytest.raises(DataError) as mixed:
        DataStore(tmp_path).tables()
    assert [(v.file, v.rule) for v in mixed.value.violations] == [("health_code_log", "one_layout")]


def test_the_digest_of_a_folder_counts_the_rows_dated_up_to_the_data_date(tmp_path):
    write_partition(tmp_path, "2020-02-17", ["green", "yellow"])
    write_partition(tmp_path, "2020-02-18", ["green", "green", "red"])
    before = table_digest(tmp_path, "health_code_log", date(2020, 2, 17))
    assert before["rows"] == 2 and before["files"] == ["health_code_log"]
    assert table_digest(tmp_path, "health_code_log", date(2020, 2, 18))["rows"] == 5
    write_partition(tmp_path, "2020-02-19", ["red"])  # a later day: the earlier digest is unchanged
    assert table_digest(tmp_path, "health_code_log", date(2020, 2, 17)) == before
    write_partition(tmp_path, "2020-02-17", ["green", "red"])  # a changed row of that day changes it
    assert table_digest(tmp_path, "health_code_log", date(2020, 2, 17))["sha256"] != before["sha256"]


def test_enterprise_readings_load_the_same_from_a_partitioned_folder_as_from_a_file(tmp_path):
    """The capacity briefing loads ``enterprise_daily`` through the store: a folder partitioned by day
    gives the rows of the single file, the date taken from each partition's name."""
    rows = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-02-17", "2020-02-17", "2020-02-18", "2020-02-18"]),
            "enterprise_id": ["E00001", "E00002", "E00001", "E00002"],
            "kwh": [1200.5, 800.0, 1300.25, 0.0],
            "employees_on_site": pd.array([12, 8, 13, 0], dtype="int64"),
        }
    )
    single, parted = tmp_path / "single", tmp_path / "parted"
    single.mkdir()
    rows.to_parquet(single / "enterprise_daily.parquet", index=False)
    for day, part in rows.groupby(rows["date"].dt.strftime("%Y-%m-%d")):
        folder = parted / "enterprise_daily" / f"date={day}"
        folder.mkdir(parents=True)
        part.drop(columns="date").to_parquet(folder / "part-00000.parquet", index=False)
    columns = ["date", "enterprise_id", "kwh", "employees_on_site"]
    from_file = DataStore(single).load("enterprise_daily", "2020-02-18")[columns]
    from_folder = DataStore(parted).load("enterprise_daily", "2020-02-18")[columns]
    assert len(from_folder) == 4
    assert from_folder["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2020-02-17",
        "2020-02-17",
        "2020-02-18",
        "2020-02-18",
    ]
    assert from_folder["kwh"].tolist() == [1200.5, 800.0, 1300.25, 0.0]
    pd.testing.assert_frame_equal(from_folder.reset_index(drop=True), from_file.reset_index(drop=True))


def test_writing_a_table_beside_its_partitioned_folder_is_refused(tmp_path):
    write_partition(tmp_path, "2020-02-17", ["green", "yellow"])
    frame = pd.DataFrame(
        {
            "person_id": pd.array([1], dtype="int64"),
            "region_code": ["330782"],
            "date": pd.to_datetime(["2020-02-18"]),
            "colour": ["green"],
            "reason": ["checkin"],
        }
    )
    with pytest.raises(DataError, match="already stored as a partitioned folder") as caught:
        DataStore(tmp_path).write("health_code_log", frame)
    assert caught.value.violations[0].rule == "one_file_per_table"
    assert not (tmp_path / "health_code_log.parquet").exists()
