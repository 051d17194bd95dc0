"""Press style: fixed sizes, deterministic settings, layout that fits, date ticks per language."""

from __future__ import annotations

import datetime as dt
import itertools

import matplotlib
import matplotlib.dates as mdates
import pandas as pd
import pytest

from epianalysis.charts import fonts
from epianalysis.charts.style import (
    DPI,
    PRESS_RC,
    SIZES,
    DateTickFormatter,
    add_frame,
    date_locator,
    new_figure,
    press_style,
    source_line,
    thousands_formatter,
)
from epianalysis.topics.recovery.charts import discharge_rate_curve, epidemic_curve


def _langs() -> list[str]:
    return ["en", "zh"] if fonts.register_cjk_font() else ["en"]


def test_sizes_are_16_9_and_square_in_pixels():
    w, h = SIZES["wide"]
    assert (round(w * DPI), round(h * DPI)) == (1280, 720)
    w, h = SIZES["square"]
    assert (round(w * DPI), round(h * DPI)) == (720, 720)
    with pytest.raises(ValueError, match="poster"):
        new_figure("poster")


def test_deterministic_and_embedding_settings():
    assert PRESS_RC["svg.hashsalt"]
    assert PRESS_RC["pdf.fonttype"] == 42 and PRESS_RC["ps.fonttype"] == 42
    assert PRESS_RC["axes.spines.top"] is False and PRESS_RC["axes.spines.right"] is False


def test_press_style_restores_rcparams():
    before = matplotlib.rcParams["svg.hashsalt"], list(matplotlib.rcParams["font.family"])
    with press_style("en") as rc:
        assert matplotlib.rcParams["svg.hashsalt"] == PRESS_RC["svg.hashsalt"]
        assert list(matplotlib.rcParams["font.family"]) == rc["font.family"]
    assert (matplotlib.rcParams["svg.hashsalt"], list(matplotlib.rcParams["font.family"])) == before


def test_new_figure_uses_agg_without_pyplot():
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    open_before = plt.get_fignums()
    fig = new_figure("square")
    assert isinstance(fig.canvas, FigureCanvasAgg)
    assert plt.get_fignums() == open_before  # nothing registered with pyplot


def test_source_line():
    assert source_line("JHU CSSE", True, "en") == "Source: JHU CSSE · synthetic scenario"
    assert source_line("浙江省卫健委", True, "zh") == "来源：浙江省卫健委 · 合成情景数据"
    assert source_line("浙江省卫健委", False, "zh") == "来源：浙江省卫健委"
    assert source_line(None, False, "en") == "Source: not stated"


def test_thousands_formatter():
    fmt = thousands_formatter("en")
    assert fmt(14989000, 0) == "14,989,000"  # health codes issued by 17 Feb 2020
    assert fmt(-1205, 0) == "\u22121,205"
    zh = thousands_formatter("zh")  # as a Chinese press release writes counts (epianalysis.text.format)
    assert (zh(1205, 0), zh(14989000, 0)) == ("1205", "1498.9万")  # 14,989,000 / 10,000 = 1498.9


def test_date_ticks_are_mondays_and_written_per_language():
    # 20 Jan 2020 was a Monday; a 42-day span gets weekly Monday ticks.
    start, end = dt.date(2020, 1, 20), dt.date(2020, 3, 1)
    ticks = date_locator(start, end).tick_values(dt.datetime(2020, 1, 20), dt.datetime(2020, 3, 1))
    days = [mdates.num2date(t).date() for t in ticks]
    assert days[:6] == [dt.date(2020, 1, 20) + dt.timedelta(weeks=k) for k in range(6)]
    values = [mdates.date2num(d) for d in days[:3]]
    assert DateTickFormatter("en").format_ticks(values) == ["20 Jan", "27 Jan", "3 Feb"]
    assert DateTickFormatter("zh").format_ticks(values) == ["1月20日", "1月27日", "2月3日"]


def test_month_ticks_carry_the_year_where_it_changes():
    values = [mdates.date2num(dt.date(y, m, 1)) for y, m in ((2019, 11), (2019, 12), (2020, 1), (2020, 2))]
    assert DateTickFormatter("en").format_ticks(values) == ["Nov 2019", "Dec", "Jan 2020", "Feb"]
    assert DateTickFormatter("zh").format_ticks(values) == ["2019年11月", "12月", "2020年1月", "2月"]


def _daily(days: int) -> pd.DataFrame:
    dates = pd.date_range("2020-01-16", periods=days, freq="D")
    local = [(i * 37) % 150 - (10 if i % 23 == 5 else 0) for i in range(days)]
    imported = [(i * 7) % 5 for i in range(days)]
    daily = pd.DataFrame({"date": dates, "new_local": local, "new_imported": imported})
    daily.loc[days // 2, "new_local"] = None
    return daily


def _overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


@pytest.mark.parametrize(("days", "size"), list(itertools.product([6, 45, 200], ["wide", "square"])))
def test_tick_labels_never_overlap_and_everything_fits(days, size):
    for lang in _langs():
        rates = pd.DataFrame(
            {
                "date": pd.date_range("2020-01-16", periods=days, freq="D"),
                "discharge_rate": [min(1.01, i / days) for i in range(days)],
            }
        )
        for fig in (
            epidemic_curve(_daily(days), lang, size=size, source="S" * 30, synthetic=True),
            discharge_rate_curve(rates, lang, size=size, source="S" * 30, synthetic=True),
        ):
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
            ax = fig.axes[0]
            boxes = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
            assert 2 <= len(boxes) <= 9, (days, size, lang)
            for a, b in itertools.pairwise(boxes):
                assert a.x1 + 8 < b.x0, (days, size, lang)  # at least 8 px between labels
            fig_box = fig.bbox
            texts = [*fig.texts, *ax.texts, *(fig.legends[0].get_texts())]
            for text in texts:
                box = text.get_window_extent(renderer)
                assert fig_box.x0 <= box.x0 and box.x1 <= fig_box.x1, (text.get_text(), size, lang)
                assert fig_box.y0 <= box.y0 and box.y1 <= fig_box.y1, (text.get_text(), size, lang)
            legend = fig.legends[0].get_window_extent(renderer)
            for text in fig.texts:
                if text.get_gid() in ("title", "subtitle"):
                    assert not _overlap(text.get_window_extent(renderer), legend), (size, lang)
            value_label = next(t for t in ax.texts if t.get_gid() == "value_label")
            assert not _overlap(value_label.get_window_extent(renderer), legend), (size, lang)


def test_frame_refuses_more_notes_than_fit():
    with press_style("en"):
        fig = new_figure()
        with pytest.raises(ValueError, match="at most 2"):
            add_frame(fig, title="t", subtitle=None, source=None, synthetic=False, lang="en", notes=["a", "b", "c"])
