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
    assert (round(w * DPI), round(h * DPI)) == (1920, 1080)
    w, h = SIZES["square"]
    assert (round(w * DPI), round(h * DPI)) == (1080, 1080)
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


def _gid(fig, gid):
    return [t for t in fig.texts if t.get_gid() == gid]


TITLES = {
    "en": ["No new local case for 9 days", "Zhejiang five-colour county risk map (2020) · one tile per county"],
    "zh": ["已连续9天无新增本地确诊病例", "浙江省县域疫情风险五色图（2020）· 一格一县 · 各等级县（市、区）数"],
}


@pytest.mark.parametrize(("size", "which"), list(itertools.product(["wide", "square"], [0, 1])))
def test_synthetic_banner_sits_in_the_title_area_clear_of_the_title(size, which):
    for lang in _langs():
        with press_style(lang):
            fig = new_figure(size)
            title = TITLES[lang][which]
            add_frame(
                fig,
                title=title,
                subtitle="Data as of 1 Mar 2020, 24:00",
                source="S",
                synthetic=True,
                lang=lang,
                size=size,
            )
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        (banner,) = _gid(fig, "synthetic_banner")
        assert banner.get_text() == {"en": "SYNTHETIC SCENARIO", "zh": "合成情景数据"}[lang]
        box = banner.get_bbox_patch().get_window_extent(renderer)  # the boxed tag, not only its letters
        (title_text,) = _gid(fig, "title")
        (subtitle,) = _gid(fig, "subtitle")
        assert title_text.get_text() == title
        assert not box.overlaps(title_text.get_window_extent(renderer)), (size, lang, which)
        assert not box.overlaps(subtitle.get_window_extent(renderer)), (size, lang, which)
        assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1 and box.y1 <= fig.bbox.y1, (size, lang, which)
        assert box.y0 > subtitle.get_window_extent(renderer).y1  # in the title area, above the subtitle
        # the banner costs the title at most a tenth of its size (beyond that the banner goes above it)
        with press_style(lang):
            plain = new_figure(size)
            add_frame(plain, title=title, subtitle=None, source="S", synthetic=False, lang=lang, size=size)
        (alone,) = _gid(plain, "title")
        assert title_text.get_fontsize() >= 0.9 * alone.get_fontsize() - 0.5, (size, lang, which)


def test_no_banner_without_synthetic_data_and_the_source_line_still_says_so():
    with press_style("en"):
        fig = new_figure()
        add_frame(fig, title="T", subtitle=None, source="S", synthetic=False, lang="en")
    assert _gid(fig, "synthetic_banner") == []
    with press_style("en"):
        fig = new_figure()
        add_frame(fig, title="T", subtitle=None, source="S", synthetic=True, lang="en")
    assert [t.get_text() for t in _gid(fig, "source")] == ["Source: S · synthetic scenario"]


@pytest.mark.parametrize("size", ["wide", "square"])
def test_a_long_note_wraps_into_balanced_lines_that_fit(size):
    note = {
        "en": "Change since the previous day (29 Feb 2020, 24:00), from the same data. Green: good news; "
        "red: bad news; grey: no change.",
        "zh": "变化为与前一日（2020年2月29日24时）相比，数据口径相同。绿色为向好，红色为需关注，灰色为无变化。",
    }
    for lang in _langs():
        with press_style(lang):
            fig = new_figure(size)
            add_frame(
                fig, title="T", subtitle=None, source="S", synthetic=True, lang=lang, notes=[note[lang]], size=size
            )
        renderer = fig.canvas.get_renderer()
        lines = sorted(_gid(fig, "note"), key=lambda t: -t.get_position()[1])  # top line first
        assert 1 <= len(lines) <= 2
        assert "".join(t.get_text() for t in lines).replace(" ", "") == note[lang].replace(" ", "")  # nothing cut
        boxes = [t.get_window_extent(renderer) for t in lines]
        assert all(fig.bbox.x0 <= b.x0 and b.x1 <= fig.bbox.x1 for b in boxes), (size, lang)
        assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
        source = _gid(fig, "source")[0].get_window_extent(renderer)
        assert not any(b.overlaps(source) for b in boxes)
        if len(lines) == 2:  # balanced: not a full line and an orphan
            assert min(b.width for b in boxes) > 0.5 * max(b.width for b in boxes), (size, lang)
        assert lines[0].get_fontsize() >= 9.0


def test_value_ticks_stay_inside_the_figure():
    from epianalysis.topics.health_codes.charts import colour_counts_chart

    days = pd.date_range("2020-02-11", periods=20, freq="D")
    series = pd.DataFrame({"date": days, "yellow": [700_000] * 20, "red": [300_000] * 20, "to_green": [90_000] * 20})
    for lang in _langs():
        fig = colour_counts_chart(series, lang)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        labels = [t for t in fig.axes[0].get_yticklabels() if t.get_text()]
        assert any(t.get_text() in ("1,000,000", "100万") for t in labels)
        assert all(t.get_window_extent(renderer).x0 >= 0 for t in labels), lang


def test_legend_rows_fit_the_width_and_stay_clear_of_the_plot():
    from epianalysis.topics.transmission.charts import rt_chart

    rt = pd.DataFrame(
        {
            "date": pd.date_range("2020-02-20", periods=6, freq="D"),
            "mean": [1.5, 1.2, 0.8, 0.7, None, None],
            "lower": [1.1, 0.9, 0.5, 0.4, None, None],
            "upper": [1.9, 1.5, 1.1, 0.9, None, None],
            "suppressed": [False, False, False, False, True, True],
            "provisional": [False, False, False, True, True, True],
        }
    )
    for lang in _langs():
        fig = rt_chart(rt, lang=lang, source="S", synthetic=True)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        legend = fig.legends[0].get_window_extent(renderer)
        assert len(fig.legends[0].get_texts()) == 4  # line, interval, too few cases, provisional
        assert fig.bbox.x0 <= legend.x0 and legend.x1 <= fig.bbox.x1, lang
        ax = fig.axes[0]
        value_label = next(t for t in ax.texts if t.get_gid() == "value_label").get_window_extent(renderer)
        assert not _overlap(value_label, legend)
        assert legend.y0 > ax.get_window_extent(renderer).y1
