"""The layout of a data directory: table files, dated deliveries (vintages) and ``source.toml``.

A data directory holds one file per contract table (``<table>.csv`` or ``<table>.parquet``) at its
root, or dated deliveries under ``vintages/YYYY-MM-DD/`` (one layout or the other), and optionally
``source.toml`` (where the data come from, which date convention they follow and which tables are
samples, :mod:`epianalysis.data.sampling`). A large table (``health_code_log``, ``enterprise_daily``)
may instead be a folder named after it, partitioned by day: ``health_code_log/date=YYYY-MM-DD/*.parquet``
(docs/data.md#large-logs); such a folder counts as the table's one file. This module names
the files and folders and checks ``source.toml``; what the files hold is checked by
:mod:`epianalysis.data.checks` and :mod:`epianalysis.data.parquet`.
"""

from __future__ import annotations

import math
import tomllib
from datetime import date
from pathlib import Path

from epianalysis.data.contracts import CONTRACTS
from epianalysis.data.sampling import check_sampling
from epianalysis.errors import Violation

TABLE_SUFFIXES = (".csv", ".parquet")
VINTAGES_DIR = "vintages"
SOURCE_FILE = "source.toml"
SOURCE_KEYS = ("source", "description", "date_convention", "date_shift_days", "synthetic", "citation")


def is_table_folder(path: Path) -> bool:
    """Whether ``path`` is the partitioned folder of a large table: a directory named after a large
    contract table (``health_code_log/``, ``enterprise_daily/``), its rows in ``date=YYYY-MM-DD/``
    folders of Parquet files. Other directories are not tables (they are left alone)."""
    spec = CONTRACTS.get(path.name)
    return spec is not None and spec.large and path.is_dir()


def table_of(path: Path) -> str | None:
    """The table name of a file (``cases.csv`` -> ``cases``) or of a partitioned table folder
    (``health_code_log/`` -> ``health_code_log``); ``None`` if it is neither."""
    if is_table_folder(path):
        return path.name
    if path.suffix not in TABLE_SUFFIXES:
        return None
    return path.name[: -len(path.suffix)]


def table_files(folder: Path) -> list[Path]:
    """Table files and partitioned table folders (:func:`is_table_folder`) directly in ``folder``,
    sorted by name."""
    return sorted(p for p in folder.iterdir() if (p.is_file() and p.suffix in TABLE_SUFFIXES) or is_table_folder(p))


def vintage_dirs(root: Path) -> tuple[list[tuple[date, Path]], list[Violation]]:
    """Dated delivery folders under ``root/vintages`` (sorted), and violations for bad names."""
    base = root / VINTAGES_DIR
    found: list[tuple[date, Path]] = []
    bad: list[Violation] = []
    if not base.is_dir():
        return found, bad
    for child in sorted(base.iterdir()):
        if not child.is_dir():
            continue
        try:
            found.append((date.fromisoformat(child.name), child))
        except ValueError:
            bad.append(Violation(f"{VINTAGES_DIR}/{child.name}", None, None, "vintage_name_iso_date", child.name))
    return found, bad


class FrameMetadata(dict):
    """``source.toml`` as a loaded frame carries it in ``attrs["metadata"]``, shared rather than copied.

    pandas deep-copies a frame's ``attrs`` into the result of every operation; copying the whole of
    ``source.toml`` each time cost seconds per notebook. This dict is never changed after loading, so
    every frame derived from a table shares the one copy."""

    def __deepcopy__(self, memo: dict) -> FrameMetadata:
        return self


def read_source_toml(root: Path) -> dict:
    """The contents of ``root/source.toml`` (empty if there is none)."""
    path = root / SOURCE_FILE
    if not path.is_file():
        return {}
    return tomllib.loads(path.read_text("utf-8"))


def check_source_toml(root: Path) -> list[Violation]:
    """Check ``source.toml`` parses and has the documented keys with the right types."""
    path = root / SOURCE_FILE
    if not path.is_file():
        return []
    try:
        meta = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return [Violation(SOURCE_FILE, None, None, "toml_syntax", str(exc))]
    out = []
    for key in SOURCE_KEYS:
        if key not in meta:
            out.append(Violation(SOURCE_FILE, None, key, "key_present", "", "flag"))
    if "date_shift_days" in meta and not isinstance(meta["date_shift_days"], int):
        out.append(Violation(SOURCE_FILE, None, "date_shift_days", "type(int)", str(meta["date_shift_days"])))
    if "synthetic" in meta and not isinstance(meta["synthetic"], bool):
        out.append(Violation(SOURCE_FILE, None, "synthetic", "type(bool)", str(meta["synthetic"])))
    return out + check_sampling(meta)  # [sampling.<table>]: the fractions of sampled tables


def _toml_value(key: str, value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{key}: non-finite float cannot be written")
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(key, item) for item in value) + "]"
    raise TypeError(f"{key}: cannot write {type(value).__name__} to TOML")


def _toml_blocks(data: dict, name: str) -> list[str]:
    values = [f"{key} = {_toml_value(key, value)}" for key, value in data.items() if not isinstance(value, dict)]
    tables = {key: value for key, value in data.items() if isinstance(value, dict)}
    blocks = []
    if values or (name and not tables):
        blocks.append("\n".join(([f"[{name}]"] if name else []) + values))
    for key, value in tables.items():
        blocks += _toml_blocks(value, f"{name}.{key}" if name else key)
    return blocks


def toml_dumps(data: dict) -> str:
    """Serialise a mapping as TOML, keys in given order: str, int, float, bool, date and lists of them
    as values; a mapping as a table (``[sampling.health_code_log]``), written after the values."""
    return "\n\n".join(_toml_blocks(data, "")) + "\n"
