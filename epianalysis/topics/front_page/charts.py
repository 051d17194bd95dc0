"""KPI cards: the headline numbers of the day, each with its change since the previous day.

One card per row of the input frame (already labelled and formatted in the chart's language by
:func:`epianalysis.topics.front_page.view.cards`): the indicator, the value in large type, the change
("+36", "−2", "+1.2 pts") coloured by whether it is good news, and an optional detail line. The
colour never carries the meaning alone: the sign and the words are printed. Wide figures hold the
cards in 4 columns, square ones in 2.
"""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch
from matplotlib.text import Text

from epianalysis.charts.inputs import require_columns
from epianalysis.charts.layout import points_to_pixels
from epianalysis.charts.palettes import HIGHLIGHT_COLOUR, INK
from epianalysis.charts.style import add_frame, emphasis, new_figure, press_style
from epianalysis.errors import DataError, Violation
from epianalysis.text import findings
from epianalysis.text.labels import label

COLUMNS = ["label", "value_text", "change_text", "tone"]
TONE_COLOURS: dict[str, str] = {"good": "#1B7A3E", "bad": HIGHLIGHT_COLOUR, "neutral": INK["muted"]}
"""Colour of the change text by tone (dark green, the highlight red, grey)."""
CARD_COLOUR = "#F1F3F6"

# Card grid per size (figure fractions) and type sizes in points.
_GRID: dict[str, dict[str, float]] = {
    "wide": {
        "cols": 4,
        "left": 0.075,
        "right": 0.965,
        "top": 0.835,
        "bottom": 0.115,
        "hgap": 0.016,
        "vgap": 0.035,
        "label": 14.0,
        "value": 40.0,
        "change": 19.0,
        "detail": 11.5,
    },
    "square": {
        "cols": 2,
        "left": 0.13,
        "right": 0.95,
        "top": 0.845,
        "bottom": 0.115,
        "hgap": 0.025,
        "vgap": 0.018,
        "label": 12.0,
        "value": 26.0,
        "change": 14.0,
        "detail": 10.0,
    },
}


def _check(cards: pd.DataFrame) -> pd.DataFrame:
    require_columns(cards, COLUMNS, "kpi_cards.cards", empty="no cards")
    bad = [i for i, tone in enumerate(cards["tone"]) if tone not in TONE_COLOURS]
    if bad:
        raise DataError(
            f"kpi_cards.cards: tone must be one of {', '.join(TONE_COLOURS)}",
            [Violation("kpi_cards.cards", i + 1, "tone", "tone_known", str(cards["tone"].iloc[i])) for i in bad],
        )
    return cards.reset_index(drop=True)


def _width(text: Text, renderer: object) -> float:
    return text.get_window_extent(renderer).width


def split_label(text: str, lang: str) -> str:
    """Break a label into two lines near its middle: at a space (en) or between characters (zh)."""
    if lang == "zh" or " " not in text:
        # after a full-width bracket or in the middle
        cut = text.find("（")
        cut = cut if cut > 0 else math.ceil(len(text) / 2)
        return f"{text[:cut]}\n{text[cut:]}"
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return (
        f"{text[:cut].rstrip(',')}\n{text[cut + 1 :]}" if text[cut - 1] != "," else f"{text[:cut]}\n{text[cut + 1 :]}"
    )


def fit_text(text: Text, max_px: float, renderer: object, lang: str, min_size: float = 9.0) -> None:
    """Make ``text`` at most ``max_px`` wide: two lines first, then smaller type (0.5 pt steps)."""
    if _width(text, renderer) > max_px and "\n" not in text.get_text():
        text.set_text(split_label(text.get_text(), lang))
    while _width(text, renderer) > max_px and text.get_fontsize() > min_size:
        text.set_fontsize(text.get_fontsize() - 0.5)


def finding(cards: pd.DataFrame, lang: str) -> str | None:
    """The finding of the cards: "No new local case for 9 days" from the unrounded ``value`` of the
    card ``days_since_last_local_case`` (:func:`epianalysis.text.findings.no_local_case`); ``None``
    without that card or its value."""
    if "key" not in cards.columns or "value" not in cards.columns:
        return None
    rows = cards[cards["key"] == "days_since_last_local_case"]
    if rows.empty:
        return None
    known = rows["label"].iloc[0] != label("front_page.kpi_days_since_last_local_case_split_unknown", lang)
    facts = {"days_since_last_local_case": rows["value"].iloc[0], "flags": [] if known else ["local_split_unknown"]}
    return findings.no_local_case({"recovery": facts}, lang)


