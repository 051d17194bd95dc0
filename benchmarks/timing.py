"""What the benchmarks share: the median of repeated wall-clock timings (imported by the scripts here,
which run with this folder on their path)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(fn: Callable[[], object], repeat: int, warm_up: bool = True) -> float:
    """Median wall seconds of ``repeat`` calls of ``fn``, after one warm-up call unless ``warm_up`` is false."""
    if warm_up:
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)
