"""Validated tables kept on disk, so that a table is read and checked once per data and as-of date.

:meth:`epianalysis.data.store.DataStore.load` reads every vintage file of a table, validates it, merges
the vintages and adds the cross-row flags: 0.1 to 0.5 s a table, paid again by every notebook of a
briefing and every day of a range. :func:`cached_load` (applied to the method by :func:`cached`) keeps
its result in two files under ``<cache>/tables/`` (:func:`epianalysis.paths.cache_dir`): the frame as
Parquet, ``<table>-<key>.parquet``, and a sidecar ``<table>-<key>.attrs`` holding the frame's ``attrs``
(``source``, ``as_of``, ``metadata``, ``flags``), the key and the SHA-256 of the Parquet file; it reads
them back when the same key is asked for again.

The key (:func:`table_key`) is the SHA-256 of everything the loaded frame depends on:

- the table name and the as-of date;
- the bytes of every file the load reads: ``source.toml`` and the table's file in each vintage
  delivered on or before the as-of date (with its name and delivery date), hashed on every call, never
  taken from sizes or modification times;
- the code (:func:`code_digest`: every module of :mod:`epianalysis.data` and :mod:`epianalysis.engine`,
  :mod:`epianalysis.errors`, the modules and CSV tables of :mod:`epianalysis.reference` such as the
  region table), hashed once per process, with the versions of Python, pandas, NumPy, PyArrow,
  pandera, DuckDB and PySpark. The engine's modules are there for the aggregates kept by
  :mod:`epianalysis.engine.kept`, which share this digest and the files of :func:`keep`.

A changed, added or removed input thus gives another key and a fresh load. Only successful loads are
kept: a load that raises :class:`~epianalysis.errors.DataError` raises it again on every call. A frame
is kept only if its Parquet form reads back identical (values, dtypes, column order, index and
``attrs``; an ``object`` column, which Parquet gives back as ``str``, is not). The sidecar carries the
SHA-256 of its own contents and of the Parquet file, checked before anything is unpickled or decoded:
files that are partial, overwritten or do not belong together are a miss, and are replaced. Each file
is written atomically (:func:`epianalysis.fileio.atomic_write`), the Parquet file first and the
sidecar last, so notebooks writing the same key at once each rename complete files. The large logs
(``health_code_log``, ``enterprise_daily``) are not kept: they are queried with DuckDB or Spark over
their own Parquet files, and a copy per as-of date would take more disk than it saves; the small
results of the health-code queries over a log are kept instead (:mod:`epianalysis.engine.kept`, under
``<cache>/aggregates/``).
``EPIANALYSIS_NO_CACHE=1`` turns the cache off (docs/architecture.md#caches).
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import sys
from collections.abc import Callable
from datetime import date
from functools import cache
from importlib import metadata as package_metadata
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from epianalysis.data.contracts import table_spec
from epianalysis.data.layout import SOURCE_FILE
from epianalysis.errors import DataError
from epianalysis.fileio import atomic_write, file_sha256
from epianalysis.paths import PACKAGE_DIR, cache_dir

if TYPE_CHECKING:
    from epianalysis.data.store import DataStore

TABLES_DIR = "tables"
"""The folder of the kept tables under the cache folder."""

NO_CACHE_ENV = "EPIANALYSIS_NO_CACHE"
"""Environment variable: set (to anything but ``""`` or ``"0"``), every load reads the files."""

FORMAT = "1"
"""Version of the kept file's layout; part of the key."""

_CODE_FOLDERS = (("data", ("*.py",)), ("engine", ("*.py",)), ("reference", ("*.py", "*.csv")))
_CODE_FILES = ("errors.py",)
_LIBRARIES = ("pandas", "numpy", "pyarrow", "pandera", "duckdb", "pyspark")


def enabled() -> bool:
    """Whether loads use the cache (not when ``EPIANALYSIS_NO_CACHE`` is set to a value other than
    ``""`` or ``"0"``)."""
    return os.environ.get(NO_CACHE_ENV, "").strip() in ("", "0")


@cache
def code_digest() -> str:
    """SHA-256 of the code a load or a kept aggregate runs: the modules of ``epianalysis/data`` and
    ``epianalysis/engine`` (with the SQL texts), ``epianalysis/errors.py``, the modules and CSV tables of
    ``epianalysis/reference``, and the versions of Python and of the libraries that parse, validate,
    aggregate and write the frame (PySpark's ``absent`` when not installed). Computed once per process
    (the code a process runs is the code it imported)."""
    digest = hashlib.sha256(f"format {FORMAT}\0python {sys.version_info[:3]}\0".encode())
    for name in _LIBRARIES:
        try:
            version = package_metadata.version(name)
        except package_metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{name} {version}\0".encode())
    files = [PACKAGE_DIR / name for name in _CODE_FILES]
    for folder, patterns in _CODE_FOLDERS:
        files += [p for pattern in patterns for p in (PACKAGE_DIR / folder).rglob(pattern)]
    for path in sorted(set(files)):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + file_sha256(path).encode() + b"\n")
    return digest.hexdigest()


