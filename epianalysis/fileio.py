"""Atomic file writes: write beside the target, then rename, so a reader never sees half a file.

Every output of the workbook (store tables, charts, tables, summaries, index pages) goes through here
or through :func:`epianalysis.charts.export.save_figure`, which follows the same rule.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary path beside ``path``, then rename it to ``path``.

    The folder is created if missing; the temporary file is removed when ``write`` fails.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


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
