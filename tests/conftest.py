"""Shared pytest fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def real_data_path() -> Path:
    """Folder of the real public test data: ``$EPIANALYSIS_REAL_DATA`` if set, else the copy shipped in
    ``examples/real/`` (sources and licences in its README)."""
    env = os.environ.get("EPIANALYSIS_REAL_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1] / "examples" / "real"


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    """The real-data folder; the test is skipped (with the reason) when it is absent."""
    path = real_data_path()
    if not path.is_dir():
        pytest.skip(
            f"real public data folder not found at {path}: it ships in examples/real/; "
            "EPIANALYSIS_REAL_DATA, when set, must name a copy of it"
        )
    return path
