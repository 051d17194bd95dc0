"""Atomic file writes: write beside the target, then rename, so a reader never sees half a file.

The temporary file has an unpredictable name and is created exclusively (:func:`tempfile.mkstemp`:
it fails rather than open a file or follow a symbolic link someone placed there); the rename replaces
the target itself, never what a link at its place points to.

Every output of the workbook (store tables, charts, tables, summaries, index pages) goes through here
or through :func:`epianalysis.charts.export.save_figure`, which follows the same rule.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary path beside ``path``, then rename it to ``path``.

    The folder is created if missing; the temporary file (a unique name, created exclusively, mode
    0644) is removed when ``write`` fails.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        os.chmod(tmp, 0o644)
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex (read in blocks of 1 MiB: a large log never sits in memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def atomic_write_text(path: Path, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically (see :func:`atomic_write`)."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def duckdb_connection():
    """A new in-memory DuckDB connection for the workbook's queries over Parquet.

    Its progress bar is off: in a notebook DuckDB would otherwise print a progress widget whenever a
    query happens to run longer than two seconds, which makes outputs depend on the machine's load.
    """
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    return con
