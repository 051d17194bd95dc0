"""Benchmark at province scale: the county-day health-code aggregation, DuckDB vs Spark vs pandas.

Two logs (generated once, deterministic, under the system temp directory, partitioned
``date=YYYY-MM-DD/``): one province-day at full scale (every one of the 64.6 M residents; the code
holders of 2020-04-30, about 58 M rows) and a 30-day range (2020-04-01 .. 2020-04-30) at a reduced
scale (``--range-scale``, default 0.02: 30 days x 64.6 M rows would be about 1.7 billion rows, more
than this benchmark should take on one machine).

On each log, side by side in one run, each in its own fresh Python process (so that ``ru_maxrss``
is that run's own peak):

- ``floor``: DuckDB scanning the same Parquet columns (``person_id``, ``region_code``, ``date``,
  ``colour``) and reducing them to one row: the raw cost of reading the data;
- ``handwritten``: a hand-written DuckDB query straight over ``read_parquet`` (no views, no pandas
  post-processing);
- ``workbook``: :func:`epianalysis.engine.aggregate_health_codes` (engine ``duckdb``);
- ``spark``: the same function with ``engine="spark"``, ``local[*]`` (the session start is timed
  separately; peak memory is the larger of the Python process and the JVM, which is a child);
- ``pandas``: ``read_parquet`` + :func:`aggregate_health_codes_pandas`, guarded: above
  ``--pandas-max-rows`` rows it reads only the first row groups up to that count, and rows per
  second are compared instead of times.

Targets (issue 6): workbook <= 1.3 x handwritten; workbook >= 10 x faster than pandas (rows/s);
workbook peak memory < 2 GB at 64.6 M residents. Results of workbook, handwritten and Spark are
checked to be identical.

Run: ``.venv/bin/python benchmarks/bench_scale.py [--repeat 3] [--range-scale 0.02]``
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
from datetime import date
from pathlib import Path

SEED = 20200430
RESIDENTS = 64_600_000
TARGET_VS_HAND, TARGET_VS_PANDAS, TARGET_PEAK_MB = 1.3, 10.0, 2048
ENGINES = ("floor", "handwritten", "workbook", "spark", "pandas")
LOGS = {"province-day": (date(2020, 4, 30), date(2020, 4, 30)), "30-day range": (date(2020, 4, 1), date(2020, 4, 30))}

HANDWRITTEN = """
WITH counts AS (
    SELECT date, region_code, count(*) FILTER (WHERE colour = 'green') AS green,
           count(*) FILTER (WHERE colour = 'yellow') AS yellow, count(*) FILTER (WHERE colour = 'red') AS red
    FROM read_parquet($p, hive_partitioning = true) GROUP BY ALL),
trans AS (
    SELECT l.date, l.region_code,
           count(*) FILTER (WHERE l.colour = 'red' AND p.colour = 'red') AS red_stay,
           count(*) FILTER (WHERE l.colour = 'yellow' AND p.colour = 'yellow') AS yellow_stay,
           count(*) FILTER (WHERE l.colour = 'green' AND p.colour = 'red') AS red_to_green,
           count(*) FILTER (WHERE l.colour = 'green' AND p.colour = 'yellow') AS yellow_to_green
    FROM read_parquet($p, hive_partitioning = true) AS l
    JOIN (SELECT person_id, date + 1 AS date, colour FROM read_parquet($p, hive_partitioning = true)
          WHERE colour <> 'green') AS p USING (person_id, date) GROUP BY ALL)
SELECT c.date, c.region_code, green, yellow, red, red - coalesce(red_stay, 0) AS new_red,
       yellow - coalesce(yellow_stay, 0) AS new_yellow, coalesce(red_to_green, 0) AS red_to_green,
       coalesce(yellow_to_green, 0) AS yellow_to_green