def kpi_cards(
    cards: pd.DataFrame,
    lang: str = "en",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
    note: str | None = None,
    size: str = "wide",
) -> Figure:
    """The KPI cards as one press chart.

    Parameters
    ----------
    cards : DataFrame
        One row per card, in reading order: ``label``, ``value_text``, ``change_text``, ``tone``
        (``good``/``bad``/``neutral``) and optionally ``detail``, ``key`` (used in gids) and ``value``
        (unrounded; the title states the finding of :func:`finding`, the topic then before the subtitle).
    note : str, optional
        One line under the cards (e.g. what the change is measured against).
    size : {"wide", "square"}

    Returns
    -------
    matplotlib.figure.Figure
        Cards carry gids ``card-<key>``; value and change texts ``value-<key>``, ``change-<key>``.

    Raises
    ------
    DataError
        Missing columns, no cards, or an unknown tone.
    """
    data = _check(cards)
    grid = _GRID[size]
    cols = int(grid["cols"])
    rows = math.ceil(len(data) / cols)
    width = (grid["right"] - grid["left"] - (cols - 1) * grid["hgap"]) / cols
    height = (grid["top"] - grid["bottom"] - (rows - 1) * grid["vgap"]) / rows
    gap = points_to_pixels(7.2)  # between a value and its change on a square card
    with press_style(lang):
        fig = new_figure(size)
        fig_w, fig_h = fig.bbox.width, fig.bbox.height
        pad_x, pad_y = points_to_pixels(10) / fig_w, points_to_pixels(8.6) / fig_h
        renderer = fig.canvas.get_renderer()
        for i, card in data.iterrows():
            key = str(card.get("key", i))
            r, c = divmod(int(i), cols)
            x0 = grid["left"] + c * (width + grid["hgap"])
            y1 = grid["top"] - r * (height + grid["vgap"])
            y0 = y1 - height
            fig.add_artist(
                FancyBboxPatch(
                    (x0, y0),
                    width,
                    height,
                    boxstyle="round,pad=0,rounding_size=0.008",
                    transform=fig.transFigure,
                    facecolor=CARD_COLOUR,
                    edgecolor="none",
                    zorder=0,
                    gid=f"card-{key}",
                )
            )
            max_px = (width - 2 * pad_x) * fig_w
            head = fig.text(
                x0 + pad_x,
                y1 - pad_y,
                str(card["label"]),
                fontsize=grid["label"],
                ha="left",
                va="top",
                color=INK["text"],
                linespacing=1.15,
                gid=f"label-{key}",
            )
            fit_text(head, max_px, renderer, lang)
            colour = TONE_COLOURS[str(card["tone"])]
            detail = str(card.get("detail", "") or "")
            if size == "wide":
                value_y = y0 + height * 0.40
                change_y = y0 + height * 0.30
                fig.text(
                    x0 + pad_x,
                    value_y,
                    str(card["value_text"]),
                    fontsize=grid["value"],
                    ha="left",
                    va="bottom",
                    gid=f"value-{key}",
                    **emphasis(INK["title"], lang),
                )
                fig.text(
                    x0 + pad_x,
                    change_y,
                    str(card["change_text"]),
                    fontsize=grid["change"],
                    ha="left",
                    va="top",
                    gid=f"change-{key}",
                    **emphasis(colour, lang),
                )
                if detail:
                    text = fig.text(
                        x0 + pad_x,
                        y0 + pad_y,
                        detail,
                        fontsize=grid["detail"],
                        ha="left",
                        va="bottom",
                        color=INK["muted"],
                        gid=f"detail-{key}",
                    )
                    fit_text(text, max_px, renderer, lang)
            else:
                base = y0 + pad_y
                value = fig.text(
                    x0 + pad_x,
                    base,
                    str(card["value_text"]),
                    fontsize=grid["value"],
                    ha="left",
                    va="bottom",
                    gid=f"value-{key}",
                    **emphasis(INK["title"], lang),
                )
                change = fig.text(
                    x0 + width - pad_x,
                    base + points_to_pixels(1.4) / fig_h,
                    str(card["change_text"]),
                    fontsize=grid["change"],
                    ha="right",
                    va="bottom",
                    gid=f"change-{key}",
                    **emphasis(colour, lang),
                )
                if _width(value, renderer) + _width(change, renderer) + gap > max_px:
                    fit_text(change, max_px - _width(value, renderer) - gap, renderer, lang, min_size=8.0)
        notes = [note] if note else []
        if not title:
            neutral = label("front_page.kpi_cards_title", lang)
            title, subtitle = findings.headline(finding(data, lang), neutral, subtitle, lang)
        add_frame(
            fig,
            title=title,
            subtitle=subtitle,
            source=source,
            synthetic=synthetic,
            lang=lang,
            notes=notes,
            size=size,
        )
    return fig
