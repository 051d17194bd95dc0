"""The ``scenario`` command: generate the embedded synthetic scenario."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register ``scenario`` and its options."""
    scenario = sub.add_parser(
        "scenario",
        help="generate the embedded synthetic scenario",
        description="Generate the deterministic synthetic scenario (2020-01-17 .. 2020-04-30, 90 counties, every "
        "table of the data contracts). Same seed and scale give identical files on every machine.",
    )
    scenario.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default data/sample)")
    scenario.add_argument("--seed", type=int, default=20200117, help="random seed (default 20200117)")
    scenario.add_argument(
        "--scale",
        type=float,
        default=0.01,
        help="share of residents in the person-level health-code log (default 0.01 = 1%%)",
    )
    scenario.add_argument(
        "--partitioned",
        action="store_true",
        default=None,
        help="write health_code_log/ and enterprise_daily/ as date=YYYY-MM-DD/ partitioned "
        "Parquet folders, streamed with bounded memory (default: from --scale 0.1 on)",
    )
    scenario.add_argument(
        "--log-from",
        default=None,
        metavar="DATE",
        help="first day of the health-code log (partitioned layout; default 2020-01-17)",
    )
    scenario.add_argument(
        "--log-to",
        default=None,
        metavar="DATE",
        help="last day of the health-code log (partitioned layout; default 2020-04-30)",
    )
    scenario.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    import datetime as dt

    from epianalysis.paths import sample_dir
    from epianalysis.scenario import generate
    from epianalysis.scenario.figures import SCENARIO_END, SCENARIO_START

    window = None
    if args.log_from or args.log_to:
        window = (
            dt.date.fromisoformat(args.log_from) if args.log_from else SCENARIO_START,
            dt.date.fromisoformat(args.log_to) if args.log_to else SCENARIO_END,
        )
        if args.partitioned is None:
            args.partitioned = True
    out = generate(
        args.out or sample_dir(),
        seed=args.seed,
        scale=args.scale,
        progress=not args.quiet,
        partitioned=args.partitioned,
        log_dates=window,
    )
    print(f"synthetic scenario written to {out}")
    return 0
