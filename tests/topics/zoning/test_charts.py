"""The trend chart of counts per level: stacked segments by hand, checks, labels."""

import pandas as pd
import pytest

from epianalysis.errors import DataError
from epianalysis.topics.zoning.charts import text_colour, trend_segments, zoning_trend

COUNTS = pd.DataFrame(
    {
        "date": ["2020-02-09", "2020-02-12"],
        "green": [4, 9],
        "blue": [3, 1],
        "yellow": [2, 0],
        "orange": [0, 0],
        "red": [1, 0],
        "unknown": [0, 0],
    }
)


def test_segments_stack_highest_risk_first_by_hand():
    seg = trend_segments(COUNTS)  # default five colours, red at the bottom, unknown on top
    first = seg[seg["date"] == pd.Timestamp("2020-02-09")]
    assert first["level"].tolist() == ["red", "orange", "yellow", "blue", "green", "unknown"]
    assert first["count"].tolist() == [1, 0, 2, 3, 4, 0]
    assert first["bottom"].tolist() == [0, 1, 1, 3, 6, 10]
    assert first["top"].tolist() == [1, 1, 3, 6, 10, 10]
    assert seg.groupby("date")["top"].max().tolist() == [10, 10]


def _gid_texts(fig, gid):
    return [t for t in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_gid() == gid)]


def test_chart_writes_counts_of_tall_segments_inside_and_thin_ones_beside():
    fig = zoning_trend(COUNTS, lang="en")
    inside = [t.get_text() for t in _gid_texts(fig, "trend-count")]
    # segments of >= 4 counties inside: 02-09 green 4; 02-12 green 9
    assert sorted(inside) == ["4", "9"]
    # thinner ones beside their bar: 02-09 red 1, yellow 2, blue 3; 02-12 blue 1 (the one red county too)
    beside = [t.get_text() for t in _gid_texts(fig, "trend-count-beside")]
    assert sorted(beside) == ["1", "1", "2", "3"]


def test_counts_beside_the_bars_overlap_nothing():
    counts = COUNTS.assign(red=[1, 1], orange=[1, 0], yellow=[1, 0], blue=[3, 1], green=[4, 8])
    fig = zoning_trend(counts, lang="en")
    renderer = fig.canvas.get_renderer()
    beside = _gid_texts(fig, "trend-count-beside")
    assert len(beside) == 6  # 9 Feb: red, orange, yellow 1, blue 3; 12 Feb: red 1, blue 1
    boxes = [t.get_window_extent(renderer) for t in beside]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    ax = fig.axes[0]
    bars = [p.get_window_extent(renderer) for p in ax.patches if p.get_height() > 0]
    assert not any(box.overlaps(bar) for box in boxes for bar in bars)
    frame = fig.bbox
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 for b in boxes)


def test_legend_in_stack_order_without_levels_no_county_had():
    fig = zoning_trend(COUNTS, lang="en")
    legend = next(lg for lg in fig.legends if lg.get_gid() == "trend_legend")
    texts = [t.get_text() for t in legend.get_texts()]
    # unknown and orange are 0 on both dates: no entry
    assert texts == ["Green · low risk", "Blue · lower risk", "Yellow · medium risk", "Red · high risk"]


def test_title_states_all_green_only_when_every_county_is_green():
    fig = zoning_trend(COUNTS, lang="en")  # 12 Feb: 9 green, 1 blue
    assert _gid_texts(fig, "title")[0].get_text() == "Counties per risk level since the first evaluation"
    all_green = COUNTS.assign(green=[4, 10], blue=[3, 0])  # 12 Feb: 10 green of 10, unknown 0
    fig = zoning_trend(all_green, lang="en")
    assert _gid_texts(fig, "title")[0].get_text() == "All 10 counties low-risk"
    subtitle = _gid_texts(fig, "subtitle")[0].get_text()
    assert subtitle == "Counties per risk level since the first evaluation · Evaluations from 9 Feb 2020 to 12 Feb 2020"
    unknown = all_green.assign(green=[4, 9], unknown=[0, 1])  # a county not assessed: no "all"
    assert _gid_texts(zoning_trend(unknown, lang="en"), "title")[0].get_text().startswith("Counties per")


def test_bad_counts_name_row_column_and_rule():
    bad = COUNTS.copy()
    bad.loc[1, "blue"] = -1
    bad.loc[0, "green"] = None
    with pytest.raises(DataError) as err:
        trend_segments(bad)
    found = {(v.row, v.column, v.rule) for v in err.value.violations}
    assert found == {(2, "blue", "whole_count"), (1, "green", "count_present")}
    with pytest.raises(DataError, match="required column"):
        trend_segments(COUNTS.drop(columns="unknown"))


def test_text_colour_dark_on_yellow_white_on_blue():
    assert text_colour("#F2C200") == "#111111"
    assert text_colour("#2C7BB6") == "#FFFFFF"


def test_with_many_evaluations_only_the_latest_gets_its_thin_counts_beside_it():
    dates = pd.date_range("2020-02-09", periods=27, freq="3D")
    many = pd.DataFrame({"date": dates, "green": 87, "blue": 1, "yellow": 2, "orange": 0, "red": 0, "unknown": 0})
    fig = zoning_trend(many, lang="en")
    beside = sorted(t.get_text() for t in _gid_texts(fig, "trend-count-beside"))
    assert beside == ["1", "2"]  # the last evaluation's blue 1 and yellow 2; the bars keep their width
    renderer = fig.canvas.get_renderer()
    frame = fig.axes[0].get_window_extent(renderer)
    assert all(frame.x0 <= t.get_window_extent(renderer).x1 <= frame.x1 for t in _gid_texts(fig, "trend-count-beside"))
