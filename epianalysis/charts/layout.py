"""The fixed geometry of the press charts: figure sizes, resolution and the positions of the frame.

Every chart is a 16:9 figure of 12.8 × 7.2 in or a 7.2 × 7.2 in square, rendered at 150 dpi:
1920 × 1080 px for screens and 1080 × 1080 px for social media. Type sizes are in points, so a
chart reads the same at any resolution; positions are figure fractions, fixed (no automatic
layout), so that text never moves between runs.
"""

from __future__ import annotations

DPI = 150
SIZES: dict[str, tuple[float, float]] = {"wide": (12.8, 7.2), "square": (7.2, 7.2)}
"""Figure sizes in inches: ``wide`` 16:9 (1920 × 1080 px at :data:`DPI`), ``square`` 1080 × 1080 px."""

MAX_NOTES = 2
"""Lines of notes below a chart (a long note may take both)."""

NOTE_LINE_HEIGHT = 0.026
"""Figure fraction of one 10.5 pt line of small print (7.2 in tall figures)."""

SMALL_PRINT = 10.5
"""Type size (pt) of notes, source line and credit; :data:`MIN_SMALL_PRINT` is the least they shrink to."""
MIN_SMALL_PRINT = 8.0

LAYOUT: dict[str, dict[str, float]] = {
    "wide": {
        "left": 0.075,
        "right": 0.965,
        "title_y": 0.945,
        "subtitle_y": 0.885,
        "legend_y": 0.83,
        "axes_top": 0.745,
        "axes_bottom": 0.165,
        "note_y": 0.058,
        "source_y": 0.025,
        "title_size": 24,
        "subtitle_size": 15,
        "max_date_ticks": 8,
        "legend_columns": 4,
    },
    "square": {
        "left": 0.13,
        "right": 0.95,
        "title_y": 0.95,
        "subtitle_y": 0.885,
        "legend_y": 0.835,
        "axes_top": 0.70,
        "axes_bottom": 0.165,
        "note_y": 0.058,
        "source_y": 0.025,
        "title_size": 20,
        "subtitle_size": 13,
        "max_date_ticks": 5,
        "legend_columns": 2,
    },
}
"""Fixed layout in figure fractions, per size: left/right margins, vertical positions, type sizes."""


def points_to_pixels(points: float) -> float:
    """A length in points as pixels at :data:`DPI` (1 pt = 1/72 in)."""
    return points * DPI / 72.0
