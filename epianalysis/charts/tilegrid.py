"""The county risk map as a tile grid: one equal square per county, at its (row, col) cell.

A tile grid gives every county the same weight on the page, so the small city districts of
Hangzhou or Ningbo are as visible as the mountain counties of Lishui (the geographic choropleth,
:func:`epianalysis.charts.maps.choropleth`, hides them). Cells come from the region reference
(``row``, ``col`` of :func:`epianalysis.reference.regions.counties`) and are drawn a little wider than
tall, to hold a name on one line; prefectures are outlined along the tile edges where neighbouring
tiles belong to different prefectures. Each tile carries a short county name on one line, never
broken inside a word: the two-character Chinese name (义乌市 → 义乌, 景宁畲族自治县 → 景宁) or the
pinyin name, in one font size for all, the largest from 9 pt down to :data:`MIN_FONT_SIZE` at which
every name fits; at that least size a name that still does not fit is cut after its first syllable
(at least four letters: "Shang." for Shangcheng, "Wuch." for Wucheng; more where two would read the
same: "Longg.", "Longq.") and a note under the map says so. The legend, counts, colours and changed
marks are those of the choropleth (:mod:`epianalysis.charts.mapdata`).
"""

from __future__ import annotations

import re

import matplotlib
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import Colormap
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle

from epianalysis.charts.layout import points_to_pixels
from epianalysis.charts.mapdata import CHANGED_COLOUR, MapData, map_text, prepare_map
from epianalysis.charts.maps import PREFECTURE_COLOUR, draw_key
from epianalysis.charts.palettes import contrast_ratio
from epianalysis.charts.style import add_frame, new_figure, press_style
from epianalysis.reference.regions import counties

GAP = 0.07
"""Gap between tiles, in tile units (a tile is ``1 - GAP`` wide)."""

TILE_BOX = (0.035, 0.1, 0.53, 0.75)
"""Left, bottom, width and height (figure fractions) available to the grid; the cells fill it, so
they are a little wider than tall on a 16:9 figure."""

FONT_SIZES = tuple(x / 2 for x in range(18, 13, -1))  # 9.0, 8.5, ..., 7.0 pt
"""Font sizes tried for the tile names, largest first."""
MIN_FONT_SIZE = FONT_SIZES[-1]
"""The least size of a tile name: below it a name is shortened rather than made smaller."""
MIN_STEM = 4
"""A shortened name keeps at least this many letters ("Wuch." rather than "Wu.")."""
PAD_PT = 2.0
"""Space kept between a name and its tile's edges."""

DARK_TEXT = "#111111"
LIGHT_TEXT = "#FFFFFF"
_ZH_SUFFIX = re.compile("(畲族自治县|自治县|市|县|区)$")
_INITIALS = (
    "zh",
    "ch",
    "sh",
    "b",
    "p",
    "m",
    "f",
    "d",
    "t",
    "n",
    "l",
    "g",
    "k",
    "h",
    "j",
    "q",
    "x",
    "r",
    "z",
    "c",
    "s",
    "y",
    "w",
)
_VOWELS = set("aeiouv")


def short_name_zh(name_zh: str) -> str:
    """The two-character short name: the official name without its suffix, cut to two characters.

    ``"义乌市" -> "义乌"``, ``"景宁畲族自治县" -> "景宁"``, ``"上城区" -> "上城"``.
    """
    return _ZH_SUFFIX.sub("", name_zh)[:2]


def split_pinyin(name: str) -> tuple[str, str] | None:
    """Split a pinyin name into two lines at the syllable boundary nearest its middle.

    A boundary is an apostrophe (``"Lin'an" -> ("Lin'", "an")``) or a position where a syllable
    initial (b p m f d t n l g k h j q x zh ch sh r z c s y w) follows a vowel, ``n`` or ``g`` and
    is itself followed by a vowel (``"Shangcheng" -> ("Shang", "cheng")``, ``"Jianggan" ->
    ("Jiang", "gan")``). ``None`` when the name has no such boundary.
    """
    lower = name.lower()
    cuts = [i + 1 for i, ch in enumerate(lower) if ch == "'" and 0 < i < len(lower) - 1]
    for i in range(2, len(lower) - 1):
        prev = lower[i - 1]
        if not (prev in _VOWELS or prev in "ng"):
            continue
        for initial in _INITIALS:
            end = i + len(initial)
            if lower.startswith(initial, i) and end < len(lower) and lower[end] in _VOWELS:
                if prev == "n" and lower[i] == "g":  # "ng" is a final, not n + g
                    break
                cuts.append(i)
                break
    if not cuts:
        return None
    middle = len(name) / 2
    cut = min(sorted(set(cuts)), key=lambda c: (abs(c - middle), c))
    return name[:cut], name[cut:]


