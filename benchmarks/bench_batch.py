"""Benchmark: a 30-day batch of briefings with ``--jobs 2`` against ``--jobs 1``, and one failing day.

Target (issue 5): 30 days with ``--jobs 2`` at least 1.6x faster than with ``--jobs 1``; one day made
to fail (bad data for that day) leaves the other 29 complete and the exit code non-zero. Also times
``make brief``'s command (one day, every notebook, front page included) against its < 30 s target.

The batch runs ``epianalysis brief --from D1 --to D2 --jobs N --force`` as subprocesses, one after
the other in this run, on the embedded scenario (``--only`` limits the notebooks; default
``recovery,zoning``). The failing day: a copy of the scenario (links to its files) whose
``cases.csv`` has no row before the second day's data date, so the first day has no case data.

Run: ``.venv/bin/python benchmarks/bench_batch.py [--first 2020-02-12] [--days 30] [--only NAMES]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SPEEDUP = 1.6
TARGET_ONE_DAY_S = 30.0


def cli() -> list[str]:
    return [sys.executable, "-m", "epianalysis.cli"]


def brief(args: list[str]) -> tuple[float, int, str]:
    """Run ``epianalysis brief ARGS``; wall seconds, exit code and the last lines of its output."""
    started = time.perf_counter()
    done = subprocess.run([*cli(), "brief", *args], cwd=ROOT, capture_output=True, text=True)
    tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-6:])
    return time.perf_counter() - started, done.returncode, tail


def bad_copy(sample: Path, target: Path, first_kept: dt.date) -> Path:
    """A copy of ``sample`` (links to its files) whose cases start on ``first_kept``."""
    import pandas as pd

    target.mkdir(parents=True)
    for path in sample.iterdir():
        if path.name != "cases.csv":
            os.symlink(path.resolve(), target / path.name)
    cases = pd.read_csv(sample / "cases.csv", dtype=str, keep_default_na=False)
    cases[cases["date"] >= first_kept.isoformat()].to_csv(target / "cases.csv", index=False, lineterminator="\n")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--first", default="2020-02-12", help="first press date (default 2020-02-12)")
    parser.add_argument("--days", type=int, default=30, help="days in the batch (default 30)")
    parser.add_argument("--only", default="recovery,zoning", help="notebooks per day ('' for all)")
    parser.add_argument("--skip-one-day", action="store_true", help="do not time the one-day full briefing")
    args = parser.parse_args()

    first = dt.date.fromisoformat(args.first)
    last = first + dt.timedelta(days=args.days - 1)
    only = ["--only", args.only] if args.only else []
    sample = ROOT / "data" / "sample"
    print(f"batch {first}..{last} ({args.days} days), notebooks: {args.only or 'all'}; CPUs: {os.cpu_count()}")
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        tmp = Path(tmp)
        results = {}
        for jobs in (1, 2):
            seconds, code, tail = brief(
                [
                    "--from",
                    first.isoformat(),
                    "--to",
                    last.isoformat(),
                    "--jobs",
                    str(jobs),
                    "--force",
                    "--out",
                    str(tmp / f"jobs{jobs}"),
                    *only,
                ]
            )
            results[jobs] = seconds
            print(f"--jobs {jobs}: {seconds:7.1f} s  exit {code}  ({tail.splitlines()[-1] if tail else ''})")
        speedup = results[1] / results[2]
        verdict = "meets" if speedup >= TARGET_SPEEDUP else "misses"
        print(f"speed-up --jobs 2 vs --jobs 1: {speedup:.2f}x ({verdict} the >= {TARGET_SPEEDUP}x target)")

        data = bad_copy(sample, tmp / "bad-data", first)  # the first day's data date is first - 1
        out = tmp / "failing"
        seconds, code, tail = brief(
            [
                "--from",
                first.isoformat(),
                "--to",
                last.isoformat(),
                "--jobs",
                "2",
                "--force",
                "--data",
                str(data),
                "--out",
                str(out),
                *only,
            ]
        )
        complete = sorted(
            p.name
            for p in out.iterdir()
            if p.is_dir() and not p.name.startswith(".") and (p / "summary.json").is_file()
        )
        failed = sorted(p.name for p in (out / ".failed").iterdir()) if (out / ".failed").is_dir() else []
        print(f"one day made to fail: {seconds:.1f} s, exit {code}, {len(complete)} complete, failed: {failed}")
        print(tail)
        ok = code != 0 and len(complete) == args.days - 1 and failed == [first.isoformat()]
        print("failure handling:", "as required" if ok else "NOT as required")

        if not args.skip_one_day:
            seconds, code, _ = brief(["--date", "2020-03-02", "--jobs", "3", "--force", "--out", str(tmp / "one-day")])
            verdict = "meets" if seconds < TARGET_ONE_DAY_S else "misses"
            print(
                f"make brief's command (2020-03-02, all notebooks): {seconds:.1f} s, exit {code} "
                f"({verdict} the < {TARGET_ONE_DAY_S:.0f} s target)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
