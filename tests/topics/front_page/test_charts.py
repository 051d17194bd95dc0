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
