"""Every path the workbook uses, resolved in one place.

Notebooks and the CLI never build relative paths themselves: they ask this module. The project
root is found from the ``EPIANALYSIS_ROOT`` environment variable, else by walking up from the
current directory to the folder holding ``pyproject.toml`` with ``name = "epianalysis"``, else the
current directory (an installed package used outside a checkout).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REFERENCE_DIR = PACKAGE_DIR / "reference"


@cache
def project_root() -> Path:
    """The checkout's root folder (see module docstring for how it is found)."""
    env = os.environ.get("EPIANALYSIS_ROOT")
    if env:
        return Path(env).resolve()
    for candidate in (Path.cwd(), PACKAGE_DIR.parent):
        for folder in (candidate, *candidate.parents):
            pyproject = folder / "pyproject.toml"
            if pyproject.is_file() and 'name = "epianalysis"' in pyproject.read_text("utf-8"):
                return folder
    return Path.cwd()


def sample_dir() -> Path:
    """Where the embedded synthetic scenario lives (``data/sample``)."""
    return project_root() / "data" / "sample"


def reports_dir() -> Path:
    """Default output folder of briefings (``reports``, git-ignored)."""
    return project_root() / "reports"


def cache_dir() -> Path:
    """Where derived data are cached (``.cache``, git-ignored, removed by ``make clean``), or the folder
    named by ``EPIANALYSIS_CACHE_DIR``. Every cached file is keyed by the content it is derived from
    (docs/architecture.md#caches)."""
    env = os.environ.get("EPIANALYSIS_CACHE_DIR")
    return Path(env) if env else project_root() / ".cache"


def notebooks_dir() -> Path:
    """The committed notebooks (``notebooks/briefings`` and ``notebooks/explore``)."""
    return project_root() / "notebooks"


def resolve_data_dir(data_dir: str | os.PathLike | None) -> Path:
    """A data directory given by a notebook parameter; empty means the embedded scenario.

    A relative path is taken from the project root (a notebook runs in its own folder, so the
    current directory would be ``notebooks/briefings``); the CLI passes absolute paths.
    """
    if data_dir in (None, ""):
        return sample_dir()
    path = Path(data_dir)
    return path if path.is_absolute() else (project_root() / path).resolve()
