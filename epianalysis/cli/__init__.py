"""The ``epianalysis`` command: one entry point with a subcommand per job.

- ``brief``     run the briefing notebooks for a press date into ``reports/<date>/``
- ``validate``  check a data directory against the data contracts (changes nothing)
- ``import``    bring a source (JHU CSSE files, any tidy CSV) into a data directory
- ``scenario``  generate the embedded synthetic scenario
- ``aggregate`` aggregate a person- or meter-level log on DuckDB or Spark
- ``contracts`` print every table's columns, types and rules

Exit codes: 0 success, 1 bad data or a failed briefing, 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys

from epianalysis import __version__
from epianalysis.cli import aggregate, brief, contracts, data, scenario
from epianalysis.errors import DataError, EngineUnavailable, MissingFontError

EPILOG = "Run 'epianalysis COMMAND --help' for a command's options. Documentation: README.md."

COMMANDS = {
    "brief": brief.run,
    "validate": data.run_validate,
    "import": data.run_import,
    "scenario": scenario.run,
    "aggregate": aggregate.run,
    "contracts": contracts.run,
}


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
    for module in (brief, data, scenario, aggregate, contracts):
        module.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``epianalysis`` command; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:  # Ctrl-C outside a briefing run: stop without a traceback
        print("interrupted", file=sys.stderr)
        return 130
    except (EngineUnavailable, MissingFontError) as error:  # Spark or a CJK font missing here: say so in one line
        print(f"error: {error}", file=sys.stderr)
        return 1
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except UnicodeError as error:  # a file that is not UTF-8 text: bad data, not bad usage
        print(f"error: a file is not UTF-8 text ({error})", file=sys.stderr)
        return 1
    except ValueError as error:  # a bad option value (date, language, briefing name)
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (LookupError, OSError) as error:  # a missing file, region or data row
        print(f"error: {error}", file=sys.stderr)
        return 1
