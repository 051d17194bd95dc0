"""The county risk map: a choropleth of Zhejiang's 90 counties by level or by a continuous metric.

:func:`choropleth` draws the counties of 2020 (outlines from :mod:`epianalysis.reference.boundaries`) filled
by a risk level of any rule set, or by a continuous value through a colormap, with thin white county
borders, darker prefecture outlines, prefecture names that collide neither with each other nor with
the counties marked as changed, a legend in the briefing language with the number of counties per
level (every level of the scale, zero included; missing inputs counted as *unknown*, grey, an entry
shown only when some county is unknown), and the counties that changed since the last evaluation
outlined, hatched and listed. :func:`tile_map`
(:mod:`epianalysis.charts.tilegrid`) draws the same data as one square tile per county.

Both functions take plain data (no rule-set objects), so any rule set's palette can be drawn; the
inputs are described and checked in :mod:`epianalysis.charts.mapdata`.

Projection: plate carrée (lon, lat) with the aspect ratio corrected by ``1 / cos(φ0)``, ``φ0`` the
mid-latitude of the province, so that a kilometre east-west and north-south have the same length on
the page (equirectangular projection; Snyder, *Map Projections: A Working Manual*, USGS PP 1395, 1987,
p. 90). Figures have a fixed layout and are deterministic; write them with
:func:`epianalysis.charts.export.save_figure`.
"""

from __future__ import annotations

import re

import matplotlib
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Colormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.ticker import MaxNLocator

from epianalysis.charts.geometry import add_path, map_geometry
from epianalysis.charts.mapdata import (
    CHANGED_COLOUR,
    MAX_CHANGES_LISTED,
    MapData,
    county_names,
    map_text,
    prepare_map,
)
from epianalysis.charts.palettes import INK
from epianalysis.charts.placement import halo, place_without_collision
from epianalysis.charts.style import add_frame, fix_tick_fonts, new_figure, press_style
from epianalysis.charts.ticks import number_formatter
from epianalysis.reference import regions

BORDER_COLOUR = "#FFFFFF"
"""Thin county borders."""

PREFECTURE_COLOUR = "#4D4D4D"
"""Prefecture outlines, darker than the county borders."""


# Fixed layout of the wide figure (figure fractions): the map on the left, the key on the right.
MAP_BOX = (0.045, 0.075, 0.53, 0.77)  # left, bottom, width, height available to the map
PANEL_X = 0.575
PANEL_TOP = 0.80


# ------------------------------------------------------------------------------------ geometry


def aspect_ratio() -> float:
    """``1 / cos(φ0)``: the y/x scale of a lon/lat plot at the province's mid-latitude ``φ0``."""
    return map_geometry().aspect


def prefecture_anchors() -> dict[str, tuple[float, float]]:
    """Prefecture code -> (lon, lat) of a label anchor inside its largest ring
    (:func:`~epianalysis.charts.placement.interior_point`; kept in :mod:`epianalysis.charts.geometry`)."""
    return dict(map_geometry().anchors)


def short_prefecture_name(code: str, lang: str) -> str:
    """``"杭州"`` (without 市) or ``"Hangzhou"``."""
    name = regions.name(code, lang)
    return re.sub("市$", "", name) if lang == "zh" else name


