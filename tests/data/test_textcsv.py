"""Reading a CSV as text with the file's line numbers, and errors that name the line
(epianalysis.data.textcsv, epianalysis.data.cells, epianalysis.data.rulewords)."""

from __future__ import annotations

import pandas as pd
import pytest

from epianalysis.data.cells import check_cells
from epianalysis.data.contracts import table_spec
from epianalysis.data.rulewords import rule_words
from epianalysis.data.textcsv import read_csv_text
from epianalysis.errors import DataError, Violation


def write(tmp_path, text: str | bytes, name: str = "f.csv"):
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


def test_lines_are_the_files_lines_with_quoted_line_breaks_and_blank_lines(tmp_path):
    path = write(tmp_path, 'date,note\n2020-03-01,"two\nlines"\n\n2020-03-02,x\r\n2020-03-03,\n')
    text = read_csv_text(path)
    assert text.lines.tolist() == [2, 5, 6]
    assert text.frame["note"].tolist()[:2] == ["two\nlines", "x"]
    assert pd.isna(text.frame["note"].iloc[2])  # an empty cell is missing


def test_a_byte_order_mark_is_dropped_and_codes_keep_their_digits(tmp_path):
    path = write(tmp_path, "\ufeffregion_code,n\n330100.0,012\n")
    frame = read_csv_text(path).frame
    assert list(frame.columns) == ["region_code", "n"]
    assert frame.iloc[0].tolist() == ["330100.0", "012"]


def test_gb18030_bytes_are_named_with_their_line_and_the_encoding_they_read_as(tmp_path):
    path = write(tmp_path, "date,region_code\n2020-03-01,杭州\n".encode("gb18030"))
    with pytest.raises(DataError) as err:
        read_csv_text(path)
    (v,) = err.value.violations
    assert (v.row, v.rule) == (2, "utf8")
    assert "GB18030" in v.detail and "--encoding gb18030" in v.detail
    assert read_csv_text(path, encoding="gb18030").frame["region_code"].tolist() == ["杭州"]


def test_another_separator_is_named_or_detected(tmp_path):
    path = write(tmp_path, "date;region_code\n2020-03-01;330100\n")
    with pytest.raises(DataError) as err:
        read_csv_text(path)
    (v,) = err.value.violations
    assert (v.row, v.rule) == (1, "delimiter") and "';'" in v.detail
    text = read_csv_text(path, detect_delimiter=True)
    assert text.frame.iloc[0].tolist() == ["2020-03-01", "330100"]
    assert text.notes == ["columns separated by ';' (detected)"]


def test_ragged_rows_and_bad_headers(tmp_path):
    path = write(tmp_path, "a,b,a,\n1,2,3,\n1,2,3,4,5\n1\n")
    with pytest.raises(DataError) as err:
        read_csv_text(path)
    assert [(v.row, v.column, v.rule, v.value) for v in err.value.violations] == [
        (1, "a", "unique_column_name", "a"),
        (3, None, "field_count", "5"),
        (3, None, "column_named", "column 4"),
    ]
    ok = read_csv_text(write(tmp_path, "a,b,\n1,2,\n3\n", "ok.csv"))  # trailing commas, a short row
    assert list(ok.frame.columns) == ["a", "b"]
    assert ok.frame["a"].tolist() == ["1", "3"] and pd.isna(ok.frame["b"].iloc[1])


def test_an_empty_file_and_a_header_only_file(tmp_path):
    with pytest.raises(DataError) as err:
        read_csv_text(write(tmp_path, ""))
    assert err.value.violations[0].rule == "header_present"
    assert read_csv_text(write(tmp_path, "date,x\n", "h.csv")).frame.empty


@pytest.mark.parametrize(
    ("value", "rule"),
    [("+12", "whole_number"), ("1_000", "whole_number"), ("１２", "whole_number"), ("0x10", "whole_number")]
    + [("12.5", "whole_number"), (" 12", "whole_number"), ("1,000", "whole_number"), ("abc", "whole_number")],
)
def test_counts_accept_plain_integers_only(value, rule):
    df = pd.DataFrame({"confirmed": [value]}, dtype="str")
    out, found = check_cells(df, table_spec("cases"), "f.csv", pd.Series([7]))
    assert [(v.row, v.column, v.rule, v.value) for v in found] == [(7, "confirmed", rule, value)]
    assert pd.isna(out["confirmed"].iloc[0])


def test_plain_counts_codes_with_a_trailing_zero_and_dates_are_read():
    df = pd.DataFrame(
        {"date": ["2020-03-01", "2020-02-30"], "region_code": ["330100.0", "330100"], "confirmed": ["12.0", "-3"]},
        dtype="str",
    )
    out, found = check_cells(df, table_spec("cases"), "f.csv", pd.Series([2, 3]))
    assert out["region_code"].tolist() == ["330100", "330100"]
    assert out["confirmed"].tolist() == ["12", "-3"]  # -3 is a whole number: the range rule reports it
    assert [(v.row, v.rule, v.value) for v in found] == [(3, "calendar_date", "2020-02-30")]


def test_rules_in_words():
    assert rule_words("whole_number").startswith("not a whole number")
    assert rule_words("in_range(0, inf)") == "below 0"
    assert rule_words("in_range(0, 100)") == "not between 0 and 100"
    assert rule_words("isin(['green', 'yellow', 'red'])") == "not one of: green, yellow, red"
    assert rule_words("unique_key(date, region_code)") == "repeats the date, region_code of an earlier row"
    assert rule_words("dtype('Int64')") == "not a whole number"
    assert rule_words("some_new_rule") == "some new rule"


def test_a_violation_names_file_line_column_value_and_rule_in_words():
    v = Violation("cases.csv", 3, "confirmed", "whole_number", "+12")
    assert str(v) == (
        f"error: cases.csv line 3, column 'confirmed', value '+12': {rule_words('whole_number')} [whole_number]"
    )
    assert str(Violation("log.parquet", 3, "colour", "not_null")).startswith("error: log.parquet row 3,")
    assert str(Violation("x.csv", None, None, "utf8", "ba", detail="save as UTF-8")).endswith(
        "not UTF-8 text; save as UTF-8 [utf8]"
    )


def test_a_plain_file_and_the_same_file_with_quotes_read_alike(tmp_path):
    plain = read_csv_text(write(tmp_path, "date,n,note\n2020-03-01,1,\n2020-03-02,,x\n", "plain.csv"))
    quoted = read_csv_text(write(tmp_path, 'date,n,note\n2020-03-01,1,""\n"2020-03-02",,x\n', "quoted.csv"))
    pd.testing.assert_frame_equal(plain.frame, quoted.frame)
    assert plain.lines.tolist() == quoted.lines.tolist() == [2, 3]
