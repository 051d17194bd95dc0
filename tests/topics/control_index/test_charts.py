"""Control-index charts: the ranking names as many counties as the rule says, titles state the first
and last county and the province average, ticks carry no needless decimals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

from epianalysis.reference.regions import counties
from epianalysis.topics.control_index import charts

REGIONS = counties().sort_values("code").reset_index(drop=True)


def _counties(n: int = 90) -> pd.DataFrame:
    values = np.linspace(97.97, 84.77, n)  # rank 1 the highest
    rows = REGIONS.head(n)
    return pd.DataFrame(
        {
            "region_code": rows["code"].astype(str),
            "name_en": rows["name_en"],
            "name_zh": rows["name_zh"],
            "combined_index": values,
            "rank": np.arange(1, n + 1),
            "complete": True,
        }
    )


def _text(fig, gid):
    return next(t.get_text() for t in fig.findobj(Text) if t.get_gid() == gid)


def _dots(fig, side):
    return [line for ax in fig.axes for line in ax.get_lines() if (line.get_gid() or "").startswith(f"{side}-")]


def test_the_ranking_names_as_many_counties_as_the_rule_says(monkeypatch):
    fig = charts.ranking_chart(_counties(), lang="en")
    assert len(_dots(fig, "top")) == 10 and len(_dots(fig, "bottom")) == 10  # [ranking] named = 10
    assert _text(fig, "panel-top") == "Top 10"
    registry = charts.load_registry()
    monkeypatch.setattr(charts, "load_registry", lambda: type(registry)(**{**registry.__dict__, "ranking_named": 5}))
    fig = charts.ranking_chart(_counties(), lang="en")
    assert len(_dots(fig, "top")) == 5 and _text(fig, "panel-bottom") == "Bottom 5"
    assert len(_dots(charts.ranking_chart(_counties(), n=3, lang="en"), "top")) == 3  # a caller may still choose


def test_ranking_title_names_the_first_and_the_last_county():
    data = _counties()
    first, last = data.iloc[0], data.iloc[-1]
    fig = charts.ranking_chart(data, lang="en", subtitle="Data as of 1 Mar 2020, 24:00")
    assert _text(fig, "title") == f"{first['name_en']} ranks first (97.97), {last['name_en']} last (84.77)"
    assert _text(fig, "subtitle") == "Precision control index: top and bottom counties · Data as of 1 Mar 2020, 24:00"
    fig.canvas.draw()
    for ax in fig.axes:
        low, high = ax.get_xlim()
        shown = [t.get_text() for x, t in zip(ax.get_xticks(), ax.get_xticklabels(), strict=True) if low <= x <= high]
        assert shown and all("." not in t for t in shown)  # 84, 86, ...: whole numbers


def test_one_county_scored_gives_no_first_and_last():
    data = _counties().assign(combined_index=[97.0] + [np.nan] * 89, rank=[1] + [np.nan] * 89)
    fig = charts.ranking_chart(data, lang="en")
    assert _text(fig, "title") == "Precision control index: top and bottom counties"


def test_province_chart_title_states_the_average_of_the_last_day():
    days = pd.date_range("2020-02-01", "2020-03-01")
    province = pd.DataFrame(
        {"date": days, "simple_mean": np.linspace(58.0, 96.865, len(days)), "population_weighted_mean": 95.0}
    )
    fig = charts.province_average_chart(province, lang="en", subtitle="S")
    assert _text(fig, "title") == "Precision control index averages 96.87"
    fig = charts.province_average_chart(province.assign(simple_mean=[*province["simple_mean"][:-1], np.nan]), lang="en")
    assert _text(fig, "title") == "Precision control index, province average"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_map_title_and_colorbar(lang):
    from epianalysis.charts import fonts

    if lang == "zh" and fonts.register_cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-droid-fallback)")
    fig = charts.index_map(_counties(), lang=lang)
    first, last = _counties().iloc[0], _counties().iloc[-1]
    expected = {
        "en": f"{first['name_en']} ranks first (97.97), {last['name_en']} last (84.77)",
        "zh": f"{first['name_zh']}排名第一（97.97分），{last['name_zh']}排名最后（84.77分）",
    }
    assert _text(fig, "title") == expected[lang]
    fig.canvas.draw()
    cbar = next(a for a in fig.axes if a.get_gid() == "colorbar")
    assert [t.get_text() for t in cbar.get_xticklabels() if t.get_text()] == ["80", "85", "90", "95", "100"]
