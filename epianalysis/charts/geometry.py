"""The projected map geometry of the county map, computed once and kept in a cache on disk.

A choropleth (:mod:`epianalysis.charts.maps`) needs, for every drawing: one path per county (islands
in the same path), one path per prefecture outline, the bounds of each path, the extent of the map,
the mid-latitude ``φ0`` of the province (the map is plate carrée drawn with the aspect ``1 / cos φ0``)
and a label anchor inside each prefecture, found in the projected plane
(:func:`epianalysis.charts.placement.interior_point`, about a second of work). All of it depends only
on the outlines of :mod:`epianalysis.reference.boundaries` and on the code that derives it, so it is
derived once and written to ``<cache>/geometry/map-<key>.npz`` (:func:`epianalysis.paths.cache_dir`),
where ``key`` is the SHA-256 of the boundary file and of the source of the modules that compute the
geometry: a changed outline or a changed computation changes the key, and a new file is made. A
process reads the file once and keeps the paths in memory; the paths are read-only, so figures share
them. A cold cache (no file) and a warm one give the same arrays, hence the same chart bytes
(``docs/architecture.md#caches``).
"""

from __future__ import annotations

import hashlib
import math
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath

from epianalysis.charts import placement
from epianalysis.charts.style import PRESS_RC
from epianalysis.fileio import atomic_write
from epianalysis.paths import cache_dir
from epianalysis.reference import boundaries

GEOMETRY_DIR = "geometry"
"""The folder of the map geometry under the cache folder."""

_PATH_RC = ("path.simplify", "path.simplify_threshold")
"""Settings a path reads when it is made (whether it may be simplified when drawn): those of the press style."""


@dataclass(frozen=True)
class MapGeometry:
    """The county map's geometry in map coordinates (lon, lat; the axes apply the aspect ``1/cos φ0``).

    ``counties`` and ``prefectures`` map a code to its read-only path, ``bounds`` a code (of either
    level) to ``((x0, y0), (x1, y1))``, ``anchors`` a prefecture code to the (lon, lat) of its label;
    ``extent`` is ``(x0, y0, x1, y1)`` over the counties.
    """

    counties: dict[str, MplPath]
    prefectures: dict[str, MplPath]
    bounds: dict[str, np.ndarray]
    anchors: dict[str, tuple[float, float]]
    extent: tuple[float, float, float, float]
    mid_latitude: float

    @property
    def aspect(self) -> float:
        """``1 / cos(φ0)``: the y/x scale of a lon/lat plot at the province's mid-latitude ``φ0``."""
        return 1.0 / math.cos(math.radians(self.mid_latitude))


# ------------------------------------------------------------------------------- computation


