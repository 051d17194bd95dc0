"""The projected map geometry and its cache: a cold and a warm cache give the same arrays and the same
chart bytes as drawing from the outlines directly; the key follows what the geometry is derived from."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath

from epianalysis.charts import geometry, maps
from epianalysis.charts.export import FORMATS, render_figure
from epianalysis.reference import boundaries
from epianalysis.reference.regions import counties

CODES = sorted(counties()["code"].astype(str))
KEYS = ["red", "orange", "yellow", "blue", "green"]
VALUES = pd.DataFrame({"region_code": CODES[:-2], "level": [KEYS[i % 5] for i in range(len(CODES) - 2)]})
CHANGED = {code: "yellow → blue" for code in CODES[::9]}


def chart_bytes(fig) -> dict[str, bytes]:
    """The figure in every export format, as :func:`epianalysis.charts.export.save_figure` writes it."""
    return render_figure(fig, FORMATS)


def draw_with(monkeypatch, found: geometry.MapGeometry) -> dict[str, bytes]:
    monkeypatch.setattr(maps, "map_geometry", lambda: found)
    return chart_bytes(maps.choropleth(VALUES, None, "en", subtitle="s", source="test", changed=CHANGED))


def test_a_cold_and_a_warm_cache_give_the_same_geometry(tmp_path):
    cold, read = geometry.load_geometry(tmp_path)
    assert not read and geometry.cache_file(tmp_path).is_file()
    warm, read = geometry.load_geometry(tmp_path)
    assert read
    assert list(cold.counties) == list(warm.counties) == CODES
    rings = boundaries.load_boundaries("county")
    for code in CODES:
        direct = MplPath.make_compound_path(*[MplPath(r, closed=True) for r in rings[code]])
        for found in (cold, warm):
            np.testing.assert_array_equal(found.counties[code].vertices, direct.vertices)
            np.testing.assert_array_equal(found.counties[code].codes, direct.codes)
    assert cold.anchors == warm.anchors and cold.extent == warm.extent and cold.aspect == warm.aspect


def test_chart_bytes_are_the_same_cold_warm_and_drawn_from_the_outlines(tmp_path, monkeypatch):
    """PNG, SVG and PDF of a map drawn from a cold cache, from a warm one, and from patches made from
    the outlines and added one by one with ``add_patch`` (as the map was drawn before the cache)."""
    cold = draw_with(monkeypatch, geometry.load_geometry(tmp_path)[0])
    warm = draw_with(monkeypatch, geometry.load_geometry(tmp_path)[0])
    monkeypatch.setattr(maps, "add_path", lambda ax, patch, bounds: ax.add_patch(patch))
    direct = draw_with(monkeypatch, geometry.from_arrays(geometry.compute_arrays()))
    assert cold == warm == direct


def test_the_data_limits_are_those_add_patch_gives(tmp_path):
    found = geometry.load_geometry(tmp_path)[0]
    fig = Figure()
    by_segment, by_bounds = fig.add_subplot(121), fig.add_subplot(122)
    for code, path in found.counties.items():
        by_segment.add_patch(PathPatch(path))
        geometry.add_path(by_bounds, PathPatch(path), found.bounds[code])
    np.testing.assert_array_equal(by_segment.dataLim.get_points(), by_bounds.dataLim.get_points())
    assert len(by_bounds.patches) == len(CODES)


def test_figures_share_read_only_paths(tmp_path):
    found = geometry.load_geometry(tmp_path)[0]
    path = found.counties[CODES[0]]
    assert path.readonly
    with pytest.raises(AttributeError):
        path.vertices = np.zeros((3, 2))


def test_the_key_follows_the_outlines_and_the_code(tmp_path, monkeypatch):
    source = tmp_path / "derivation.py"
    source.write_text("one way\n")
    monkeypatch.setattr(geometry, "_SOURCES", (*geometry._SOURCES, source))
    before = geometry.geometry_key()
    assert geometry.geometry_key() == before  # the same inputs, the same key
    source.write_text("another way\n")
    assert geometry.geometry_key() != before


def test_a_damaged_cache_file_is_derived_again(tmp_path):
    path = geometry.cache_file(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not an npz file")
    found, read = geometry.load_geometry(tmp_path)
    assert not read and len(found.counties) == len(CODES)
    assert geometry.load_geometry(tmp_path)[1]  # written again, whole
