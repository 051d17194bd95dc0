"""Where an import writes a table, so that no import loses data (docs/data.md#vintages).

Vintages are named by their **data date**: ``vintages/D/`` is the delivery whose latest counts are
"as of D 24:00", the date of the bulletin it carries, which is the day *before* the press conference
that reads it. A briefing of press date P reads the data as of P-1 (``as_of``) and so uses every
vintage named P-1 or earlier: ``--vintage`` and the default briefing agree.

:func:`plan` decides, before anything is written:

- a table the data directory does not hold yet is written at the root, or as ``vintages/DATE/`` with
  ``--vintage DATE`` (or, in a directory that already holds vintages, as the vintage of the file's
  last data date);
- a table the directory already holds gets a **new vintage**: ``--vintage DATE``, else the file's
  last data date. When the directory holds its tables at the root, they first move into the vintage
  of their own last data date (nothing is dropped: the earlier delivery stays readable with
  ``--as-of``);
- a vintage (or the root) that already holds the table is never overwritten without ``--replace``:
  the import is refused (``fewer_rows`` when the file has fewer rows than the table it would replace,
  such as a header-only file, else ``slot_taken``), with the numbers of rows and what to do;
- rows dated after ``--vintage`` are refused (``vintage_after_data``): a delivery cannot hold data
  newer than its data date.

:func:`deliver` is how every adapter (``import tidy``, ``import jhu``, ``import dxy``) writes: it
refuses an import without rows (``has_rows``), asks :func:`plan`, and only then moves and writes, so
that a refused import changes nothing in the folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from epianalysis.data.checks import read_text_csv
from epianalysis.data.contracts import UNPLACED_SUFFIX
from epianalysis.data.layout import VINTAGES_DIR, table_files
from epianalysis.data.store import DataStore
from epianalysis.errors import DataError, Violation


@dataclass
class Target:
    """Where to write: ``vintage`` (``None``: the root), root files to ``move`` into a dated vintage
    first, the stored file the write ``replaces`` (``None``: nothing), and ``notes`` for the report."""

    vintage: date | None
    moves: list[tuple[Path, Path]] = field(default_factory=list)
    replaces: Path | None = None
    notes: list[str] = field(default_factory=list)

    def apply_moves(self) -> None:
        """Move the root files into their vintage (atomic renames in the same directory tree)."""
        for source, target in self.moves:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)


def _stored(path: Path) -> tuple[int, date | None]:
    """Rows and last data date of a stored table file."""
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
    else:
        frame = read_text_csv(path)
    if "date" not in frame.columns or frame["date"].dropna().empty:
        return len(frame), None
    return len(frame), pd.to_datetime(frame["date"].dropna().astype(str)).max().date()


def _file(folder: Path, table: str) -> Path | None:
    found = [folder / f"{table}{s}" for s in (".csv", ".parquet") if (folder / f"{table}{s}").is_file()]
    return found[0] if found else None


def _refuse(store: DataStore, stored: Path, rows: int, file: str, table: str, last: date | None) -> DataError:
    old_rows, old_last = _stored(stored)
    where = stored.relative_to(store.path).as_posix()
    rule = "fewer_rows" if rows < old_rows else "slot_taken"
    held = f"{where} holds {old_rows} rows" + (f" with data to {old_last}" if old_last else "")
    later = "; --vintage DATE adds it as the delivery of another data date" if last is not None else ""
    return DataError(
        f"{file}: not imported, {store.path} already holds {table}",
        [Violation(file, None, None, rule, f"{rows} rows", detail=f"{held}{later}")],
    )


def plan(
    store: DataStore,
    table: str,
    file: str,
    rows: int,
    last: date | None,
    vintage: date | None = None,
    replace: bool = False,
) -> Target:
    """Where to write ``rows`` rows of ``table`` whose last data date is ``last`` (module docstring).

    Raises
    ------
    DataError
        The write would overwrite a stored table without ``replace``, the file holds rows dated after
        ``vintage``, or no vintage date can be chosen (a table without dates needs ``--vintage``).
    """
    if vintage is not None and last is not None and last > vintage:
        raise DataError(
            f"{file}: rows dated after --vintage {vintage}",
            [
                Violation(
                    file,
                    None,
                    "date",
                    "vintage_after_data",
                    last.isoformat(),
                    detail=f"the file's data run to {last}: use --vintage {last} (or later)",
                )
            ],
        )
    vintages = store.vintages()
    holds = table in store.tables()
    if not holds:
        if vintage is None and vintages:
            vintage = last
            if vintage is None:
                raise DataError(
                    f"{file}: {store.path} holds vintages; name this delivery with --vintage DATE",
                    [Violation(file, None, None, "vintage_named", "")],
                )
        return Target(vintage)
    if not vintages:  # the table is at the root
        stored = _file(store.path, table)
        assert stored is not None
        _, root_last = _stored(stored)
        wanted = vintage or last
        if wanted is None or root_last is None or wanted == root_last or (replace and vintage is None):
            if not replace:
                raise _refuse(store, stored, rows, file, table, last)
            return Target(None, replaces=stored, notes=[f"replaced {stored.name} (--replace)"])
        folder = store.path / VINTAGES_DIR / root_last.isoformat()
        moves = [(p, folder / p.name) for p in table_files(store.path)]
        note = (
            f"the tables at the root of {store.path} moved to {VINTAGES_DIR}/{root_last} (their data date); "
            f"this file added as {VINTAGES_DIR}/{wanted}"
        )
        return Target(wanted, moves=moves, notes=[note])
    wanted = vintage or last
    if wanted is None:
        raise DataError(
            f"{file}: {store.path} holds vintages; name this delivery with --vintage DATE",
            [Violation(file, None, None, "vintage_named", "")],
        )
    stored = _file(store.path / VINTAGES_DIR / wanted.isoformat(), table)
    if stored is None:
        return Target(wanted, notes=[f"added as the delivery {VINTAGES_DIR}/{wanted} (named by its data date)"])
    if not replace:
        raise _refuse(store, stored, rows, file, table, last)
    return Target(wanted, replaces=stored, notes=[f"replaced {stored.relative_to(store.path).as_posix()} (--replace)"])


def deliver(
    store: DataStore,
    table: str,
    frame: pd.DataFrame,
    file: str,
    *,
    metadata: dict | None = None,
    side: pd.DataFrame | None = None,
    vintage: date | None = None,
    replace: bool = False,
) -> tuple[Path, list[str]]:
    """Write an import's rows where :func:`plan` says: the one way every adapter writes (docs/data.md#vintages).

    Parameters
    ----------
    store : DataStore
        The data directory.
    table : str
        The contract table of ``frame``.
    frame : pandas.DataFrame
        The rows to write (columns starting ``__``, such as the file's line, are dropped).
    file : str
        The file imported, for the messages.
    metadata : dict, optional
        Keys of ``source.toml`` to write with the table.
    side : pandas.DataFrame, optional
        The rows of no region, written as ``<table>_unplaced`` beside the table. When there are none
        and the write replaces a delivery, that delivery's ``<table>_unplaced.csv`` is removed.
    vintage : datetime.date, optional
        The delivery's data date (``--vintage``); default: see the module docstring.
    replace : bool
        Overwrite the table where it is stored (``--replace``).

    Returns
    -------
    (pathlib.Path, list of str)
        The file written and notes for the report (vintage added, files moved or replaced, side rows kept).

    Raises
    ------
    DataError
        No rows at all (``has_rows``), or :func:`plan` refuses; nothing is changed then.
    """
    has_side = side is not None and not side.empty
    if frame.empty and not has_side:
        raise DataError(f"{file}: nothing to import", [Violation(file, None, None, "has_rows", "")])
    dates = pd.to_datetime(frame["date"]).dropna() if "date" in frame.columns else pd.Series(dtype="datetime64[ns]")
    last = dates.max().date() if len(dates) else None
    target = plan(store, table, file, len(frame), last, vintage, replace)
    target.apply_moves()
    notes = list(target.notes)
    written = store.write(table, frame, vintage=target.vintage, metadata=metadata)
    side_table = f"{table}{UNPLACED_SUFFIX}"
    stale = written.parent / f"{side_table}.csv"
    if has_side:
        side_path = store.write(side_table, side, vintage=target.vintage)
        notes.append(f"{len(side)} rows without a region kept in {side_path.relative_to(store.path).as_posix()}")
    elif target.replaces is not None and stale.is_file():
        stale.unlink()  # it belonged to the delivery just replaced
        notes.append(f"removed {stale.relative_to(store.path).as_posix()} of the replaced delivery")
    notes.append(f"wrote {written.relative_to(store.path).as_posix()}")
    return written, notes
