"""Where text goes on a chart: an annotation placed off every line and marker, with a leader that
crosses nothing when it has to move away from its point."""

from __future__ import annotations

import numpy as np
from matplotlib.path import Path as MplPath
from matplotlib.text import Text

from epianalysis.charts.placement import annotate_clear
from epianalysis.charts.style import add_plot_axes, new_figure, press_style


def _text_box(annotation, renderer):
    """The annotation's text alone (its window extent would include the leader)."""
    annotation.update_positions(renderer)
    return Text.get_window_extent(annotation, renderer)


def _crosses(box, line) -> bool:
    xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
    return MplPath(xy[np.isfinite(xy).all(axis=1)]).intersects_bbox(box, filled=False)  # gaps only at the end here


def test_annotation_beside_its_point_when_there_is_room():
    with press_style("en"):
        fig = new_figure()
        ax = add_plot_axes(fig)
        ax.plot([0, 10], [0, 10])
        ax.set_xlim(0, 12)
        ax.set_ylim(0, 12)
        text = annotate_clear(ax, "10.0", (10, 10), fig.canvas.get_renderer(), fontsize=12)
    assert text.arrowprops is None  # no leader: it sits next to the point
    assert not _crosses(_text_box(text, fig.canvas.get_renderer()), ax.get_lines()[0])


def test_a_long_label_moves_off_every_line_with_a_leader_that_crosses_none():
    # the situation of the capacity chart: a rising line ending under a flat higher line
    days = np.arange(-10, 41)
    normal = np.clip(12 + 3 * (days - 5), 10, 97).astype(float)
    year = np.where(days <= 36, np.clip(10 + 3.4 * (days - 16), 10, 77.4), np.nan)
    with press_style("en"):
        fig = new_figure()
        ax = add_plot_axes(fig)
        lines = [ax.plot(days, normal)[0], ax.plot(days, year)[0]]
        ax.plot([35], [75], marker="D", linestyle="none", markersize=9)
        ax.set_xlim(-10.5, 40.5)
        ax.set_ylim(0, 108)
        renderer = fig.canvas.get_renderer()
        text = annotate_clear(ax, "77.4%: 16 days behind a normal year", (36, 77.4), renderer, fontsize=13)
    box = _text_box(text, renderer)
    assert not any(_crosses(box.padded(2), line) for line in lines)
    assert ax.get_window_extent(renderer).contains(box.x0, box.y0) and ax.get_window_extent(renderer).contains(
        box.x1, box.y1
    )
    if text.arrowprops is not None:
        start = ax.transData.transform((36, 77.4))
        end = np.array([min(max(start[0], box.x0), box.x1), min(max(start[1], box.y0), box.y1)])
        direction = (end - start) / np.hypot(*(end - start))
        leader = MplPath(np.array([start + 25 * direction, end]))
        for line in lines:
            xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
            xy = xy[np.isfinite(xy).all(axis=1)]
            assert not MplPath(xy).intersects_path(leader, filled=False)
