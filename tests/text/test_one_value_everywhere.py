"""One value reads the same in every output: table, chart label, HTML index, paragraph (en, zh), KPI card.

Two values that printed differently before there was one text layer (epianalysis.text.format):

- a discharge rate of 1 / 80 = 0.0125: 1.25 % rounds half-up to "1.3%" (``f"{100 * 0.0125:.1f}"``,
  the HTML index's old formatter, gave "1.2%");
- a capacity recovery rate of 60.15 %: "60.2%" (the KPI card's ``f"{round(v, 2):.1f}"`` gave "60.1%").

The HTML index lists the discharge rate but no capacity figure, so the capacity value is followed
through the other outputs.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from matplotlib.text import Text

from epianalysis import summary
from epianalysis.briefing.index import reports_index
from epianalysis.charts import fonts
from epianalysis.text import narrative
from epianalysis.text.labels import label
from epianalysis.topics.capacity import charts as capacity_charts
from epianalysis.topics.capacity import view as capacity_view
from epianalysis.topics.front_page import kpis
from epianalysis.topics.recovery import charts as recovery_charts
from epianalysis.topics.recovery import metrics as recovery
from epianalysis.topics.recovery import view as recovery_view

AS_OF = dt.date(2020, 3, 1)
PROVINCE = "330000"
DISCHARGE_TEXT = "1.3%"  # 1 / 80 = 0.0125 -> 1.25 % -> 1.3 % (half-up)
CAPACITY = 60.15
CAPACITY_TEXT = "60.2%"  # 60.15 -> 60.2 (half-up)


LANGUAGES = ["en", "zh"]
CHART_LANGUAGES = ["en", "zh"] if fonts.find_cjk_font() is not None else ["en"]  # zh charts need a CJK font


def cases() -> pd.DataFrame:
    # province: 80 confirmed on both days, 0 discharged on 29 Feb and 1 on 1 Mar: rate 1 / 80 = 0.0125
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-02-29", "2020-03-01"]),
            "region_code": PROVINCE,
            "confirmed": pd.array([80, 80], dtype="Int64"),
            "confirmed_local": pd.array([80, 80], dtype="Int64"),
            "confirmed_imported": pd.array([0, 0], dtype="Int64"),
            "discharged": pd.array([0, 1], dtype="Int64"),
            "deaths": pd.array([0, 0], dtype="Int64"),
            "severe": pd.array([2, 2], dtype="Int64"),
            "critical": pd.array([0, 0], dtype="Int64"),
        }
    )


def size_groups() -> pd.DataFrame:
    # above-scale firms: capacity recovery 58.0 % on 29 Feb, 60.15 % on 1 Mar
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-02-29", "2020-03-01"]),
            "size_group": "above_scale",
            "n_enterprises": [200, 200],
            "resumption_rate_pct": [90.0, 95.0],
            "worker_return_pct": [40.0, 45.0],
            "capacity_recovery_index": [58.0, CAPACITY],
        }
    )


def summary_json(recovery_section: dict | None = None, capacity_section: dict | None = None) -> dict:
    """A ``summary.json`` as the briefing writes it: top-level keys and one section per topic. The one
    place that knows the layout (the headline numbers are the ``recovery`` section)."""
    out: dict = {"date": "2020-03-02", "data_as_of": AS_OF.isoformat(), "synthetic": False, "source": "test"}
    if recovery_section is not None:
        out["recovery"] = recovery_section
    if capacity_section is not None:
        out["capacity"] = capacity_section
    return out


def headline() -> recovery.Headline:
    return recovery.headline(cases(), PROVINCE, AS_OF)


def recovery_section() -> dict:
    section = recovery_view.summary(headline(), AS_OF)
    summary.check_section("recovery", section)  # as the briefing would write it
    return section


def capacity_section() -> dict:
    row = size_groups().iloc[-1]
    group = {k: row[k] for k in ("resumption_rate_pct", "worker_return_pct", "capacity_recovery_index")}
    return {"data_date": AS_OF.isoformat(), "above_scale": {"n_enterprises": 200, **group}}


def card_texts(lang: str) -> dict[str, str]:
    today, before = kpis.headline_pair(cases(), AS_OF)
    index = pd.DataFrame({"date": pd.to_datetime([AS_OF]), "simple_mean": [96.87]})
    items = kpis.kpis(today, before, index, size_groups(), AS_OF)
    return kpis.cards(items, lang).set_index("key")["value_text"].to_dict()


def chart_texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text)]


def test_the_values_are_what_the_test_says():
    assert headline().discharge_rate == 0.0125  # 1 / 80
    assert f"{100 * headline().discharge_rate:.1f}%" == "1.2%"  # what the HTML index used to print
    assert f"{round(CAPACITY, 2):.1f}%" == "60.1%"  # what the KPI card used to print


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_discharge_rate_of_0_0125_reads_1_3_percent_everywhere(lang, tmp_path):
    # table
    table = recovery_view.headline_table(headline(), lang).set_index(label("indicator", lang))
    assert table.loc[label("recovery.discharge_rate", lang)].item() == DISCHARGE_TEXT
    # KPI card
    assert card_texts(lang)["discharge_rate"] == DISCHARGE_TEXT
    # paragraph
    text = narrative.paragraph(summary_json(recovery_section()), lang)
    said = {"en": f"1 patient has been discharged, {DISCHARGE_TEXT} of all", "zh": f"占确诊病例的{DISCHARGE_TEXT}。"}
    assert said[lang] in text
    # HTML index (English and Chinese headers, numbers as the English outputs write them)
    day = tmp_path / "2020-03-02"
    day.mkdir()
    (day / "summary.json").write_text(json.dumps(summary_json(recovery_section())), encoding="utf-8")
    assert f'<td class="num">{DISCHARGE_TEXT}</td>' in reports_index(tmp_path).read_text("utf-8")


@pytest.mark.parametrize("lang", CHART_LANGUAGES)
def test_the_discharge_rate_chart_labels_1_3_percent(lang):
    rates = recovery.discharge_rate_series(cases(), PROVINCE, AS_OF)
    fig = recovery_charts.discharge_rate_curve(rates, lang=lang, source="test")
    assert label("recovery.discharge_rate_latest", lang, value=DISCHARGE_TEXT) in chart_texts(fig)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_capacity_rate_of_60_15_reads_60_2_percent_everywhere(lang):
    # table (by sector)
    on_day = size_groups().iloc[[-1]].assign(sector="manufacturing")
    table = capacity_view.group_table(on_day, "sector", lang)
    assert table[label("capacity.index", lang)].tolist() == [CAPACITY_TEXT]
    # KPI card
    assert card_texts(lang)["capacity_recovery"] == CAPACITY_TEXT
    # paragraph
    text = narrative.paragraph(summary_json(capacity_section=capacity_section()), lang)
    said = {"en": f"capacity has recovered to {CAPACITY_TEXT}.", "zh": f"产能恢复率{CAPACITY_TEXT}。"}
    assert said[lang] in text


@pytest.mark.parametrize("lang", CHART_LANGUAGES)
def test_the_capacity_chart_labels_60_2_percent(lang):
    fig = capacity_charts.rates_chart(size_groups(), lang=lang, source="test")
    latest = [t.get_text() for t in fig.findobj(Text) if t.get_gid() == "capacity_recovery_index_latest"]
    assert latest == [CAPACITY_TEXT]
