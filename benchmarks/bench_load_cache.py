"""Benchmark: loading each table of the embedded scenario without the load cache, with a cold cache and
with a warm one, side by side in this run (issue 13, item 1).

For every table that :meth:`epianalysis.data.store.DataStore.load` keeps (all but the large logs, which
are queried with DuckDB and never kept), three variants take turns in every round, after one warm-up
round, so that the load of the machine touches them alike:

- *uncached*: the load from the files (read, validate, merge, flag), as every notebook did before;
- *cold*: the cache on, its folder empty: the load, plus hashing the inputs, writing the Parquet file and
  its sidecar and checking that they read back identical (what the first notebook of a day pays);
- *warm*: the entry present: hashing the inputs and reading the entry back (every later notebook of the
  day, and every later day of a range whose files did not change).

The key alone (hashing ``source.toml``, the table's files and, once per process, the code) is timed
too. Every time is the median of ``--repeat`` rounds, in seconds; the ratios are uncached / warm (how
many times faster a hit is) and cold / uncached (what the first load pays more).

Run: ``.venv/bin/python benchmarks/bench_load_cache.py [--repeat 5] [--as-of 2020-03-01] [--data-dir DIR]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from epianalysis.data import cache
from epianalysis.data.contracts import table_spec
from epianalysis.data.store import DataStore
from epianalysis.paths import sample_dir


def main(argv: list[str] | None = None) -> int:
    """Print per table the median seconds of each variant and their ratios; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--as-of", default="2020-03-01")
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    folder = args.data_dir or sample_dir()
    if not folder.is_dir():
        print(f"no data folder at {folder} (make sample generates the embedded scenario)", file=sys.stderr)
        return 1
    os.environ.pop(cache.NO_CACHE_ENV, None)
    as_of = date.fromisoformat(args.as_of)
    store = DataStore(folder)
    uncached = DataStore.load.__wrapped__
    tables = [t for t in store.tables(as_of) if not table_spec(t).large]
    skipped = [t for t in store.tables(as_of) if table_spec(t).large]
    cache.code_digest()  # once per process, as in a kernel: timed apart below
    with tempfile.TemporaryDirectory(prefix="bench-load-cache-") as tmp:
        warm_dir, cold_root = Path(tmp) / "warm", Path(tmp) / "cold"
        print(f"{folder}, as of {as_of}, median of {args.repeat} rounds (seconds)")
        print(
            f"{'table':<16}{'key':>8}{'uncached':>10}{'cold':>8}{'warm':>8}{'uncached/warm':>15}{'cold/uncached':>15}"
        )
        totals = {"key": 0.0, "uncached": 0.0, "cold": 0.0, "warm": 0.0}
        for table in tables:
            times: dict[str, list[float]] = {name: [] for name in totals}
            for round_ in range(args.repeat + 1):
                cold_dir = cold_root / str(round_)
                variants = {
                    "key": (warm_dir, cache.table_key),
                    "uncached": (warm_dir, uncached),
                    "cold": (cold_dir, DataStore.load),
                    "warm": (warm_dir, DataStore.load),
                }
                for name, (cache_folder, fn) in variants.items():
                    os.environ["EPIANALYSIS_CACHE_DIR"] = str(cache_folder)
                    started = time.perf_counter()
                    fn(store, table, as_of)
                    if round_:  # round 0 warms up (and fills the warm cache)
                        times[name].append(time.perf_counter() - started)
            med = {name: statistics.median(values) for name, values in times.items()}
            for name in totals:
                totals[name] += med[name]
            print(
                f"{table:<16}{med['key']:>8.4f}{med['uncached']:>10.3f}{med['cold']:>8.3f}{med['warm']:>8.3f}"
                f"{med['uncached'] / med['warm']:>14.1f}x{med['cold'] / med['uncached']:>14.2f}x"
            )
        t = totals
        print(
            f"{'all':<16}{t['key']:>8.4f}{t['uncached']:>10.3f}{t['cold']:>8.3f}{t['warm']:>8.3f}"
            f"{t['uncached'] / t['warm']:>14.1f}x{t['cold'] / t['uncached']:>14.2f}x"
        )
    if skipped:
        print(f"not kept (large logs, read with DuckDB): {', '.join(skipped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
