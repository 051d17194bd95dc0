"""The small print under a chart: notes wrapped into the lines the layout has for them.

A note that fits on one line (at most 1 pt smaller than the small print) stays one line; a longer
one is broken into balanced lines (two lines of about the same length, not a full line and an
orphan), between words in English and between characters in Chinese (after punctuation where it
can), at the largest size at which every note fits in :data:`~epianalysis.charts.layout.MAX_NOTES`
lines.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib
from matplotlib.font_manager import FontProperties

from epianalysis.charts.layout import MAX_NOTES, MIN_SMALL_PRINT, SMALL_PRINT

_BREAK_AFTER = "，。；：、,;:)）"  # Chinese small print may wrap after these (or between any two characters)


def wrap_text(text: str, max_px: float, prop: FontProperties, renderer: object, lang: str) -> list[str]:
    """``text`` in as few lines of at most ``max_px`` as it takes, broken between words (en) or
    characters (zh, after punctuation where it can), the lines balanced (a two-line note is not a
    full line and an orphan); a word wider than ``max_px`` stays on a line of its own."""

    def width(part: str) -> float:
        return renderer.get_text_width_height_descent(part, prop, ismath=False)[0]

    if width(text) <= max_px:
        return [text]
    if lang == "zh":
        cuts = [k for k in range(1, len(text)) if text[k - 1] in _BREAK_AFTER] or list(range(1, len(text)))
        join, parts = "", []
    else:
        parts = text.split(" ")
        cuts = list(range(1, len(parts)))
        join = " "

    def pieces(k: int) -> tuple[str, str]:
        if lang == "zh":
            return text[:k].rstrip(), text[k:].lstrip()
        return join.join(parts[:k]), join.join(parts[k:])

    two = [pieces(k) for k in cuts if max(width(a) for a in pieces(k)) <= max_px]
    if two:  # two lines: the break that makes the longer line shortest
        return list(min(two, key=lambda pair: (max(width(pair[0]), width(pair[1])), len(pair[0]))))
    lines: list[str] = []  # more than two: fill greedily
    line = ""
    for unit in list(text) if lang == "zh" else parts:
        candidate = f"{line}{join}{unit}" if line else unit
        if line and width(candidate) > max_px:
            lines.append(line)
            line = unit
        else:
            line = candidate
    return [*lines, line] if line else lines


def note_lines(notes: Sequence[str], max_px: float, renderer: object, lang: str) -> tuple[list[str], float]:
    """The lines of ``notes`` and their type size: one line per note when each fits at most 1 pt below
    :data:`SMALL_PRINT`; else each note wrapped at the largest size from :data:`SMALL_PRINT` down at
    which all lines fit in :data:`MAX_NOTES`; else one line per note (shrunk by the caller)."""
    family = list(matplotlib.rcParams["font.family"])

    def fits(note: str, size: float) -> bool:
        prop = FontProperties(family=family, size=size)
        return renderer.get_text_width_height_descent(note, prop, ismath=False)[0] <= max_px

    for size in (SMALL_PRINT, SMALL_PRINT - 0.5, SMALL_PRINT - 1.0):
        if all(fits(note, size) for note in notes):
            return list(notes), size
    size = SMALL_PRINT
    while size >= MIN_SMALL_PRINT:
        prop = FontProperties(family=family, size=size)
        lines = [line for note in notes for line in wrap_text(note, max_px, prop, renderer, lang)]
        if len(lines) <= MAX_NOTES:
            return lines, size
        size -= 0.5
    return list(notes), SMALL_PRINT
