"""Content digests of the rows a briefing reads: per table, the rows dated on or before a data date.

A day's report is current when the rows it was made from are unchanged (docs/output.md#skipped-days):
not the files' sizes or modification times, which a copy preserving times (``cp -p``, ``rsync -a``)
keeps while the numbers change. :func:`file_digests` reads a table file once and returns, per date of
its ``date`` column, the number of rows and two order-free sums of row hashes (DuckDB's ``hash`` of
the whole row: every column, as stored); :func:`table_digest` combines those of the files the store
reads for a data date (the root files, or every vintage delivered on or before it) over the dates on
or before it. Rows dated later do not change the digest, so appending a day of data leaves the
reports of earlier days current. A row whose date cannot be read counts for every data date, and a
file DuckDB cannot parse at all is digested by its bytes, so a broken file is never taken as
unchanged. A large table's partitioned folder (``health_code_log/date=YYYY-MM-DD/*.parquet``) is
digested file by file, each row dated by its partition.

A file's digests are kept in the cache folder under the SHA-256 of its bytes, so a later process
over an unchanged file reads them back instead of its rows (docs/architecture.md#caches).

The file is opened as a DuckDB relation (no path in SQL text); the only identifier written into the
query is ``date``, from the contracts. The digests are plain data, reusable wherever "what did this
day read" is needed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from datetime import date
from functools import lru_cache
from pathlib import Path

from epianalysis.data.cache import code_digest, enabled
from epianalysis.data.layout import SOURCE_FILE, table_files, table_of, vintage_dirs
from epianalysis.fileio import atomic_write_text, duckdb_connection, file_sha256
from epianalysis.paths import cache_dir

#: Key of the rows without a readable date (and of a whole file digested by its bytes).
UNDATED = ""

_VIEW = "digest_file"
_ROW_SUMS = "count(*), CAST(sum(hash(digest_row)) AS VARCHAR), CAST(bit_xor(hash(digest_row)) AS VARCHAR)"
_DAY = "coalesce(CAST(TRY_CAST(digest_row.\"date\" AS DATE) AS VARCHAR), '')"
_BY_DATE = f"SELECT {_DAY} AS day, {_ROW_SUMS} FROM {_VIEW} AS digest_row GROUP BY 1"
_WHOLE = f"SELECT {_ROW_SUMS} FROM {_VIEW} AS digest_row"


DIGESTS_DIR = "digests"
"""The folder of the kept digests under the cache folder."""


@lru_cache(maxsize=64)
def _cached(path: str, size: int, mtime_ns: int, ctime_ns: int, inode: int) -> tuple[tuple[str, tuple[int, str]], ...]:
    return tuple(sorted(_kept_digests(Path(path)).items()))


def _kept_digests(path: Path) -> dict[str, tuple[int, str]]:
    """:func:`_read_digests`, kept on disk per content: under the SHA-256 of the file's bytes, its path
    (a partitioned file's folder names are columns of its rows) and the code that digests
    (:func:`epianalysis.data.cache.code_digest`, with DuckDB's version: its ``hash`` makes the digest).
    Hashing the bytes of the scenario's 58 MB log takes about 0.1 s, digesting its rows about 3 CPU
    seconds. A file DuckDB cannot parse is never kept."""
    if not enabled():
        return _read_digests(path)
    key = hashlib.sha256(f"{code_digest()}\0{path.resolve()}\0{file_sha256(path)}".encode()).hexdigest()
    target = cache_dir() / DIGESTS_DIR / f"{key}.json"
    try:
        record = json.loads(target.read_text("utf-8"))
        if record["key"] == key:
            return {day: (int(n), str(text)) for day, (n, text) in record["digests"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        pass  # absent, partial or foreign: digested again and written anew
    digests = _read_digests(path)
    if not digests.get(UNDATED, (0, ""))[1].startswith("bytes:"):
        with contextlib.suppress(OSError):  # a folder that cannot be written: digested again next time
            atomic_write_text(target, json.dumps({"key": key, "digests": digests}, sort_keys=True))
    return digests


def _read_digests(path: Path) -> dict[str, tuple[int, str]]:
    import duckdb

    con = duckdb_connection()
    try:
        try:
            if path.suffix == ".parquet":  # in a date=YYYY-MM-DD/ folder, the partition gives the date
                relation = con.read_parquet(str(path), hive_partitioning=path.parent.name.startswith("date="))
            else:
                relation = con.read_csv(str(path), all_varchar=True, header=True)
            columns = list(relation.columns)
            con.register(_VIEW, relation)
            head = hashlib.sha256(json.dumps(columns).encode()).hexdigest()[:16]
            if "date" in columns:
                rows = con.execute(_BY_DATE).fetchall()
            else:
                rows = [(UNDATED, *con.execute(_WHOLE).fetchone())]
        except duckdb.Error:  # unreadable: every change of its bytes counts
            return {UNDATED: (0, "bytes:" + file_sha256(path))}
    finally:
        con.close()
    return {day: (int(n), f"{head}:{total}:{xor}") for day, n, total, xor in rows}


def file_digests(path: Path) -> dict[str, tuple[int, str]]:
    """Per date (ISO text; :data:`UNDATED` for rows without a readable date, or a table without a
    ``date`` column), the rows of the table file ``path`` and a digest of their contents.

    Within one process a file is read once while its size, modification and change times and inode
    stay the same (the change time moves on every write, also when the modification time is put
    back); the digest itself never relies on them.
    """
    stat = Path(path).stat()
    return dict(_cached(str(path), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino))


def _files_read(data_dir: Path, table: str, as_of: date) -> list[Path]:
    """The files (or partitioned folders) of ``table`` the store reads for ``as_of``: at the root, or in
    every vintage delivered on or before it."""
    vintages, _ = vintage_dirs(data_dir)
    folders = [folder for delivered, folder in vintages if delivered <= as_of] if vintages else [data_dir]
    return [p for folder in folders if folder.is_dir() for p in table_files(folder) if table_of(p) == table]


def _parts(path: Path) -> list[Path]:
    """The files digested for a table file (itself) or a partitioned folder (its Parquet files)."""
    return sorted(p for p in path.rglob("*.parquet") if p.is_file()) if path.is_dir() else [path]


def table_digest(data_dir: Path, table: str, as_of: date) -> dict | None:
    """The digest of the rows of ``table`` known on ``as_of`` and dated on or before it.

    Returns
    -------
    dict or None
        ``{"rows": n, "files": [relative paths], "sha256": hex}``; ``None`` when the data directory
        holds no file of the table for that date.
    """
    data_dir = Path(data_dir)
    files = _files_read(data_dir, table, as_of)
    if not files:
        return None
    digest, rows = hashlib.sha256(), 0
    cutoff = as_of.isoformat()
    for path in (part for found in files for part in _parts(found)):
        name = path.relative_to(data_dir).as_posix()
        for day, (n, text) in sorted(file_digests(path).items()):
            if day == UNDATED or day <= cutoff:
                digest.update(f"{name}\0{day}\0{n}\0{text}\n".encode())
                rows += n
    return {"rows": rows, "files": [p.relative_to(data_dir).as_posix() for p in files], "sha256": digest.hexdigest()}


def source_digest(data_dir: Path) -> str | None:
    """The digest of ``source.toml`` (its bytes), ``None`` without one."""
    path = Path(data_dir) / SOURCE_FILE
    return file_sha256(path) if path.is_file() else None