def tile_labels(lang: str) -> dict[str, str]:
    """County code -> the one-line short name shown on its tile (before any line break)."""
    df = counties()
    if lang == "zh":
        return {str(c): short_name_zh(str(n)) for c, n in zip(df["code"], df["name_zh"], strict=True)}
    return {str(c): str(n) for c, n in zip(df["code"], df["name_en"], strict=True)}


def first_syllable(name: str) -> str:
    """The first syllable of a pinyin name (:func:`split_pinyin`; the whole name when it has one)."""
    parts = split_pinyin(name)
    return (parts[0] if parts else name).rstrip("'")


def shorten(names: list[str], taken: set[str]) -> dict[str, str]:
    """Short forms of ``names``: the first syllable, at least :data:`MIN_STEM` letters, and a period
    ("Shang.", "Wuch."), with more letters of the name where two short forms, or a short form and a
    name in ``taken``, would read the same ("Longg.", "Longq."). Deterministic."""
    stems = {name: name[: max(len(first_syllable(name)), MIN_STEM)] for name in names}
    while True:
        counts: dict[str, int] = {}
        for stem in stems.values():
            counts[stem] = counts.get(stem, 0) + 1
        clash = sorted(n for n, stem in stems.items() if counts[stem] > 1 or stem in taken)
        grown = {n: n[: len(stems[n]) + 1] for n in clash if len(stems[n]) < len(n)}
        if not grown:
            return {n: stem if stem == n else f"{stem}." for n, stem in stems.items()}
        stems.update(grown)


def fit_labels(
    labels: dict[str, str],
    tile_px: float | tuple[float, float],
    renderer: object,
    family: list[str],
    pad_px: float | None = None,
) -> tuple[float, dict[str, str]]:
    """The font size of the tile names and the text of each, on one line.

    ``tile_px`` is the tile's side, or its width and height, in pixels. The largest size of
    :data:`FONT_SIZES` at which every label fits inside the tile less ``pad_px`` on each side; if
    none, :data:`MIN_FONT_SIZE` with the labels that do not fit shortened by :func:`shorten`. A name
    is never broken inside a word.
    """
    width, height = (tile_px, tile_px) if isinstance(tile_px, int | float) else tile_px
    pad = points_to_pixels(PAD_PT) if pad_px is None else pad_px

    def fits(text: str, size: float) -> bool:
        w, h, _ = renderer.get_text_width_height_descent(text, FontProperties(family=family, size=size), ismath=False)
        return w <= width - 2 * pad and h <= height - 2 * pad

    for size in FONT_SIZES:
        if all(fits(text, size) for text in labels.values()):
            return size, dict(labels)
    long = [text for text in labels.values() if not fits(text, MIN_FONT_SIZE)]
    short = shorten(long, {text for text in labels.values() if text not in long})
    return MIN_FONT_SIZE, {code: short.get(text, text) for code, text in labels.items()}


def text_colour(fill: str) -> str:
    """White or near-black, whichever has the higher WCAG contrast with ``fill``."""
    return LIGHT_TEXT if contrast_ratio(fill, LIGHT_TEXT) >= contrast_ratio(fill, DARK_TEXT) else DARK_TEXT


def prefecture_edges(cells: dict[str, tuple[int, int]], parent: dict[str, str]) -> list[tuple[tuple, tuple]]:
    """Segments along cell sides where the neighbour is absent or in another prefecture.

    Cells are unit squares ``[col, col + 1] × [-row - 1, -row]`` (row 0 at the top).
    """
    at = {rc: code for code, rc in cells.items()}
    segments = []
    for code, (row, col) in sorted(cells.items()):
        x0, x1, y0, y1 = col, col + 1, -row - 1, -row
        sides = {
            (-1, 0): ((x0, y1), (x1, y1)),
            (1, 0): ((x0, y0), (x1, y0)),
            (0, -1): ((x0, y0), (x0, y1)),
            (0, 1): ((x1, y0), (x1, y1)),
        }
        for (dr, dc), segment in sides.items():
            other = at.get((row + dr, col + dc))
            # a side on the province's edge, or between prefectures (each shared side once)
            if other is None or (parent[other] != parent[code] and code < other):
                segments.append(segment)
    return segments


