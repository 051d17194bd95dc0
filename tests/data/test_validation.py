"""Directory validation, cross-row flags and DuckDB checks of Parquet logs (epianalysis.data.validation)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from epianalysis.data.validation import cross_row_flags, validate_directory

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
    # Expected by reading the fixture: no `deaths` column; "abc" in row 2; unknown code 339999 in
    # row 3; rows 4 and 5 share (2020-02-03, 330100); confirmed falls 12 -> 9 in row 6.
    assert as_tuples(found) == [
        ("cases.csv", None, "deaths", "column_present", "", "error"),
        ("cases.csv", 2, "confirmed", "dtype('Int64')", "abc", "error"),
        ("cases.csv", 3, "region_code", "known_region_code", "339999", "error"),
        ("cases.csv", 4, "date, region_code", "unique_key(date, region_code)", "2020-02-03, 330100", "error"),
        ("cases.csv", 5, "date, region_code", "unique_key(date, region_code)", "2020-02-03, 330100", "error"),
        ("cases.csv", 6, "confirmed", "cumulative_decrease", "12 -> 9", "flag"),
    ]


def test_clean_directory_gives_nothing_and_changes_nothing(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "vintages_quzhou", data)
    before = snapshot(data)
    assert validate_directory(data) == []
    assert snapshot(data) == before


def test_vintage_files_are_named_relative_to_the_directory(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "vintages_quzhou", data)
    shutil.copy(FIXTURES / "cases_bad.csv", data / "vintages" / "2020-02-21" / "cases.csv")
    (data / "vintages" / "not-a-date").mkdir()
    found = validate_directory(data)
    assert ("vintages/not-a-date", None, None, "vintage_name_iso_date", "not-a-date", "error") in as_tuples(found)
    assert {v.file for v in found} == {"vintages/not-a-date", "vintages/2020-02-21/cases.csv"}


def test_unknown_table_file_and_bad_source_toml_are_reported(tmp_path):
    (tmp_path / "weather.csv").write_text("date,t\n2020-01-01,3\n", "utf-8")
    (tmp_path / "source.toml").write_text('source = "x"\ndate_shift_days = "minus one"\n', "utf-8")
    found = as_tuples(validate_directory(tmp_path))
    assert ("weather.csv", None, None, "known_table", "weather.csv", "flag") in found
    assert ("source.toml", None, "date_shift_days", "type(int)", "minus one", "error") in found
    assert ("source.toml", None, "citation", "key_present", "", "flag") in found


def test_discharged_above_confirmed_and_subregions_above_parent_are_flags():
    # 2020-03-02: 杭州 169 confirmed, 170 discharged (bulletin). The province row here is made
    # smaller than its two cities on purpose: 169 + 157 = 326 > 300.
    df = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-03-02"] * 3),
            "region_code": ["330000", "330100", "330200"],
            "confirmed": pd.array([300, 169, 157], dtype="Int64"),
            "discharged": pd.array([200, 170, 151], dtype="Int64"),
        }
    )
    flags, masks = cross_row_flags(df, "cases", "cases.csv")
    assert as_tuples(flags) == [
        ("cases.csv", 2, "discharged", "discharged_exceeds_confirmed", "170 > 169", "flag"),
        ("cases.csv", 1, "confirmed", "subregions_exceed_parent", "sum 326 > 300", "flag"),
        ("cases.csv", 1, "discharged", "subregions_exceed_parent", "sum 321 > 200", "flag"),
    ]
    assert masks["discharged_exceeds_confirmed"].tolist() == [False, True, False]
    assert masks["subregions_exceed_parent"].tolist() == [True, False, False]


def test_cumulative_decrease_skips_missing_values_within_a_region():
    df = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-02-17", "2020-02-18", "2020-02-20", "2020-02-17"]),
            "region_code": ["330800", "330800", "330800", "330700"],
            "confirmed": pd.array([21, None, 14, 3], dtype="Int64"),
        }
    )
    flags, _ = cross_row_flags(df, "cases", "cases.csv")
    assert as_tuples(flags) == [("cases.csv", 3, "confirmed", "cumulative_decrease", "21 -> 14", "flag")]


def test_parquet_log_is_checked_with_duckdb(tmp_path):
    log = pd.DataFrame(
        {
            "person_id": pd.array([1, 2, 2, 3, 4], dtype="int64"),
            "region_code": ["330782", "330100", "330782", "330782", "339999"],
            "date": pd.to_datetime(["2020-02-17"] * 5).date,
            "colour": ["green", "red", "red", "blue", None],
            "reason": [None, "contact", "contact", "symptoms", "bored"],
        }
    )
    log.to_parquet(tmp_path / "health_code_log.parquet", index=False)
    found = as_tuples(validate_directory(tmp_path))
    f = "health_code_log.parquet"
    assert sorted(found, key=lambda t: (t[1], t[2], t[3])) == sorted(
        [
            (f, 2, "region_code", "known_county_code", "330100", "error"),
            (f, 2, "person_id, date", "unique_key(person_id, date)", "2, 2020-02-17", "error"),
            (f, 3, "person_id, date", "unique_key(person_id, date)", "2, 2020-02-17", "error"),
            (f, 4, "colour", "isin(['green', 'yellow', 'red'])", "blue", "error"),
            (f, 5, "region_code", "known_county_code", "339999", "error"),
            (f, 5, "colour", "not_null", "", "error"),
            (f, 5, "reason", "isin(['contact', 'arrival', 'symptoms', 'checkin', 'released'])", "bored", "error"),
        ],
        key=lambda t: (t[1], t[2], t[3]),
    )


def test_parquet_missing_column_wrong_type_and_row_limit(tmp_path):
    n = 105
    log = pd.DataFrame(
        {
            "person_id": [str(i) if i else "x" for i in range(n)],  # text ids: castable except "x"
            "region_code": ["330782"] * n,
            "date": ["2020-02-17"] * n,
            "colour": ["purple"] * n,
        }
    )
    log.to_parquet(tmp_path / "health_code_log.parquet", index=False)
    found = validate_directory(tmp_path)
    assert ("health_code_log.parquet", None, "reason", "column_present", "", "error") in as_tuples(found)
    assert ("health_code_log.parquet", 1, "person_id", "dtype('int64')", "x", "error") in as_tuples(found)
    colour = [v for v in found if v.column == "colour"]
    assert len(colour) == 101  # 100 listed rows and one summary
    assert colour[-1].row is None and colour[-1].value == "105 rows in total, first 100 listed"
