"""The KPI cards: values and day-on-day changes by hand, written as every other output writes them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from epianalysis.topics.front_page import kpis as K

AS_OF = dt.date(2020, 3, 1)


def _cases() -> pd.DataFrame:
    # province rows: 29 Feb (10 confirmed, 2 discharged, 0 deaths), 1 Mar (13, 5, 1)
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-02-28", "2020-02-29", "2020-03-01"]),
            "region_code": ["330000"] * 3,
            "confirmed": pd.array([9, 10, 13], dtype="Int64"),
            "confirmed_local": pd.array([9, 10, 13], dtype="Int64"),
            "confirmed_imported": pd.array([0, 0, 0], dtype="Int64"),
            "discharged": pd.array([1, 2, 5], dtype="Int64"),
            "deaths": pd.array([0, 0, 1], dtype="Int64"),
            "severe": pd.array([1, 1, 1], dtype="Int64"),
            "critical": pd.array([0, 0, 0], dtype="Int64"),
        }
    )


def _kpis() -> dict[str, K.Kpi]:
    today, before = K.headline_pair(_cases(), AS_OF)
    index = pd.DataFrame({"date": pd.to_datetime(["2020-02-29", "2020-03-01"]), "simple_mean": [90.0, 91.25]})
    groups = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-02-29", "2020-03-01", "2020-03-01"]),
            "size_group": ["above_scale", "above_scale", "leading"],
            "capacity_recovery_index": [70.0, 72.5, 99.0],
        }
    )
    return {k.key: k for k in K.kpis(today, before, index, groups, AS_OF)}


def test_kpi_changes_by_hand():
    k = _kpis()
    assert [key for key in k] == [s.key for s in K.KPI_SPECS]
    assert (k["confirmed"].value, k["confirmed"].previous, k["confirmed"].change) == (13, 10, 3)
    assert k["discharged"].change == 3
    assert k["deaths"].change == 1
    assert (k["active"].value, k["active"].previous, k["active"].change) == (7, 8, -1)  # 13-5-1 vs 10-2-0
    # 5/13 = 38.4615 % against 2/10 = 20 %: +18.46 percentage points
    assert k["discharge_rate"].change == pytest.approx(100 * (5 / 13 - 2 / 10))
    assert k["control_index"].change == pytest.approx(1.25)  # 91.25 - 90.0
    assert k["capacity_recovery"].change == pytest.approx(2.5)  # 72.5 - 70.0, above_scale only, not leading
    # no new local case on 1 Mar? 10 -> 13 is a new case: 0 days; on 29 Feb 9 -> 10: 0 days
    assert k["days_since_last_local_case"].value == 0


def test_a_change_is_taken_on_the_decimal_values():
    # 0.0125 - 0.0100 = 0.0025 of a fraction = 0.25 points exactly (the floats would give 0.24999...)
    assert K.kpi_change(0.0125, 0.01, "rate") == 0.25
    assert K.kpi_change(60.15, 60.0, "percent") == pytest.approx(0.15)
    assert K.kpi_change(None, 1, "count") is None and K.kpi_change(1, float("nan"), "count") is None


def test_card_and_table_texts_and_tones():
    k = _kpis()
    cards = K.cards(list(k.values()), "en", {"target": 75.0, "target_date": "2020-02-29"}).set_index("key")
    # 5 / 13 = 0.384615 -> 38.5 %; change 38.4615 - 20 = 18.4615 points -> +18.5 pts
    assert cards.loc["discharge_rate", ["value_text", "change_text", "tone"]].tolist() == ["38.5%", "+18.5 pts", "good"]
    assert cards.loc["confirmed", ["value_text", "change_text", "tone"]].tolist() == ["13", "+3", "bad"]
    assert cards.loc["active", ["change_text", "tone"]].tolist() == ["\N{MINUS SIGN}1", "good"]  # 7 - 8
    assert cards.loc["control_index", ["value_text", "change_text"]].tolist() == ["91.25", "+1.25"]
    assert cards.loc["capacity_recovery", ["value_text", "change_text"]].tolist() == ["72.5%", "+2.5 pts"]
    assert cards.loc["days_since_last_local_case", ["value_text", "change_text", "tone"]].tolist() == [
        "0",
        "±0",  # 0 days on both days
        "neutral",
    ]
    assert cards.loc["capacity_recovery", "detail"] == "Target: 75% by 29 Feb"
    zh = K.cards(list(k.values()), "zh").set_index("key")
    assert zh.loc["discharge_rate", "change_text"] == "+18.5个百分点"
    assert zh.loc["control_index", "change_text"] == "+1.25分"
    assert zh.loc["days_since_last_local_case", "change_text"] == "±0天"
    table = K.kpi_table(list(k.values()), "en")
    assert table.iloc[2].tolist() == ["Discharge rate", "38.5%", "20.0%", "+18.5 pts"]  # 2 / 10 = 20.0 %


def test_a_change_that_rounds_to_zero_is_neutral():
    # 72.54 - 72.50 = 0.04 points: printed "±0.0 pts", so neither good nor bad news
    item = K.Kpi("capacity_recovery", "percent", "up", 72.54, 72.5)
    assert item.tone == "neutral"
    (card,) = K.cards([item], "en").to_dict("records")
    assert card["change_text"] == "±0.0 pts"


def test_missing_previous_day_gives_unknown_change():
    cases = _cases().iloc[[2]]  # only 1 March
    today, before = K.headline_pair(cases, AS_OF)
    assert before is None
    items = K.kpis(
        today,
        before,
        pd.DataFrame({"date": [], "simple_mean": []}),
        pd.DataFrame({"date": [], "size_group": [], "capacity_recovery_index": []}),
        AS_OF,
    )
    first = items[0]
    assert first.value == 13 and first.previous is None and first.change is None and first.tone == "neutral"
    assert items[6].value is None  # control index: no row, no value (never 0)
    cards = K.cards(items, "en").set_index("key")
    assert cards.loc["confirmed", "change_text"] == "–"
    assert cards.loc["control_index", ["value_text", "change_text"]].tolist() == ["–", "–"]


def test_summary_values_are_unrounded():
    k = _kpis()
    summary = K.kpi_summary(list(k.values()))
    assert summary["discharge_rate"]["value"] == 5 / 13  # not 0.3846
    assert summary["discharge_rate"]["change"] == pytest.approx(100 * (5 / 13 - 2 / 10))


def test_no_change_is_shown_across_a_gap_in_the_data():
    cases = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-02-27", "2020-02-28"]),
            "region_code": "330000",
            "confirmed": pd.array([1205, 1205], dtype="Int64"),
            "discharged": pd.array([943, 980], dtype="Int64"),
            "deaths": pd.array([1, 1], dtype="Int64"),
        }
    )
    today, before = K.headline_pair(cases, dt.date(2020, 2, 28))
    assert before is not None and before.discharged == 943  # consecutive days: a change
    today, before = K.headline_pair(cases, dt.date(2020, 3, 1))  # data end on 28 Feb
    assert today.discharged == 980 and before is None


def test_without_the_local_split_the_card_says_new_case():
    # JHU-like data: no confirmed_local; the card, the table and the finding say "new case"
    from epianalysis.topics.front_page import charts as front_charts

    item = K.Kpi("days_since_last_local_case", "days", "up", 9.0, 8.0, ("local_split_unknown",))
    cards = K.cards([item], "en")
    assert cards["label"].tolist() == ["Days without a new case"]
    assert K.kpi_table([item], "en").iloc[0, 0] == "Days without a new case"
    assert front_charts.finding(cards, "en") == "No new case for 9 days"
    assert "本地" not in K.cards([item], "zh")["label"].iloc[0]
    known = K.cards([K.Kpi("days_since_last_local_case", "days", "up", 9.0, 8.0)], "en")
    assert known["label"].tolist() == ["Days without a new local case"]
    assert front_charts.finding(known, "en") == "No new local case for 9 days"
