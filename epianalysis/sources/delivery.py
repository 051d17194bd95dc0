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
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from epianalysis.data.checks import read_text_csv
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
