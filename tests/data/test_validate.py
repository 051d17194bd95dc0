"""Validation of a whole data directory (epianalysis.data.validate): every file checked, nothing changed."""

from __future__ import annotations

import shutil
from pathlib import Path

from epianalysis.data.validate import validate_directory

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def as_tuples(violations):
    return [(v.file, v.row, v.column, v.rule, v.value, v.severity) for v in violations]


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_one_bad_file_gives_all_five_problems_at_once(tmp_path):
    shutil.copy(FIXTURES / "cases_bad.csv", tmp_path / "cases.csv")
    found = validate_directory(tmp_path)
    # Expected by reading the fixture (lines of the file, the header is line 1): no `deaths` column;
    # "abc" on line 3; unknown code 339999 on line 4; line 6 repeats the (2020-02-03, 330100) of line 5;
    # confirmed falls 12 -> 9 on line 7; cities without the province row (first date on line 2).
    assert as_tuples(found) == [
        ("cases.csv", None, "deaths", "column_present", "", "error"),
        ("cases.csv", 3, "confirmed", "whole_number", "abc", "error"),
        ("cases.csv", 4, "region_code", "known_region_code", "339999", "error"),
        ("cases.csv", 6, "date, region_code", "unique_key(date, region_code)", "2020-02-03, 330100", "error"),
        ("cases.csv", 7, "confirmed", "cumulative_decrease", "12 -> 9", "flag"),
        ("cases.csv", 2, "region_code", "no_province_row", "", "flag"),
    ]


def test_clean_directory_gives_nothing_and_changes_nothing(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "vintages_quzhou", data)
    before = snapshot(data)
    # 衢州 alone: no error; each delivery is flagged for the province row it lacks
    found = validate_directory(data)
    assert [(v.file, v.rule, v.severity) for v in found] == [
        ("vintages/2020-02-20/cases.csv", "no_province_row", "flag"),
        ("vintages/2020-02-21/cases.csv", "no_province_row", "flag"),
    ]
    assert snapshot(data) == before


def test_vintage_files_are_named_relative_to_the_directory(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "vintages_quzhou", data)
    shutil.copy(FIXTURES / "cases_bad.csv", data / "vintages" / "2020-02-21" / "cases.csv")
    (data / "vintages" / "not-a-date").mkdir()
    found = validate_directory(data)
    assert ("vintages/not-a-date", None, None, "vintage_name_iso_date", "not-a-date", "error") in as_tuples(found)
    assert {v.file for v in found if v.rule != "no_province_row"} == {
        "vintages/not-a-date",
        "vintages/2020-02-21/cases.csv",
    }


def test_unknown_table_file_and_bad_source_toml_are_reported(tmp_path):
    (tmp_path / "weather.csv").write_text("date,t\n2020-01-01,3\n", "utf-8")
    (tmp_path / "source.toml").write_text('source = "x"\ndate_shift_days = "minus one"\n', "utf-8")
    found = as_tuples(validate_directory(tmp_path))
    assert ("weather.csv", None, None, "known_table", "weather.csv", "flag") in found
    assert ("source.toml", None, "date_shift_days", "type(int)", "minus one", "error") in found
    assert ("source.toml", None, "citation", "key_present", "", "flag") in found
