"""Benchmark: aggregate a health-code log of 10 M person-days, DuckDB against a plain pandas groupby.

Target (issue 4): the DuckDB engine (:func:`epianalysis.engine.aggregate_health_codes`, out of core
over Parquet) is at least 5x faster than reading the Parquet file with pandas and grouping it
(:func:`epianalysis.engine.health_codes_pandas.aggregate_health_codes_pandas`), with at most a third
of pandas' peak memory.

Method: the log is generated once (deterministic: the scenario's simulator with a fixed seed, at a
scale that gives about 10 M rows) into a folder under the system temp directory and reused. Each
engine then runs in its own fresh Python process, one after the other in this one run, so that
each child's peak resident memory (``ru_maxrss``) is its own. A child imports the libraries, records
its memory after the imports, then times the aggregation (for pandas: ``read_parquet`` + groupby)
``--repeat`` times; the median wall time is reported. Peak memory includes the interpreter and
the imports, which both children share (shown as "after imports"). Both results are checked to be
identical before the ratios are printed.

Run: ``.venv/bin/python benchmarks/bench_health_codes.py [--rows 10000000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEED = 20200217
SCENARIO_ROWS_PER_SCALE = 33_943_428 / 0.01  # rows of the scenario's log per unit of scale
TARGET_SPEEDUP = 5.0
TARGET_MEMORY_SHARE = 1 / 3


def log_path(rows: int) -> Path:
    """Where the generated log of about ``rows`` rows is kept between runs."""
    return Path(tempfile.gettempdir()) / "epianalysis-bench-health-codes" / f"log-{rows}.parquet"


def generate(rows: int) -> Path:
    """Write (once) a deterministic person-day log of about ``rows`` rows; return its path."""
    import numpy as np
    import pandas as pd

    from epianalysis.data.store import atomic_write
    from epianalysis.reference.regions import counties
    from epianalysis.scenario.health_codes import write_log

    path = log_path(rows)
    if path.is_file():
        return path
    table = counties().sort_values("code").reset_index(drop=True)
    burden = pd.Series(0.0, index=table["code"])  # no case burden: the base episode rates
    scale = rows / SCENARIO_ROWS_PER_SCALE
    atomic_write(path, lambda tmp: write_log(tmp, table, burden, scale, np.random.default_rng(SEED)))
    return path


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def child(engine: str, path: str, repeat: int, threads: int | None, memory_limit: str | None) -> None:
    """Run one engine in this process and print a JSON line with timings and peak memory."""
    import duckdb  # noqa: F401  (both children import the same libraries)
    import pandas as pd

    from epianalysis.engine.health_codes import aggregate_health_codes
    from epianalysis.engine.health_codes_pandas import aggregate_health_codes_pandas

    after_imports = _rss_mb()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        if engine == "duckdb":
            con = duckdb.connect()
            if threads:
                con.execute(f"SET threads = {int(threads)}")
            if memory_limit:
                con.execute(f"SET memory_limit = '{memory_limit}'")
            out = aggregate_health_codes(path, con)
            con.close()
        else:
            out = aggregate_health_codes_pandas(pd.read_parquet(path))
        times.append(time.perf_counter() - started)
    out = out.assign(date=out["date"].dt.strftime("%Y-%m-%d"))  # the engines' datetime units differ
    digest = int(pd.util.hash_pandas_object(out, index=False).sum())
    print(
        json.dumps(
            {
                "engine": engine,
                "seconds": times,
                "after_imports_mb": after_imports,
                "peak_mb": _rss_mb(),
                "rows_out": len(out),
                "digest": digest,
            }
        )
    )


def run_child(engine: str, path: Path, repeat: int, threads: int | None, memory_limit: str | None) -> dict:
    cmd = [sys.executable, __file__, "--child", engine, "--log", str(path), "--repeat", str(repeat)]
    if threads:
        cmd += ["--threads", str(threads)]
    if memory_limit:
        cmd += ["--memory-limit", memory_limit]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    parser.add_argument("--memory-limit", default=None, help="DuckDB memory_limit, e.g. '500MB'")
    parser.add_argument("--child", choices=["duckdb", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument("--log", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.log, args.repeat, args.threads, args.memory_limit)
        return 0

    import pyarrow.parquet as pq

    started = time.perf_counter()
    path = generate(args.rows)
    meta = pq.ParquetFile(path).metadata
    print(
        f"log: {meta.num_rows:,} person-days, {path.stat().st_size / 1e6:.0f} MB Parquet "
        f"(ready in {time.perf_counter() - started:.1f} s; {os.cpu_count()} CPUs)"
    )
    results = {e: run_child(e, path, args.repeat, args.threads, args.memory_limit) for e in ("duckdb", "pandas")}
    for engine, r in results.items():
        print(
            f"{engine:>7}: median {statistics.median(r['seconds']):6.2f} s "
            f"(runs {', '.join(f'{s:.2f}' for s in r['seconds'])}), peak RSS {r['peak_mb']:7.0f} MB "
            f"(after imports {r['after_imports_mb']:.0f} MB), {r['rows_out']} county-days"
        )
    if results["duckdb"]["digest"] != results["pandas"]["digest"]:
        print("FAIL: the two engines gave different aggregates")
        return 1
    speedup = statistics.median(results["pandas"]["seconds"]) / statistics.median(results["duckdb"]["seconds"])
    share = results["duckdb"]["peak_mb"] / results["pandas"]["peak_mb"]
    ok_speed, ok_memory = speedup >= TARGET_SPEEDUP, share <= TARGET_MEMORY_SHARE
    print("identical aggregates: yes")
    print(f"speed-up pandas/duckdb: {speedup:.1f}x (target >= {TARGET_SPEEDUP:.0f}x) {'OK' if ok_speed else 'MISSED'}")
    print(
        f"peak memory duckdb/pandas: {share:.2f} (target <= {TARGET_MEMORY_SHARE:.2f}) "
        f"{'OK' if ok_memory else 'MISSED'}"
    )
    return 0 if ok_speed and ok_memory else 1


if __name__ == "__main__":
    sys.exit(main())
