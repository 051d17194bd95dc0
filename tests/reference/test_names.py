"""A region column by name or code (epianalysis.reference.names)."""

from __future__ import annotations

import pandas as pd

from epianalysis.reference.names import non_region, resolve_column


def resolved(values, level=None):
    series = pd.Series(values, dtype="str")
    return resolve_column(series, pd.Series(range(2, len(values) + 2)), "f.csv", level=level)


def test_codes_names_suffixes_traditional_characters_and_pinyin():
    values = ["330100", "330100.0", "杭州", "杭州市", "溫州", "Hangzhou", "hangzhou city", "義烏", "浙江省"]
    found = resolved(values)
    assert found.codes.tolist() == ["330100"] * 4 + ["330300", "330100", "330100", "330782", "330000"]
    assert not found.unplaced.any() and found.problems == []
    assert found.names == {
        "杭州": "330100",
        "杭州市": "330100",
        "溫州": "330300",
        "Hangzhou": "330100",
        "hangzhou city": "330100",
        "義烏": "330782",
        "浙江省": "330000",
    }


def test_units_that_are_no_place_are_unplaced_with_their_names():
    found = resolved(["境外输入", "待明确地区", "0", "0.0", None, "省十里丰监狱", "未公布来源", "330100"])
    assert found.unplaced.tolist() == [True] * 7 + [False]
    assert found.unit_zh.tolist()[:4] == ["境外输入", "待明确地区", "待明确地区", "待明确地区"]
    assert found.unit_en.iloc[0] == "imported from abroad"
    assert pd.isna(found.unit_zh.iloc[4])  # an empty cell has no name
    assert found.codes.iloc[:7].isna().all()
    assert non_region("浙江省十里丰监狱").kind == "prison"
    assert non_region("杭州") is None


def test_unknown_ambiguous_and_2021_names_are_errors_with_line_and_candidates():
    found = resolved(["杭洲", "嵊", "臨平區", "330114", "339999"])
    problems = {v.value: v for v in found.problems}
    assert [(v.row, v.rule) for v in found.problems] == [(2, "region_name"), (3, "region_name")] + [
        (4, "region_name"),
        (5, "region_name"),
    ]
    assert "330100 杭州市" in problems["杭洲"].detail
    assert (
        "ambiguous" in problems["嵊"].detail and "330683" in problems["嵊"].detail and "330922" in problems["嵊"].detail
    )
    assert "2021 division" in problems["臨平區"].detail and "330110" in problems["臨平區"].detail
    assert "330104" in problems["330114"].detail and "330109" in problems["330114"].detail
    # an unknown code is left to the contract's known_region_code rule
    assert found.codes.iloc[4] == "339999"


def test_a_county_table_reads_county_names_only():
    found = resolved(["义乌", "杭州"], level="county")
    assert found.codes.iloc[0] == "330782"
    assert [(v.row, v.value) for v in found.problems] == [(3, "杭州")]