def _compound(rings: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Vertices and codes of one path of several closed rings."""
    path = MplPath.make_compound_path(*[MplPath(r, closed=True) for r in rings])
    return np.asarray(path.vertices, dtype=float), np.asarray(path.codes, dtype=np.uint8)


def _ring_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def compute_arrays() -> dict[str, np.ndarray]:
    """The geometry as plain arrays (what the cache file holds), derived from the boundary file.

    Keys: ``<level>_codes`` (str), ``<level>_vertices`` (float, all paths one after another),
    ``<level>_codes_of_vertices`` (uint8 path codes), ``<level>_offsets`` (start of each path; one
    more than paths) for ``county`` and ``prefecture``; ``anchors`` (one (lon, lat) row per
    prefecture, in code order), ``extent`` and ``mid_latitude``.
    """
    out: dict[str, np.ndarray] = {}
    for level in ("county", "prefecture"):
        rings_of = boundaries.load_boundaries(level)
        codes = sorted(rings_of)
        parts = [_compound(rings_of[c]) for c in codes]
        out[f"{level}_codes"] = np.array(codes, dtype=str)
        out[f"{level}_vertices"] = np.concatenate([v for v, _ in parts])
        out[f"{level}_codes_of_vertices"] = np.concatenate([k for _, k in parts])
        out[f"{level}_offsets"] = np.cumsum([0, *[len(v) for v, _ in parts]]).astype(np.int64)
    county_points = np.concatenate([r for rs in boundaries.load_boundaries("county").values() for r in rs])
    (x0, y0), (x1, y1) = county_points.min(axis=0), county_points.max(axis=0)
    mid = float((y0 + y1) / 2)
    out["extent"] = np.array([x0, y0, x1, y1], dtype=float)
    out["mid_latitude"] = np.array(mid, dtype=float)
    scale = 1.0 / (1.0 / math.cos(math.radians(mid)))  # as MapGeometry.aspect gives it, to the last bit
    anchors = []
    for _code, rings in sorted(boundaries.prefecture_outlines().items()):
        largest = max(rings, key=lambda r: abs(_ring_area(r)))
        anchors.append(placement.interior_point(largest, scale_x=scale))
    out["anchors"] = np.array(anchors, dtype=float)
    return out


def from_arrays(arrays: dict[str, np.ndarray]) -> MapGeometry:
    """The :class:`MapGeometry` of :func:`compute_arrays`' arrays (paths made under the press style's
    path settings, read-only)."""
    paths: dict[str, dict[str, MplPath]] = {}
    bounds: dict[str, np.ndarray] = {}
    with matplotlib.rc_context({key: PRESS_RC[key] for key in _PATH_RC if key in PRESS_RC}):
        for level in ("county", "prefecture"):
            offsets = arrays[f"{level}_offsets"]
            vertices, kinds = arrays[f"{level}_vertices"], arrays[f"{level}_codes_of_vertices"]
            paths[level] = {}
            for i, code in enumerate(arrays[f"{level}_codes"]):
                v = np.array(vertices[offsets[i] : offsets[i + 1]], dtype=float)
                k = np.array(kinds[offsets[i] : offsets[i + 1]], dtype=MplPath.code_type)
                paths[level][str(code)] = MplPath(v, k, readonly=True)
                inside = v[k != MplPath.CLOSEPOLY]
                bounds[str(code)] = np.array([inside.min(axis=0), inside.max(axis=0)])
    anchors = {
        str(c): (float(x), float(y)) for c, (x, y) in zip(arrays["prefecture_codes"], arrays["anchors"], strict=True)
    }
    x0, y0, x1, y1 = (float(v) for v in arrays["extent"])
    return MapGeometry(
        paths["county"], paths["prefecture"], bounds, anchors, (x0, y0, x1, y1), float(arrays["mid_latitude"])
    )


# ------------------------------------------------------------------------------------- cache


_SOURCES = (boundaries.BOUNDARIES_FILE, Path(boundaries.__file__), Path(placement.__file__), Path(__file__))
"""What the geometry is derived from: the outlines and the code that reads and derives them."""


def geometry_key() -> str:
    """SHA-256 (first 20 hex digits) of the boundary file and of the source of the modules that derive
    the geometry, with numpy's version (the arrays' file format)."""
    digest = hashlib.sha256(np.__version__.encode())
    for source in _SOURCES:
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:20]


def cache_file(folder: Path | None = None) -> Path:
    """``<folder or cache>/geometry/map-<key>.npz``."""
    return Path(folder if folder is not None else cache_dir()) / GEOMETRY_DIR / f"map-{geometry_key()}.npz"


def _read(path: Path) -> dict[str, np.ndarray] | None:
    try:
        with np.load(path, allow_pickle=False) as data:
            return {name: data[name] for name in data.files}
    except (OSError, ValueError, zipfile.BadZipFile):
        return None  # absent, or a partial file of another writer: derive it again


def _write(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write the arrays atomically (:func:`epianalysis.fileio.atomic_write`); a folder that cannot be
    written only means that the next process derives the geometry again."""

    def savez(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            np.savez(fh, **arrays)

    try:
        atomic_write(path, savez)
    except OSError:
        return


def load_geometry(folder: Path | None = None) -> tuple[MapGeometry, bool]:
    """The map geometry from the cache file of ``folder`` (default :func:`epianalysis.paths.cache_dir`),
    derived and written there when absent. Returns the geometry and whether the file was read (warm)."""
    path = cache_file(folder)
    arrays = _read(path)
    if arrays is not None:
        return from_arrays(arrays), True
    arrays = compute_arrays()
    _write(path, arrays)
    return from_arrays(arrays), False


@cache
def map_geometry() -> MapGeometry:
    """The map geometry of this process (:func:`load_geometry`, read once)."""
    return load_geometry()[0]


def add_path(ax: Axes, patch: PathPatch, bounds: np.ndarray) -> PathPatch:
    """Add ``patch`` (in data coordinates) to ``ax`` as :meth:`~matplotlib.axes.Axes.add_patch` does,
    with the data limits grown by the path's known ``bounds`` instead of being measured segment by
    segment (the map's view limits are fixed, so nothing else changes)."""
    ax.add_artist(patch)
    ax.update_datalim(bounds)
    return patch