FROM counts AS c LEFT JOIN trans AS t USING (date, region_code) ORDER BY 1, 2
"""
FLOOR = """SELECT sum(person_id), max(region_code), max(date), max(colour)
FROM read_parquet($p, hive_partitioning = true)"""


def data_dir() -> Path:
    return Path(tempfile.gettempdir()) / "epianalysis-bench-scale"


def generate(name: str, scale: float) -> Path:
    """Write (once) the partitioned log ``name`` at ``scale``; return its folder."""
    import numpy as np
    import pandas as pd

    from epianalysis.reference.regions import counties
    from epianalysis.scenario.partitioned import write_log_partitioned

    root = data_dir() / f"{name.replace(' ', '-')}-{scale:g}" / "health_code_log"
    if (root.parent / ".complete").exists():
        return root
    import shutil

    shutil.rmtree(root.parent, ignore_errors=True)
    table = counties().sort_values("code").reset_index(drop=True)
    burden = pd.Series(0.0, index=table["code"])
    write_log_partitioned(root, table, burden, scale, np.random.default_rng(SEED), LOGS[name])
    (root.parent / ".complete").write_bytes(b"")
    return root


def rss_mb(who=resource.RUSAGE_SELF) -> float:
    """Peak resident memory of this process (or its children) in MB."""
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: kilobytes


def jvm_peak_mb(spark) -> float:
    """The Spark JVM's own peak memory (VmHWM) in MB, read before it stops (RUSAGE_CHILDREN misses it)."""
    try:
        pid = spark.spark.sparkContext._gateway.proc.pid
        hwm = [line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("VmHWM")]
        return int(hwm[0].split()[1]) / 1024
    except (AttributeError, OSError, IndexError):
        return rss_mb(resource.RUSAGE_CHILDREN)


def _digest(df) -> int:
    import pandas as pd

    out = df.assign(date=pd.to_datetime(df["date"]).dt.strftime("%Y-%m-%d"), region_code=df["region_code"].astype(str))
    cols = ["green", "yellow", "red", "new_red", "new_yellow", "red_to_green", "yellow_to_green"]
    out = out.astype({c: "int64" for c in cols}).sort_values(["date", "region_code"]).reset_index(drop=True)
    return int(pd.util.hash_pandas_object(out[["date", "region_code", *cols]], index=False).sum())


def child(engine: str, path: str, repeat: int, pandas_max_rows: int) -> None:
    """Run one engine here; print one JSON line."""
    import duckdb
    import pandas as pd
    import pyarrow.parquet as pq

    from epianalysis.engine import aggregate_health_codes, get_engine
    from epianalysis.engine.health_codes_pandas import aggregate_health_codes_pandas

    files = sorted(Path(path).rglob("*.parquet"))
    total_rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    rows, times, extra, digest = total_rows, [], {}, None
    pattern = str(Path(path) / "**" / "*.parquet")
    if engine in ("floor", "handwritten"):
        sql = FLOOR if engine == "floor" else HANDWRITTEN
        for _ in range(repeat):
            con = duckdb.connect()
            started = time.perf_counter()
            result = con.execute(sql, {"p": pattern}).df()
            times.append(time.perf_counter() - started)
            con.close()
        digest = _digest(result) if engine == "handwritten" else None
    elif engine == "workbook":
        for _ in range(repeat):
            started = time.perf_counter()
            result = aggregate_health_codes(path)
            times.append(time.perf_counter() - started)
        digest = _digest(result)
    elif engine == "spark":
        started = time.perf_counter()
        spark = get_engine("spark", "local[*]")
        extra["start_s"] = time.perf_counter() - started
        for _ in range(repeat):
            started = time.perf_counter()
            result = aggregate_health_codes(path, engine=spark)
            times.append(time.perf_counter() - started)
        extra["jvm_peak_mb"] = jvm_peak_mb(spark)
        spark.close()
        digest = _digest(result)
    else:  # pandas, guarded
        tables, rows = [], 0
        started = time.perf_counter()
        for f in files:
            pf = pq.ParquetFile(f)
            day = f.parent.name.split("=", 1)[1]
            for g in range(pf.num_row_groups):
                if rows >= pandas_max_rows:
                    break
                part = pf.read_row_group(g, columns=["person_id", "region_code", "colour"]).to_pandas()
                part["date"] = pd.Timestamp(day)
                tables.append(part)
                rows += len(part)
        log = pd.concat(tables, ignore_index=True)
        del tables
        result = aggregate_health_codes_pandas(log)
        times.append(time.perf_counter() - started)
        digest = _digest(result) if rows == total_rows else None
    print(
        json.dumps(
            {
                "engine": engine,
                "seconds": times,
                "rows": rows,
                "total_rows": total_rows,
                "peak_mb": rss_mb(),
                "digest": digest,
                **extra,
            }
        )
    )


