"""The front page: KPI changes by hand, and summary sections gathered from a file or computed."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from epianalysis.topics.front_page import view as fp

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


def _kpis() -> dict[str, fp.Kpi]:
    today, before = fp.headline_pair(_cases(), AS_OF)
    index = pd.DataFrame({"date": pd.to_datetime(["2020-02-29", "2020-03-01"]), "simple_mean": [90.0, 91.25]})
    groups = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-02-29", "2020-03-01", "2020-03-01"]),
            "size_group": ["above_scale", "above_scale", "leading"],
            "capacity_recovery_index": [70.0, 72.5, 99.0],
        }
    )
    return {k.key: k for k in fp.kpis(today, before, index, groups, AS_OF)}


def test_kpi_changes_by_hand():
    k = _kpis()
    assert [key for key in k] == [s.key for s in fp.KPI_SPECS]
    assert (k["confirmed"].value, k["confirmed"].previous, k["confirmed"].change) == (13, 10, 3)
    assert k["discharged"].change == 3
    assert k["deaths"].change == 1
    assert (k["active"].value, k["active"].previous, k["active"].change) == (7, 8, -1)  # 13-5-1 vs 10-2-0
    # 5/13 = 38.4615 % against 2/10 = 20 %: +18.46 percentage points
    assert k["discharge_rate"].change == pytest.approx(100 * (5 / 13 - 2 / 10))
    assert k["control_index"].change == pytest.approx(1.25)
    assert k["capacity_recovery"].change == pytest.approx(2.5)  # above_scale only, not leading
    # no new local case on 1 Mar? 10 -> 13 is a new case: 0 days; on 29 Feb 9 -> 10: 0 days
    assert k["days_since_last_local_case"].value == 0


def test_change_texts_and_tones():
    k = _kpis()
    assert fp.format_change(k["confirmed"].change, "count", "en") == "+3"
    assert k["confirmed"].tone == "bad" and k["discharged"].tone == "good"
    assert fp.format_change(k["active"].change, "count", "en") == "\N{MINUS SIGN}1"
    assert k["active"].tone == "good"
    assert fp.format_change(k["discharge_rate"].change, "rate", "en") == "+18.5 pts"
    assert fp.format_change(k["discharge_rate"].change, "rate", "zh") == "+18.5个百分点"
    assert fp.format_change(k["control_index"].change, "index", "zh") == "+1.25分"
    assert fp.format_change(0.0, "count", "en") == "±0"
    assert fp.format_change(None, "count", "en") == "–"
    assert fp.format_value(5 / 13, "rate", "en") == "38.5%"
    assert fp.format_value(76.75, "percent", "en") == "76.8%"
    assert fp.format_value(None, "count", "en") == "–"


def test_missing_previous_day_gives_unknown_change():
    cases = _cases().iloc[[2]]  # only 1 March
    today, before = fp.headline_pair(cases, AS_OF)
    assert before is None
    items = fp.kpis(
        today,
        before,
        pd.DataFrame({"date": [], "simple_mean": []}),
        pd.DataFrame({"date": [], "size_group": [], "capacity_recovery_index": []}),
        AS_OF,
    )
    first = items[0]
    assert first.value == 13 and first.previous is None and first.change is None and first.tone == "neutral"
    assert items[6].value is None  # control index: no row, no value (never 0)


def test_cards_frame():
    cards = fp.cards(list(_kpis().values()), "en", {"target": 75.0, "target_date": "2020-02-29"})
    assert list(cards["value_text"][:3]) == ["13", "5", "38.5%"]
    assert cards.loc[cards["key"] == "capacity_recovery", "detail"].item() == "Target: 75% by 29 Feb"


def _section(name):
    return {"data_date": AS_OF.isoformat(), "from": name}


def test_gather_takes_sections_from_the_summary_file(tmp_path):
    written = {
        "data_as_of": "2020-03-01",
        "confirmed": 1205,
        "discharged": 1050,
        "deaths": 1,
        "active": 154,
        "discharge_rate": 0.871,
        **{n: _section("file") for n in fp.SECTIONS},
    }
    (tmp_path / "summary.json").write_text(json.dumps(written), "utf-8")
    calls = []
    compute = {n: (lambda n=n: calls.append(n) or _section("computed")) for n in ["headline", *fp.SECTIONS]}
    got = fp.gather(fp.read_summary(tmp_path), AS_OF, compute)
    assert calls == []
    assert set(got.origin.values()) == {fp.SUMMARY_FILE}
    assert got.summary["control_index"]["from"] == "file" and got.summary["confirmed"] == 1205


def test_gather_computes_absent_or_stale_sections(tmp_path):
    written = {"zoning": _section("file"), "capacity": {"data_date": "2020-02-28", "from": "file"}}
    (tmp_path / "summary.json").write_text(json.dumps(written), "utf-8")
    compute = {n: (lambda n=n: _section("computed")) for n in fp.SECTIONS}
    compute["headline"] = lambda: {"confirmed": 7}
    got = fp.gather(fp.read_summary(tmp_path), AS_OF, compute)
    assert got.origin == {
        "headline": "computed",
        "zoning": fp.SUMMARY_FILE,
        "control_index": "computed",
        "capacity": "computed",
        "health_codes": "computed",
    }
    assert got.summary["capacity"]["from"] == "computed"  # stale data date: recomputed
    assert got.summary["confirmed"] == 7
    assert fp.read_summary(None) == {} and fp.read_summary(tmp_path / "nowhere") == {}


def test_save_paragraphs(tmp_path):
    paths = fp.save_paragraphs(tmp_path, {"en": "One.", "zh": "一。"})
    assert [p.name for p in paths] == ["paragraph_en.txt", "paragraph_zh.txt"]
    assert paths[1].read_text("utf-8") == "一。\n"
    assert fp.save_paragraphs(None, {"en": "x"}) == []


def test_no_change_is_shown_across_a_gap_in_the_data():
    import datetime as dt

    import pandas as pd

    from epianalysis.topics.front_page.view import headline_pair

    cases = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-02-27", "2020-02-28"]),
            "region_code": "330000",
            "confirmed": pd.array([1205, 1205], dtype="Int64"),
            "discharged": pd.array([943, 980], dtype="Int64"),
            "deaths": pd.array([1, 1], dtype="Int64"),
        }
    )
    today, before = headline_pair(cases, dt.date(2020, 2, 28))
    assert before is not None and before.discharged == 943  # consecutive days: a change
    today, before = headline_pair(cases, dt.date(2020, 3, 1))  # data end on 28 Feb
    assert today.discharged == 980 and before is None
