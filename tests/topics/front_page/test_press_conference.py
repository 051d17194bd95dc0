"""The front page of the embedded scenario on the day of the press conference of 2 March 2020, and the
day before: published figures only from their press date on, estimates from the samples, one name
and one number for the precision control index.

The press conference of 2 March 2020 (data as of 1 March 24:00) gave 87.1 % discharged, all 90
counties low-risk and a province precision control index of 96.87 (docs/methods.md#published-references).
The briefing of 1 March could not have known them. These are checks of the SYNTHETIC scenario
(calibrated to those figures, tests/scenario/test_calibration_topics.py), not evidence.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from epianalysis.data.store import DataStore
from epianalysis.paths import sample_dir
from epianalysis.text import format as fmt
from epianalysis.topics.capacity import view as capacity_view
from epianalysis.topics.control_index import view as control_index_view
from epianalysis.topics.front_page import kpis
from epianalysis.topics.front_page import view as fp
from epianalysis.topics.health_codes import view as health_codes_view
from epianalysis.topics.recovery import view as recovery_view
from epianalysis.topics.zoning import view as zoning_view

SAMPLE = sample_dir()
pytestmark = pytest.mark.skipif(
    not (SAMPLE / "enterprises.csv").is_file(),
    reason=f"embedded scenario not generated at {SAMPLE} (run `make sample`)",
)


class Day:
    """Everything a briefing of ``press_date`` shows that could carry a published figure."""

    def __init__(self, press_date: dt.date):
        data = DataStore(SAMPLE)
        self.press_date, self.as_of = press_date, press_date - dt.timedelta(days=1)
        load = {t: data.load(t, as_of=self.as_of) for t in ("cases", "control", "flow", "enterprises")}
        daily = data.load("enterprise_daily", as_of=self.as_of)
        self.page = fp.front_page(
            load["cases"], load["control"], load["flow"], load["enterprises"], daily, self.as_of, None, press_date
        )
        self.health_codes = health_codes_view.health_code_briefing(data, self.as_of, press_date)
        self.summary = {
            "synthetic": True,
            "data_as_of": self.as_of.isoformat(),
            "recovery": recovery_view.summary(self.page.headline, self.as_of, press_date),
            "zoning": zoning_view.summary(self.page.zoning),
            "control_index": control_index_view.summary(self.page.control_index),
            "capacity": capacity_view.summary(self.page.capacity),
            "health_codes": health_codes_view.summary(self.health_codes),
        }
        self.paragraphs = fp.paragraphs(self.summary)
        tables = []
        for lang in ("en", "zh"):
            tables += [
                control_index_view.headline_table(self.page.control_index, lang),
                capacity_view.headline_table(self.page.capacity, lang),
                health_codes_view.headline_table(self.health_codes, lang),
                zoning_view.counts_table(self.page.zoning, lang),
                recovery_view.headline_table(self.page.headline, lang, press_date=press_date),
                kpis.kpi_table(self.page.kpis, lang),
                kpis.cards(self.page.kpis, lang, self.page.capacity.target),
            ]
        self.text = "\n".join([*(t.to_string() for t in tables), *self.paragraphs.values()])
        # the published figure a chart is given (province average chart, share-green chart)
        self.chart_references = [self.page.control_index.reference, self.health_codes.reference]


@pytest.fixture(scope="module")
def march_1() -> Day:
    return Day(dt.date(2020, 3, 1))


@pytest.fixture(scope="module")
def march_2() -> Day:
    return Day(dt.date(2020, 3, 2))


def _published_96_87(day: Day) -> bool:
    return "Published province average" in day.text or "公布的全省平均" in day.text


def test_the_briefing_of_1_march_shows_none_of_the_figures_of_2_march(march_1):
    s = march_1.summary
    for section in ("recovery", "zoning", "control_index"):
        assert s[section]["published_reference"] is None, section
    assert s["capacity"]["target"]["published_reference"] is None  # 76.75: end of February, given on 2 March
    assert s["capacity"]["published_reference"]["press_date"] == "2020-02-26"  # 99.8 % / 60.1 %: known by then
    assert "96.87" not in json.dumps(s)  # no published 96.87 in the numbers of the day
    assert not _published_96_87(march_1)
    assert "87.1% discharged" not in march_1.text and "90 of 90 low-risk" not in march_1.text
    assert march_1.chart_references[0] is None


def test_the_briefing_of_2_march_shows_them_with_their_date_and_source(march_2):
    s = march_2.summary
    ref = s["control_index"]["published_reference"]
    assert (ref["value"], ref["date"], ref["press_date"]) == (96.87, "2020-03-01", "2020-03-02")
    assert s["recovery"]["published_reference"]["discharge_rate"] == 0.871
    assert s["zoning"]["published_reference"]["low_risk"] == 90
    assert s["capacity"]["target"]["published_reference"]["value"] == 76.75
    assert _published_96_87(march_2) and "2 Mar 2020 (data as of 1 Mar, 24:00)" in march_2.text
    assert "87.1% discharged (1,050 of 1,205)" in march_2.text and "90 of 90 low-risk" in march_2.text
    assert march_2.chart_references[0]["value"] == 96.87


def test_the_front_page_of_2_march_shows_the_three_figures_of_the_press_conference(march_2):
    s = march_2.summary
    assert fmt.percent(s["recovery"]["discharge_rate"], "en") == "87.1%"
    counts = s["zoning"]["counts"]
    assert (counts["green"], sum(counts.values())) == (90, 90)
    # published 96.87: the scenario is calibrated to it to one decimal (tests/scenario/test_calibration_topics.py)
    assert round(s["control_index"]["province_simple_mean"], 1) == 96.9
    assert "all 90 counties are low-risk" in march_2.paragraphs["en"]


def test_one_name_one_number_for_the_precision_control_index(march_2):
    # the KPI card, the paragraph and the summary show the same number, under the same name
    mean = march_2.summary["control_index"]["province_simple_mean"]
    card = next(k for k in march_2.page.kpis if k.key == "control_index")
    assert card.value == mean
    shown = fmt.index(mean, "en")
    cards = kpis.cards(march_2.page.kpis, "en")
    row = cards[cards["key"] == "control_index"].iloc[0]
    assert (row["label"], row["value_text"]) == ("Precision control index (county average)", shown)
    assert f"precision control index averages {shown} points" in march_2.paragraphs["en"]
    assert f"全省精密智控指数平均为{fmt.index(mean, 'zh')}分" in march_2.paragraphs["zh"]
    # the control sub-index (管控指数) is named as a part, never as the whole
    assert "control sub-index averages" in march_2.paragraphs["en"]
    assert "其中管控指数" in march_2.paragraphs["zh"]
    zh_cards = kpis.cards(march_2.page.kpis, "zh")
    assert zh_cards[zh_cards["key"] == "control_index"].iloc[0]["label"].startswith("精密智控指数")


def test_counts_from_the_samples_are_province_scale_estimates(march_2):
    hc, firms = march_2.summary["health_codes"], march_2.summary["capacity"]["above_scale"]
    # 1 % of residents: 405,307 holders in the log are about 40.5 million in the province
    assert (hc["estimated"], hc["sampling_fraction"], hc["sample"]["holders"]) == (True, 0.01, 405_307)
    assert hc["holders"] == pytest.approx(40_530_700)
    # 10 % of the above-scale firms: 4,437 in the register are the province's 44,370
    assert (firms["estimated"], firms["n_enterprises_sample"]) == (True, 4437)
    assert firms["n_enterprises"] == pytest.approx(44_370)
    en, zh = march_2.paragraphs["en"], march_2.paragraphs["zh"]
    assert "Of about 44,400 industrial enterprises above designated size (estimated from a 10% sample)" in en
    assert "Of about 40.5 million people holding a health code (estimated from a 1% sample of residents)" in en
    assert "规模以上工业企业约44400家（按10%抽样推算）" in zh and "持码约4050万人（按居民1%抽样推算）" in zh
    # no count of a sample is said as a total: neither the sample sizes nor their 万 forms appear
    for sample in ("4,437", "4437", "405,307", "40.5万人", "405307"):
        assert sample not in en + zh, sample


def test_100_percent_only_when_exact(march_1):
    # 1 March: every above-scale firm with a reading has resumed (exactly 100 %); 25 February: 4,435 of 4,437
    above = march_1.summary["capacity"]["above_scale"]
    assert above["resumption_rate_pct"] == 100.0
    assert "100.0% have resumed work" in march_1.paragraphs["en"]
    assert fmt.percent_value(100 * 4435 / 4437, "en") == "over 99.9%"
    assert not re.search(r"(?<!\d)100\.0%", fmt.percent_value(99.96, "en"))


def test_the_discharged_card_of_2_march_shows_the_real_change(march_2):
    # real figures: 1,027 discharged as of 29 Feb (canghailan province row), 1,050 as of 1 Mar
    # (bulletin): +23, and the rate 87.1 % against 85.2 % (1027 / 1205): +1.9 points
    cards = kpis.cards(march_2.page.kpis, "en").set_index("key")
    assert cards.loc["discharged", ["value_text", "change_text"]].tolist() == ["1,050", "+23"]
    assert cards.loc["discharge_rate", "change_text"] == "+1.9 pts"
