"""Colours of the press charts, each paired with a label so that colour never carries meaning alone.

- The five-colour risk palette of Zhejiang's county map (red/orange/yellow/blue/green, high to low
  risk) plus grey for *unknown*. The hues are fixed by the policy, so red and green cannot be made
  colour-blind-distinct by hue; their lightness differs and charts always print the level name
  beside the colour (:func:`risk_legend_items`).
- A categorical pair for local vs imported cases: blue and orange from the Okabe–Ito palette
  (Okabe & Ito 2008, "Color Universal Design"), distinguishable with all common colour-vision
  deficiencies and of clearly different lightness.
- A sequential blue ramp (ColorBrewer "Blues", 7 classes; Brewer, colorbrewer2.org), colour-blind
  safe and printable in greyscale.
"""

from __future__ import annotations

from matplotlib.colors import LinearSegmentedColormap, ListedColormap

from epianalysis.text.labels import label

# --- five-colour risk map -------------------------------------------------------------------------
RISK_LEVELS: tuple[str, ...] = ("red", "orange", "yellow", "blue", "green")
"""Risk levels from highest to lowest, as named by the Zhejiang five-colour map."""

RISK_COLOURS: dict[str, str] = {
    "red": "#D7191C",
    "orange": "#F07F00",
    "yellow": "#F2C200",
    "blue": "#2C7BB6",
    "green": "#2E9E44",
    "unknown": "#CCCCCC",
}
"""Press hexes of the risk levels; ``unknown`` (missing inputs) is neutral grey. The same hexes as
the ``zhejiang-2020`` and resumption rule sets, so that every five-colour chart of a briefing uses
one red, one green (a test keeps them equal)."""

# --- categorical ------------------------------------------------------------------------------------
LOCAL_COLOUR = "#0072B2"  # Okabe–Ito blue
IMPORTED_COLOUR = "#E69F00"  # Okabe–Ito orange
ORIGIN_COLOURS: dict[str, str] = {"local": LOCAL_COLOUR, "imported": IMPORTED_COLOUR}
"""Local vs imported cases."""

REVISION_COLOUR = "#5A5A5A"
"""Edge and hatch colour of negative (revised) counts, drawn hatched below zero."""

LINE_COLOUR = "#1A1A1A"
"""Lines drawn over bars (e.g. a trailing mean)."""

HIGHLIGHT_COLOUR = "#B2182B"
"""Annotated values that need attention (e.g. a rate above 100 %)."""

# --- sequential -------------------------------------------------------------------------------------
SEQUENTIAL_BLUES: tuple[str, ...] = (
    "#EFF3FF",
    "#C6DBEF",
    "#9ECAE1",
    "#6BAED6",
    "#4292C6",
    "#2171B5",
    "#084594",
)
"""ColorBrewer Blues, 7 classes, light (low) to dark (high)."""

# --- ink ---------------------------------------------------------------------------------------------
INK = {
    "title": "#111111",
    "text": "#333333",
    "muted": "#6B6B6B",
    "grid": "#E3E3E3",
    "axis": "#4D4D4D",
    "background": "#FFFFFF",
}
"""Text, grid and background colours of the press style."""


def risk_colour(level: str | None) -> str:
    """The hex colour of a risk level; ``None`` or ``"unknown"`` gives grey.

    Raises ``KeyError`` for a level that is not one of :data:`RISK_LEVELS` or ``"unknown"``.
    """
    key = "unknown" if level is None else level
    if key not in RISK_COLOURS:
        raise KeyError(f"unknown risk level {level!r}; expected one of {', '.join(RISK_COLOURS)}")
    return RISK_COLOURS[key]


def risk_legend_items(lang: str, include_unknown: bool = True) -> list[tuple[str, str]]:
    """``(label, colour)`` pairs for a legend of the five-colour map, highest risk first."""
    levels = [*RISK_LEVELS, "unknown"] if include_unknown else list(RISK_LEVELS)
    return [(label(f"risk_{level}", lang), RISK_COLOURS[level]) for level in levels]


def risk_cmap() -> ListedColormap:
    """A colormap of the five levels in :data:`RISK_LEVELS` order (index 0 = red)."""
    return ListedColormap([RISK_COLOURS[level] for level in RISK_LEVELS], name="risk_five_colour")


def sequential_cmap() -> LinearSegmentedColormap:
    """A continuous colormap through :data:`SEQUENTIAL_BLUES`."""
    return LinearSegmentedColormap.from_list("press_blues", list(SEQUENTIAL_BLUES))


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB hex colour.

    ``L = 0.2126 R + 0.7152 G + 0.0722 B`` with each channel linearised:
    ``c/12.92`` if ``c <= 0.04045`` else ``((c + 0.055)/1.055) ** 2.4`` (W3C, WCAG 2.1, §1.4.3).
    """
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(colour_a: str, colour_b: str) -> float:
    """WCAG contrast ratio ``(L1 + 0.05) / (L2 + 0.05)`` with ``L1`` the lighter colour."""
    la, lb = sorted((relative_luminance(colour_a), relative_luminance(colour_b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
