"""The ``contracts`` command: every table's columns, types and rules, as the checks apply them."""

from __future__ import annotations

import argparse

from epianalysis.data.contracts import CONTRACTS


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register ``contracts``."""
    contracts = sub.add_parser(
        "contracts",
        help="print the tables of a data directory with their columns, types and rules",
        description="Print every table of the data contracts (or one): what it holds, its key, and each "
        "column with its type, whether the file must have it, and the rule its values follow. The text is "
        "made from the same declarations the checks use (epianalysis/data/contracts.py).",
    )
    contracts.add_argument(
        "table",
        nargs="?",
        choices=sorted(CONTRACTS),
        metavar="TABLE",
        help=f"only this table (one of {', '.join(CONTRACTS)})",
    )


def run(args: argparse.Namespace) -> int:
    from epianalysis.data.contracts_text import describe_all

    print(describe_all(args.table))
    return 0
