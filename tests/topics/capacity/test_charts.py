"""Capacity charts: titles that state the finding, the "days behind" label clear of every line, percent
ticks without decimals, the resumption map's band texts and finding."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.path import Path as MplPath
from matplotlib.text import Text

from epianalysis.reference.regions import counties
from epianalysis.topics.capacity import charts
from epianalysis.topics.capacity.resumption_map import load_zoning_rules


def _text(fig, gid):
    return next(t.get_text() for t in fig.findobj(Text) if t.get_gid() == gid)


def _ticks(axis) -> list[str]:
    """Tick labels shown (inside the view limits)."""
    low, high = sorted(axis.get_view_interval())
    return [
        t.get_text()
        for loc, t in zip(axis.get_majorticklocs(), axis.get_majorticklabels(), strict=True)
        if low <= loc <= high
    ]


def _size_groups(last_index: float | None = 77.36) -> pd.DataFrame:
    dates = pd.date_range("2020-02-20", "2020-03-01")
    index = list(np.linspace(50.0, 77.0, len(dates) - 1)) + [last_index]
    return pd.DataFrame(
        {
            "date": dates,
            "size_group": "above_scale",
            "resumption_rate_pct": np.linspace(90.0, 99.0, len(dates)),
            "worker_return_pct": np.linspace(50.0, 79.0, len(dates)),
            "capacity_recovery_index": pd.array(index, dtype="Float64"),
        }
    )


TARGET = {"target": 75.0, "target_date": "2020-02-29", "value": 76.75, "met": True}


def test_rates_chart_title_states_the_recovery_and_ticks_have_no_decimals():
    fig = charts.rates_chart(_size_groups(), target=TARGET, lang="en", subtitle="Data as of 1 Mar 2020, 24:00")
    assert _text(fig, "title") == "Capacity recovered to 77.4% of normal"  # 77.36 -> 77.4
    assert _text(fig, "subtitle") == "Work resumption of above-scale firms · Data as of 1 Mar 2020, 24:00"
    fig.canvas.draw()
    assert _ticks(fig.axes[0].yaxis) == ["0%", "20%", "40%", "60%", "80%", "100%"]
    # no value on the last date: no finding, the topic is the title
    fig = charts.rates_chart(_size_groups(None), target=TARGET, lang="en", subtitle="Data")
    assert _text(fig, "title") == "Work resumption of above-scale firms"
    assert _text(fig, "subtitle") == "Data"


def _curves() -> pd.DataFrame:
    # days after the Spring Festival: 2019 recovers by day 20, 2020 reaches 77.4 % on day 36
    days = np.arange(-10, 41)
    normal = np.clip(12 + 3.5 * (days - 5), 10, 97.5)
    year = np.where(days <= 36, np.clip(10 + 3.4 * (days - 16), 10, 77.4), np.nan)
    return pd.DataFrame(
        {
            "lunar_day": days,
            "index_2019": pd.array(normal, dtype="Float64"),
            "index_2020": pd.array(year, dtype="Float64"),
            "date_2020": pd.Timestamp("2020-01-25") + pd.to_timedelta(days, unit="D"),
        }
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_days_behind_label_crosses_no_line(lang):
    from epianalysis.charts import fonts

    if lang == "zh" and fonts.register_cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-droid-fallback)")
    fig = charts.normal_year_chart(_curves(), TARGET, 16, lang=lang, subtitle="S")
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    label = next(t for t in ax.texts if t.get_gid() == "latest_label")
    assert label.get_text() == {"en": "77.4%: 16 days behind a normal year", "zh": "77.4%：比正常年份晚16天"}[lang]
    label.update_positions(renderer)
    box = Text.get_window_extent(label, renderer)  # the text, not its leader
    for line in ax.get_lines():
        if line.get_linestyle() in ("None", "none"):
            continue
        xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
        xy = xy[np.isfinite(xy).all(axis=1)]
        assert not MplPath(xy).intersects_bbox(box, filled=False), line.get_gid()
    assert (
        _text(fig, "title")
        == {"en": "Capacity recovery 16 days behind a normal year", "zh": "产能恢复进度比正常年份晚16天"}[lang]
    )


def test_normal_year_title_without_days_behind_is_the_topic():
    fig = charts.normal_year_chart(_curves(), TARGET, None, lang="en", subtitle="S")
    assert _text(fig, "title") == "Capacity recovery against a normal year (above-scale firms)"
    assert next(t for t in fig.axes[0].texts if t.get_gid() == "latest_label").get_text() == "77.4%"
    fig.canvas.draw()
    assert _ticks(fig.axes[0].xaxis) == ["\u221210", "0", "10", "20", "30", "40"]


def test_band_texts_are_written_from_the_bounds_with_an_en_dash():
    rules = load_zoning_rules()
    assert [b.label_en for b in rules.bands] == [
        "below 30% resumed",
        "30–50% resumed",
        "50–70% resumed",
        "70–90% resumed",
        "90% resumed or more",
    ]
    assert rules.bands[3].label_zh == "复工率70–90%"
    assert all("-" not in b.label_en and " %" not in b.label_en for b in rules.bands)


def test_resumption_map_states_when_every_county_is_in_the_top_band():
    rules = load_zoning_rules()
    codes = counties()["code"].astype(str)
    every = pd.DataFrame({"region_code": codes, "band": "green"})
    fig = charts.resumption_map(every, rules, lang="en", subtitle="Data as of 1 Mar 2020, 24:00")
    assert _text(fig, "title") == "Resumption of 90% or more in all 90 counties"
    legend = next(lg for lg in fig.legends if lg.get_gid() == "map_legend")
    texts = [t.get_text() for t in legend.get_texts()]
    assert texts[0] == "90% resumed or more (90)" and not any(t.startswith("unknown") for t in texts)
    one_short = every.assign(band=["blue"] + ["green"] * 89)
    fig = charts.resumption_map(one_short, rules, lang="en", subtitle="S")
    assert _text(fig, "title") == "Work resumption five-colour map of the 90 counties"