def tile_map(
    values: pd.DataFrame,
    levels: list[dict] | None = None,
    lang: str = "en",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
    changed: dict[str, str] | None = None,
    value_column: str = "level",
    cmap: str | Colormap | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    *,
    value_label: str | None = None,
    legend_title: str | None = None,
) -> Figure:
    """The 90 counties as equal square tiles, coloured by level or value, with the keyed legend.

    Parameters are those of :func:`epianalysis.charts.maps.choropleth`. Changed counties get a thick
    dark outline (the legend entry "Changed since last evaluation (n)" and the list of changes are
    the same as on the choropleth).

    Returns
    -------
    matplotlib.figure.Figure
        A 1920 × 1080 px press figure. Artists carry ids: ``tile-<code>`` (one square per county),
        ``tile-label-<code>``, ``changed-<code>``, ``prefecture-edges``, ``map_legend``.

    Raises
    ------
    DataError
        See :func:`epianalysis.charts.mapdata.prepare_map`.
    MissingFontError
        ``lang="zh"`` without a CJK font.
    """
    data = prepare_map(values, levels, lang, changed, value_column, cmap, vmin, vmax, value_label)
    with press_style(lang):
        fig = new_figure("wide")
        ax = _tile_axes(fig)
        names = tile_labels(lang)
        texts = draw_tiles(ax, data, lang)
        draw_key(fig, data, lang, legend_title, changed_hatch=None)
        shortened = [(texts[c], names[c]) for c in sorted(texts) if texts[c] != names[c]]
        notes = [map_text("tile_short_names", lang, short=shortened[0][0], name=shortened[0][1])] if shortened else []
        default_title = data.value_label if data.continuous else map_text("map_title", lang)
        add_frame(
            fig,
            title=title or default_title,
            subtitle=subtitle,
            source=source,
            synthetic=synthetic,
            lang=lang,
            notes=notes,
        )
    return fig


def _cells() -> tuple[dict[str, tuple[int, int]], dict[str, str]]:
    df = counties()
    cells = {str(c): (int(r), int(k)) for c, r, k in zip(df["code"], df["row"], df["col"], strict=True)}
    parent = {str(c): str(p) for c, p in zip(df["code"], df["parent_code"], strict=True)}
    return cells, parent


def _tile_axes(fig: Figure) -> Axes:
    cells, _ = _cells()
    rows = max(r for r, _ in cells.values()) + 1
    cols = max(c for _, c in cells.values()) + 1
    ax = fig.add_axes(TILE_BOX)
    ax.set_gid("map")
    ax.set_xlim(-0.05, cols + 0.05)
    ax.set_ylim(-rows - 0.05, 0.05)
    ax.set_axis_off()
    return ax


def draw_tiles(ax: Axes, data: MapData, lang: str) -> dict[str, str]:
    """One tile per county with its short name; prefecture edges; changed tiles outlined. Returns the
    name written on each tile (:func:`fit_labels`)."""
    cells, parent = _cells()
    side = 1.0 - GAP
    for code in data.codes:
        row, col = cells[code]
        ax.add_patch(
            Rectangle(
                (col + GAP / 2, -row - 1 + GAP / 2),
                side,
                side,
                facecolor=data.fills[code],
                edgecolor="none",
                zorder=1,
                gid=f"tile-{code}",
            )
        )
    ax.add_collection(
        LineCollection(
            prefecture_edges(cells, parent),
            colors=PREFECTURE_COLOUR,
            linewidths=1.6,
            capstyle="projecting",
            zorder=2,
            gid="prefecture-edges",
        )
    )
    inset = 0.06
    for code in data.changed or {}:
        row, col = cells[code]
        ax.add_patch(
            Rectangle(
                (col + GAP / 2 + inset, -row - 1 + GAP / 2 + inset),
                side - 2 * inset,
                side - 2 * inset,
                facecolor="none",
                edgecolor=CHANGED_COLOUR,
                linewidth=2.4,
                zorder=3,
                gid=f"changed-{code}",
            )
        )
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    tile_px = tuple(float(v) for v in abs(ax.transData.transform((side, side)) - ax.transData.transform((0, 0))))
    family = list(matplotlib.rcParams["font.family"])
    size, texts = fit_labels(tile_labels(lang), tile_px, renderer, family)
    for code in data.codes:
        row, col = cells[code]
        ax.text(
            col + 0.5,
            -row - 0.5,
            texts[code],
            ha="center",
            va="center",
            fontsize=size,
            linespacing=1.05,
            color=text_colour(data.fills[code]),
            zorder=4,
            gid=f"tile-label-{code}",
        )
    return texts
