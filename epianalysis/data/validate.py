"""Validation of a whole data directory (``epianalysis validate DIR``): every file checked, nothing changed."""

from __future__ import annotations

from pathlib import Path

from epianalysis.data.checks import check_file
from epianalysis.data.layout import check_source_toml, table_files, vintage_dirs
from epianalysis.errors import Violation


def validate_directory(path: Path) -> list[Violation]:
    """Check every table file of a data directory and of each of its vintages; change nothing.

    Parameters
    ----------
    path : pathlib.Path
        A data directory: table files (``<table>.csv`` / ``<table>.parquet``) at its root, or dated
        deliveries under ``vintages/YYYY-MM-DD/``, and optionally ``source.toml``.

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
        for file in table_files(folder):
            name = file.relative_to(root).as_posix()
            out += check_file(file, name)[1]
    return out
