"""The results a briefing notebook keeps for the notebooks of the same run that come after it.

A topic notebook computes its view of the data date once (e.g. the zoning evaluation, the control
index, capacity recovery); the front page shows some of the same numbers and charts. Instead of
computing them again, it reads what the topic notebooks of its run kept
(:meth:`epianalysis.briefing.context.Briefing.keep` and ``reuse``). A kept result is a pickle of the
Python value under ``out_dir/.results/<name>.pickle``, so that what the front page reads is the very
value the topic computed, with the same dtypes and hence the same tables and chart bytes.

A result is read only when it was kept for the same *run key* (:func:`run_key`): the press date, the
data date, the data directory with the size and modification time of every file in it, and a hash
of the package's own files and of the versions of the libraries that make and read the values. Any
other result is ignored and computed again, so a kept result is as safe as a fresh computation. The
files are written by the run into its own output folder and read only from there; the runner removes
``.results/`` before it publishes the report (``docs/architecture.md#caches``).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
from functools import cache
from pathlib import Path
from typing import Any

from epianalysis.briefing.params import BriefingParams
from epianalysis.fileio import atomic_write

RESULTS_DIR = ".results"
"""The folder of kept results inside a run's output folder (never published)."""

_LIBRARIES = ("numpy", "pandas", "matplotlib")


@cache
def code_fingerprint() -> str:
    """SHA-256 of the package's code, rules, labels and reference data (the manifest's
    :func:`~epianalysis.briefing.manifest.code_digest`) and of the versions of Python and of the libraries
    whose objects a result holds; computed once per process."""
    from epianalysis.briefing.manifest import code_digest

    digest = hashlib.sha256(f"{sys.version}\0{code_digest()}".encode())
    for name in _LIBRARIES:
        module = sys.modules.get(name) or __import__(name)
        digest.update(f"{name}={module.__version__}".encode())
    return digest.hexdigest()


def data_fingerprint(data_dir: Path) -> list[tuple[str, int, int]]:
    """``(relative path, size, modification time in ns)`` of every file under ``data_dir``, sorted."""
    root = Path(data_dir)
    found = []
    for folder, _, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            stat = path.stat()
            found.append((path.relative_to(root).as_posix(), stat.st_size, stat.st_mtime_ns))
    return sorted(found)


def run_key(params: BriefingParams) -> str:
    """What a kept result depends on, as one SHA-256: press date, data date, the data directory and its
    files (:func:`data_fingerprint`) and the package (:func:`code_fingerprint`)."""
    content = {
        "date": params.date.isoformat(),
        "as_of": params.as_of.isoformat(),
        "data_dir": str(Path(params.data_dir).resolve()),
        "data": data_fingerprint(params.data_dir),
        "code": code_fingerprint(),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def result_path(out_dir: Path, name: str) -> Path:
    """``out_dir/.results/<name>.pickle``."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"a result's name is letters, digits and _; got {name!r}")
    return Path(out_dir) / RESULTS_DIR / f"{name}.pickle"


def keep(out_dir: Path, name: str, key: str, value: Any) -> Path:
    """Write ``value`` as the result ``name`` of the run ``key`` into ``out_dir``, atomically (the key
    first, so that a reader checks it before it reads the value)."""

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            pickle.dump(key, fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)

    return atomic_write(result_path(out_dir, name), write)


def read_kept(out_dir: Path, name: str, key: str) -> tuple[bool, Any]:
    """``(True, value)`` when ``out_dir`` holds the result ``name`` kept for the run ``key``, else
    ``(False, None)`` (absent, or kept for other data, another date or other code)."""
    path = result_path(out_dir, name)
    if not path.is_file():
        return False, None
    with open(path, "rb") as fh:
        # written by this run into its own folder (see the module docstring); the value is read only
        # after its key matched
        if pickle.load(fh) != key:  # noqa: S301
            return False, None
        return True, pickle.load(fh)  # noqa: S301
