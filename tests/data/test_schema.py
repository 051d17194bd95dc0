"""Row-level contract checks (epianalysis.data.schema): rule names, rows and values of violations."""

from __future__ import annotations

import pandas as pd
import pytest

from epianalysis.data.contracts import CONTRACTS, table_spec
from epianalysis.data.schema import check_frame, pandera_schema


def text_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows as read from a CSV: every cell text, empty cells missing."""
    return pd.DataFrame(rows, dtype=object).astype("str").replace({"": None, "nan": None})


def triples(violations):
    return [(v.row, v.column, v.rule, v.value, v.severity) for v in violations]


def test_every_contract_table_has_a_pandera_schema_with_its_key():
    assert set(CONTRACTS) == {
        "cases",
        "health_codes",
        "health_code_log",
        "enterprises",
        "enterprise_daily",
        "control",
        "flow",
    }
    for name, spec in CONTRACTS.items():
        schema = pandera_schema(name)
        assert list(schema.unique) == list(spec.key)
        assert set(spec.key) <= set(schema.columns)


def test_clean_cases_are_typed_and_have_no_violation():
    df = text_frame(
        [
            {
                "date": "2020-03-01",
                "region_code": "330100",
                "confirmed": "169",
                "discharged": "165",
                "deaths": "0",
                "note": "x",
            },
        ]
    )
    typed, found = check_frame(df, "cases", "cases.csv")
    assert found == []
    assert str(typed["confirmed"].dtype) == "Int64"
    assert typed["date"].iloc[0] == pd.Timestamp("2020-03-01")
    assert typed["region_code"].iloc[0] == "330100"
    assert typed["note"].iloc[0] == "x"  # extra column kept


def test_cases_negative_count_missing_key_and_bad_date():
    df = text_frame(
        [
            {"date": "2020-03-01", "region_code": "330100", "confirmed": "-1", "discharged": "0", "deaths": "0"},
            {"date": "", "region_code": "330200", "confirmed": "1", "discharged": "0", "deaths": "0"},
            {"date": "3/1/2020", "region_code": "33020", "confirmed": "1", "discharged": "0", "deaths": "0"},
        ]
    )
    _, found = check_frame(df, "cases", "c.csv")
    assert triples(found) == [
        (1, "confirmed", "in_range(0, inf)", "-1", "error"),
        (2, "date", "not_null", "", "error"),
        (3, "date", "iso_date", "3/1/2020", "error"),
        (3, "region_code", "six_digit_code", "33020", "error"),
    ]


def test_county_tables_reject_prefecture_codes():
    df = text_frame(
        [
            {"date": "2020-02-17", "region_code": "330100", "green": "10", "yellow": "1", "red": "0"},
            {"date": "2020-02-17", "region_code": "330782", "green": "10", "yellow": "1", "red": "0"},
        ]
    )
    _, found = check_frame(df, "health_codes", "health_codes.csv")
    assert triples(found) == [(1, "region_code", "known_county_code", "330100", "error")]


def test_enterprises_categories_and_positive_employees():
    df = text_frame(
        [
            {
                "enterprise_id": "E1",
                "region_code": "330782",
                "sector": "manufacturing",
                "size_class": "leading",
                "employees": "1200",
            },
            {
                "enterprise_id": "E2",
                "region_code": "330782",
                "sector": "services",
                "size_class": "medium",
                "employees": "0",
            },
        ]
    )
    _, found = check_frame(df, "enterprises", "enterprises.csv")
    assert sorted(triples(found)) == [
        (2, "employees", "in_range(1, inf)", "0", "error"),
        (2, "size_class", "isin(['leading', 'above_scale', 'small'])", "medium", "error"),
    ]


def test_percent_indicators_are_bounded_and_floats():
    df = text_frame(
        [
            {
                "date": "2020-03-02",
                "region_code": "330782",
                "contact_tracing_rate": "100.5",
                "green_code_share": "94.7",
            },
            {"date": "2020-03-02", "region_code": "330783", "contact_tracing_rate": "n/a"},
        ]
    )
    typed, found = check_frame(df, "control", "control.csv")
    assert triples(found) == [
        (1, "contact_tracing_rate", "in_range(0, 100)", "100.5", "error"),
        (2, "contact_tracing_rate", "number", "n/a", "error"),
    ]
    assert typed["green_code_share"].iloc[0] == pytest.approx(94.7)


def test_unplaced_rows_must_have_no_region_and_need_no_unique_key():
    assert table_spec("cases_unplaced").unique_key is False
    df = text_frame(
        [
            {"date": "2020-03-01", "region_code": "", "confirmed": "36", "discharged": "5", "deaths": "0"},
            {"date": "2020-03-01", "region_code": "", "confirmed": "3", "discharged": "0", "deaths": "0"},
            {"date": "2020-03-01", "region_code": "330100", "confirmed": "3", "discharged": "0", "deaths": "0"},
        ]
    )
    _, found = check_frame(df, "cases_unplaced", "cases_unplaced.csv")
    assert [(v.row, v.rule) for v in found] == [(3, "unplaced_region_empty")]


def test_unknown_table_is_a_key_error():
    with pytest.raises(KeyError, match="unknown table"):
        table_spec("weather")
