"""Benchmark: a day's briefing and a range of days against the floor of starting kernels, and where time goes.

Targets (issue 13), on the embedded scenario, measured side by side in this one run:

- one day (2020-03-02), every topic, ``--jobs 3``: at most 1.2x the *floor*, six trivial notebooks (one
  cell, ``1 + 1``) run through papermill three at a time, each in a fresh kernel, as a briefing's
  notebooks used to be;
- a range of ``--days`` days (default 10), every topic, ``--jobs 2``: at most 1.5 s of wall time per
  notebook, and at most 0.4x the time of the same days briefed one after the other as single days
  (``--jobs 2`` each).

The day's floor is the median of three measurements, before, between and after the day's runs: on
this shared machine one measurement of six trivial notebooks took from 1.6 to 5.8 s within minutes.
Every measurement starts from an empty cache folder of its own (``EPIANALYSIS_CACHE_DIR``): nothing
is kept from an earlier run. The single days share one, as a user's runs one after the other would.
Printed beside them: the same day with ``--fresh-kernels`` (a fresh kernel per notebook), the same
day briefed again with ``--force`` (its tables, log aggregates and charts then kept), the range's
floor (as many trivial notebooks, two at a time), the CPU seconds each run used (this process and
every process it started: workers, kernels) against the cores there are, and for the day and the
range the seconds per
notebook split into kernel (start or reset, outside every cell), data loading, computing and charts
(:mod:`epianalysis.briefing.timing`). Every run is ``--force`` into its own temporary reports folder,
in this process (the batch's own worker processes, as the command uses them).

Run: ``.venv/bin/python benchmarks/bench_day.py [--days 10] [--first 2020-02-21]``
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from timing import machine

DAY = dt.date(2020, 3, 2)
TARGET_DAY_RATIO = 1.2
TARGET_RANGE_PER_NOTEBOOK_S = 1.5
TARGET_RANGE_RATIO = 0.4


def floor(notebooks: int, at_once: int, folder: Path) -> float:
    """Wall seconds of ``notebooks`` trivial notebooks through papermill, ``at_once`` at a time, fresh kernels."""
    import nbformat
    import papermill

    from epianalysis.briefing.runner import KERNEL, KERNEL_START_TIMEOUT, ipc_kernel_manager

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3", "language": "python"}
    source = folder / "trivial.ipynb"
    nbformat.write(nb, source)

    def run(k: int) -> None:
        papermill.execute_notebook(
            str(source),
            str(folder / f"trivial-{k}.ipynb"),
            kernel_name=KERNEL,
            kernel_manager_class=ipc_kernel_manager(),
            start_timeout=KERNEL_START_TIMEOUT,
            progress_bar=False,
        )

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=at_once) as pool:
        list(pool.map(run, range(notebooks)))
    return time.perf_counter() - started


def cpu_seconds() -> float:
    """User and system CPU seconds of this process and of the processes it started that have ended
    (the batch's workers and kernels: they are shut down and waited for when a batch ends)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def busy(wall: float, cpu: float) -> str:
    """The CPU seconds of a run and what they mean on this machine's cores."""
    cores = os.cpu_count() or 1
    return f"CPU {cpu:6.1f} s, {cpu / wall:.1f} of {cores} cores busy; no faster than {cpu / cores:.1f} s here"


def brief(days: list[dt.date], jobs: int, reports: Path, fresh: bool = False):
    """Wall seconds of ``epianalysis brief`` over ``days`` (``--force``), its CPU seconds
    (:func:`cpu_seconds`), and the batch's outcomes."""
    from epianalysis.briefing.batch import run_batch
    from epianalysis.briefing.params import BriefingParams

    base = BriefingParams.resolve(days[0], lang="both")
    started, cpu = time.perf_counter(), cpu_seconds()
    result = run_batch(base, days, reports, jobs=jobs, force=True, progress=False, fresh_kernels=fresh)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    failed = [o for o in result.outcomes if o.status != "done"]
    if failed:
        raise SystemExit(f"briefing failed: {failed}")
    return seconds, cpu, result.outcomes


def split_table(outcomes) -> str:
    """Mean seconds per notebook and part over the days of ``outcomes``."""
    from epianalysis.briefing.timing import PARTS

    sums: dict[str, dict[str, float]] = {}
    counts: dict[str, int] = {}
    for outcome in outcomes:
        for name, parts in outcome.parts.items():
            counts[name] = counts.get(name, 0) + 1
            for part, value in parts.items():
                sums.setdefault(name, {}).setdefault(part, 0.0)
                sums[name][part] += value
    lines = [f"    {'notebook':<14}" + "".join(f"{p:>9}" for p in PARTS)]
    for name in sorted(sums):
        lines.append(f"    {name:<14}" + "".join(f"{sums[name].get(p, 0.0) / counts[name]:8.2f}s" for p in PARTS))
    return "\n".join(lines)


@contextlib.contextmanager
def cache_folder(folder: Path):
    """Run with ``folder`` as the cache (``EPIANALYSIS_CACHE_DIR``, inherited by the batch's worker
    processes and their kernels): every measurement starts from an empty cache of its own."""
    before = os.environ.get("EPIANALYSIS_CACHE_DIR")
    os.environ["EPIANALYSIS_CACHE_DIR"] = str(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("EPIANALYSIS_CACHE_DIR", None)
        else:
            os.environ["EPIANALYSIS_CACHE_DIR"] = before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=10, help="days of the range (default 10)")
    parser.add_argument("--first", default="2020-02-21", help="first press date of the range")
    args = parser.parse_args()
    from epianalysis.briefing.runner import briefing_notebooks

    per_day = len(briefing_notebooks())
    first = dt.date.fromisoformat(args.first)
    days = [first + dt.timedelta(days=k) for k in range(args.days)]
    ok = True
    print(machine())
    with tempfile.TemporaryDirectory(prefix="epianalysis-bench-day-") as tmp:
        root = Path(tmp)
        (root / "floor").mkdir()
        floors = [floor(6, 3, root / "floor")]
        with cache_folder(root / "cache-day"):
            day_s, day_cpu, day_outcomes = brief([DAY], 3, root / "day")
            floors.append(floor(6, 3, root / "floor"))
            again_s, _, again_outcomes = brief([DAY], 3, root / "again")
        with cache_folder(root / "cache-fresh"):
            fresh_s, _, _ = brief([DAY], 3, root / "fresh", fresh=True)
        floors.append(floor(6, 3, root / "floor"))
        day_floor = statistics.median(floors)
        ratio = day_s / day_floor
        ok &= ratio <= TARGET_DAY_RATIO
        print(f"one day, {per_day} notebooks, --jobs 3")
        print(
            f"  floor (6 trivial notebooks, 3 at a time): {day_floor:6.1f} s  "
            f"(median of {', '.join(f'{f:.1f}' for f in floors)} s)"
        )
        print(f"  brief (warm kernels, empty cache):        {day_s:6.1f} s  = {ratio:.2f}x floor (target <= 1.2x)")
        print(f"    {busy(day_s, day_cpu)}")
        print(f"  brief --fresh-kernels, empty cache:       {fresh_s:6.1f} s  = {fresh_s / day_floor:.2f}x floor")
        print(
            f"  brief --force again (tables, aggregates, charts kept): {again_s:6.1f} s  "
            f"= {again_s / day_floor:.2f}x floor"
        )
        print("  per notebook, empty cache:")
        print(split_table(day_outcomes))
        print("  per notebook, briefed again:")
        print(split_table(again_outcomes))

        notebooks = per_day * len(days)
        range_floor = floor(notebooks, 2, root / "floor")
        with cache_folder(root / "cache-range"):
            range_s, range_cpu, range_outcomes = brief(days, 2, root / "range")
        singles = 0.0
        with cache_folder(root / "cache-singles"):  # one after the other, sharing their cache as a user's would
            for day in days:
                seconds, _, _ = brief([day], 2, root / "singles")
                singles += seconds
        per_notebook, ratio = range_s / notebooks, range_s / singles
        ok &= per_notebook <= TARGET_RANGE_PER_NOTEBOOK_S and ratio <= TARGET_RANGE_RATIO
        print(f"range of {len(days)} days from {days[0]}, {notebooks} notebooks, --jobs 2, empty cache")
        print(f"  floor ({notebooks} trivial notebooks, 2 at a time): {range_floor:6.1f} s")
        print(
            f"  brief --from --to:  {range_s:6.1f} s  = {per_notebook:.2f} s per notebook (target <= 1.5 s), "
            f"{range_s / range_floor:.2f}x floor"
        )
        print(f"    {busy(range_s, range_cpu)}")
        print(
            f"  {len(days)} single days one after the other: {singles:6.1f} s; range / singles = {ratio:.2f}x "
            f"(target <= 0.4x)"
        )
        print(split_table(range_outcomes))
    print("targets met" if ok else "targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