def draw_key(
    fig: Figure, data: MapData, lang: str, legend_title: str | None = None, changed_hatch: str | None = "////"
) -> None:
    """The right-hand panel: legend with counts (or colorbar), the changed entry, the list of changes.

    ``changed_hatch`` is the hatch of the "changed" legend swatch (``None``: outline only), matching
    how the map marks changed counties.
    """
    handles: list[Patch] = []
    if data.continuous:
        cax = fig.add_axes((PANEL_X, PANEL_TOP - 0.075, 0.30, 0.028))
        cax.set_gid("colorbar")
        cb = fig.colorbar(
            ScalarMappable(norm=data.norm, cmap=data.cmap), cax=cax, orientation="horizontal", extend=data.extend
        )
        cb.outline.set_visible(False)
        cb.locator = MaxNLocator(nbins=5, steps=[1, 2, 5, 10])
        cb.formatter = number_formatter(lang)
        cax.tick_params(length=3, labelsize=11, colors=INK["axis"], labelcolor=INK["text"])
        cax.text(
            0.0,
            1.6,
            data.value_label,
            transform=cax.transAxes,
            ha="left",
            va="bottom",
            fontsize=13,
            color=INK["text"],
            gid="colorbar_label",
        )
        fix_tick_fonts(cax, {"font.family": list(matplotlib.rcParams["font.family"])})
        top = PANEL_TOP - 0.13
    else:
        top = PANEL_TOP
    for key, colour, text, count in data.legend:
        if key == "unknown" and count == 0:  # no grey entry on a map without a county of missing data
            continue
        handles.append(Patch(facecolor=colour, edgecolor="white", linewidth=0.5, label=text, gid=f"legend-{key}"))
    if data.changed is not None:
        handles.append(
            Patch(
                facecolor="white",
                edgecolor=CHANGED_COLOUR,
                linewidth=1.8,
                hatch=changed_hatch,
                label=map_text("map_changed", lang, count=len(data.changed)),
                gid="legend-changed",
            )
        )
    title = None if data.continuous else (legend_title or map_text("map_legend_title", lang))
    if not handles:
        return
    legend = fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(PANEL_X, top),
        title=title,
        alignment="left",
        fontsize=13,
        title_fontsize=13,
        handlelength=1.5,
        handleheight=1.1,
        labelspacing=0.65,
        borderaxespad=0.0,
        borderpad=0.0,
        frameon=False,
    )
    legend.set_gid("map_legend")
    if title:
        legend.get_title().set_color(INK["muted"])
    if data.changed:
        renderer = fig.canvas.get_renderer()
        box = legend.get_window_extent(renderer).transformed(fig.transFigure.inverted())
        names = county_names(lang)
        lines = [map_text("map_changed_item", lang, name=names[c], change=t) for c, t in data.changed.items()]
        if len(lines) > MAX_CHANGES_LISTED:
            rest = len(lines) - (MAX_CHANGES_LISTED - 1)
            lines = [*lines[: MAX_CHANGES_LISTED - 1], map_text("map_changed_more", lang, count=rest)]
        fig.text(
            PANEL_X + 0.024,
            box.y0 - 0.012,
            "\n".join(lines),
            ha="left",
            va="top",
            fontsize=11.5,
            linespacing=1.45,
            color=INK["text"],
            gid="changed_list",
        )


def choropleth(
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
    tooltips: dict[str, str] | None = None,
) -> Figure:
    """The 90 counties of Zhejiang filled by risk level (or by a continuous value), with a keyed legend.

    Parameters
    ----------
    values : DataFrame
        ``region_code`` (6-digit county code of 2020) and ``value_column``; one row per county at
        most. Counties absent or with a missing value are drawn grey and counted as *unknown*.
    levels : list of dict, optional
        Level specs in legend order: ``key``, ``colour`` (``#RRGGBB``), ``label_en``, ``label_zh``;
        a spec with key ``"unknown"`` overrides the grey :data:`UNKNOWN_COLOUR`. ``None``: the
        five-colour palette (red to green) for a level column, or a continuous map for a numeric one.
    lang : {"en", "zh"}
        Language of every text on the map (legend, prefecture names, list of changes).
    title, subtitle : str, optional
        Title (default "Risk level of the 90 counties", or the value label of a continuous map) and
        subtitle (e.g. the evaluation date).
    source : str, optional
        Printed as "Source: ..." in the footer.
    synthetic : bool
        Adds "synthetic scenario" to the source line and the banner beside the title.
    changed : dict, optional
        County code -> change text (e.g. ``"yellow → blue"``). These counties get a thick dark
        outline and hatch, the legend an entry "Changed since last evaluation (n)", and the key a
        list "Yiwu: yellow → blue" (at most :data:`MAX_CHANGES_LISTED` lines).
    value_column : str
        Column of ``values`` with the level key (or the value of a continuous map).
    cmap : str or Colormap, optional
        Colormap of a continuous map (default: the press blues); giving it makes the map continuous.
    vmin, vmax : float, optional
        Bounds of the colour scale (default: the data range). Values outside take the end colours.
    value_label : str, optional
        Label of the colorbar (default ``value_column``).
    legend_title : str, optional
        Title above the legend (default "Counties per level").
    tooltips : dict, optional
        County code -> text shown when pointing at the county in the SVG file (a ``<title>`` of the
        county's group, written by :func:`epianalysis.charts.export.save_figure`).

    Returns
    -------
    matplotlib.figure.Figure
        A 1920 × 1080 px press figure. Artists carry ids: ``county-<code>`` (one patch per county),
        ``changed-<code>``, ``prefecture-<code>``, ``prefecture-label-<code>``, ``map_legend``.

    Raises
    ------
    DataError
        See :func:`prepare_map`.
    MissingFontError
        ``lang="zh"`` without a CJK font.
    """
    data = prepare_map(values, levels, lang, changed, value_column, cmap, vmin, vmax, value_label)
    with press_style(lang):
        fig = new_figure("wide")
        ax = map_axes(fig)
        draw_counties(ax, data)
        draw_prefectures(ax, lang)
        draw_key(fig, data, lang, legend_title)
        default_title = data.value_label if data.continuous else map_text("map_title", lang)
        add_frame(fig, title=title or default_title, subtitle=subtitle, source=source, synthetic=synthetic, lang=lang)
    fig.svg_titles = {f"county-{code}": text for code, text in (tooltips or {}).items()}
    return fig


