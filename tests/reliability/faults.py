"""Builders of the reliability suite: small data folders, logs, and the command run as a user runs it."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

CASES_HEADER = "date,region_code,confirmed,discharged,deaths\n"


def cases_csv(first_day: int = 20, last_day: int = 29) -> str:
    """Province rows of February 2020 from ``first_day`` to ``last_day``: confirmed 1200 + d, discharged 900 + 10 d."""
    rows = "".join(f"2020-02-{d:02d},330000,{1200 + d},{900 + 10 * d},1\n" for d in range(first_day, last_day + 1))
    return CASES_HEADER + rows


def health_code_log(rows: list[tuple[int, str, str, str]]) -> pd.DataFrame:
    """A person-day log from ``(person_id, region_code, date, colour)`` rows (reason left empty)."""
    frame = pd.DataFrame(rows, columns=["person_id", "region_code", "date", "colour"])
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    frame["reason"] = pd.Series([None] * len(frame), dtype="string")
    return frame


CLEAN_LOG = [
    (1, "330102", "2020-02-14", "yellow"),
    (2, "330102", "2020-02-14", "red"),
    (1, "330102", "2020-02-15", "green"),
    (2, "330102", "2020-02-15", "red"),
    (3, "330106", "2020-02-15", "green"),
]


def run_cli(*argv: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """``epianalysis ARGV`` in a new process, as a user runs it (text output captured)."""
    return subprocess.run(
        [sys.executable, "-m", "epianalysis.cli", *argv], capture_output=True, text=True, timeout=timeout
    )
