"""Benchmark: the health-code briefing of one province-scale day vs ``epianalysis aggregate`` on the same rows.

The log is the one of ``bench_scale.py`` (generated once, deterministic, under the system temp
directory, by its generator): every one of the 64.6 M residents on 2020-04-30, the code holders of
that day (about 58 M rows), partitioned ``health_code_log/date=2020-04-30/``. Side by side in one
run, each in its own fresh Python process (so that ``ru_maxrss`` is that run's own peak) with the
cache off (``EPIANALYSIS_NO_CACHE=1``: no run reads a contract check or an aggregate another one kept):

- ``aggregate``: ``epianalysis aggregate --log <folder> --out <csv>`` (contract check, then the
  county-day counts on DuckDB);
- ``brief``: the health-code briefing's computation, :func:`epianalysis.topics.health_codes.view.health_code_briefing`
  on a :class:`~epianalysis.data.store.DataStore` of that folder (contract check, counts and days to
  green on DuckDB, then the metrics) and its ``summary.json`` section;
- ``brief-spark``: the same with ``engine="spark"`` (``local[*]``; the session start is timed apart;
  peak memory is the larger of the Python process and the JVM, a child of it), run on a log of scale
  ``--spark-scale`` (default 1.0). On a small machine Spark at full scale can take long: a smaller
  scale runs DuckDB on that same smaller log too, so that the numbers are compared on the same rows,
  and the report says so.

Targets (issue 13): ``brief`` wall time <= 2 x ``aggregate``, peak memory < 2 GB; the summary numbers
identical on Spark.

Run: ``.venv/bin/python benchmarks/bench_province_brief.py [--repeat 1] [--spark-scale 1.0]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench_scale import data_dir, generate, jvm_peak_mb, rss_mb
from timing import machine

DAY = date(2020, 4, 30)
TARGET_RATIO, TARGET_PEAK_MB = 2.0, 2048
RUNS = ("aggregate", "brief", "brief-spark")


def child(run: str, log: Path, repeat: int) -> None:
    """One run here, in a fresh process; print one JSON line."""
    from epianalysis.data.store import DataStore
    from epianalysis.topics.health_codes import view

    times, extra, summary = [], {}, None
    if run == "aggregate":
        from epianalysis.cli import main

        out = Path(tempfile.mkdtemp()) / "health_codes.csv"
        for _ in range(repeat):
            started = time.perf_counter()
            code = main(["aggregate", "--log", str(log), "--out", str(out)])
            times.append(time.perf_counter() - started)
            if code != 0:
                raise SystemExit(code)
        out.unlink()
        out.parent.rmdir()
    elif run == "brief":
        store = DataStore(log.parent)
        for _ in range(repeat):
            started = time.perf_counter()
            summary = view.summary(view.health_code_briefing(store, DAY))
            times.append(time.perf_counter() - started)
    else:
        from epianalysis.engine import get_engine

        started = time.perf_counter()
        spark = get_engine("spark", "local[*]")
        extra["start_s"] = time.perf_counter() - started
        store = DataStore(log.parent)
        for _ in range(repeat):
            started = time.perf_counter()
            summary = view.summary(view.health_code_briefing(store, DAY, engine=spark))
            times.append(time.perf_counter() - started)
        extra["jvm_peak_mb"] = jvm_peak_mb(spark)
        spark.close()
    print(json.dumps({"run": run, "seconds": times, "peak_mb": rss_mb(), "summary": summary, **extra}))


def run_child(run: str, log: Path, repeat: int) -> dict:
    cmd = [sys.executable, __file__, "--child", run, "--log", str(log), "--repeat", str(repeat)]
    env = {**os.environ, "EPIANALYSIS_NO_CACHE": "1"}  # every run checks and aggregates the log itself
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        return {"run": run, "error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _rows(log: Path) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(f).metadata.num_rows for f in log.rglob("*.parquet"))


def _line(name: str, r: dict) -> str:
    if "error" in r:
        return f"{name:>12}  FAILED: {r['error']}"
    peak = max(r["peak_mb"], r.get("jvm_peak_mb", 0))
    note = f"session start {r['start_s']:.1f} s, JVM peak {r['jvm_peak_mb']:.0f} MB" if "start_s" in r else ""
    return f"{name:>12} {statistics.median(r['seconds']):9.1f} {peak:8.0f}  {note}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="timed runs of each (median; default 1)")
    parser.add_argument(
        "--spark-scale", type=float, default=1.0, help="scale of the log Spark runs on (default 1.0: the full province)"
    )
    parser.add_argument("--child", choices=RUNS, help=argparse.SUPPRESS)
    parser.add_argument("--log", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.log), args.repeat)
        return 0
    print(f"{machine()}; data in {data_dir()}")
    logs = {}
    for scale in sorted({1.0, args.spark_scale}):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("bench_scale.py")), "--generate", "province-day"]
            + ["--scale", str(scale)],
            check=True,
        )
        logs[scale] = generate("province-day", scale)  # already written: returns the folder
        print(f"log at scale {scale:g}: {_rows(logs[scale]):,} rows, ready in {time.perf_counter() - started:.0f} s")
    full = logs[1.0]
    results = {run: run_child(run, full, args.repeat) for run in ("aggregate", "brief")}
    print(f"\nprovince day {DAY}, {_rows(full):,} person rows, partitioned")
    print(f"{'run':>12} {'median s':>9} {'peak MB':>8}")
    for run, r in results.items():
        print(_line(run, r))
    if any("error" in r for r in results.values()):
        return 1
    agg, brief = results["aggregate"], results["brief"]
    ratio = statistics.median(brief["seconds"]) / statistics.median(agg["seconds"])
    ok = ratio <= TARGET_RATIO and brief["peak_mb"] < TARGET_PEAK_MB
    print(f"brief / aggregate wall time: {ratio:.2f}x (target <= {TARGET_RATIO:g}x)")
    print(f"brief peak memory: {brief['peak_mb']:.0f} MB (target < {TARGET_PEAK_MB} MB)")

    spark_log = logs[args.spark_scale]
    reference = brief if args.spark_scale == 1.0 else run_child("brief", spark_log, 1)
    spark = run_child("brief-spark", spark_log, 1)
    where = (
        "the same rows"
        if args.spark_scale == 1.0
        else f"a reduced log (scale {args.spark_scale:g}, {_rows(spark_log):,} rows)"
    )
    print(f"\nSpark (local[*]) on {where}:")
    if args.spark_scale != 1.0:
        print(_line("brief", reference))
    print(_line("brief-spark", spark))
    if "error" in spark or "error" in reference:
        return 1
    same = spark["summary"] == reference["summary"]
    print(f"summary numbers identical with --engine spark: {'yes' if same else 'NO'}")
    if not same:
        for key in reference["summary"]:
            if reference["summary"][key] != spark["summary"].get(key):
                print(f"  {key}: duckdb {reference['summary'][key]!r}, spark {spark['summary'].get(key)!r}")
    print("summary (duckdb, full scale): " + json.dumps({k: brief["summary"][k] for k in ("holders", "share_green")}))
    return 0 if ok and same else 1


if __name__ == "__main__":
    sys.exit(main())