def map_axes(fig: Figure) -> Axes:
    """Axes for the lon/lat map, aspect ``1/cos φ0``, no ticks or frame, anchored top-left in :data:`MAP_BOX`."""
    ax = fig.add_axes(MAP_BOX)
    ax.set_gid("map")
    x0, y0, x1, y1 = map_geometry().extent
    mx, my = 0.02 * (x1 - x0), 0.02 * (y1 - y0)
    ax.set_xlim(x0 - mx, x1 + mx)
    ax.set_ylim(y0 - my, y1 + my)
    ax.set_aspect(aspect_ratio(), adjustable="box", anchor="NW")
    ax.set_axis_off()
    return ax


def draw_counties(ax: Axes, data: MapData) -> None:
    """One patch per county (islands in the same patch), thin white borders; changed ones overlaid."""
    geometry = map_geometry()
    for code in data.codes:
        add_path(
            ax,
            PathPatch(
                geometry.counties[code],
                facecolor=data.fills[code],
                edgecolor=BORDER_COLOUR,
                linewidth=0.45,
                zorder=1,
                gid=f"county-{code}",
            ),
            geometry.bounds[code],
        )
    for code in data.changed or {}:
        add_path(
            ax,
            PathPatch(
                geometry.counties[code],
                facecolor="none",
                edgecolor=CHANGED_COLOUR,
                linewidth=1.8,
                hatch="////",
                zorder=3,
                gid=f"changed-{code}",
            ),
            geometry.bounds[code],
        )


def draw_prefectures(ax: Axes, lang: str) -> list[object]:
    """Prefecture outlines (dark, over the counties) and prefecture names placed without collisions:
    off each other and off the counties marked as changed (patches with gid ``changed-<code>``), so
    that a name never covers a county the map points out."""
    ax.apply_aspect()  # the final position of the map, so that label boxes are measured where they are drawn
    geometry = map_geometry()
    for code, path in geometry.prefectures.items():
        add_path(
            ax,
            PathPatch(
                path,
                facecolor="none",
                edgecolor=PREFECTURE_COLOUR,
                linewidth=1.1,
                zorder=2,
                gid=f"prefecture-{code}",
            ),
            geometry.bounds[code],
        )
    texts = []
    for code, (lon, lat) in geometry.anchors.items():
        texts.append(
            ax.annotate(
                short_prefecture_name(code, lang),
                xy=(lon, lat),
                xytext=(0, 0),
                textcoords="offset points",
                ha="center",
                va="center",
                fontsize=12.5,
                color=INK["title"],
                zorder=5,
                path_effects=halo(3.2),
                gid=f"prefecture-label-{code}",
                annotation_clip=False,
            )
        )
    renderer = ax.figure.canvas.get_renderer()
    marked = [p for p in ax.patches if (p.get_gid() or "").startswith("changed-")]
    place_without_collision(texts, renderer, avoid=[p.get_transform().transform_path(p.get_path()) for p in marked])
    return texts
