"""The ``validate`` and ``import`` commands: check a data directory, bring a source into one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _rename(value: str) -> tuple[str, str]:
    old, sep, new = value.partition("=")
    if not sep or not old or not new:
        raise argparse.ArgumentTypeError(f"--rename takes OLD=NEW, got {value!r}")
    return old, new


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register ``validate`` and ``import`` with their options."""
    validate = sub.add_parser(
        "validate",
        help="check a data directory against the data contracts",
        description="Check every table file of a data directory (and of each vintage) and print every "
        "violation with file, row, column and rule. Changes nothing. Exit 1 on any error.",
    )
    validate.add_argument("directory", metavar="DIR", help="the data directory to check")

    imp = sub.add_parser(
        "import",
        help="import a source into a data directory",
        description="Import a source into a data directory in the store's layout.",
    )
    kinds = imp.add_subparsers(dest="kind", required=True, metavar="SOURCE")
    jhu = kinds.add_parser(
        "jhu",
        help="JHU CSSE global time-series files",
        description="Read the JHU CSSE global time-series layout (Province/State, Country/Region, Lat, Long, "
        "one column per date). The three files may end on different dates. JHU's column date D is about the "
        "official total as of D-1 24:00: dates are shifted by -1 day and the convention recorded.",
    )
    jhu.add_argument(
        "--confirmed", required=True, type=Path, metavar="FILE", help="time_series_covid19_confirmed_global.csv"
    )
    jhu.add_argument(
        "--recovered", required=True, type=Path, metavar="FILE", help="time_series_covid19_recovered_global.csv"
    )
    jhu.add_argument("--deaths", required=True, type=Path, metavar="FILE", help="time_series_covid19_deaths_global.csv")
    jhu.add_argument("--region", required=True, help="Province/State to import (e.g. Zhejiang)")
    jhu.add_argument("--country", default="China", help="Country/Region of the row (default China)")
    jhu.add_argument("--out", required=True, type=Path, metavar="DIR", help="data directory to write")
    tidy = kinds.add_parser(
        "tidy",
        help="any tidy (long) CSV",
        description="Read a tidy CSV, rename columns to the contract's names, validate and store it. Dates "
        "are taken as 'as of D 24:00' (the official bulletin convention).",
    )
    tidy.add_argument("file", type=Path, metavar="FILE", help="the CSV file")
    tidy.add_argument(
        "--rename",
        type=_rename,
        action="append",
        default=[],
        metavar="OLD=NEW",
        help="rename a column (repeatable), e.g. --rename as_of_date=date --rename unit_code=region_code",
    )
    tidy.add_argument("--table", default="cases", help="contract table the file holds (default cases)")
    tidy.add_argument(
        "--vintage",
        default=None,
        metavar="DATE",
        help="store as the delivery of this date (vintages/DATE/); default: no vintages",
    )
    tidy.add_argument("--out", required=True, type=Path, metavar="DIR", help="data directory to write")


def run_validate(args: argparse.Namespace) -> int:
    from epianalysis.data.validate import validate_directory

    violations = validate_directory(Path(args.directory))
    for violation in violations:
        print(violation)
    errors = sum(v.severity == "error" for v in violations)
    flags = len(violations) - errors
    print(f"{args.directory}: {errors} error(s), {flags} flag(s)", file=sys.stderr)
    return 1 if errors else 0


def run_import(args: argparse.Namespace) -> int:
    import datetime as dt

    if args.kind == "jhu":
        from epianalysis.sources.jhu import import_jhu

        report = import_jhu(args.confirmed, args.recovered, args.deaths, args.region, args.out, country=args.country)
    else:
        from epianalysis.sources.tidy import import_tidy

        vintage = dt.date.fromisoformat(args.vintage) if args.vintage else None
        report = import_tidy(args.file, dict(args.rename), args.out, table=args.table, vintage=vintage)
    print(report.summary())
    return 0
