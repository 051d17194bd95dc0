"""KPI cards chart."""

from __future__ import annotations

import pandas as pd
import pytest

from epianalysis.errors import DataError
from epianalysis.topics.front_page import charts as kpi


def _cards(n: int = 8) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "key": [f"k{i}" for i in range(n)],
            "label": ["Capacity recovery, above-scale firms"] + [f"Indicator {i}" for i in range(1, n)],
            "value_text": [f"{i},205" for i in range(n)],
            "change_text": ["+36", "\N{MINUS SIGN}2", "+1.2 pts", "±0"] * (n // 4) + ["+1"] * (n % 4),
            "tone": ["good", "bad", "good", "neutral"] * (n // 4) + ["good"] * (n % 4),
            "detail": ["Target: 75% by 29 Feb"] + [""] * (n - 1),
        }
    )


def _texts(fig) -> dict[str, object]:
    return {t.get_gid(): t for t in fig.texts if t.get_gid()}


@pytest.mark.parametrize("size", ["wide", "square"])
def test_one_card_per_row_with_value_and_coloured_change(size):
    fig = kpi.kpi_cards(_cards(), size=size, note="Change since the previous day")
    cards = [p for p in fig.artists if str(p.get_gid()).startswith("card-")]
    assert len(cards) == 8
    texts = _texts(fig)
    assert texts["value-k0"].get_text() == "0,205"
    assert texts["change-k1"].get_text() == "\N{MINUS SIGN}2"
    assert texts["change-k1"].get_color() == kpi.TONE_COLOURS["bad"]
    assert texts["change-k0"].get_color() == kpi.TONE_COLOURS["good"]
    assert texts["change-k3"].get_color() == kpi.TONE_COLOURS["neutral"]


def test_cards_do_not_overlap_and_labels_fit():
    fig = kpi.kpi_cards(_cards())
    renderer = fig.canvas.get_renderer()
    boxes = [p.get_window_extent(renderer) for p in fig.artists]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b) or a.intersection(a, b).width * a.intersection(a, b).height < 1
    texts = _texts(fig)
    label = texts["label-k0"]
    card = next(p for p in fig.artists if p.get_gid() == "card-k0").get_window_extent(renderer)
    assert "\n" in label.get_text()  # the long label was broken into two lines
    assert label.get_window_extent(renderer).x1 <= card.x1


def test_split_label():
    assert kpi.split_label("Days without a new local case", "en") == "Days without a\nnew local case"
    assert kpi.split_label("精密智控指数（县均）", "zh") == "精密智控指数\n（县均）"


def test_bad_input_is_refused():
    with pytest.raises(DataError, match="tone"):
        kpi.kpi_cards(_cards().assign(tone=["good"] * 7 + ["great"]))
    with pytest.raises(DataError, match="value_text"):
        kpi.kpi_cards(_cards().drop(columns="value_text"))
    with pytest.raises(DataError, match="no cards"):
        kpi.kpi_cards(_cards().iloc[0:0])


def test_chinese_cards():
    from epianalysis.charts import fonts

    try:
        fonts.font_rc("zh")
    except fonts.MissingFontError as error:
        pytest.skip(str(error))
    cards = _cards(2).assign(label=["累计确诊", "规上工业企业产能恢复率"])
    fig = kpi.kpi_cards(cards, lang="zh")
    assert _texts(fig)["label-k1"].get_text() == "规上工业企业产能恢复率"


NOTE = {
    "en": "Change since the previous day (29 Feb 2020, 24:00), from the same data. Green: good news; red: bad news; "
    "grey: no change.",
    "zh": "变化为与前一日（2020年2月29日24时）相比，数据口径相同。绿色为向好，红色为需关注，灰色为无变化。",
}


@pytest.mark.parametrize(("size", "lang"), [("wide", "en"), ("square", "en"), ("square", "zh")])
def test_the_footnote_is_whole_and_inside_the_figure(size, lang):
    from epianalysis.charts import fonts

    if lang == "zh" and fonts.register_cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-droid-fallback)")
    fig = kpi.kpi_cards(_cards(), lang=lang, size=size, note=NOTE[lang], source="S", synthetic=True)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    notes = sorted((t for t in fig.texts if t.get_gid() == "note"), key=lambda t: -t.get_position()[1])
    assert "".join(t.get_text() for t in notes).replace(" ", "") == NOTE[lang].replace(" ", "")
    cards = [p.get_window_extent(renderer) for p in fig.artists if str(p.get_gid()).startswith("card-")]
    for text in notes:
        box = text.get_window_extent(renderer)
        assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1, (size, lang)  # not cut off at the right
        assert not any(box.overlaps(card) for card in cards)
    assert notes[0].get_fontsize() >= 9.0


def test_cards_stay_whole_on_a_square_at_1080_px():
    fig = kpi.kpi_cards(_cards(), size="square")
    renderer = fig.canvas.get_renderer()
    texts = _texts(fig)
    for i in range(8):
        card = next(p for p in fig.artists if p.get_gid() == f"card-k{i}").get_window_extent(renderer)
        for part in ("label", "value", "change"):
            box = texts[f"{part}-k{i}"].get_window_extent(renderer)
            assert card.x0 <= box.x0 and box.x1 <= card.x1, (part, i)
    assert "\n" not in texts["change-k2"].get_text()  # "+1.2 pts" on one line


def test_title_states_the_days_without_a_local_case_when_the_card_has_them():
    cards = _cards(2).assign(key=["confirmed", "days_since_last_local_case"], value=[1205.0, 9.0])
    fig = kpi.kpi_cards(cards, subtitle="Data as of 1 Mar 2020, 24:00")
    assert _texts(fig)["title"].get_text() == "No new local case for 9 days"
    assert _texts(fig)["subtitle"].get_text() == "Zhejiang today: the headline numbers · Data as of 1 Mar 2020, 24:00"
    cards = cards.assign(value=[1205.0, 0.0])  # a local case on the data date: no finding
    assert _texts(kpi.kpi_cards(cards))["title"].get_text() == "Zhejiang today: the headline numbers"
    assert (
        _texts(kpi.kpi_cards(_cards()))["title"].get_text() == "Zhejiang today: the headline numbers"
    )  # no value column
