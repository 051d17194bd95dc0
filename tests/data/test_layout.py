"""The layout of a data directory: table files, vintages and source.toml (epianalysis.data.layout)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from epianalysis.data.layout import check_source_toml, read_source_toml, table_files, table_of, vintage_dirs


def test_table_names_come_from_file_names():
    assert table_of(Path("cases.csv")) == "cases"
    assert table_of(Path("health_code_log.parquet")) == "health_code_log"
    assert table_of(Path("notes.txt")) is None


def test_table_files_are_the_csv_and_parquet_files_of_one_folder(tmp_path):
    for name in ("flow.csv", "cases.csv", "health_code_log.parquet", "README.md"):
        (tmp_path / name).write_text("", "utf-8")
    (tmp_path / "vintages").mkdir()
    assert [p.name for p in table_files(tmp_path)] == ["cases.csv", "flow.csv", "health_code_log.parquet"]


def test_vintages_are_dated_folders_in_date_order_and_bad_names_are_reported(tmp_path):
    for name in ("2020-02-21", "2020-02-19", "latest"):
        (tmp_path / "vintages" / name).mkdir(parents=True)
    (tmp_path / "vintages" / "2020-02-20").write_text("a file, not a delivery", "utf-8")
    found, bad = vintage_dirs(tmp_path)
    assert [d for d, _ in found] == [date(2020, 2, 19), date(2020, 2, 21)]
    assert [(v.file, v.rule, v.value) for v in bad] == [("vintages/latest", "vintage_name_iso_date", "latest")]


def test_a_directory_without_vintages_has_none(tmp_path):
    assert vintage_dirs(tmp_path) == ([], [])


def test_source_toml_is_read_and_checked(tmp_path):
    assert read_source_toml(tmp_path) == {} and check_source_toml(tmp_path) == []
    (tmp_path / "source.toml").write_text(
        'source = "JHU CSSE"\ndescription = "d"\ndate_convention = "as of D-1 24:00"\n'
        'date_shift_days = -1\nsynthetic = false\ncitation = "c"\n',
        "utf-8",
    )
    assert read_source_toml(tmp_path)["date_shift_days"] == -1
    assert check_source_toml(tmp_path) == []
    (tmp_path / "source.toml").write_text('source = "x"\nsynthetic = "no"\n', "utf-8")
    found = [(v.column, v.rule, v.severity) for v in check_source_toml(tmp_path)]
    assert ("synthetic", "type(bool)", "error") in found
    assert ("citation", "key_present", "flag") in found
    (tmp_path / "source.toml").write_text("source = \n", "utf-8")
    assert [v.rule for v in check_source_toml(tmp_path)] == ["toml_syntax"]
