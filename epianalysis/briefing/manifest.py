"""What a report was made from: ``manifest.json`` in every report folder, and whether it is current.

The manifest (docs/output.md#skipped-days) records the press date, the data date and languages, a
digest of the package's code, rules, labels and templates, a digest of ``source.toml``, and per
topic the digest of its notebook and of the rows of each table it reads that are known on the data
date and dated on or before it (:func:`epianalysis.data.digest.table_digest`; ``null`` for a table the
data folder does not hold). A day is skipped when a new manifest would record the same inputs for
every topic asked for: an edit of a data file that keeps its size and time is seen, and a change to
rows dated after the data date, or to a table the day does not read, rebuilds nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from epianalysis import __version__
from epianalysis.data.contracts import UNPLACED_SUFFIX
from epianalysis.data.digest import source_digest, table_digest
from epianalysis.fileio import atomic_write_text, file_sha256
from epianalysis.paths import PACKAGE_DIR
from epianalysis.topics import get_topic

MANIFEST_FILE = "manifest.json"
CODE_SUFFIXES = (".py", ".toml", ".csv", ".geojson", ".json", ".j2", ".css")


def _files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix in suffixes)


def code_digest() -> str:
    """The digest of the package's code, rules, labels, templates and package data."""
    digest = hashlib.sha256()
    for path in _files(PACKAGE_DIR, CODE_SUFFIXES):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def topic_tables(name: str) -> list[str]:
    """The tables topic ``name`` reads: those it needs, and their ``_unplaced`` companions."""
    needs = get_topic(name).needs
    return [*needs, *(f"{table}{UNPLACED_SUFFIX}" for table in needs if not table.endswith(UNPLACED_SUFFIX))]


def topic_inputs(name: str, notebook: Path, data_dir: Path, as_of: dt.date) -> dict[str, Any]:
    """The inputs of one topic on one data date: its notebook and the digests of its tables."""
    tables = {table: table_digest(data_dir, table, as_of) for table in topic_tables(name)}
    return {"notebook": file_sha256(notebook), "tables": tables}


def day_manifest(
    date: dt.date,
    as_of: dt.date,
    languages: list[str] | tuple[str, ...],
    data_dir: Path,
    notebooks: dict[str, Path],
    code: str | None = None,
) -> dict[str, Any]:
    """The manifest of the report of press date ``date`` made now from ``data_dir``.

    Parameters
    ----------
    notebooks : dict of str to Path
        The topics of the report and their notebooks.
    code : str, optional
        :func:`code_digest`, when already known (a batch computes it once).
    """
    return {
        "made_by": f"epianalysis {__version__}",
        "date": date.isoformat(),
        "data_as_of": as_of.isoformat(),
        "languages": list(languages),
        "code": code or code_digest(),
        "source": source_digest(data_dir),
        "topics": {name: topic_inputs(name, path, data_dir, as_of) for name, path in notebooks.items()},
    }


def read_manifest(report_dir: Path) -> dict[str, Any] | None:
    """The manifest of a report folder, ``None`` when it has none (or an unreadable one)."""
    path = Path(report_dir) / MANIFEST_FILE
    try:
        found = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def write_manifest(report_dir: Path, manifest: dict[str, Any]) -> Path:
    """Write ``manifest.json`` into a report folder (atomically)."""
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return atomic_write_text(Path(report_dir) / MANIFEST_FILE, text)


def same_inputs(old: dict[str, Any] | None, new: dict[str, Any], languages: bool = True) -> bool:
    """Whether report manifest ``old`` records the inputs of ``new`` for every topic of ``new``: same
    press and data date, code and ``source.toml``, and the same inputs of each topic; with
    ``languages``, its languages must include those of ``new``."""
    if not old:
        return False
    if any(old.get(key) != new.get(key) for key in ("date", "data_as_of", "code", "source")):
        return False
    if languages and not set(new.get("languages", [])) <= set(old.get("languages", [])):
        return False
    wanted = list(new["topics"])
    recorded = old.get("topics", {})
    return all(name in recorded and recorded[name] == new["topics"].get(name) for name in wanted)


def is_current(report_dir: Path, expected: dict[str, Any]) -> bool:
    """Whether the report in ``report_dir`` was made from the inputs of manifest ``expected``."""
    return same_inputs(read_manifest(report_dir), expected)
