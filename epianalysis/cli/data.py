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


def _delivery_options(parser: argparse.ArgumentParser) -> None:
    """``--vintage`` and ``--replace``: where an import writes (docs/data.md#vintages), the same for every source."""
    parser.add_argument(
        "--vintage",
        default=None,
        metavar="DATE",
        help="store as the delivery of data date DATE (vintages/DATE/): the date of the latest 'as of DATE "
        "24:00' counts it holds, the day before the press conference that reads it (the default briefing of "
        "press date P reads the vintages up to P-1). Default: the table's only file in a new folder, else a "
        "new vintage named by the file's last date",
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="overwrite the table where it is stored (at the root, or in vintage DATE); without it an import "
        "that would overwrite stored rows, e.g. a file with fewer rows, is refused",
    )


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
    _delivery_options(jhu)
    dxy = kinds.add_parser(
        "dxy",
        help="the DXY crawler archive (DXYArea.csv)",
        description="Read the DXY crawler archive (DXYArea.csv, or one province's rows of it): one update "
        "a day stands for the counts as of the previous day 24:00 (the rule is in docs/data.md), each row "
        "keeps the update it came from in source_update.",
    )
    dxy.add_argument("file", type=Path, metavar="FILE", help="DXYArea.csv")
    dxy.add_argument("--out", required=True, type=Path, metavar="DIR", help="data directory to write")
    _delivery_options(dxy)
    tidy = kinds.add_parser(
        "tidy",
        help="any tidy (long) CSV",
        description="Read a tidy CSV, rename columns to the contract's names, validate and store it. Dates "
        "are taken as 'as of D 24:00' (the official bulletin convention). A region column may hold 6-digit "
        "codes (330100, 330100.0) or names (杭州, 杭州市, 溫州, Hangzhou); rows of no region (境外输入, "
        "待明确地区, the prison cluster, an empty cell) are kept in TABLE_unplaced.csv. Nothing stored is "
        "overwritten without --replace: a table the folder already holds gets a new vintage. "
        "'epianalysis contracts TABLE' lists the columns each table needs.",
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
    _delivery_options(tidy)
    tidy.add_argument(
        "--derive-province",
        action="store_true",
        help="build the province row (330000) of every date that lacks one as the sum of the prefectures and "
        "the unplaced rows, marked in the column 'derivation' (default: such dates are flagged)",
    )
    tidy.add_argument(
        "--citation",
        default=None,
        metavar="TEXT",
        help="where the data come from, shown as the source line of every chart and page (default: 'tidy CSV FILE')",
    )
    tidy.add_argument("--source-url", default=None, metavar="URL", help="address of the source, kept in source.toml")
    tidy.add_argument("--encoding", default="utf-8", help="text encoding of the file (default utf-8; e.g. gb18030)")
    tidy.add_argument(
        "--delimiter",
        default=None,
        metavar="CHAR",
        help="field separator (default: comma, or ';', tab or '|' when the header shows it; a tab is written tab)",
    )
    tidy.add_argument("--out", required=True, type=Path, metavar="DIR", help="data directory to write")


def run_validate(args: argparse.Namespace) -> int:
    from epianalysis.data.validate import validate_directory

    violations = validate_directory(Path(args.directory))
    for violation in violations:  # errors on stderr, flags (kept and marked) on stdout, each once
        print(violation, file=sys.stderr if violation.severity == "error" else sys.stdout)
    errors = sum(v.severity == "error" for v in violations)
    flags = len(violations) - errors
    print(f"{args.directory}: {errors} error(s), {flags} flag(s)", file=sys.stderr)
    return 1 if errors else 0


def run_import(args: argparse.Namespace) -> int:
    import datetime as dt

    vintage = dt.date.fromisoformat(args.vintage) if args.vintage else None
    if args.kind == "jhu":
        from epianalysis.sources.jhu import import_jhu

        report = import_jhu(
            args.confirmed,
            args.recovered,
            args.deaths,
            args.region,
            args.out,
            country=args.country,
            vintage=vintage,
            replace=args.replace,
        )
    elif args.kind == "dxy":
        from epianalysis.sources.dxy import import_dxy

        report = import_dxy(args.file, args.out, vintage=vintage, replace=args.replace)
    else:
        from epianalysis.sources.tidy import import_tidy

        delimiter = "\t" if args.delimiter in ("\\t", "tab") else args.delimiter
        report = import_tidy(
            args.file,
            dict(args.rename),
            args.out,
            table=args.table,
            vintage=vintage,
            replace=args.replace,
            derive_province=args.derive_province,
            citation=args.citation,
            source_url=args.source_url,
            encoding=args.encoding,
            delimiter=delimiter,
        )
    print(report.summary())
    return 0
