"""Capacity recovery: baselines, the 30 % rule, group rates, curves and the five-colour map, by hand
(docs/methods.md#capacity-recovery)."""

import pandas as pd
import pytest

from epianalysis.errors import DataError
from epianalysis.topics.capacity import curves
from epianalysis.topics.capacity import metrics as cap
from epianalysis.topics.capacity import resumption_map as zoning

T = pd.Timestamp


def daily(rows):
    frame = pd.DataFrame(rows, columns=["date", "enterprise_id", "kwh"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def test_rules_from_the_package_toml():
    rules = cap.load_capacity_rules()
    assert rules.resumed_threshold == 0.30
    assert rules.spring_festival == {2019: T("2019-02-05"), 2020: T("2020-01-25")}
    assert rules.lunar_offset_days(2019, 2020) == 354  # 2020-01-25 - 2019-02-05
    assert set(rules.size_groups["above_scale"]) == {"above_scale", "leading"}
    assert rules.target["capacity_recovery_index"] == 75.0 and rules.target["date"] == T("2020-02-29")


def test_resumed_means_strictly_above_thirty_percent():
    flags = cap.resumed([30, 30.0001, 29.9, 3, 0.3, 45, None, 5], [100, 100, 100, 10, 1, 150, 100, 0])
    assert list(flags.iloc[:6]) == [False, True, False, False, False, False]  # 45/150 is exactly 0.3
    assert pd.isna(flags.iloc[6])  # no reading: unknown, not "not resumed"
    assert pd.isna(flags.iloc[7])  # zero baseline: no ratio


def test_december_baseline_is_the_mean_of_december_readings():
    frame = daily(
        [
            ("2019-11-30", "A", 1000.0),
            ("2019-12-01", "A", 10.0),
            ("2019-12-02", "A", 20.0),
            ("2019-12-03", "A", None),
            ("2019-12-31", "A", 30.0),
            ("2020-02-10", "A", 12.0),
            ("2020-02-10", "B", 5.0),
        ]
    )
    out = cap.with_baseline(frame, "december_2019")
    a = out[(out["enterprise_id"] == "A") & (out["date"] == T("2020-02-10"))].iloc[0]
    assert a["baseline_kwh"] == 20.0  # (10 + 20 + 30) / 3, the missing day not read as 0
    assert a["baseline_readings"] == 3
    assert a["baseline_flag"] == ""
    b = out[out["enterprise_id"] == "B"].iloc[0]
    assert pd.isna(b["baseline_kwh"]) and b["baseline_flag"] == "no_baseline_readings"


def test_lunar_baseline_aligns_days_after_the_spring_festival():
    frame = daily(
        [
            ("2019-02-04", "E", 50.0),
            ("2019-02-05", "E", 10.0),
            ("2019-02-06", "E", 20.0),
            ("2019-02-15", "E", 80.0),  # k = -1, 0, 1, 10 in 2019
            ("2020-01-24", "E", 40.0),
            ("2020-01-25", "E", 1.0),
            ("2020-01-26", "E", 2.0),
            ("2020-01-27", "E", 3.0),
            ("2020-02-04", "E", 36.0),  # k = -1, 0, 1, 2, 10 in 2020
        ]
    )
    out = cap.with_baseline(frame, "lunar_2019").set_index("date")
    assert out.loc[T("2020-01-24"), "baseline_kwh"] == 50.0
    assert out.loc[T("2020-01-25"), "baseline_kwh"] == 10.0
    assert out.loc[T("2020-01-26"), "baseline_kwh"] == 20.0
    assert out.loc[T("2020-02-04"), "baseline_kwh"] == 80.0
    assert pd.isna(out.loc[T("2020-01-27"), "baseline_kwh"])  # 2019-02-07 has no reading
    assert out.loc[T("2020-01-27"), "baseline_flag"] == "no_baseline_readings"
    assert list(curves.lunar_day(["2020-01-25", "2020-02-04"], 2020)) == [0, 10]
    assert list(curves.lunar_day(["2019-02-04"], 2019)) == [-1]


def test_a_date_on_the_curves_calendar_counts_from_their_spring_festival():
    # curves drawn from lunar day -10 (2020-01-15, ten days before 2020-01-25); 2020-02-29 is day 35
    frame = pd.DataFrame({"lunar_day": [-10, -9], "date_2020": [T("2020-01-15"), T("2020-01-16")]})
    assert curves.festival_day_of(frame, "2020-02-29") == 35
    assert curves.festival_day_of(frame, T("2020-01-25")) == 0


def test_weekday_median_baseline():
    # 2020-01-03 is a Friday; Fridays in the window: 01-03, 10, 17, 24, 31
    fridays = [
        ("2020-01-03", 10.0),
        ("2020-01-10", 50.0),
        ("2020-01-17", 20.0),
        ("2020-01-24", 0.0),
        ("2020-01-31", 30.0),
    ]
    frame = daily(
        [
            *((d, "W", v) for d, v in fridays),
            ("2020-01-04", "W", 5.0),
            ("2020-01-11", "W", 7.0),
            ("2020-02-07", "W", 1000.0),
            ("2020-02-08", "W", 4.0),
        ]
    )
    out = cap.with_baseline(frame, "weekday_median").set_index("date")
    assert out.loc[T("2020-02-07"), "baseline_kwh"] == 20.0  # median of 10, 50, 20, 0, 30
    assert out.loc[T("2020-02-07"), "baseline_readings"] == 5
    assert out.loc[T("2020-02-08"), "baseline_kwh"] == 6.0  # median of the Saturdays 5 and 7


REGISTER = pd.DataFrame(
    {
        "enterprise_id": ["L1", "A1", "A2", "S1"],
        "region_code": ["330102", "330102", "330203", "330203"],  # 杭州 上城区; 宁波 海曙区
        "sector": ["manufacturing", "manufacturing", "construction", "services"],
        "size_class": ["leading", "above_scale", "above_scale", "small"],
        "employees": [100, 50, 50, 10],
    }
)
DAY = pd.DataFrame(
    {
        "date": pd.to_datetime(["2020-02-25"] * 4),
        "enterprise_id": ["L1", "A1", "A2", "S1"],
        "kwh": [80.0, 30.0, 50.0, None],
        "employees_on_site": pd.array([60, 35, None, 5], dtype="Int64"),
        "baseline_kwh": [100.0, 100.0, 100.0, 10.0],
    }
)


def test_recovery_by_size_group_counts_leading_firms_as_above_scale():
    out = cap.recovery(REGISTER, DAY, by="size_group").set_index("size_group")
    above = out.loc["above_scale"]
    assert (above["n_enterprises"], above["n_known"], above["n_resumed"]) == (3, 3, 2)  # A1 is at 30 %
    assert above["resumption_rate_pct"] == pytest.approx(200 / 3)
    assert above["capacity_recovery_index"] == pytest.approx(100 * 160 / 300)
    assert above["worker_return_pct"] == pytest.approx(100 * 95 / 150)  # A2 did not report staff
    leading = out.loc["leading"]
    assert (leading["resumption_rate_pct"], leading["capacity_recovery_index"], leading["worker_return_pct"]) == (
        100,
        80,
        60,
    )
    small = out.loc["small"]
    assert small["n_known"] == 0 and pd.isna(small["resumption_rate_pct"])  # no reading: not 0 %
    assert pd.isna(small["capacity_recovery_index"])
    assert small["worker_return_pct"] == 50
    assert out.loc["all", "n_enterprises"] == 4 and out.loc["all", "n_resumed"] == 2


def test_recovery_by_prefecture_and_county():
    pref = cap.recovery(REGISTER, DAY, by="prefecture").set_index("prefecture")
    assert pref.loc["330100", "resumption_rate_pct"] == 50
    assert pref.loc["330100", "capacity_recovery_index"] == pytest.approx(55)  # 110 / 200
    assert pref.loc["330200", "resumption_rate_pct"] == 100
    assert pref.loc["330200", "n_enterprises"] == 2
    both = cap.recovery(REGISTER, DAY, by=["county", "sector"])
    assert len(both) == 3  # (330102, manufacturing), (330203, construction), (330203, services)


def test_recovery_refuses_readings_of_unknown_enterprises():
    bad = pd.concat([DAY, DAY.iloc[[0]].assign(enterprise_id="X9")], ignore_index=True)
    with pytest.raises(DataError, match="not in the register") as info:
        cap.recovery(REGISTER, bad)
    assert "enterprise_daily row 5, column 'enterprise_id', value 'X9'" in str(info.value)
    assert "[known_enterprise_id]" in str(info.value)


def test_days_behind_a_normal_year():
    normal = pd.Series([10, 30, 60, 80, 90, 95], index=range(6), dtype=float)
    now = pd.Series([5, 10, 12, 30, 60, 70, 96, None], index=range(8), dtype="Float64")
    out = curves.days_behind(now, normal).set_index("lunar_day")
    assert list(out["days_behind"].iloc[:6]) == [0, 1, 1, 2, 2, 2]
    assert list(out["normal_lunar_day"].iloc[:6]) == [0, 0, 1, 1, 2, 3]
    assert pd.isna(out.loc[6, "days_behind"]) and bool(out.loc[6, "not_reached_in_normal_year"])
    assert pd.isna(out.loc[7, "days_behind"]) and not bool(out.loc[7, "not_reached_in_normal_year"])
    dip = curves.days_behind(pd.Series([45.0], index=[5]), pd.Series([10, 50, 40, 70.0]))
    assert dip["days_behind"].iloc[0] == 4  # first reached on normal day 1


def test_lunar_curves_put_both_years_on_one_baseline():
    register = REGISTER.iloc[[1]]  # A1, above-scale
    rows = [
        ("2019-12-01", "A1", 100.0),
        ("2019-12-02", "A1", 300.0),  # December mean 200
        ("2019-02-05", "A1", 20.0),
        ("2019-02-06", "A1", 100.0),  # 2019 days k = 0, 1
        ("2020-01-25", "A1", 10.0),
        ("2020-01-26", "A1", 30.0),
    ]  # 2020 days k = 0, 1
    out = curves.lunar_curves(register, daily(rows), days=(0, 2)).set_index("lunar_day")
    assert list(out["index_2019"].iloc[:2]) == [10, 50]  # 100 * 20/200, 100 * 100/200
    assert list(out["index_2020"].iloc[:2]) == [5, 15]
    assert pd.isna(out.loc[2, "index_2020"])
    assert out.loc[1, "date_2019"] == T("2019-02-06")


def test_gap_to_target():
    curve = pd.DataFrame(
        {"date": pd.to_datetime(["2020-02-28", "2020-02-29"]), "capacity_recovery_index": [70.0, 76.75]}
    )
    gap = curves.gap_to_target(curve)
    assert gap["target"] == 75.0 and gap["value"] == 76.75
    assert gap["gap"] == pytest.approx(-1.75) and gap["met"] is True
    missing = curves.gap_to_target(curve.iloc[:1])
    assert missing["value"] is None and missing["met"] is None


def test_resumption_five_colour_bands_with_unknown():
    table = pd.DataFrame(
        {"resumption_rate_pct": pd.array([0, 29.99, 30, 50, 70, 89.9, 90, 100, None, 101], dtype="Float64")}
    )
    out = zoning.resumption_zones(table)
    assert list(out["band"]) == [
        "red",
        "red",
        "orange",
        "yellow",
        "blue",
        "blue",
        "green",
        "green",
        "unknown",
        "unknown",
    ]
    assert out["colour"].iloc[8] == "#CCCCCC"
    assert list(out["out_of_range"]) == [False] * 9 + [True]


def test_zoning_rules_must_tile_the_range(tmp_path):
    path = tmp_path / "z.toml"
    path.write_text(
        'value = "v"\n[[bands]]\nband = "a"\ncolour = "#000"\nlabel_zh = "a"\nlabel_en = "a"\n'
        'lower = 0\nupper = 50\n[[bands]]\nband = "b"\ncolour = "#fff"\nlabel_zh = "b"\n'
        'label_en = "b"\nlower = 60\nupper = 100\n',
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="contiguous_with_previous_band"):
        zoning.load_zoning_rules(path)


def test_terms_computed_once_are_summed_by_any_grouping_and_day():
    before = DAY.assign(date=T("2020-02-24"), kwh=[10.0, 90.0, 20.0, 9.0])
    terms = cap.recovery_terms(REGISTER, pd.concat([before, DAY], ignore_index=True))
    assert list(terms["known"]) == [True] * 7 + [False]  # S1 has no reading on the 25th
    assert list(terms["staff_used"].iloc[4:]) == [100.0, 50.0, 0.0, 10.0]  # A2 reported no staff
    on_day = terms[terms["date"] == T("2020-02-25")]
    out = cap.recovery_from_terms(REGISTER, on_day, by="size_group").set_index("size_group")
    assert (out.loc["above_scale", "n_known"], out.loc["above_scale", "n_resumed"]) == (3, 2)
    assert out.loc["above_scale", "capacity_recovery_index"] == pytest.approx(100 * 160 / 300)
    assert out.loc["leading", "worker_return_pct"] == 60
    days = cap.recovery_from_terms(REGISTER, terms, by="sector").set_index(["date", "sector"])
    # manufacturing (L1, A1) on the 24th: 10 + 90 kWh against 100 + 100
    assert days.loc[(T("2020-02-24"), "manufacturing"), "capacity_recovery_index"] == 50
    assert days.loc[(T("2020-02-24"), "services"), "resumption_rate_pct"] == 100  # 9 of 10 > 30 %
    assert len(days) == 6  # three sectors on each of two days


def test_terms_of_unknown_enterprises_are_refused_where_summed_with_their_row():
    bad = pd.concat([DAY, DAY.iloc[[0]].assign(enterprise_id="X9")], ignore_index=True)
    terms = cap.recovery_terms(REGISTER, bad)  # computing the terms alone raises nothing
    assert terms["pos"].iloc[-1] == -1
    with pytest.raises(DataError, match="not in the register") as info:
        cap.recovery_from_terms(REGISTER, terms.iloc[2:], by="sector")
    assert "enterprise_daily row 3, column 'enterprise_id', value 'X9'" in str(info.value)