def run_child(engine: str, path: Path, repeat: int, pandas_max_rows: int) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--child",
        engine,
        "--log",
        str(path),
        "--repeat",
        str(repeat),
        "--pandas-max-rows",
        str(pandas_max_rows),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        return {"engine": engine, "error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(name: str, path: Path, results: dict) -> bool:
    rows = results["workbook"]["total_rows"]
    print(f"\n{name}: {rows:,} person-days, {sum(f.stat().st_size for f in path.rglob('*.parquet')) / 1e6:.0f} MB")
    print(f"{'engine':>12} {'median s':>9} {'rows/s':>12} {'peak MB':>8}  notes")
    for engine, r in results.items():
        if "error" in r:
            print(f"{engine:>12}  FAILED: {r['error']}")
            continue
        sec = statistics.median(r["seconds"])
        peak = max(r["peak_mb"], r.get("jvm_peak_mb", 0))
        notes = []
        if "start_s" in r:
            notes.append(f"session start {r['start_s']:.1f} s, JVM peak {r['jvm_peak_mb']:.0f} MB")
        if r["rows"] != r["total_rows"]:
            notes.append(f"guarded: {r['rows']:,} of {r['total_rows']:,} rows")
        print(f"{engine:>12} {sec:9.2f} {r['rows'] / sec:12,.0f} {peak:8.0f}  {'; '.join(notes)}")
    wb, hand = results["workbook"], results["handwritten"]
    same = {
        e: results[e].get("digest") == wb["digest"]
        for e in ("handwritten", "spark", "pandas")
        if results[e].get("digest") is not None
    }
    print("identical to the workbook's result: " + ", ".join(f"{e} {'yes' if s else 'NO'}" for e, s in same.items()))
    vs_hand = statistics.median(wb["seconds"]) / statistics.median(hand["seconds"])
    ok = vs_hand <= TARGET_VS_HAND and all(same.values())
    print(f"workbook / handwritten: {vs_hand:.2f}x (target <= {TARGET_VS_HAND})")
    if "error" not in results["pandas"]:
        speed = (wb["rows"] / statistics.median(wb["seconds"])) / (
            results["pandas"]["rows"] / statistics.median(results["pandas"]["seconds"])
        )
        ok &= speed >= TARGET_VS_PANDAS
        print(f"workbook vs pandas (rows/s): {speed:.1f}x faster (target >= {TARGET_VS_PANDAS:.0f}x)")
    if name == "province-day":
        ok &= wb["peak_mb"] < TARGET_PEAK_MB
        print(f"workbook peak memory: {wb['peak_mb']:.0f} MB (target < {TARGET_PEAK_MB} MB)")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of the DuckDB engines (median)")
    parser.add_argument("--range-scale", type=float, default=0.02, help="scale of the 30-day log (default 0.02)")
    parser.add_argument(
        "--pandas-max-rows",
        type=int,
        default=15_000_000,
        help="pandas reads at most about this many rows (memory guard; default 15 M)",
    )
    parser.add_argument("--only", choices=list(LOGS), default=None, help="run one of the two logs")
    parser.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--generate", choices=list(LOGS), help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=float, default=1.0, help=argparse.SUPPRESS)
    parser.add_argument("--log", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(args.generate, args.scale)
        return 0
    if args.child:
        child(args.child, args.log, args.repeat if args.child != "pandas" else 1, args.pandas_max_rows)
        return 0
    print(f"{os.cpu_count()} CPUs; data in {data_dir()}")
    ok = True
    for name, scale in (("province-day", 1.0), ("30-day range", args.range_scale)):
        if args.only and name != args.only:
            continue
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--generate", name, "--scale", str(scale)], check=True)
        path = generate(name, scale)  # already written: returns the folder
        print(f"[{name}] scale {scale:g}, log ready in {time.perf_counter() - started:.0f} s", flush=True)
        results = {}
        for engine in ENGINES:
            repeat = 1 if engine in ("spark", "pandas") else args.repeat
            results[engine] = run_child(engine, path, repeat, args.pandas_max_rows)
            print(f"  {engine} done", flush=True)
        ok &= report(name, path, results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
