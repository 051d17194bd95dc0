"""Where text goes on a map: a point deep inside a shape, a halo behind labels, and labels moved off
each other. Deterministic, so the same data always give the same figure."""

from __future__ import annotations

import numpy as np
from matplotlib import patheffects
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox


def _distance_to_ring(points: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Euclidean distance of each point to the nearest edge of a closed ring (vectorised)."""
    a, b = ring[:-1], ring[1:]
    ab = b - a
    length2 = np.maximum((ab**2).sum(axis=1), 1e-18)
    ap = points[:, None, :] - a[None, :, :]
    t = np.clip((ap * ab[None]).sum(axis=2) / length2[None], 0.0, 1.0)
    nearest = a[None] + t[..., None] * ab[None]
    return np.sqrt(((points[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)


def interior_point(ring: np.ndarray, scale_x: float = 1.0, steps: int = 24) -> tuple[float, float]:
    """A point deep inside a ring: an approximate pole of inaccessibility (Garcia-Castellanos & Lombardo 2007).

    The point inside the ring farthest from its edges, searched on a ``steps × steps`` grid over the
    bounding box and refined twice on a finer grid around the best point. ``scale_x`` stretches x
    before measuring distance (``cos φ0`` for lon/lat). Deterministic; used to place labels.
    """
    pts = np.column_stack([ring[:, 0] * scale_x, ring[:, 1]])
    path = MplPath(pts, closed=True)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    centre, half = (lo + hi) / 2, (hi - lo) / 2
    best, best_d = None, -1.0
    for _ in range(3):
        gx = np.linspace(centre[0] - half[0], centre[0] + half[0], steps)
        gy = np.linspace(centre[1] - half[1], centre[1] + half[1], steps)
        grid = np.column_stack([np.repeat(gx, steps), np.tile(gy, steps)])
        inside = grid[path.contains_points(grid)]
        if inside.size:
            d = _distance_to_ring(inside, pts)
            i = int(np.argmax(d))
            if d[i] > best_d:
                best, best_d = inside[i], float(d[i])
        if best is None:
            break
        centre, half = best, half / (steps / 4)
    if best is None:  # degenerate ring: fall back to the vertex mean
        best = pts[:-1].mean(axis=0)
    return float(best[0] / scale_x), float(best[1])


def halo(width: float = 3.0) -> list[object]:
    """Path effects of a white halo behind text, so labels read over any fill."""
    return [patheffects.withStroke(linewidth=width, foreground="white")]


def text_overlaps(texts: list[object], renderer: object, pad: float = 0.0) -> list[tuple[int, int]]:
    """Index pairs of texts whose rendered bounding boxes (grown by ``pad`` px) overlap."""
    boxes = [t.get_window_extent(renderer).padded(pad) for t in texts]
    return [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if boxes[i].overlaps(boxes[j])]


# Offsets (points) tried, in order, to move a label off a collision.
_NUDGES = [
    (0, 0),
    (0, 12),
    (0, -12),
    (18, 0),
    (-18, 0),
    (0, 22),
    (0, -22),
    (30, 8),
    (-30, 8),
    (30, -8),
    (-30, -8),
    (0, 34),
    (0, -34),
]


def place_without_collision(texts: list[object], renderer: object, pad: float = 2.0) -> None:
    """Move text labels (offset annotations) until no two bounding boxes overlap.

    Labels are fixed in order; each one tries the offsets of ``_NUDGES`` and keeps the first that
    overlaps no label already fixed (and stays inside the axes). Deterministic.
    """
    fixed: list[Bbox] = []
    for text in texts:
        ax_box = text.axes.get_window_extent(renderer) if text.axes is not None else None
        chosen = None
        for dx, dy in _NUDGES:
            text.set_position((dx, dy))
            box = text.get_window_extent(renderer).padded(pad)
            inside = ax_box is None or (
                box.x0 >= ax_box.x0 and box.x1 <= ax_box.x1 and box.y0 >= ax_box.y0 and box.y1 <= ax_box.y1
            )
            if inside and not any(box.overlaps(other) for other in fixed):
                chosen = box
                break
        if chosen is None:  # nothing free: keep the anchor; the overlap test will report it
            text.set_position((0, 0))
            chosen = text.get_window_extent(renderer).padded(pad)
        fixed.append(chosen)
