"""Cross-row flags of the contracts (epianalysis.data.checks)."""

from __future__ import annotations

import pandas as pd

from epianalysis.data.checks import cross_row_flags


def as_tuples(violations):
    return [(v.file, v.row, v.column, v.rule, v.value, v.severity) for v in violations]


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
