"""Recovery metrics against hand calculations and the published Zhejiang figures
(docs/methods.md#epidemic-and-recovery)."""

import pandas as pd
import pytest

from epianalysis.topics.recovery import metrics as recovery


def _cases(rows):
    frame = pd.DataFrame(
        rows,
        columns=[
            "date",
            "region_code",
            "confirmed",
            "confirmed_local",
            "confirmed_imported",
            "discharged",
            "deaths",
            "severe",
            "critical",
        ],
    )
    frame["date"] = pd.to_datetime(frame["date"])
    for column in frame.columns[2:]:
        frame[column] = frame[column].astype("Int64")
    return frame


PROVINCE = _cases(
    [
        # published bulletins, "as of D 24:00"
        ("2020-02-27", "330000", 1205, 1205, 0, 943, 1, 21, 11),
        ("2020-03-01", "330000", 1205, 1205, 0, 1050, 1, 10, 4),
        ("2020-03-02", "330000", 1213, 1205, 8, 1086, 1, 8, 4),
    ]
)


def test_discharge_rate_matches_the_press_conferences():
    assert recovery.discharge_rate(943, 1205) == pytest.approx(0.7826, abs=5e-5)
    assert round(recovery.discharge_rate(1050, 1205), 3) == 0.871


def test_discharge_rate_is_none_without_cases_or_values():
    assert recovery.discharge_rate(0, 0) is None
    assert recovery.discharge_rate(pd.NA, 10) is None


def test_headline_uses_the_row_of_the_data_date():
    head = recovery.headline(PROVINCE, "330000", "2020-03-01")
    assert (head.confirmed, head.discharged, head.deaths) == (1205, 1050, 1)
    assert head.active == 1205 - 1050 - 1
    assert head.severe == 10 and head.critical == 4
    assert round(head.discharge_rate, 3) == 0.871
    assert head.data_as_of == "2020-03-01"
    assert head.flags == []


def test_headline_flags_stale_data_and_keeps_the_latest_known_row():
    head = recovery.headline(PROVINCE, "330000", "2020-02-29")
    assert head.data_as_of == "2020-02-27"
    assert head.discharged == 943
    assert "stale_data" in head.flags


def test_days_since_last_local_case_ignores_imported_cases():
    daily = _cases(
        [
            ("2020-02-26", "330000", 1204, 1204, 0, 900, 1, None, None),
            ("2020-02-27", "330000", 1205, 1205, 0, 943, 1, None, None),  # last new local case
            ("2020-02-28", "330000", 1205, 1205, 0, 980, 1, None, None),
            ("2020-02-29", "330000", 1205, 1205, 0, 1000, 1, None, None),
            ("2020-03-01", "330000", 1205, 1205, 0, 1050, 1, None, None),
            ("2020-03-02", "330000", 1213, 1205, 8, 1086, 1, None, None),  # 8 imported, no local
        ]
    )
    head = recovery.headline(daily, "330000", "2020-03-02")
    assert head.days_since_last_local_case == 4  # 2020-03-02 - 2020-02-27
    assert head.confirmed_imported == 8


def test_days_since_last_local_case_is_unknown_across_days_without_data():
    # PROVINCE has no rows for 28 and 29 February: a case could hide there
    assert recovery.headline(PROVINCE, "330000", "2020-03-02").days_since_last_local_case is None


def test_discharge_rate_above_one_is_flagged_not_clipped():
    hangzhou = _cases([("2020-03-02", "330100", 169, None, None, 170, 0, 0, 0)])
    head = recovery.headline(hangzhou, "330100", "2020-03-02")
    assert head.discharge_rate == pytest.approx(170 / 169)
    assert "discharge_rate_above_1" in head.flags
    series = recovery.discharge_rate_series(hangzhou, "330100", "2020-03-02")
    assert series["discharge_rate"].iloc[0] == pytest.approx(170 / 169)
    assert bool(series["above_1"].iloc[0])


def test_active_is_missing_when_a_term_is_missing():
    frame = _cases([("2020-03-01", "330100", 169, None, None, 165, None, None, None)])
    assert recovery.headline(frame, "330100", "2020-03-01").active is None


def test_headline_without_rows_raises():
    with pytest.raises(LookupError, match="330100"):
        recovery.headline(PROVINCE, "330100", "2020-03-01")


def test_epidemic_curve_keeps_a_revision_negative_and_flags_it():
    frame = _cases(
        [
            ("2020-02-18", "330800", 20, 20, 0, 5, 0, 0, 0),
            ("2020-02-19", "330800", 21, 21, 0, 6, 0, 0, 0),
            ("2020-02-20", "330800", 14, 14, 0, 7, 0, 0, 0),  # revised down by 7
        ]
    )
    curve = recovery.epidemic_curve_data(frame, "330800", "2020-02-20")
    assert curve["new_local"].tolist()[1:] == [1, -7]
    assert curve["revised"].tolist() == [False, False, True]
    assert pd.isna(curve["new_local"].iloc[0])


def test_epidemic_curve_without_local_split_uses_confirmed():
    frame = _cases(
        [
            ("2020-02-26", "330000", 1205, None, None, 900, 1, None, None),
            ("2020-02-27", "330000", 1205, None, None, 943, 1, None, None),
        ]
    )
    curve = recovery.epidemic_curve_data(frame, "330000", "2020-02-27")
    assert curve["new_local"].iloc[1] == 0
    assert not curve["split_known"].any()


def test_prefecture_table_lists_every_prefecture_and_the_province():
    regions = pd.DataFrame(
        {
            "code": ["330000", "330100", "330200"],
            "name_zh": ["浙江省", "杭州市", "宁波市"],
            "name_en": ["Zhejiang", "Hangzhou", "Ningbo"],
            "level": ["province", "prefecture", "prefecture"],
        }
    )
    cases = pd.concat([PROVINCE, _cases([("2020-03-01", "330100", 169, None, None, 165, 0, 0, 0)])])
    table = recovery.prefecture_table(cases, regions, "2020-03-01")
    assert table["region_code"].tolist() == ["330100", "330200", "330000"]
    assert table.loc[0, "discharge_rate"] == pytest.approx(165 / 169)
    assert table.loc[1, "flags"] == "no_data" and pd.isna(table.loc[1, "confirmed"])
    assert table.loc[2, "confirmed"] == 1205


def test_epidemic_curve_does_not_show_a_multi_day_change_as_one_day():
    frame = _cases(
        [
            ("2020-02-06", "330000", 954, None, None, 100, 0, None, None),
            ("2020-02-17", "330000", 1171, None, None, 500, 0, None, None),  # 11 days later
            ("2020-02-18", "330000", 1172, None, None, 520, 0, None, None),
        ]
    )
    curve = recovery.epidemic_curve_data(frame, "330000", "2020-02-18")
    assert pd.isna(curve["new_local"].iloc[1])
    assert curve["change_over_gap_local"].iloc[1] == 1171 - 954
    assert curve["gap_days"].iloc[1] == 11
    assert curve["new_local"].iloc[2] == 1
