"""Import of tidy CSVs (epianalysis.sources.tidy), with the real official bulletins."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from epianalysis.data.store import DataStore, load
from epianalysis.errors import DataError
from epianalysis.sources.tidy import import_tidy

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BULLETIN_RENAMES = {"as_of_date": "date", "unit_code": "region_code"}


def at(df: pd.DataFrame, code: str, day: str, column: str):
    row = df[(df["region_code"] == code) & (df["date"] == pd.Timestamp(day))]
    assert len(row) == 1, (code, day)
    return row[column].iloc[0]


@pytest.fixture(scope="module")
def bulletins(real_data_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("bulletins")
    report = import_tidy(real_data_dir / "zhejiang_official_bulletins.csv", BULLETIN_RENAMES, out)
    return out, report


def test_bulletins_press_conference_figures(bulletins):
    out, _ = bulletins
    df = load(out, "cases", as_of=date(2020, 3, 1))
    # Press conferences of 2020-02-28 (943/1205 = 78.26 %) and 2020-03-02 (1050/1205 = 87.1 %).
    assert at(df, "330000", "2020-03-01", "confirmed") == 1205
    assert at(df, "330000", "2020-03-01", "discharged") == 1050
    assert at(df, "330000", "2020-02-27", "discharged") == 943
    assert df["date"].max() == pd.Timestamp("2020-03-01")


def test_hangzhou_discharged_above_confirmed_is_flagged_not_dropped(bulletins):
    out, report = bulletins
    df = load(out, "cases")
    assert at(df, "330100", "2020-03-02", "discharged") == 170
    assert at(df, "330100", "2020-03-02", "confirmed") == 169
    assert bool(at(df, "330100", "2020-03-02", "discharged_exceeds_confirmed")) is True
    assert int(df["discharged_exceeds_confirmed"].sum()) == 1
    # In the report the flag names the line of the file (the header is line 1).
    assert ("zhejiang_official_bulletins.csv", 266, "discharged_exceeds_confirmed", "170 > 169") in {
        (f.file, f.row, f.rule, f.value) for f in report.flags
    }


def test_quzhou_revision_of_20_february_is_a_flagged_decrease(bulletins):
    out, _ = bulletins
    df = load(out, "cases")
    assert at(df, "330800", "2020-02-17", "confirmed") == 21
    assert at(df, "330800", "2020-02-20", "confirmed") == 14  # 核减7例
    assert bool(at(df, "330800", "2020-02-20", "cumulative_decrease")) is True


def test_prison_cluster_rows_are_kept_aside_and_reported(bulletins):
    out, report = bulletins
    unplaced = load(out, "cases_unplaced")
    assert unplaced["date"].dt.strftime("%Y-%m-%d").tolist() == ["2020-02-20", "2020-02-21", "2020-03-01", "2020-03-02"]
    assert unplaced["confirmed"].tolist() == [34, 36, 36, 36]
    assert set(unplaced["unit_zh"]) == {"省十里丰监狱"}
    assert unplaced["region_code"].isna().all()
    unplaced_flags = [f for f in report.flags if f.rule == "unplaced"]
    assert len(unplaced_flags) == 4
    assert (unplaced_flags[0].row, unplaced_flags[0].value) == (236, "省十里丰监狱")
    assert "kept, not placed in a region" in str(unplaced_flags[0])
    # Cities plus the prison give the province total (bulletin of 1 Mar: 1169 + 36 = 1205).
    cases = load(out, "cases", as_of="2020-03-01")
    cities = cases[(cases["date"] == pd.Timestamp("2020-03-01")) & (cases["level"] == "prefecture")]
    assert int(cities["confirmed"].sum()) + 36 == 1205


def test_agreeing_duplicate_province_rows_are_merged(bulletins):
    out, report = bulletins
    df = load(out, "cases")
    assert len(df[(df["region_code"] == "330000") & (df["date"] == pd.Timestamp("2020-02-01"))]) == 1
    # One channel gives severe 52 / critical 12, the other leaves them out: merged, not conflicting.
    assert at(df, "330000", "2020-02-01", "severe") == 52
    assert at(df, "330000", "2020-02-01", "critical") == 12
    assert " | " in at(df, "330000", "2020-02-01", "source_url")
    merged = {(f.row, f.value, f.detail) for f in report.flags if f.rule == "duplicate_merged"}
    assert (127, "2020-02-01, 330000", "lines 127, 128") in merged


def test_region_codes_stay_six_digit_strings_and_source_toml_records_convention(bulletins):
    out, report = bulletins
    text = (out / "cases.csv").read_text("utf-8")
    assert "330100.0" not in text
    assert set(load(out, "cases")["region_code"]) == {
        "330000",
        "330100",
        "330200",
        "330300",
        "330400",
        "330500",
        "330600",
        "330700",
        "330800",
        "330900",
        "331000",
        "331100",
    }
    meta = DataStore(out).metadata()
    assert meta["date_shift_days"] == 0
    assert meta["synthetic"] is False
    assert report.regions == 12
    assert (report.first_date, report.last_date) == (date(2020, 1, 21), date(2020, 4, 2))


def test_small_file_as_a_vintage(tmp_path):
    report = import_tidy(FIXTURES / "tidy_small.csv", BULLETIN_RENAMES, tmp_path, vintage=date(2020, 2, 22))
    assert (tmp_path / "vintages" / "2020-02-22" / "cases.csv").is_file()
    assert (tmp_path / "vintages" / "2020-02-22" / "cases_unplaced.csv").is_file()
    assert report.rows == 4  # 6 rows: 1 merged duplicate, 1 unplaced
    assert sorted((f.rule, f.row) for f in report.flags) == [("duplicate_merged", 2), ("unplaced", 5)]
    df = load(tmp_path, "cases", as_of="2020-02-22")
    assert at(df, "330000", "2020-02-20", "severe") == 49
    assert at(df, "330000", "2020-02-20", "note") == "channel A | channel B"
    assert "level" in df.columns


def test_conflicting_duplicates_are_errors_and_nothing_is_written(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(DataError) as err:
        import_tidy(FIXTURES / "tidy_conflict.csv", BULLETIN_RENAMES, out)
    assert [(v.row, v.column, v.rule, v.value) for v in err.value.violations] == [
        (2, "confirmed", "conflicting_duplicate", "100 | 101"),
        (3, "confirmed", "conflicting_duplicate", "100 | 101"),
    ]
    assert not out.exists()


def test_bad_renames_and_bad_values_are_all_reported(tmp_path):
    with pytest.raises(DataError) as err:
        import_tidy(FIXTURES / "cases_bad.csv", {"as_of": "date"}, tmp_path / "out")
    found = [(v.row, v.column, v.rule) for v in err.value.violations]
    # lines of the file: the header is line 1
    assert (1, "as_of", "rename_source_present") in found
    assert (1, "deaths", "column_present") in found
    assert (3, "confirmed", "whole_number") in found
    assert (4, "region_code", "known_region_code") in found
    assert not (tmp_path / "out").exists()


def test_imported_bulletins_validate_with_flags_only(bulletins):
    from epianalysis.data.validate import validate_directory

    out, _ = bulletins
    found = validate_directory(out)
    assert [v for v in found if v.severity == "error"] == []
    # Rows are those of the stored cases.csv (sorted by date, region): 衢州's fall and 杭州's ratio.
    assert sorted((v.file, v.rule, v.value) for v in found) == [
        ("cases.csv", "cumulative_decrease", "21 -> 14"),
        ("cases.csv", "discharged_exceeds_confirmed", "170 > 169"),
    ]


def test_report_summary_names_counts_and_flags(tmp_path):
    report = import_tidy(FIXTURES / "tidy_small.csv", BULLETIN_RENAMES, tmp_path)
    lines = report.summary().splitlines()
    assert lines[0] == f"cases: 4 rows, 2 regions, 2020-02-20 .. 2020-02-21 -> {tmp_path}"
    assert lines[1] == "flags (2): duplicate_merged 1, unplaced 1"  # the province row is there
    assert any(line.startswith("note: 1 rows without a region kept in cases_unplaced.csv") for line in lines)
