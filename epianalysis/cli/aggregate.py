"""The ``aggregate`` command: aggregate a person- or meter-level log on DuckDB or Spark."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register ``aggregate`` and its options."""
    aggregate = sub.add_parser(
        "aggregate",
        help="aggregate a person- or meter-level log on DuckDB or Spark",
        description="Run one of the log aggregations (the same SQL on either engine) and write the county-day "
        "table: health_codes from a person-day health-code log, or capacity recovery from meter readings. "
        "Logs may be one Parquet file or a date=YYYY-MM-DD/ partitioned folder.",
    )
    aggregate.add_argument(
        "--table",
        choices=["health_codes", "capacity"],
        default="health_codes",
        help="what to compute (default health_codes)",
    )
    aggregate.add_argument(
        "--log",
        type=Path,
        default=None,
        metavar="PATH",
        help="health-code log: Parquet file or partitioned folder (for health_codes)",
    )
    aggregate.add_argument(
        "--daily",
        type=Path,
        default=None,
        metavar="PATH",
        help="enterprise_daily meter readings: Parquet file or partitioned folder (for capacity)",
    )
    aggregate.add_argument(
        "--enterprises", type=Path, default=None, metavar="FILE", help="enterprises register CSV (for capacity)"
    )
    aggregate.add_argument(
        "--out", type=Path, required=True, metavar="FILE", help="output table, .csv or .parquet (written atomically)"
    )
    engine_options(aggregate)


def engine_options(parser: argparse.ArgumentParser) -> None:
    """The ``--engine`` and ``--spark-master`` options of commands that aggregate logs."""
    parser.add_argument(
        "--engine",
        choices=["duckdb", "spark"],
        default="duckdb",
        help="where the aggregation runs: embedded DuckDB (default) or Spark",
    )
    parser.add_argument(
        "--spark-master",
        default=None,
        metavar="URL",
        help="Spark master for --engine spark: local[*] (default), spark://HOST:7077 for a "
        "standalone cluster, yarn, k8s://..., or a Spark Connect address sc://HOST:15002",
    )


def run(args: argparse.Namespace) -> int:
    from epianalysis.data.checks import check_file, errors
    from epianalysis.engine import capacity_by_county, health_code_counts
    from epianalysis.errors import DataError
    from epianalysis.fileio import atomic_write

    # Every input passes the contract gate first (the engine functions check the logs, check_file the
    # register), so a file `validate` refuses is never aggregated.
    if args.table == "health_codes":
        if args.log is None:
            raise ValueError("--table health_codes needs --log")
        table = health_code_counts(args.log, engine=args.engine, spark_master=args.spark_master)
    else:
        if args.daily is None or args.enterprises is None:
            raise ValueError("--table capacity needs --daily and --enterprises")
        if not args.enterprises.is_file():
            raise FileNotFoundError(f"enterprises register not found: {args.enterprises}")
        register, found = check_file(args.enterprises, args.enterprises.name)
        if errors(found) or register is None:
            raise DataError(
                f"{args.enterprises.name} breaks the enterprises contract: nothing aggregated", errors(found)
            )
        table = capacity_by_county(register, args.daily, engine=args.engine, spark_master=args.spark_master)
    out = table.assign(date=table["date"].dt.strftime("%Y-%m-%d"))
    if args.out.suffix == ".parquet":
        atomic_write(args.out, lambda tmp: out.to_parquet(tmp, index=False))
    else:
        atomic_write(args.out, lambda tmp: out.to_csv(tmp, index=False, lineterminator="\n"))
    print(f"{args.table}: {len(out)} county-day rows on {args.engine} written to {args.out}")
    return 0
