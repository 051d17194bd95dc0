"""Inputs of the county maps, checked and resolved: a fill colour per county and the legend counts.

Plain data in (no rule-set objects), so any palette can be drawn:

- ``values``: a frame with ``region_code`` (6-digit county code of 2020) and a value column;
- ``levels``: level specs in legend order, each a dict with ``key``, ``colour`` (``#RRGGBB``),
  ``label_en``, ``label_zh``; an optional spec with key ``"unknown"`` sets the grey of missing
  inputs (default :data:`UNKNOWN_COLOUR`). ``None`` uses the five-colour palette of
  :mod:`epianalysis.charts.palettes` (red, orange, yellow, blue, green);
- ``changed``: ``{county code: "yellow → blue"}`` for the counties whose level changed.

A county absent from the input or with a missing value is *unknown* (grey) and counted as such;
nothing is guessed, clipped or dropped. Used by :mod:`epianalysis.charts.maps` and
:mod:`epianalysis.charts.tilegrid`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.colors import Colormap, Normalize, to_hex

from epianalysis.charts.inputs import require_columns
from epianalysis.charts.palettes import RISK_COLOURS, RISK_LEVELS, sequential_cmap
from epianalysis.errors import DataError, Violation
from epianalysis.reference.regions import counties
from epianalysis.text.labels import check_language, label

UNKNOWN_COLOUR = "#CCCCCC"
"""Fill of counties without a level or value (missing inputs), unless a level spec ``unknown`` is given."""

CHANGED_COLOUR = "#111111"
"""Outline and hatch of counties whose level changed since the last evaluation."""

MAX_CHANGES_LISTED = 12
"""At most this many changed counties are listed by name beside the map; the rest are counted."""

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_TABLE = "map values"


def map_text(key: str, lang: str, **fields: object) -> str:
    """The text of map label ``key`` in ``lang`` (the shared ``text/labels.toml``, through :func:`label`)."""
    return label(key, lang, **fields)


def count_text(text: str, count: int, lang: str) -> str:
    """A legend entry with its count: ``"Low risk (88)"`` / ``"低风险（88）"``."""
    return map_text("map_count", lang, label=text, count=count)


# ------------------------------------------------------------------------------------------ data


@dataclass(frozen=True)
class MapData:
    """What a map draws, checked and resolved: one fill colour per county and the legend entries.

    Attributes
    ----------
    codes : tuple of str
        The 90 county codes, sorted.
    fills : dict
        County code -> fill colour (hex).
    classes : dict
        County code -> level key, or ``"unknown"`` where the input is missing.
    legend : tuple of (key, colour, text, count)
        Legend entries in order (levels, then unknown); ``text`` already carries the count.
    changed : dict or None
        County code -> change text, for the counties marked as changed (``None``: not given, no legend entry).
    continuous : bool
        Filled by a continuous value (a colorbar is drawn) rather than by level.
    cmap, norm
        Colormap and normalisation of a continuous map (``None`` otherwise).
    value_label : str
        Label of the colorbar.
    extend : {"neither", "min", "max", "both"}
        Colorbar arrows: values below ``vmin`` / above ``vmax`` exist (drawn in the end colours).
    """

    codes: tuple[str, ...]
    fills: dict[str, str]
    classes: dict[str, str]
    legend: tuple[tuple[str, str, str, int], ...]
    changed: dict[str, str] | None
    continuous: bool
    cmap: Colormap | None
    norm: Normalize | None
    value_label: str
    extend: str = "neither"


def default_levels() -> list[dict[str, str]]:
    """Level specs of the five-colour map (red to green, highest risk first), then the grey *unknown*.

    Colours from :mod:`epianalysis.charts.palettes`; legend texts "Green · low risk" / "绿色 · 低风险"
    from the ``map_level_<key>`` labels (a count is added by the legend: "Green · low risk (88)").
    """
    return [
        {
            "key": key,
            "colour": RISK_COLOURS[key] if key != "unknown" else UNKNOWN_COLOUR,
            "label_en": label(f"map_level_{key}", "en"),
            "label_zh": label(f"map_level_{key}", "zh"),
        }
        for key in (*RISK_LEVELS, "unknown")
    ]


def _check_levels(levels: list[dict]) -> tuple[list[dict], dict]:
    """Split level specs into the ordered levels and the unknown spec; raise on a malformed spec."""
    violations: list[Violation] = []
    seen: set[str] = set()
    ordered: list[dict] = []
    unknown = {
        "key": "unknown",
        "colour": UNKNOWN_COLOUR,
        "label_en": label("risk_unknown", "en"),
        "label_zh": label("risk_unknown", "zh"),
    }
    for i, spec in enumerate(levels):
        for field in ("key", "colour", "label_en", "label_zh"):
            if not isinstance(spec, dict) or not isinstance(spec.get(field), str) or not spec.get(field):
                violations.append(Violation("levels", i + 1, field, "required_text", repr(spec)))
        if violations:
            continue
        if not _HEX.match(spec["colour"]):
            violations.append(Violation("levels", i + 1, "colour", "hex_colour", spec["colour"]))
        if spec["key"] in seen:
            violations.append(Violation("levels", i + 1, "key", "unique_level_key", spec["key"]))
        seen.add(spec["key"])
        if spec["key"] == "unknown":
            unknown = dict(spec)
        else:
            ordered.append(dict(spec))
    if not ordered and not violations:
        violations.append(Violation("levels", None, None, "at_least_one_level"))
    if violations:
        raise DataError(f"levels: {len(violations)} problem(s) in the level specs", violations)
    return ordered, unknown


def check_levels(levels: list[dict] | None) -> tuple[list[dict], dict]:
    """Checked level specs: the levels in legend order and the *unknown* spec (``None``: the default
    five-colour palette, :func:`default_levels`). Raises :class:`DataError` on a malformed spec."""
    return _check_levels(default_levels() if levels is None else levels)


def _check_frame(values: pd.DataFrame, value_column: str) -> pd.DataFrame:
    """Codes as strings; every code a county of 2020, each at most once; else a :class:`DataError`."""
    if not isinstance(values, pd.DataFrame):
        raise TypeError(f"values must be a pandas DataFrame, not {type(values).__name__}")
    require_columns(values, ("region_code", value_column), _TABLE)
    codes = values["region_code"].astype("string").str.strip()
    known = set(counties()["code"].astype(str))
    violations = []
    for pos, code in enumerate(codes):
        if pd.isna(code) or code not in known:
            violations.append(Violation(_TABLE, pos + 1, "region_code", "county_code_2020", str(code)))
    dup = codes.duplicated(keep="first") & codes.notna()
    for pos in np.flatnonzero(dup.to_numpy()):
        violations.append(Violation(_TABLE, int(pos) + 1, "region_code", "unique_region_code", str(codes.iloc[pos])))
    if violations:
        raise DataError(f"{_TABLE}: {len(violations)} problem(s) in the region codes", violations)
    return pd.DataFrame({"region_code": codes.to_numpy(dtype=object), "value": values[value_column].to_numpy()})


def _check_changed(changed: dict[str, str] | None) -> dict[str, str] | None:
    if changed is None:
        return None
    known = set(counties()["code"].astype(str))
    bad = [
        Violation("changed", None, "region_code", "county_code_2020", str(c)) for c in changed if str(c) not in known
    ]
    if bad:
        raise DataError(f"changed: {len(bad)} code(s) that are not counties of 2020", bad)
    return {str(code): str(text) for code, text in sorted(changed.items(), key=lambda kv: str(kv[0]))}


def prepare_map(
    values: pd.DataFrame,
    levels: list[dict] | None,
    lang: str,
    changed: dict[str, str] | None = None,
    value_column: str = "level",
    cmap: str | Colormap | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    value_label: str | None = None,
) -> MapData:
    """Check the inputs of a map and resolve each county's fill colour and the legend counts.

    A county absent from ``values`` or with a missing value is *unknown* (grey) and counted as such:
    nothing is guessed. The map is continuous when ``cmap``, ``vmin`` or ``vmax`` is given, or when
    ``levels`` is ``None`` and ``value_column`` is numeric; otherwise it is drawn by level.

    Raises
    ------
    DataError
        Missing columns, codes that are not one of the 90 counties of 2020, duplicate codes, a level
        not among ``levels``, a non-numeric or infinite value in a continuous map, malformed level specs.
    """
    check_language(lang)
    frame = _check_frame(values, value_column)
    codes = tuple(sorted(counties()["code"].astype(str)))
    by_code = dict(zip(frame["region_code"], frame["value"], strict=True))
    changed_checked = _check_changed(changed)
    raw = values[value_column]
    continuous = (
        cmap is not None
        or vmin is not None
        or vmax is not None
        or (levels is None and pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw))
    )
    if continuous:
        return _prepare_continuous(
            frame, codes, by_code, levels, lang, changed_checked, cmap, vmin, vmax, value_label or value_column
        )
    ordered, unknown = _check_levels(default_levels() if levels is None else levels)
    keys = {spec["key"] for spec in ordered}
    violations = []
    classes: dict[str, str] = {}
    for pos, value in enumerate(frame["value"]):
        if pd.isna(value) or value == "unknown":
            continue
        if str(value) not in keys:
            violations.append(Violation(_TABLE, pos + 1, value_column, "known_level", str(value)))
    if violations:
        raise DataError(f"{_TABLE}: {len(violations)} level(s) not among {sorted(keys)}", violations)
    colour_of = {spec["key"]: spec["colour"].upper() for spec in [*ordered, unknown]}
    for code in codes:
        value = by_code.get(code)
        classes[code] = "unknown" if value is None or pd.isna(value) else str(value)
    fills = {code: colour_of[classes[code]] for code in codes}
    counts = pd.Series(list(classes.values())).value_counts()
    legend = tuple(
        (
            spec["key"],
            colour_of[spec["key"]],
            count_text(spec[f"label_{lang}"], int(counts.get(spec["key"], 0)), lang),
            int(counts.get(spec["key"], 0)),
        )
        for spec in [*ordered, unknown]
    )
    return MapData(codes, fills, classes, legend, changed_checked, False, None, None, value_label or "")


def _prepare_continuous(frame, codes, by_code, levels, lang, changed, cmap, vmin, vmax, value_label) -> MapData:
    unknown = (
        _check_levels(levels)[1]
        if levels
        else {
            "key": "unknown",
            "colour": UNKNOWN_COLOUR,
            "label_en": label("risk_unknown", "en"),
            "label_zh": label("risk_unknown", "zh"),
        }
    )
    numeric = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    violations = []
    for pos in np.flatnonzero((numeric.isna() & frame["value"].notna()).to_numpy()):
        violations.append(Violation(_TABLE, int(pos) + 1, "value", "numeric", str(frame["value"].iloc[pos])))
    for pos in np.flatnonzero(np.isinf(numeric.to_numpy())):
        violations.append(Violation(_TABLE, int(pos) + 1, "value", "finite", str(frame["value"].iloc[pos])))
    if violations:
        raise DataError(f"{_TABLE}: {len(violations)} value(s) that cannot be drawn", violations)
    by_num = dict(zip(frame["region_code"], numeric, strict=True))
    present = numeric.dropna().to_numpy()
    low = float(vmin) if vmin is not None else (float(present.min()) if present.size else 0.0)
    high = float(vmax) if vmax is not None else (float(present.max()) if present.size else 1.0)
    if not high > low:
        if vmin is not None and vmax is not None:
            raise ValueError(f"vmax ({vmax}) must be greater than vmin ({vmin})")
        high = low + 1.0
    norm = Normalize(vmin=low, vmax=high)  # values outside [vmin, vmax] get the end colours; the bar shows arrows
    colormap = sequential_cmap() if cmap is None else (cmap if isinstance(cmap, Colormap) else _named_cmap(cmap))
    classes, fills = {}, {}
    for code in codes:
        value = by_num.get(code)
        if value is None or np.isnan(value):
            classes[code], fills[code] = "unknown", unknown["colour"].upper()
        else:
            classes[code], fills[code] = "value", to_hex(colormap(norm(value))).upper()
    n_unknown = sum(1 for c in classes.values() if c == "unknown")
    below, above = bool((present < low).any()), bool((present > high).any())
    extend = {(False, False): "neither", (True, False): "min", (False, True): "max", (True, True): "both"}[
        (below, above)
    ]
    legend = (
        (unknown["key"], unknown["colour"].upper(), count_text(unknown[f"label_{lang}"], n_unknown, lang), n_unknown),
    )
    return MapData(codes, fills, classes, legend, changed, True, colormap, norm, value_label, extend)


def _named_cmap(name: str) -> Colormap:
    return matplotlib.colormaps[name]


def county_names(lang: str) -> dict[str, str]:
    """County code -> name as printed in lists beside the map (``"义乌市"`` / ``"Yiwu"``)."""
    df = counties()
    return dict(zip(df["code"].astype(str), df["name_zh" if lang == "zh" else "name_en"].astype(str), strict=True))
