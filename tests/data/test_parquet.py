"""Contract checks of large Parquet files with DuckDB over the file (epianalysis.data.parquet)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from epianalysis.data.parquet import check_parquet

LOG = "health_code_log.parquet"


def as_tuples(violations):
    return [(v.file, v.row, v.column, v.rule, v.value, v.severity) for v in violations]


def check_log(folder, frame):
    path = folder / LOG
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    return as_tuples(check_parquet(path, "health_code_log", LOG))


def make_log(n: int = 3, **columns) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "person_id": pd.array(range(1, n + 1), dtype="int64"),
            "region_code": ["330782"] * n,
            "date": [date(2020, 2, 17)] * n,
            "colour": ["green"] * n,
            "reason": ["checkin"] * n,
        }
    )
    return frame.assign(**columns)


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
    log.to_parquet(tmp_path / LOG, index=False)
    found = as_tuples(check_parquet(tmp_path / LOG, "health_code_log", LOG))
    f = LOG
    assert sorted(found, key=lambda t: (t[1], t[2], t[3])) == sorted(
        [
            (f, 2, "region_code", "known_county_code", "330100", "error"),
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
    log.to_parquet(tmp_path / LOG, index=False)
    found = check_parquet(tmp_path / LOG, "health_code_log", LOG)
    assert ("health_code_log.parquet", None, "reason", "column_present", "", "error") in as_tuples(found)
    assert ("health_code_log.parquet", 1, "person_id", "dtype('int64')", "x", "error") in as_tuples(found)
    colour = [v for v in found if v.column == "colour"]
    assert len(colour) == 101  # 100 listed rows and one summary
    assert colour[-1].row is None and colour[-1].value == "105 rows in total, first 100 listed"


def test_a_clean_log_gives_nothing(tmp_path):
    assert check_log(tmp_path, make_log()) == []


def test_a_column_without_any_value_counts_as_all_missing(tmp_path):
    # Parquet type null: allowed for the optional `reason`, three not_null rows for `colour`
    found = check_log(tmp_path, make_log(reason=[None] * 3, colour=[None] * 3))
    assert found == [(LOG, row, "colour", "not_null", "", "error") for row in (1, 2, 3)]


def test_values_are_parameters_not_sql_text(tmp_path):
    # a colour holding a quote and SQL is reported as a value, never run
    sneaky = "red') OR ('1'='1"
    found = check_log(tmp_path, make_log(colour=["green", sneaky, "green"]))
    assert found == [(LOG, 2, "colour", "isin(['green', 'yellow', 'red'])", sneaky, "error")]


def test_a_folder_named_with_a_quote_a_semicolon_and_sql_is_read(tmp_path):
    folder = tmp_path / "data'; DROP TABLE x; --"
    folder.mkdir()
    assert check_log(folder, make_log()) == []
    assert check_log(folder, make_log(colour=["green", "green", "purple"])) == [
        (LOG, 3, "colour", "isin(['green', 'yellow', 'red'])", "purple", "error")
    ]


def test_duplicate_keys_are_found_when_the_key_range_is_too_wide_for_a_bitmap(tmp_path):
    # person ids 1 and 10**12: 10**12 possible values, more than a bitmap holds; the exact check decides
    frame = make_log(person_id=pd.array([1, 10**12, 1], dtype="int64"))
    assert check_log(tmp_path, frame) == [
        (LOG, 3, "person_id, date", "unique_key(person_id, date)", "1, 2020-02-17", "error"),
    ]
    assert check_log(tmp_path, make_log(person_id=pd.array([1, 10**12, 2], dtype="int64"))) == []


def test_a_key_unique_over_several_dates_passes(tmp_path):
    # the same people on two days: (person, date) is unique, person alone is not
    frame = make_log(4, person_id=pd.array([1, 2, 1, 2], dtype="int64"))
    frame["date"] = [date(2020, 2, 17), date(2020, 2, 17), date(2020, 2, 18), date(2020, 2, 18)]
    assert check_log(tmp_path, frame) == []


def test_meter_readings_below_zero_break_the_range(tmp_path):
    daily = pd.DataFrame(
        {
            "date": [date(2020, 2, 17)] * 3,
            "enterprise_id": ["E1", "E2", "E3"],
            "kwh": [10.5, -1.0, 0.0],
            "employees_on_site": pd.array([3, 2, -4], dtype="int64"),
        }
    )
    path = tmp_path / "enterprise_daily.parquet"
    daily.to_parquet(path, index=False)
    assert as_tuples(check_parquet(path, "enterprise_daily", path.name)) == [
        (path.name, 2, "kwh", "in_range(0, inf)", "-1.0", "error"),
        (path.name, 3, "employees_on_site", "in_range(0, inf)", "-4", "error"),
    ]


def test_an_unreadable_file_is_one_error(tmp_path):
    path = tmp_path / LOG
    path.write_text("not parquet", "utf-8")
    (found,) = check_parquet(path, "health_code_log", LOG)
    assert (found.file, found.row, found.rule) == (LOG, None, "readable")


def test_repeats_far_into_a_file_are_found_and_counted(tmp_path):
    # 200,000 distinct people, then three rows repeating people 7, 8 and 7 again: the first prefix
    # searched (65,536 rows) holds none of them, so the search has to grow to the end of the file
    n = 200_000
    people = list(range(n)) + [7, 8, 7]
    frame = make_log(len(people), person_id=pd.array(people, dtype="int64"))
    assert check_log(tmp_path, frame) == [
        (LOG, n + 1, "person_id, date", "unique_key(person_id, date)", "7, 2020-02-17", "error"),
        (LOG, n + 2, "person_id, date", "unique_key(person_id, date)", "8, 2020-02-17", "error"),
        (LOG, n + 3, "person_id, date", "unique_key(person_id, date)", "7, 2020-02-17", "error"),
    ]


def test_only_the_first_repeats_are_listed_with_the_count_of_all(tmp_path):
    # 150 people, each twice (rows 1-150 then 151-300): 150 rows repeat an earlier key, 100 are listed
    people = list(range(150)) * 2
    frame = make_log(len(people), person_id=pd.array(people, dtype="int64"))
    found = check_log(tmp_path, frame)
    assert [row for _, row, *_ in found[:-1]] == list(range(151, 251))
    assert found[-1][1] is None and found[-1][4] == "150 rows in total, first 100 listed"


def test_repeats_in_a_partitioned_folder_are_named_by_file_and_row(tmp_path):
    # three date partitions of two people each; the last file repeats person 2 in its second row
    folder = tmp_path / "health_code_log"
    for day, people in [("2020-02-17", [1, 2]), ("2020-02-18", [1, 2]), ("2020-02-19", [2, 2])]:
        part = folder / f"date={day}"
        part.mkdir(parents=True)
        frame = make_log(2, person_id=pd.array(people, dtype="int64")).drop(columns="date")
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), part / "part-0.parquet")
    found = as_tuples(check_parquet(folder, "health_code_log", "health_code_log"))
    assert found == [
        (
            "health_code_log/date=2020-02-19/part-0.parquet",
            2,
            "person_id, date",
            "unique_key(person_id, date)",
            "2, 2020-02-19",
            "error",
        )
    ]
