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


def _nudges() -> list[tuple[float, float]]:
    """Offsets (points) tried, in order, to move a label off a collision: none, then rings of growing
    radius, each from straight up clockwise in steps of 30 degrees (wider than tall: text is wide)."""
    out = [(0.0, 0.0)]
    for radius in (12, 22, 34, 48, 64, 84):
        for step in range(12):
            angle = np.radians(90 - 30 * step)
            out.append((round(1.6 * radius * float(np.cos(angle)), 1), round(radius * float(np.sin(angle)), 1)))
    return out


_NUDGES = _nudges()


def collides(box: Bbox, fixed: list[Bbox], avoid: list[MplPath]) -> bool:
    """Whether ``box`` overlaps a box of ``fixed`` or the area of a path of ``avoid`` (display coordinates)."""
    return any(box.overlaps(other) for other in fixed) or any(path.intersects_bbox(box, filled=True) for path in avoid)


def place_without_collision(
    texts: list[object], renderer: object, pad: float = 2.0, avoid: list[MplPath] | None = None
) -> None:
    """Move text labels (offset annotations) until no two bounding boxes overlap and none covers an
    area to ``avoid`` (paths in display coordinates, e.g. the counties marked as changed on a map).

    Labels are fixed in order; each one tries the offsets of ``_NUDGES`` and keeps the first that
    collides with nothing already fixed or avoided (and stays inside the axes). Deterministic.
    """
    avoid = avoid or []
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
            if inside and not collides(box, fixed, avoid):
                chosen = box
                break
        if chosen is None:  # nothing free: keep the anchor; the overlap test will report it
            text.set_position((0, 0))
            chosen = text.get_window_extent(renderer).padded(pad)
        fixed.append(chosen)


def _clear(
    box: Bbox, ax_box: Bbox, lines: list[np.ndarray], points: list[tuple[float, float, float]], texts: list[Bbox]
) -> bool:
    """``box`` inside ``ax_box``, crossed by no polyline of ``lines``, covering no marker of ``points``
    (x, y, radius in pixels) and no box of ``texts``."""
    if box.x0 < ax_box.x0 or box.x1 > ax_box.x1 or box.y0 < ax_box.y0 or box.y1 > ax_box.y1:
        return False
    if any(box.overlaps(other) for other in texts):
        return False
    if any(MplPath(xy).intersects_bbox(box, filled=False) for xy in lines):
        return False
    return not any(box.padded(r).contains(x, y) for x, y, r in points)


def _leader_clear(
    anchor: np.ndarray, box: Bbox, lines: list[np.ndarray], points: list[tuple[float, float, float]], gap: float
) -> bool:
    """Whether a straight leader from ``anchor`` (starting ``gap`` pixels out) to the nearest point of
    ``box`` crosses no polyline of ``lines`` and passes over no marker of ``points``."""
    target = np.array([min(max(anchor[0], box.x0), box.x1), min(max(anchor[1], box.y0), box.y1)])
    length = float(np.hypot(*(target - anchor)))
    if length <= gap:
        return True
    start = anchor + (target - anchor) * gap / length
    leader = MplPath(np.array([start, target]))
    if any(MplPath(xy).intersects_path(leader, filled=False) for xy in lines):
        return False
    along = target - start
    for x, y, r in points:
        t = float(np.clip(np.dot(np.array([x, y]) - start, along) / float(np.dot(along, along)), 0.0, 1.0))
        if np.hypot(*(start + t * along - np.array([x, y]))) <= r + gap / 2:
            return False
    return True


def _polylines(line: object) -> list[np.ndarray]:
    """A line's vertices in display coordinates, cut where a value is missing (no segment spans a gap)."""
    xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
    finite = np.isfinite(xy).all(axis=1)
    runs, start = [], None
    for i, ok in enumerate([*finite, False]):
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            if i - start >= 2:
                runs.append(xy[start:i])
            start = None
    return runs


def annotate_clear(ax: object, text: str, xy: tuple[float, float], renderer: object, **kwargs: object) -> object:
    """An annotation of the point ``xy`` placed where it crosses no line of ``ax`` and covers no marker
    or text:
    beside the point when there is room, else at the nearest free place in the plot whose thin leader
    to the point crosses no line either. Deterministic (candidates in a fixed order; the first free
    one wins).

    ``kwargs`` are those of :meth:`~matplotlib.axes.Axes.annotate` (not the alignment, which follows
    the side the text is on).
    """
    lines, points = [], []
    for line in ax.get_lines():
        if line.get_linestyle() in ("None", "none", "", " "):
            size = line.get_markersize() * ax.figure.dpi / 72
            xs = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
            points += [(float(x), float(y), size / 2) for x, y in xs if np.isfinite(x) and np.isfinite(y)]
        else:
            lines += _polylines(line)
    ax_box = ax.get_window_extent(renderer)
    texts = [t.get_window_extent(renderer) for t in ax.texts]
    near = [(-10, 12), (-10, -12), (10, 12), (10, -12), (12, 0), (-12, 0), (0, 16), (0, -16)]
    far = sorted(
        ((dx, dy) for dx in range(-720, 721, 24) for dy in range(-360, 361, 12)),
        key=lambda d: (d[0] ** 2 + d[1] ** 2, d),
    )
    pad = 4 * ax.figure.dpi / 72
    anchor = ax.transData.transform(xy)
    candidates = [*near, *far]
    for leader_must_be_clear in (True, False):  # a leader across a line only when nothing else is free
        for k, (dx, dy) in enumerate(candidates):
            ha = "right" if dx < 0 else "left" if dx > 0 else "center"
            va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
            trial = ax.annotate(text, xy=xy, xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, **kwargs)
            box = trial.get_window_extent(renderer).padded(pad)
            if not _clear(box, ax_box, lines, points, texts):
                trial.remove()
                continue
            if k < len(near):
                return trial
            trial.remove()
            if leader_must_be_clear and not _leader_clear(anchor, box, lines, points, 3 * pad):
                continue
            leader = {"arrowstyle": "-", "color": "#6B6B6B", "linewidth": 0.8, "shrinkA": 2, "shrinkB": 4}
            return ax.annotate(
                text, xy=xy, xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, arrowprops=leader, **kwargs
            )
    return ax.annotate(text, xy=xy, xytext=near[0], textcoords="offset points", ha="right", va="bottom", **kwargs)
