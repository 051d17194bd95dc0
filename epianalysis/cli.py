"""The ``epianalysis`` command: one entry point with a subcommand per job.

- ``brief``     run the briefing notebooks for a press date into ``reports/<date>/``
- ``validate``  check a data directory against the data contracts (changes nothing)
- ``import``    bring a source (JHU CSSE files, any tidy CSV) into a data directory
- ``scenario``  generate the embedded synthetic scenario
- ``aggregate`` aggregate a person- or meter-level log on DuckDB or Spark

Exit codes: 0 success, 1 bad data or a failed briefing, 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from epianalysis import __version__
from epianalysis.errors import DataError, EngineUnavailable
from epianalysis.topics import topic_names

EPILOG = "Run 'epianalysis COMMAND --help' for a command's options. Documentation: README.md."


def _rename(value: str) -> tuple[str, str]:
    old, sep, new = value.partition("=")
    if not sep or not old or not new:
        raise argparse.ArgumentTypeError(f"--rename takes OLD=NEW, got {value!r}")
    return old, new


def _only(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand (its ``--help`` documents every option)."""
    parser = argparse.ArgumentParser(
        prog="epianalysis",
        description="Analysis workbook for an epidemic command: briefings on recovery rates, county risk "
        "zoning, the precision control index and capacity recovery (Zhejiang 2020 model).",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"epianalysis {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    brief = sub.add_parser(
        "brief",
        help="run the briefing for a press date",
        description="Run the briefing notebooks with "
        "papermill and write reports/DATE/: a page per topic for readers in each language (reports/DATE/en/, "
        "reports/DATE/zh/) with its charts (PNG, SVG, PDF) and tables (CSV), summary.json, and the executed "
        "notebooks. The report appears only when every notebook succeeded.",
    )
    when = brief.add_mutually_exclusive_group(required=True)
    when.add_argument("--date", help="press date YYYY-MM-DD (e.g. 2020-03-02)")
    when.add_argument("--from", dest="first", metavar="DATE", help="first press date of a range (with --to)")
    brief.add_argument("--to", dest="last", metavar="DATE", help="last press date of a range (with --from)")
    brief.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="notebooks run at once (default 1): for one date its topic briefings run N at a "
        "time (the front page last); over a range, N days run at a time",
    )
    brief.add_argument(
        "--force",
        action="store_true",
        help="rebuild days whose inputs (data, code, notebooks, parameters) have not changed "
        "since their report was made (default: skip them)",
    )
    brief.add_argument(
        "--data",
        default="",
        metavar="DIR",
        help="data directory (default: the embedded synthetic scenario in data/sample)",
    )
    brief.add_argument(
        "--as-of",
        default="",
        metavar="DATE",
        help="data date: use only data known on it (default: the day before --date, since "
        "bulletins count 'as of D 24:00' and are read out on D+1)",
    )
    brief.add_argument(
        "--only",
        type=_only,
        default=None,
        metavar="NAMES",
        help="comma-separated briefing topics to run (default: all): " + ", ".join(topic_names()),
    )
    brief.add_argument(
        "--lang",
        choices=["en", "zh", "en,zh", "both"],
        default="both",
        help="languages of the pages, charts and tables (default both): the numbers are computed once and "
        "presented in each, under reports/DATE/en/ and reports/DATE/zh/; a run in one language keeps the "
        "other language's pages of the same date",
    )
    brief.add_argument("--out", default=None, metavar="DIR", help="reports folder (default: reports/ in the project)")

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
    _engine_options(aggregate)
    return parser


def _engine_options(parser: argparse.ArgumentParser) -> None:
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


def _cmd_brief(args: argparse.Namespace) -> int:
    from epianalysis.briefing.batch import date_range, run_batch
    from epianalysis.briefing.params import BriefingParams, parse_date
    from epianalysis.paths import reports_dir

    if args.first and not args.last:
        raise ValueError("--from needs --to")
    if args.last and not args.first:
        raise ValueError("--to needs --from (or use --date)")
    first = parse_date(args.date or args.first, "date")
    dates = [first] if args.date else date_range(first, parse_date(args.last, "--to"))
    base = BriefingParams.resolve(first, Path(args.data).resolve() if args.data else "", args.as_of, args.lang)
    reports = Path(args.out).resolve() if args.out else reports_dir()
    languages = base.lang_parameter
    print(f"briefing {len(dates)} day(s) from {dates[0]} (data as of the day before, {languages}) ...", file=sys.stderr)
    result = run_batch(base, dates, reports, only=args.only, jobs=args.jobs, force=args.force, progress=len(dates) > 1)
    for outcome in result.outcomes:
        if outcome.status == "skipped":
            print(f"{outcome.date}: up to date, skipped (--force rebuilds it)")
        elif outcome.status == "done":
            print(f"{outcome.date}: report written to {reports / outcome.date.isoformat()}")
    for outcome in result.failed:
        print(
            f"{outcome.date}: FAILED in {outcome.failure}\n  executed notebook kept at {outcome.notebook}",
            file=sys.stderr,
        )
    print(
        f"{result.count('done')} done, {result.count('skipped')} skipped, {len(result.failed)} failed", file=sys.stderr
    )
    return 1 if result.failed else 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from epianalysis.data.validate import validate_directory

    violations = validate_directory(Path(args.directory))
    for violation in violations:
        print(violation)
    errors = sum(v.severity == "error" for v in violations)
    flags = len(violations) - errors
    print(f"{args.directory}: {errors} error(s), {flags} flag(s)", file=sys.stderr)
    return 1 if errors else 0


def _cmd_import(args: argparse.Namespace) -> int:
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


def _cmd_scenario(args: argparse.Namespace) -> int:
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


def _cmd_aggregate(args: argparse.Namespace) -> int:
    import pandas as pd

    from epianalysis.data.store import atomic_write
    from epianalysis.engine import capacity_by_county, health_code_counts

    if args.table == "health_codes":
        if args.log is None:
            raise ValueError("--table health_codes needs --log")
        table = health_code_counts(args.log, engine=args.engine, spark_master=args.spark_master)
    else:
        if args.daily is None or args.enterprises is None:
            raise ValueError("--table capacity needs --daily and --enterprises")
        register = pd.read_csv(args.enterprises, dtype={"enterprise_id": str, "region_code": str})
        table = capacity_by_county(register, args.daily, engine=args.engine, spark_master=args.spark_master)
    out = table.assign(date=table["date"].dt.strftime("%Y-%m-%d"))
    if args.out.suffix == ".parquet":
        atomic_write(args.out, lambda tmp: out.to_parquet(tmp, index=False))
    else:
        atomic_write(args.out, lambda tmp: out.to_csv(tmp, index=False, lineterminator="\n"))
    print(f"{args.table}: {len(out)} county-day rows on {args.engine} written to {args.out}")
    return 0


COMMANDS = {
    "brief": _cmd_brief,
    "validate": _cmd_validate,
    "import": _cmd_import,
    "scenario": _cmd_scenario,
    "aggregate": _cmd_aggregate,
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``epianalysis`` command; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except EngineUnavailable as error:  # Spark cannot start here: say what is missing, in one line
        print(f"error: {error}", file=sys.stderr)
        return 1
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ValueError as error:  # a bad option value (date, language, briefing name)
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (LookupError, OSError) as error:  # a missing file, region or data row
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
