"""Press charts of the briefings: one style, CJK fonts, palettes, bilingual labels, export.

Typical use (``daily`` has columns ``date``, ``new_local``, ``new_imported``)::

    from epianalysis.charts import epidemic_curve, save_figure
    fig = epidemic_curve(daily, lang="zh", source="浙江省卫生健康委员会", synthetic=True)
    save_figure(fig, out_dir, "epidemic_curve")
"""

from epianalysis.charts.epidemic import discharge_rate_curve, epidemic_curve, trailing_mean
from epianalysis.charts.export import save_figure
from epianalysis.charts.fonts import MissingFontError, font_rc, register_cjk_font, use_language
from epianalysis.charts.labels import LANGUAGES, format_date, format_percent, label
from epianalysis.charts.maps import choropleth, tile_map
from epianalysis.charts.palettes import (
    IMPORTED_COLOUR,
    LOCAL_COLOUR,
    RISK_COLOURS,
    RISK_LEVELS,
    SEQUENTIAL_BLUES,
    risk_colour,
    risk_legend_items,
)
from epianalysis.charts.style import DPI, PRESS_RC, SIZES, new_figure, press_rc, press_style
from epianalysis.charts.zoning import zoning_trend

__all__ = [
    "DPI",
    "IMPORTED_COLOUR",
    "LANGUAGES",
    "LOCAL_COLOUR",
    "PRESS_RC",
    "RISK_COLOURS",
    "RISK_LEVELS",
    "SEQUENTIAL_BLUES",
    "SIZES",
    "MissingFontError",
    "choropleth",
    "discharge_rate_curve",
    "epidemic_curve",
    "font_rc",
    "format_date",
    "format_percent",
    "label",
    "new_figure",
    "press_rc",
    "press_style",
    "register_cjk_font",
    "risk_colour",
    "risk_legend_items",
    "save_figure",
    "tile_map",
    "trailing_mean",
    "zoning_trend",
    "use_language",
]
