"""What the benchmarks share: the median of repeated wall-clock timings and a line naming the machine
and library versions a result was measured with (imported by the scripts here, which run with this
folder on their path)."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from importlib import metadata

#: The libraries whose versions move our timings most (charts, tables, queries, kernels).
LIBRARIES = ("matplotlib", "pandas", "pyarrow", "duckdb", "ipykernel")


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


def machine() -> str:
    """One line for the top of a benchmark's output: cores, Python and the :data:`LIBRARIES` versions.

    The same code runs at different speeds with other versions (matplotlib's text drawing, for one),
    so a ratio is only comparable with another measured on the same line.
    """
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    return f"{os.cpu_count() or 1} cores, Python {platform.python_version()}, " + ", ".join(versions)