def content_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, or of every file under a folder (a table stored as parts)."""
    if path.is_dir():
        digest = hashlib.sha256()
        for part in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(part.relative_to(path).as_posix().encode() + b"\0" + file_sha256(part).encode() + b"\n")
        return "dir:" + digest.hexdigest()
    return file_sha256(path)


def input_files(store: DataStore, table: str, as_of: date | None) -> list[tuple[str, Path]]:
    """The files :meth:`~epianalysis.data.store.DataStore.load` reads for ``table`` on ``as_of``, each
    with its name in the key: ``source.toml`` (when present), then the table's file in each vintage
    delivered on or before ``as_of`` (all vintages when ``None``), in delivery order.

    Raises
    ------
    DataError
        What the load itself would raise on the layout (badly named vintage folders, a table stored
        twice in a folder); the caller then loads without the cache and the load raises it.
    """
    found: list[tuple[str, Path]] = []
    source = store.path / SOURCE_FILE
    if source.is_file():
        found.append((SOURCE_FILE, source))
    for delivered, folder in store._folders():
        if as_of is not None and delivered is not None and delivered > as_of:
            continue
        path = store._file(folder, table)
        if path is not None:
            label = delivered.isoformat() if delivered is not None else "root"
            found.append((f"{label}/{path.relative_to(store.path).as_posix()}", path))
    return found


def table_key(store: DataStore, table: str, as_of: date | None) -> str:
    """The key of ``table`` loaded from ``store`` on ``as_of``: SHA-256 of the table name, the as-of
    date, :func:`input_files` (names and bytes) and :func:`code_digest` (module docstring)."""
    digest = hashlib.sha256(f"table {table}\0as_of {as_of.isoformat() if as_of else 'all'}\0".encode())
    digest.update(f"code {code_digest()}\0".encode())
    for name, path in input_files(store, table, as_of):
        digest.update(f"{name}\0{content_digest(path)}\n".encode())
    return digest.hexdigest()


def cache_files(name: str, key: str, folder: str = TABLES_DIR) -> tuple[Path, Path]:
    """``<cache>/<folder>/<name>-<key>.parquet`` (the frame) and ``<name>-<key>.attrs`` (its ``attrs``,
    the key and the SHA-256 of the Parquet file), under :func:`epianalysis.paths.cache_dir`; ``name`` is
    a table's name (``folder`` :data:`TABLES_DIR`) or the kind of a kept aggregate
    (:mod:`epianalysis.engine.kept`)."""
    stem = cache_dir() / folder / f"{name}-{key}"
    return stem.with_name(stem.name + ".parquet"), stem.with_name(stem.name + ".attrs")


def encode(frame: pd.DataFrame, key: str) -> tuple[bytes, bytes]:
    """The frame as Parquet bytes (with page checksums), and its sidecar: the SHA-256 of a pickle
    ``{"key", "parquet_sha256", "attrs"}`` followed by that pickle.

    Raises
    ------
    pyarrow.ArrowException, TypeError, ValueError, pickle.PicklingError
        A column or an attribute that Parquet or pickle cannot hold.
    """
    plain = frame.copy(deep=False)
    plain.attrs = {}  # pandas would write them as JSON, which a date or a Violation is not
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(plain), sink, write_page_checksum=True)
    data = sink.getvalue()
    record = {"key": key, "parquet_sha256": hashlib.sha256(data).hexdigest(), "attrs": dict(frame.attrs)}
    payload = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
    return data, hashlib.sha256(payload).digest() + payload


def decode(data: bytes, sidecar: bytes, key: str) -> pd.DataFrame | None:
    """The frame of :func:`encode`'s bytes; ``None`` unless both are whole and belong together under
    ``key`` (checked by their SHA-256 before anything is unpickled or decoded)."""
    digest, payload = sidecar[:32], sidecar[32:]
    if len(digest) != 32 or hashlib.sha256(payload).digest() != digest:
        return None
    try:
        record = pickle.loads(payload)  # noqa: S301 - written by this module, checked by its SHA-256
        if record["key"] != key or record["parquet_sha256"] != hashlib.sha256(data).hexdigest():
            return None
        frame = pq.read_table(pa.BufferReader(data), page_checksum_verification=True).to_pandas()
        frame.attrs = record["attrs"]
    except Exception:  # noqa: BLE001 - any unreadable file is a miss, never the user's error
        return None
    return frame


def read_kept(name: str, key: str, folder: str = TABLES_DIR) -> pd.DataFrame | None:
    """The frame kept for ``name`` under ``key`` in ``folder`` (:func:`cache_files`); ``None`` when absent,
    partial, overwritten, or written by two writers whose files do not match (a miss: the frame is
    computed and kept again)."""
    data_path, sidecar_path = cache_files(name, key, folder)
    try:
        sidecar = sidecar_path.read_bytes()
        data = data_path.read_bytes()
    except OSError:
        return None
    return decode(data, sidecar, key)


def identical(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Whether ``b`` equals ``a`` exactly: values, dtypes, column names and order, index and ``attrs``."""
    same_shape = list(a.columns) == list(b.columns) and list(a.dtypes) == list(b.dtypes)
    same_index = type(a.index) is type(b.index) and a.index.dtype == b.index.dtype and a.index.equals(b.index)
    return same_shape and same_index and a.equals(b) and a.attrs == b.attrs


