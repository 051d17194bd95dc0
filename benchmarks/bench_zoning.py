"""Benchmark: evaluate every zoning rule set for 90 counties over 100 days, and the backtest.

Target (issue 3): each well under a second of compute. Input: a synthetic cases table built here in
memory (90 counties × 100 days, 2020-01-20 .. 2020-04-28, deterministic: seed 0), so the benchmark
needs no data directory and measures only the engine. Timed: :func:`epianalysis.rulesets.evaluate`
per rule set, the evaluation of all five together, and :func:`epianalysis.rulesets.compare` (the
backtest of all five rule sets, 14-day horizon); median of 5 runs after one warm-up run. The map
render (< 2 s) is in ``bench_maps.py``.

Run: ``.venv/bin/python benchmarks/bench_zoning.py [--repeat N]``
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
import pandas as pd
from timing import timed

from epianalysis.reference.regions import counties
from epianalysis.rulesets import available_rulesets, compare, evaluate, load_ruleset

TARGET_SECONDS = 1.0
N_DAYS = 100
START = pd.Timestamp("2020-01-20")


def synthetic_cases(seed: int = 0) -> pd.DataFrame:
    """90 counties × 100 days of cumulative counts (local and all), with a few cluster outbreaks."""
    rng = np.random.default_rng(seed)
    codes = sorted(counties()["code"].astype(str))
    new = rng.poisson(np.linspace(2.0, 0.0, N_DAYS)[:, None] * rng.uniform(0, 1, len(codes))[None, :])
    confirmed = new.cumsum(axis=0)
    dates = pd.date_range(START, periods=N_DAYS, freq="D")
    frame = pd.DataFrame(
        {
            "date": np.repeat(dates.to_numpy(), len(codes)),
            "region_code": np.tile(codes, N_DAYS),
            "confirmed": confirmed.ravel(),
            "confirmed_local": confirmed.ravel(),
            "clusters_new": (new >= 4).astype(int).ravel(),
        }
    )
    for column in ("confirmed", "confirmed_local", "clusters_new"):
        frame[column] = frame[column].astype("Int64")
    return frame


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cases = synthetic_cases()
    names = available_rulesets()
    rulesets = [load_ruleset(name) for name in names]
    last = START + pd.Timedelta(days=N_DAYS - 1)
    runs = [(f"evaluate {rs.name}", lambda rs=rs: evaluate(cases, rs)) for rs in rulesets]
    runs.append(("evaluate all rule sets", lambda: [evaluate(cases, rs) for rs in rulesets]))
    runs.append(
        (
            "backtest all rule sets (compare, 14 days)",
            lambda: compare(cases, rulesets, START, last - pd.Timedelta(days=14), horizon=14),
        )
    )
    print(f"90 counties x {N_DAYS} days; target: well under {TARGET_SECONDS:.0f} s each (median of {args.repeat})")
    failed = 0
    for name, fn in runs:
        seconds = timed(fn, args.repeat)
        ok = seconds < TARGET_SECONDS
        failed += not ok
        print(f"  {name:<45} {seconds * 1000:8.1f} ms  {'ok' if ok else 'TOO SLOW'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
