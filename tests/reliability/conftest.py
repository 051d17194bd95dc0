"""Fixtures of the reliability suite (builders in ``faults.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the builders of faults.py, for the fixtures below

from faults import cases_csv  # noqa: E402


@pytest.fixture
def cases_only(tmp_path) -> Path:
    """A data folder holding only ``cases.csv`` (province rows, 2020-02-20 .. 2020-02-29)."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "cases.csv").write_text(cases_csv(), encoding="utf-8")
    return folder
