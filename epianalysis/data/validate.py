"""Validation of a whole data directory (``epianalysis validate DIR``): every file checked, nothing changed."""

from __future__ import annotations

from pathlib import Path

from epianalysis.data.checks import check_file
from epianalysis.data.layout import check_source_toml, table_files, table_of, vintage_dirs
from epianalysis.errors import Violation


def validate_directory(path: Path) -> list[Violation]:
    """Check every table file of a data directory and of each of its vintages; change nothing.

    Parameters
    ----------
    path : pathlib.Path
        A data directory: table files (``<table>.csv`` / ``<table>.parquet``, or a large table's
        folder partitioned by day, ``health_code_log/date=YYYY-MM-DD/*.parquet``) at its root, or
        dated deliveries under ``vintages/YYYY-MM-DD/``, and optionally ``source.toml``. A table
        stored twice in one folder (a CSV and a Parquet file, or a file and a folder) is a
        ``one_file_per_table`` error.

    Returns
    -------
    list of Violation
        Every violation found, errors and flags, with ``file`` relative to ``path`` (POSIX
        separators), 1-based data ``row``, ``column``, ``rule`` and ``value``. Empty for a clean
        directory. A file that is not a contract table gives a ``known_table`` flag.
    """
    root = Path(path)
    if not root.is_dir():
        return [Violation(str(path), None, None, "directory_exists", "")]
    out = check_source_toml(root)
    folders = [root]
    vintages, bad = vintage_dirs(root)
    out += bad
    folders += [folder for _, folder in vintages]
    for folder in folders:
        files = table_files(folder)
        out += _stored_twice(files, root)
        for file in files:
            name = file.relative_to(root).as_posix()
            out += check_file(file, name)[1]
    return out


def _stored_twice(files: list[Path], root: Path) -> list[Violation]:
    """A ``one_file_per_table`` error for each file of a table stored more than once in one folder."""
    by_table: dict[str, list[Path]] = {}
    for file in files:
        by_table.setdefault(table_of(file) or "", []).append(file)
    out = []
    for table, same in by_table.items():
        if not table or len(same) < 2:
            continue
        for p in same:
            others = ", ".join(o.name + ("/" if o.is_dir() else "") for o in same if o != p)
            value = f"{table} is also stored as {others} in the same folder: keep one of them"
            out.append(Violation(p.relative_to(root).as_posix(), None, None, "one_file_per_table", value))
    return out
