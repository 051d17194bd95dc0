"""The ``brief`` command: run the briefing notebooks for a press date or a range of dates."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from epianalysis.cli.aggregate import engine_options
from epianalysis.topics import topic_names


def _only(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register ``brief`` and its options."""
    brief = sub.add_parser(
        "brief",
        help="run the briefing for a press date",
        description="Run the briefing notebooks with "
        "papermill and write reports/DATE/: a page per topic for readers in each language (reports/DATE/en/, "
        "reports/DATE/zh/) with its charts (PNG, SVG, PDF) and tables (CSV), summary.json, and the executed "
        "notebooks. The report appears only when every notebook succeeded. A topic whose tables are absent from the "
        "data folder, or that starts later (health codes), is listed under not_applicable; a day fails only when "
        "nothing applies. Ctrl-C stops a range within seconds (exit 130; 143 on SIGTERM), keeping the days done. "
        "The health-code briefing aggregates the person-day log where it is (--engine: DuckDB over the Parquet file or "
        "date=YYYY-MM-DD/ folder, or Spark), never in pandas; the numbers are the same on both engines.",
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
        help="rebuild days whose inputs have not changed since their report was made (default: skip them; "
        "a day's inputs are compared by content: the rows it reads up to its data date, code, notebooks, "
        "parameters, as its manifest.json records them)",
    )
    brief.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="start a fresh kernel for every notebook (slower; by default notebooks run in warm kernels, "
        "reset between notebooks, which give the same notebooks and numbers)",
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
        metavar="{en,zh,both}",
        default="both",
        help="languages of the pages, charts and tables (default both): the numbers are computed once and "
        "presented in each, under reports/DATE/en/ and reports/DATE/zh/; a run in one language keeps the "
        "other language's pages of the same date",
    )
    brief.add_argument(
        "--out",
        default=None,
        metavar="DIR",
        help="reports folder (default: reports/ in the project); a day folder or index.html in it that "
        "epianalysis did not make is never replaced",
    )
    engine_options(brief)


def run(args: argparse.Namespace) -> int:
    from epianalysis.briefing.batch import date_range, run_batch
    from epianalysis.briefing.params import BriefingParams, parse_date
    from epianalysis.briefing.stop import EXIT_CODES
    from epianalysis.paths import reports_dir

    if args.first and not args.last:
        raise ValueError("--from needs --to")
    if args.last and not args.first:
        raise ValueError("--to needs --from (or use --date)")
    first = parse_date(args.date or args.first, "date")
    dates = [first] if args.date else date_range(first, parse_date(args.last, "--to"))
    base = BriefingParams.resolve(
        first,
        Path(args.data).resolve() if args.data else "",
        args.as_of,
        args.lang,
        engine=args.engine,
        spark_master=args.spark_master,
    )
    reports = Path(args.out).resolve() if args.out else reports_dir()
    languages = base.lang_parameter
    print(f"briefing {len(dates)} day(s) from {dates[0]} (data as of the day before, {languages}) ...", file=sys.stderr)
    result = run_batch(
        base,
        dates,
        reports,
        only=args.only,
        jobs=args.jobs,
        force=args.force,
        progress=len(dates) > 1,
        fresh_kernels=args.fresh_kernels,
    )
    for outcome in result.outcomes:
        if outcome.status == "skipped":
            print(f"{outcome.date}: up to date, skipped (--force rebuilds it)")
        elif outcome.status == "done":
            print(f"{outcome.date}: report written to {reports / outcome.date.isoformat() / 'index.html'}")
    for outcome in result.failed:
        kept = f"\n  executed notebook kept at {outcome.notebook}" if outcome.notebook else ""
        print(f"{outcome.date}: FAILED in {outcome.failure}{kept}", file=sys.stderr)
    if result.interrupted is not None:
        done = [o.date.isoformat() for o in result.outcomes if o.status in ("done", "skipped")]
        left = len(dates) - len(result.outcomes)
        print(
            f"interrupted ({signal.Signals(result.interrupted).name}): {len(done)} day(s) done"
            + (f" ({', '.join(done)})" if done else "")
            + f", {left} not briefed; nothing half-written was left",
            file=sys.stderr,
        )
        return EXIT_CODES.get(result.interrupted, 128 + result.interrupted)
    print(
        f"{result.count('done')} done, {result.count('skipped')} skipped, {len(result.failed)} failed", file=sys.stderr
    )
    if result.count("done") or result.count("skipped"):
        print(f"every briefed day: {reports / 'index.html'}", file=sys.stderr)
    return 1 if result.failed else 0
