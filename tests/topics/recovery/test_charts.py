"""Epidemic charts: revisions below zero, rates above 100 % kept, hand-checked values, input errors."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest

from epianalysis.charts import fonts
from epianalysis.errors import DataError
from epianalysis.topics.recovery.charts import discharge_rate_curve, epidemic_curve

DATES = pd.date_range("2020-02-17", periods=5, freq="D")


def _x(day: str) -> float:
    return float(mdates.date2num(pd.Timestamp(day).to_pydatetime()))


def _patches(fig, gid):
    return [p for p in fig.axes[0].patches if p.get_gid() == gid]


def _texts(fig, gid):
    return [t.get_text() for t in (*fig.axes[0].texts, *fig.texts) if t.get_gid() == gid]


def _line(fig, gid):
    return next(line for line in fig.axes[0].get_lines() if line.get_gid() == gid)


@pytest.fixture
def revised() -> pd.DataFrame:
    # 19 Feb: local revised down by 2; 20 Feb: imported revised down by 1 while 4 new local cases.
    return pd.DataFrame(
        {"date": DATES.strftime("%Y-%m-%d"), "new_local": [5, 3, -2, 4, 0], "new_imported": [1, 0, 0, -1, 2]}
    )


def test_negative_revisions_are_drawn_below_zero(revised):
    fig = epidemic_curve(revised, "en")
    local = _patches(fig, "local")
    assert [p.get_height() for p in local] == [5, 3, 4]
    assert all(p.get_y() == 0 for p in local)
    imported = _patches(fig, "imported")
    assert [(p.get_y(), p.get_height()) for p in imported] == [(5, 1), (0, 2)]  # on top of local
    (rev_local,) = _patches(fig, "revision_local")
    assert (rev_local.get_y(), rev_local.get_height()) == (0, -2)
    assert rev_local.get_x() + rev_local.get_width() / 2 == pytest.approx(_x("2020-02-19"))
    assert rev_local.get_hatch()
    (rev_imported,) = _patches(fig, "revision_imported")
    assert (rev_imported.get_y(), rev_imported.get_height()) == (0, -1)
    assert rev_imported.get_x() + rev_imported.get_width() / 2 == pytest.approx(_x("2020-02-20"))
    assert _texts(fig, "revision_label") == ["\u22122", "\u22121"]
    low, _high = fig.axes[0].get_ylim()
    assert low < -2  # nothing clipped
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Revision (negative count)" in legend
    assert any("revisions" in t for t in _texts(fig, "note"))


def test_no_revision_style_without_negative_counts():
    daily = pd.DataFrame({"date": DATES, "new_local": [1, 2, 3, 4, 5], "new_imported": [0, 0, 1, 0, 0]})
    fig = epidemic_curve(daily, "en", mean_window=None)
    assert not _patches(fig, "revision_local") and not _patches(fig, "revision_imported")
    assert fig.axes[0].get_ylim()[0] == 0
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["Local", "Imported"]


def test_no_legend_entry_for_a_series_without_data():
    # no imported case at all: the legend does not offer "Imported" (a press office rejected it)
    daily = pd.DataFrame({"date": DATES, "new_local": [1, 2, 3, 4, 5], "new_imported": [0] * 5})
    fig = epidemic_curve(daily, "en", mean_window=None)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["Local"]
    assert not _patches(fig, "imported")
    # a downward revision of imported cases is data: the entry stays
    daily.loc[2, "new_imported"] = -1
    fig = epidemic_curve(daily, "en", mean_window=None)
    assert "Imported" in [t.get_text() for t in fig.legends[0].get_texts()]


def test_mean_line_and_missing_day_are_honest():
    dates = pd.date_range("2020-02-01", periods=9, freq="D")
    daily = pd.DataFrame(
        {"date": dates, "new_local": [1, 2, 3, 4, 5, 6, 7, 8, 9], "new_imported": [0, 0, 0, 0, 0, 0, 0, 0, 0]}
    )
    daily = daily.drop(index=5)  # 6 Feb absent: a gap, not a zero
    daily.loc[1, "new_imported"] = None  # 2 Feb imported unknown
    fig = epidemic_curve(daily, "en")
    # Every 7-day window (ending 7, 8, 9 Feb) contains 2 Feb or 6 Feb: no mean is drawn at all.
    assert not [line for line in fig.axes[0].get_lines() if line.get_gid() == "trailing_mean"]
    assert "7-day average" not in [t.get_text() for t in fig.legends[0].get_texts()]
    missing = _line(fig, "missing")
    assert sorted(np.asarray(missing.get_xdata())) == [_x("2020-02-02"), _x("2020-02-06")]
    # 2 Feb still shows its known local count.
    assert [p.get_height() for p in _patches(fig, "local")] == [1, 2, 3, 4, 5, 7, 8, 9]
    assert _texts(fig, "note") == ["×: no data for 2 day(s)."]


def test_mean_line_values():
    dates = pd.date_range("2020-02-01", periods=8, freq="D")
    daily = pd.DataFrame({"date": dates, "new_local": [1, 2, 3, 4, 5, 6, 7, 8], "new_imported": [0] * 7 + [7]})
    fig = epidemic_curve(daily, "en")
    y = np.asarray(_line(fig, "trailing_mean").get_ydata(), dtype=float)
    # Day 7: (1+..+7)/7 = 4; day 8: (2+..+8+7)/7 = 42/7 = 6.
    assert np.isnan(y[:6]).all()
    assert y[6:].tolist() == [4.0, 6.0]
    assert "7-day average" in [t.get_text() for t in fig.legends[0].get_texts()]


def test_titles_footer_and_subtitle_defaults(revised):
    # last local case on 20 Feb (4 new), none on 21 Feb: 21 - 20 = 1 day without a new local case
    fig = epidemic_curve(revised, "en", source="Zhejiang Health Commission", synthetic=True)
    assert _texts(fig, "title") == ["No new local case for 1 day"]
    assert _texts(fig, "subtitle") == ["Daily new confirmed cases · Data as of 21 Feb 2020, 24:00"]
    assert _texts(fig, "source") == ["Source: Zhejiang Health Commission · synthetic scenario"]
    fig = epidemic_curve(revised, "en", title="Zhejiang", subtitle="Press conference of 22 Feb")
    assert _texts(fig, "title") == ["Zhejiang"]
    assert _texts(fig, "subtitle") == ["Press conference of 22 Feb"]


def test_chinese_texts(revised):
    if fonts.register_cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-droid-fallback)")
    fig = epidemic_curve(revised, "zh", source="浙江省卫生健康委员会", synthetic=True)
    assert _texts(fig, "title") == ["已连续1天无新增本地确诊病例"]
    assert _texts(fig, "subtitle") == ["每日新增确诊病例 · 数据截至2020年2月21日24时"]
    assert _texts(fig, "source") == ["来源：浙江省卫生健康委员会 · 合成情景数据"]
    fig.canvas.draw()
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert ticks and all(t.endswith("日") and "月" in t for t in ticks)


@pytest.mark.parametrize(
    ("frame", "row", "column", "rule"),
    [
        (pd.DataFrame({"date": ["2020-02-01"], "new_local": [1]}), None, "new_imported", "required_column"),
        (
            pd.DataFrame({"date": ["2020-02-01", "2020-02-01"], "new_local": [1, 2], "new_imported": [0, 0]}),
            2,
            "date",
            "unique_date",
        ),
        (
            pd.DataFrame({"date": ["2020-02-01", "1 Febr"], "new_local": [1, 2], "new_imported": [0, 0]}),
            2,
            "date",
            "valid_date",
        ),
        (
            pd.DataFrame({"date": ["2020-02-01", "2020-02-02"], "new_local": [1, "many"], "new_imported": [0, 0]}),
            2,
            "new_local",
            "numeric",
        ),
        (
            pd.DataFrame({"date": ["2020-02-01", "2020-02-02"], "new_local": [1, 2], "new_imported": [0.5, 0]}),
            1,
            "new_imported",
            "integer_count",
        ),
    ],
)
def test_bad_input_names_row_column_and_rule(frame, row, column, rule):
    with pytest.raises(DataError) as err:
        epidemic_curve(frame, "en")
    hits = [v for v in err.value.violations if v.column == column and v.rule == rule]
    assert hits and hits[0].row == row
    assert hits[0].file == "epidemic_curve.daily"


def _rates(values, start="2020-02-27"):
    return pd.DataFrame({"date": pd.date_range(start, periods=len(values), freq="D"), "discharge_rate": values})


def test_discharge_rate_above_100_percent_stays_visible():
    # Hangzhou, 2 Mar 2020: 170 discharged of 169 confirmed = 100.59 %.
    fig = discharge_rate_curve(_rates([150 / 169, 165 / 169, 170 / 169], "2020-02-29"), "en")
    y = np.asarray(_line(fig, "discharge_rate").get_ydata(), dtype=float)
    assert y[-1] == pytest.approx(100.5917, abs=1e-4)  # 17000 / 169
    assert fig.axes[0].get_ylim()[1] > 100.6
    flagged = np.asarray(_line(fig, "above_100").get_ydata(), dtype=float)
    assert flagged.tolist() == pytest.approx([100.5917], abs=1e-4)
    assert _texts(fig, "above_100_label") == ["100.6%"]
    assert _texts(fig, "latest_label") == ["Latest: 100.6%"]
    assert any("above 100%" in t for t in _texts(fig, "note"))


def test_discharge_rate_published_province_points():
    # Data as of 27 Feb: 943 / 1205 = 78.26 %; as of 1 Mar: 1050 / 1205 = 87.14 %; 28-29 Feb absent.
    df = pd.DataFrame({"date": ["2020-02-27", "2020-03-01"], "discharge_rate": [943 / 1205, 1050 / 1205]})
    fig = discharge_rate_curve(df, "en", source="Zhejiang Health Commission")
    y = np.asarray(_line(fig, "discharge_rate").get_ydata(), dtype=float)
    assert y[0] == pytest.approx(78.2573, abs=1e-4)
    assert np.isnan(y[1]) and np.isnan(y[2])  # the gap stays a gap
    assert y[3] == pytest.approx(87.1369, abs=1e-4)
    assert _texts(fig, "latest_label") == ["Latest: 87.1%"]
    # the finding as title (1050 / 1205 = 87.14 % on the last date), the topic before the data date
    assert _texts(fig, "title") == ["87.1% of confirmed patients discharged"]
    assert _texts(fig, "subtitle") == ["Share of confirmed patients discharged · Data as of 1 Mar 2020, 24:00"]
    assert any("2 day(s)" in t for t in _texts(fig, "note"))
    assert not [line for line in fig.axes[0].get_lines() if line.get_gid() == "above_100"]
    assert fig.axes[0].get_ylim() == (0, 110)
    fig.canvas.draw()
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["0%", "20%", "40%", "60%", "80%", "100%"]


def test_discharge_rate_rejects_negative_and_infinite_rates():
    with pytest.raises(DataError) as err:
        discharge_rate_curve(_rates([0.5, -0.1]), "en")
    (violation,) = err.value.violations
    assert (violation.row, violation.column, violation.rule) == (2, "discharge_rate", "non_negative")
    with pytest.raises(DataError) as err:
        discharge_rate_curve(_rates([0.5, np.inf]), "en")
    assert [(v.row, v.rule) for v in err.value.violations] == [(2, "finite")]
    with pytest.raises(DataError, match="every discharge rate is missing"):
        discharge_rate_curve(_rates([None, None]), "en")


@pytest.mark.parametrize(
    ("local", "title"),
    [
        ([5, 3, 0, 0, 0], "No new local case for 3 days"),  # last case 18 Feb; 21 - 18 = 3
        ([5, 3, 0, 0, 2], "Daily new confirmed cases"),  # a case on the last day: no finding
        ([5, 3, 0, None, 0], "Daily new confirmed cases"),  # a day without data after the last case
        ([0, 0, 0, 0, 0], "Daily new confirmed cases"),  # no case at all: nothing to count from
    ],
)
def test_epidemic_curve_title_states_the_finding_only_when_supported(local, title):
    daily = pd.DataFrame({"date": DATES, "new_local": local, "new_imported": [0] * 5})
    fig = epidemic_curve(daily, "en")
    assert _texts(fig, "title") == [title]
    expected = "Data as of 21 Feb 2020, 24:00"
    assert _texts(fig, "subtitle") == [
        expected if title == "Daily new confirmed cases" else f"Daily new confirmed cases · {expected}"
    ]


def test_without_the_split_the_finding_speaks_of_confirmed_cases():
    daily = pd.DataFrame({"date": DATES, "new_local": [5, 3, 0, 0, 0], "new_imported": [None] * 5})
    assert _texts(epidemic_curve(daily, "en"), "title") == ["No new case for 3 days"]


def test_discharge_rate_title_without_a_value_on_the_last_date_is_the_topic():
    fig = discharge_rate_curve(_rates([0.5, 0.6, None]), "en")
    assert _texts(fig, "title") == ["Share of confirmed patients discharged"]
    fig = discharge_rate_curve(_rates([150 / 169, 170 / 169], "2020-03-01"), "en")
    assert _texts(fig, "title") == ["More patients discharged than confirmed (100.6%)"]  # 17000 / 169 = 100.59
