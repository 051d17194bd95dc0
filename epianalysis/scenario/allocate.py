"""Integer allocation helpers of the scenario: curves through anchors, cases split over units.

All functions are pure and deterministic (no random numbers): the same inputs give the same integers.
"""

from __future__ import annotations

from datetime import date

import numpy as np


def day_index(start: date, d: date) -> int:
    """Days from ``start`` to ``d`` (0 for ``start`` itself)."""
    return (d - start).days


def interpolate_anchors(anchors: dict[int, int], n_days: int, before: int = 0) -> np.ndarray:
    """Integer daily curve through ``anchors`` (day index -> value), linear and rounded in between.

    Before the first anchor the curve is ``before`` until the day before that anchor's predecessor
    interval starts; after the last anchor it stays flat. Values are exact on the anchor days and the
    curve never falls when the anchors do not.

    Formula: ``y(d) = round(y0 + (y1 - y0) * (d - d0) / (d1 - d0))`` for anchor days ``d0 < d <= d1``.
    """
    days = sorted(anchors)
    out = np.empty(n_days, dtype=np.int64)
    first = days[0]
    out[: max(first, 0)] = before
    for d0, d1 in zip(days[:-1], days[1:]):
        y0, y1 = anchors[d0], anchors[d1]
        span = np.arange(d0, d1 + 1)
        vals = y0 + (y1 - y0) * (span - d0) / (d1 - d0)
        lo, hi = max(d0, 0), min(d1 + 1, n_days)
        if lo < hi:
            out[lo:hi] = np.floor(vals[lo - d0 : hi - d0] + 0.5).astype(np.int64)
    if first >= 0:
        out[first] = anchors[first]
    out[days[-1] :] = anchors[days[-1]]
    return out


def window_schedule(parent_cum: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Target share (0..1) of each unit's cases placed by day d: the parent's progress in the window.

    ``S[d, k] = clip((P(d) - P(f_k - 1)) / (P(l_k) - P(f_k - 1)), 0, 1)``, ``P`` the parent's
    cumulative curve, ``[f_k, l_k]`` unit k's window (day indices).
    """
    n = len(parent_cum)
    padded = np.concatenate([[0], parent_cum])
    p0 = padded[np.clip(first, 0, n)]
    p1 = padded[np.clip(last + 1, 0, n)]
    span = np.maximum(p1 - p0, 1)
    s = (parent_cum[:, None] - p0[None, :]) / span[None, :]
    return np.clip(s, 0.0, 1.0)


def _fit(inc: np.ndarray, need: np.ndarray, weight: np.ndarray, iterations: int = 300) -> np.ndarray:
    """Iterative proportional fitting of ``weight`` (days, K) to row sums ``inc``, column sums ``need``."""
    m = weight.astype(float).copy()
    for _ in range(iterations):
        rows = m.sum(axis=1)
        m *= np.where(rows > 0, inc / np.where(rows > 0, rows, 1), 0.0)[:, None]
        cols = m.sum(axis=0)
        m *= np.where(cols > 0, need / np.where(cols > 0, cols, 1), 0.0)[None, :]
    return m


def allocate(
    increments: np.ndarray,
    anchors: list[tuple[int, np.ndarray]],
    schedule: np.ndarray,
    eligible: np.ndarray,
    cap: np.ndarray | None = None,
    deadline: np.ndarray | None = None,
    label: str = "",
    fallback: np.ndarray | None = None,
) -> np.ndarray:
    """Split a parent's daily increments over K units, one case at a time.

    Within each anchor interval the target shares are first fitted (iterative proportional fitting
    of the day-to-day increments of ``schedule``, restricted to ``eligible`` days) so that each day's
    targets add up to the parent's increment and each unit's to its need. Each case then goes to the
    eligible unit (``eligible[d, k]``, cases left to place before its next anchor, cumulative below
    ``cap[d, k]``) with the largest deficit ``target - placed`` (ties: earliest ``deadline``, then
    lowest index). Unit totals equal the anchors (list of (day index, cumulative K-vector)) exactly.
    A case that no eligible unit can take goes to a unit of ``fallback[d, k]`` (same conditions),
    if given; a case that fits nowhere raises ``ValueError``.

    Returns
    -------
    numpy.ndarray
        (days, K) integer daily increments.
    """
    n, k = schedule.shape
    out = np.zeros((n, k), dtype=np.int64)
    placed_total = np.zeros(k, dtype=np.int64)
    tie = np.zeros(k) if deadline is None else deadline.astype(float) * 1e-9
    prev_day, prev_cum = -1, np.zeros(k, dtype=np.int64)
    step = np.diff(np.vstack([np.zeros((1, k)), schedule]), axis=0)
    for day, cum in anchors:
        need = np.asarray(cum, dtype=np.int64) - prev_cum
        inc = increments[prev_day + 1 : day + 1]
        if (need < 0).any() or need.sum() != inc.sum():
            raise ValueError(
                f"{label}: anchors at day {day} do not match the parent increments ({need.sum()} vs {inc.sum()})"
            )
        ok = eligible[prev_day + 1 : day + 1] & (inc > 0)[:, None] & (need > 0)[None, :]
        weight = np.where(ok, np.maximum(step[prev_day + 1 : day + 1], 0) * need + 1e-3, 0.0)
        fitted = np.cumsum(_fit(inc.astype(float), need.astype(float), weight), axis=0)
        placed = np.zeros(k, dtype=np.int64)
        for i, d in enumerate(range(prev_day + 1, day + 1)):
            before = fitted[i - 1] if i else np.zeros(k)
            units = int(increments[d])
            for u in range(units):
                target = before + (fitted[i] - before) * (u + 1) / units
                ok_now = eligible[d] & (placed < need)
                if cap is not None:
                    ok_now &= placed_total + 1 <= cap[d]
                if not ok_now.any() and fallback is not None:
                    ok_now = fallback[d] & (placed < need)
                    if cap is not None:
                        ok_now &= placed_total + 1 <= cap[d]
                if not ok_now.any():
                    raise ValueError(f"{label}: no unit can take a case on day {d}")
                score = np.where(ok_now, target - placed - tie, -np.inf)
                j = int(np.argmax(score))
                placed[j] += 1
                placed_total[j] += 1
                out[d, j] += 1
        prev_day, prev_cum = day, np.asarray(cum, dtype=np.int64)
    return out


def split_by_weight(total: int, weights: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` and at most ``caps`` (largest remainder).

    Raises ``ValueError`` when ``total`` exceeds ``caps.sum()``.
    """
    caps = caps.astype(np.int64)
    if total > caps.sum():
        raise ValueError(f"cannot split {total} within caps summing to {caps.sum()}")
    out = np.zeros(len(weights), dtype=np.int64)
    remaining = int(total)
    w = np.where(caps > 0, weights.astype(float), 0.0)
    while remaining > 0:
        free = caps - out
        wf = np.where(free > 0, w, 0.0)
        if wf.sum() <= 0:
            wf = (free > 0).astype(float)
        share = remaining * wf / wf.sum()
        base = np.minimum(np.floor(share).astype(np.int64), free)
        if base.sum() == 0:
            order = np.lexsort((np.arange(len(w)), -(share - np.floor(share))))
            j = next(i for i in order if free[i] > 0)
            base[j] = 1
        out += base
        remaining -= int(base.sum())
    return out