def keep(name: str, key: str, frame: pd.DataFrame, folder: str = TABLES_DIR) -> bool:
    """Write ``frame`` for ``name`` under ``key`` in ``folder`` (:func:`cache_files`) if it reads back
    identical (:func:`identical`); returns whether it was written. The Parquet file is written first and
    the sidecar last, each atomically (:func:`epianalysis.fileio.atomic_write`); a folder that cannot be
    written only means that the next call computes the frame again."""
    try:
        data, sidecar = encode(frame, key)
    except (pa.ArrowException, TypeError, ValueError, pickle.PicklingError):
        return False
    back = decode(data, sidecar, key)
    if back is None or not identical(frame, back):
        return False  # a dtype Parquet does not give back (e.g. an ``object`` column): not kept
    data_path, sidecar_path = cache_files(name, key, folder)
    try:
        atomic_write(data_path, lambda tmp: tmp.write_bytes(data))
        atomic_write(sidecar_path, lambda tmp: tmp.write_bytes(sidecar))
    except OSError:
        return False
    return True


def cached_load(
    store: DataStore, table: str, as_of: date | None, load: Callable[[str, date | None], pd.DataFrame]
) -> pd.DataFrame:
    """``load(table, as_of)`` read from the cache when kept under the same key, else loaded and kept.

    Not cached: when :func:`enabled` is false, for a large table, or when the layout itself is at
    fault (``load`` then raises the error). A load that raises is never kept.
    """
    if not enabled():
        return load(table, as_of)
    try:
        if table_spec(table).large:
            return load(table, as_of)
        key = table_key(store, table, as_of)
    except (DataError, KeyError, ValueError, OSError):
        return load(table, as_of)  # an unknown table or a broken layout: the load says what is wrong
    kept = read_kept(table, key)
    if kept is not None:
        return kept
    frame = load(table, as_of)
    keep(table, key, frame)
    return frame


def cached(
    as_date: Callable[[date | str | None], date | None],
) -> Callable[[Callable[..., pd.DataFrame]], Callable[..., pd.DataFrame]]:
    """Decorate :meth:`~epianalysis.data.store.DataStore.load` with :func:`cached_load`, its ``as_of``
    read by ``as_date`` (the store's own reading of a date, passed in so that this module does not import
    the store). The loading method itself stays reachable as ``DataStore.load.__wrapped__``."""

    def decorate(load: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
        @functools.wraps(load)
        def wrapper(store: DataStore, table: str, as_of: date | str | None = None) -> pd.DataFrame:
            return cached_load(store, table, as_date(as_of), lambda t, d: load(store, t, d))

        return wrapper

    return decorate


def log_errors(path: Path, table: str, name: str) -> list:
    """The errors :func:`epianalysis.data.parquet.check_parquet` finds in a large table's Parquet file or
    partitioned folder, checked once per content: a clean check leaves the empty marker
    ``<cache>/tables/<table>-<key>.clean``, the key being the SHA-256 of the table name, the bytes of every
    file checked and :func:`code_digest`; while it is there the file is not checked again. A file with
    errors leaves no marker and is checked (and refused) every time. ``EPIANALYSIS_NO_CACHE=1`` checks
    every time."""
    from epianalysis.data.parquet import check_parquet

    if not enabled():
        return [v for v in check_parquet(path, table, name) if v.severity == "error"]
    key = hashlib.sha256(f"log {table}\0code {code_digest()}\0{content_digest(Path(path))}".encode()).hexdigest()
    marker = cache_dir() / TABLES_DIR / f"{table}-{key}.clean"
    if marker.is_file():
        return []
    found = [v for v in check_parquet(path, table, name) if v.severity == "error"]
    if not found:
        atomic_write(marker, lambda target: target.write_bytes(b""))
    return found
