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


def test_chart_writes_counts_of_tall_segments_and_legend_in_stack_order():
    fig = zoning_trend(COUNTS, lang="en")
    counts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_gid() == "trend-count")]
    # segments of >= 3 counties: 02-09 blue 3, green 4; 02-12 green 9
    assert sorted(counts) == ["3", "4", "9"]
    legend = next(lg for lg in fig.legends if lg.get_gid() == "trend_legend")
    assert [t.get_text() for t in legend.get_texts()][:2] == ["Grey · unknown (missing data)", "Green · low risk"]
    assert [t.get_text() for t in legend.get_texts()][-1] == "Red · high risk"


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
