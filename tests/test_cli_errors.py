"""Each error of issue 11, tried on the command line: the message names the file's line (the header is
line 1), the column, the value and the rule in words, once, on stderr; and what used to be refused
(region names, 330100.0) is read."""

from __future__ import annotations

import pytest

from epianalysis.cli import main
from epianalysis.data.rulewords import rule_words

HEADER = "date,region_code,confirmed,discharged,deaths\n"


def run_import(tmp_path, text: str | bytes, *options: str) -> int:
    path = tmp_path / "zj.csv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return main(["import", "tidy", str(path), "--out", str(tmp_path / "out"), *options])


@pytest.mark.parametrize("value", ["+12", "1_000", "１２", "0x10", "12.5"])
def test_a_bad_count_names_line_column_value_and_rule_once_on_stderr(tmp_path, capsys, value):
    text = HEADER + "2020-03-01,330000,1205,1050,1\n" + f"2020-03-01,330100,{value},5,0\n"
    assert run_import(tmp_path, text) == 1
    out, err = capsys.readouterr()
    expected = f"zj.csv line 3, column 'confirmed', value '{value}': {rule_words('whole_number')}"
    assert err.count(expected) == 1, err
    assert "not a whole number" in err
    assert err.count("error: zj.csv line") == 1  # the one bad cell, once
    assert out == ""
    assert not (tmp_path / "out").exists()


def test_12_point_0_and_names_and_float_codes_are_read(tmp_path, capsys):
    text = HEADER + "2020-03-01,浙江,1205.0,1050,1\n2020-03-01,杭州,169,164,0\n2020-03-01,330200.0,157,148,0\n"
    text += "2020-03-01,溫州市,504,447,1\n2020-03-01,Jiaxing,45,41,0\n"
    assert run_import(tmp_path, text) == 0
    stored = (tmp_path / "out" / "cases.csv").read_text("utf-8").splitlines()
    assert [line.split(",")[1] for line in stored[1:]] == ["330000", "330100", "330200", "330300", "330400"]
    assert stored[1].split(",")[2] == "1205"
    assert "region names read as codes: 浙江 -> 330000, 杭州 -> 330100, 溫州市 -> 330300, Jiaxing -> 330400" in (
        capsys.readouterr().out
    )


def test_a_missing_column_lists_required_and_present_columns_and_suggests_a_rename(tmp_path, capsys):
    assert run_import(tmp_path, "as_of_date,unit_code,confirmed,discharged,deaths\n2020-03-01,330000,1,1,0\n") == 1
    err = capsys.readouterr().err
    assert "cases requires: date, region_code, confirmed, discharged, deaths" in err
    assert "the file has: as_of_date, unit_code, confirmed, discharged, deaths" in err
    assert "try: --rename as_of_date=date --rename unit_code=region_code" in err
    line = "zj.csv line 1, column 'date': required column missing; try --rename as_of_date=date [column_present]"
    assert err.count(line) == 1
    assert "Index(" not in err


def test_an_unknown_or_ambiguous_name_names_the_line_and_the_candidates(tmp_path, capsys):
    assert run_import(tmp_path, HEADER + "2020-03-01,330000,1,1,0\n2020-03-01,嵊,1,1,0\n") == 1
    err = capsys.readouterr().err
    assert err.count("zj.csv line 3, column 'region_code', value '嵊': names no single region") == 1
    assert "330683 嵊州市" in err and "330922 嵊泗县" in err


def test_a_wrong_encoding_is_named(tmp_path, capsys):
    text = (HEADER + "2020-03-01,杭州,1,1,0\n").encode("gb18030")
    assert run_import(tmp_path, text) == 1
    err = capsys.readouterr().err
    assert "zj.csv line 2" in err and "not UTF-8 text" in err and "--encoding gb18030" in err
    assert run_import(tmp_path, text, "--encoding", "gb18030") == 0


def test_a_semicolon_file_is_read_and_said_so(tmp_path, capsys):
    assert run_import(tmp_path, HEADER.replace(",", ";") + "2020-03-01;330000;1;1;0\n") == 0
    assert "columns separated by ';' (detected)" in capsys.readouterr().out


def test_a_header_only_file_into_a_folder_is_refused_and_keeps_the_rows(tmp_path, capsys):
    assert run_import(tmp_path, HEADER + "2020-03-01,330000,1205,1050,1\n2020-03-02,330000,1213,1086,1\n") == 0
    capsys.readouterr()
    assert run_import(tmp_path, HEADER) == 1
    err = capsys.readouterr().err
    assert err.count("zj.csv line 1: the file has a header but no data rows [has_rows]") == 1
    assert (tmp_path / "out" / "cases.csv").read_text("utf-8").count("\n") == 3


def test_validate_names_lines_and_prints_errors_once_on_stderr(tmp_path, capsys):
    (tmp_path / "cases.csv").write_text(HEADER + "2020-03-01,330000,1,1,0\n2020-03-01,330100,+1,1,0\n", "utf-8")
    assert main(["validate", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert err.count("error: cases.csv line 3, column 'confirmed', value '+1': not a whole number") == 1
    assert "error:" not in out


def test_contracts_prints_every_table_and_one_table(capsys):
    assert main(["contracts"]) == 0
    text = capsys.readouterr().out
    for table in ("cases", "health_codes", "health_code_log", "enterprises", "enterprise_daily", "control", "flow"):
        assert f"\n{table}: " in text
    assert main(["contracts", "cases"]) == 0
    cases = capsys.readouterr().out
    assert "region_code         region  yes" in cases
    assert "whole number (12 or 12.0), at least 0" in cases
    assert "health_codes" not in cases


def test_a_bad_key_cell_is_not_reported_again_as_a_duplicate_key(tmp_path, capsys):
    text = HEADER + "2020-3-1,330000,1,1,0\n2020-3-1,330000,2,1,0\n"
    (tmp_path / "cases.csv").write_text(text, "utf-8")
    assert main(["validate", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("[iso_date]") == 2 and "unique_key" not in err
    assert "cases.csv line 2, column 'date', value '2020-3-1': not a date written YYYY-MM-DD" in err
