"""Resumption five-colour map (复工复产五色图): a band and colour per county from its resumption rate.

Bands and colours are data (``topics/capacity/resumption_map.toml``); the published map's thresholds
are not known, so ours are assumptions, said so in the file. A band holds ``lower <= v < upper``; the
top band also holds its upper bound. A missing value gives the ``unknown`` band (grey), never a guess.
A band's label is written from its bounds by the text layer ("below 30% resumed", "70–90% resumed",
"90% resumed or more"; :func:`band_label`), so that the label and the bounds cannot disagree; a
``label_en``/``label_zh`` in the file overrides it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from epianalysis.errors import DataError, Violation
from epianalysis.text import format as fmt
from epianalysis.text.labels import label

RULES_FILE = Path(__file__).resolve().parent / "resumption_map.toml"


@dataclass(frozen=True)
class Band:
    """One band of the map."""

    band: str
    colour: str
    label_zh: str
    label_en: str
    lower: float
    upper: float


@dataclass(frozen=True)
class ZoningRules:
    """The bands (low to high), the unknown band and the column they apply to."""

    name: str
    version: str
    citation: str
    value: str
    bands: tuple[Band, ...]
    unknown: Band


def band_label(lower: float, upper: float, position: str, lang: str) -> str:
    """The legend text of a band from its bounds: ``position`` ``"first"`` ("below 30% resumed"),
    ``"last"`` ("90% resumed or more") or ``"middle"`` ("70–90% resumed"), as ``capacity.band_*``
    words it, the percentages written by :mod:`epianalysis.text.format`."""
    if position == "first":
        return label("capacity.band_first", lang, upper=fmt.percent_value(upper, lang, decimals=0))
    if position == "last":
        return label("capacity.band_last", lang, lower=fmt.percent_value(lower, lang, decimals=0))
    return label("capacity.band_middle", lang, range=fmt.percent_range(lower, upper, lang))


def _position(n: int, count: int) -> str:
    return "first" if n == 1 and count > 1 else "last" if n == count and count > 1 else "middle"


def load_zoning_rules(path: str | Path | None = None) -> ZoningRules:
    """Read the bands (default: the package's ``topics/capacity/resumption_map.toml``).

    Raises
    ------
    DataError
        Bands that do not tile one interval (each band's lower bound is the previous upper bound),
        or a band with ``lower >= upper`` (file and key named).
    """
    path = Path(path) if path is not None else RULES_FILE
    raw = tomllib.loads(path.read_text("utf-8"))
    items = raw.get("bands", [])
    bands = tuple(
        Band(
            b["band"],
            b["colour"],
            b.get("label_zh") or band_label(float(b["lower"]), float(b["upper"]), _position(n, len(items)), "zh"),
            b.get("label_en") or band_label(float(b["lower"]), float(b["upper"]), _position(n, len(items)), "en"),
            float(b["lower"]),
            float(b["upper"]),
        )
        for n, b in enumerate(items, start=1)
    )
    problems = [
        Violation(path.name, n, f"bands[{n}].lower", "lower_below_upper", f"{b.lower}..{b.upper}")
        for n, b in enumerate(bands, start=1)
        if not b.lower < b.upper
    ]
    problems += [
        Violation(path.name, n + 1, f"bands[{n + 1}].lower", "contiguous_with_previous_band", str(b.lower))
        for n, (a, b) in enumerate(zip(bands, bands[1:]), start=1)
        if b.lower != a.upper
    ]
    if not bands:
        problems.append(Violation(path.name, None, "bands", "at_least_one_band"))
    if problems:
        raise DataError(f"invalid zoning rules {path.name}", problems)
    u = raw.get("unknown", {})
    unknown = Band(
        u.get("band", "unknown"),
        u.get("colour", "#CCCCCC"),
        u.get("label_zh", "未知"),
        u.get("label_en", "unknown"),
        np.nan,
        np.nan,
    )
    return ZoningRules(
        name=str(raw.get("name", "")),
        version=str(raw.get("version", "")),
        citation=str(raw.get("citation", "")),
        value=str(raw.get("value", "")),
        bands=bands,
        unknown=unknown,
    )


def resumption_zones(
    table: pd.DataFrame, rules: ZoningRules | None = None, value_column: str | None = None
) -> pd.DataFrame:
    """Add ``band``, ``colour``, ``label_zh``, ``label_en`` and ``out_of_range`` to each row.

    Formula: band i when ``lower_i <= v < upper_i`` (the top band includes its upper bound). A value
    outside all bands (e.g. above 100 or below 0) gets ``unknown`` and ``out_of_range = True``, kept
    as it is; a missing value gets ``unknown`` with ``out_of_range = False``.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows with the value column (default ``rules.value``, ``resumption_rate_pct``), e.g. the
        county rows of :func:`epianalysis.topics.capacity.metrics.recovery`.
    """
    rules = rules or load_zoning_rules()
    column = value_column or rules.value
    if column not in table.columns:
        raise DataError("resumption_zones: missing column", [Violation("table", None, column, "column_present")])
    value = table[column].astype("Float64").astype(float).to_numpy()
    lowers = np.array([b.lower for b in rules.bands])
    uppers = np.array([b.upper for b in rules.bands])
    inside = (value[:, None] >= lowers) & (value[:, None] < uppers)
    inside[:, -1] |= value == uppers[-1]
    found = inside.any(axis=1)
    index = np.where(found, inside.argmax(axis=1), len(rules.bands))
    every = [*rules.bands, rules.unknown]
    out = table.copy()
    for attr in ("band", "colour", "label_zh", "label_en"):
        out[attr] = pd.Series(
            np.array([getattr(b, attr) for b in every], dtype=object)[index], index=out.index, dtype="str"
        )
    out["out_of_range"] = ~found & ~np.isnan(value)
    return out
