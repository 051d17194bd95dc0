"""The data store: validated tables in a data directory, with dated vintages (deliveries).

Layout of a data directory::

    source.toml                       # source, description, date_convention, date_shift_days, ...
    cases.csv, flow.csv, ...          # one vintage: the tables directly, or
    vintages/2020-02-19/cases.csv     # dated deliveries (a directory uses one layout or the other)
    vintages/2020-02-21/cases.csv

Reading with ``as_of=D`` (:meth:`DataStore.load`) returns only what was known on D:

- the rows of every vintage delivered on or before D, in delivery order; a later vintage's row
  replaces an earlier row with the same key (a *revision*); rows of earlier vintages whose key the
  later one does not hold are kept (deliveries may be incremental). For tables without a unique key
  (``<table>_unplaced``) a later vintage replaces the earlier rows of the dates it holds;
- then rows whose ``date`` is after D are excluded (without vintages, only this filter applies).

Flags are kept and marked, never dropped or changed. A boolean column is added for each flag rule
that applies to at least one row (and only then):

- ``revised``: the row replaced an earlier vintage's row with a different value. A value counts as
  revised when the earlier value was present and differs (a value filling an earlier gap is not a
  revision). The earlier value is kept beside the new one in ``<column>_before_revision``
  (only for columns that were revised; missing elsewhere);
- ``cumulative_decrease``, ``discharged_exceeds_confirmed``, ``subregions_exceed_parent``: the
  cross-row rules of :mod:`epianalysis.data.checks`.

The frame's ``attrs`` hold ``source`` (from ``source.toml``, ``None`` without one), ``as_of``
(a :class:`datetime.date` or ``None``), ``metadata`` (the whole ``source.toml``) and ``flags`` (the
flag :class:`~epianalysis.errors.Violation` rows). Loading validates every file read and raises
:class:`~epianalysis.errors.DataError` listing all errors.

Large logs (``health_code_log``, ``enterprise_daily``) are also given as a checked Parquet file for
queries over the file (:meth:`DataStore.log`): a log delivery holds the whole log up to its date, so
the file used is the one at the root, or in the latest vintage delivered on or before D. A log may
be one file (``health_code_log.parquet``) or a folder partitioned by day
(``health_code_log/date=YYYY-MM-DD/*.parquet``, :func:`epianalysis.data.layout.is_table_folder`;
docs/data.md#large-logs); a file and a folder of the same table side by side is an error. Briefings
get every table and log through the store, never by opening files themselves.

Writes are atomic (a temporary file in the same folder, then a rename) and deterministic (rows
sorted by key, ISO dates, ``\\n`` line ends).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from epianalysis.data.cache import cached, log_errors
from epianalysis.data.checks import cross_row_flags, errors, read_lines_csv
from epianalysis.data.contracts import table_spec
from epianalysis.data.layout import (
    SOURCE_FILE,
    SOURCE_KEYS,
    VINTAGES_DIR,
    FrameMetadata,
    is_table_folder,
    read_source_toml,
    table_files,
    table_of,
    vintage_dirs,
)
from epianalysis.data.layout import toml_dumps as toml_dumps  # re-exported: source.toml is written here
from epianalysis.data.order import in_key_order
from epianalysis.data.sampling import Sampling, sampling
from epianalysis.data.schema import check_frame, pandera_schema
from epianalysis.errors import DataError, Violation
from epianalysis.fileio import atomic_write

REVISED = "revised"
BEFORE_REVISION = "{column}_before_revision"


def as_date(value: date | str | pd.Timestamp | None) -> date | None:
    """A date from a :class:`datetime.date`, an ISO string or a timestamp (``None`` passes)."""
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value if type(value) is date else value.date()
    return date.fromisoformat(str(value))


def _ordered_metadata(meta: dict) -> dict:
    known = {k: meta[k] for k in SOURCE_KEYS if k in meta}
    return known | {k: meta[k] for k in sorted(meta) if k not in known}


class DataStore:
    """A data directory of contract tables (see the module docstring for layout and semantics).

    Parameters
    ----------
    path : pathlib.Path or str
        The data directory (it need not exist before the first :meth:`write`).
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"DataStore({str(self.path)!r})"

    # --- reading ---------------------------------------------------------------------------------
    def metadata(self) -> dict:
        """The contents of ``source.toml`` (empty if there is none)."""
        return read_source_toml(self.path)

    def sampling(self, table: str) -> Sampling | None:
        """How ``table`` was sampled (``[sampling.<table>]`` of ``source.toml``); ``None``: complete
        counts (:mod:`epianalysis.data.sampling`, docs/data.md#sampling)."""
        return sampling(self.metadata(), table)

    def vintages(self) -> list[date]:
        """Delivery dates under ``vintages/`` in order; empty when the directory has one vintage."""
        found, _ = vintage_dirs(self.path)
        return [d for d, _ in found]

    def _folders(self) -> list[tuple[date | None, Path]]:
        found, bad = vintage_dirs(self.path)
        if bad:
            raise DataError(f"badly named vintage folders in {self.path}", bad)
        if not found:
            return [(None, self.path)]
        root_tables = table_files(self.path) if self.path.is_dir() else []
        if root_tables:
            raise DataError(
                f"{self.path} holds both vintages and table files at its root",
                [Violation(p.name, None, None, "one_layout") for p in root_tables],
            )
        return [(d, folder) for d, folder in found]

    def tables(self, as_of: date | str | None = None) -> list[str]:
        """Names of the tables present (in any vintage; with ``as_of``, in a vintage delivered on or
        before it), sorted."""
        if not self.path.is_dir():
            return []
        cutoff = as_date(as_of)
        folders = [f for d, f in self._folders() if cutoff is None or d is None or d <= cutoff]
        names = {table_of(p) for folder in folders for p in table_files(folder)}
        return sorted(n for n in names if n)

    def _file(self, folder: Path, table: str) -> Path | None:
        found = [folder / f"{table}{s}" for s in (".csv", ".parquet") if (folder / f"{table}{s}").is_file()]
        if is_table_folder(folder / table):
            found.append(folder / table)
        if len(found) > 1:
            kinds = " and ".join("a partitioned folder" if p.is_dir() else f"a {p.suffix[1:]} file" for p in found)
            raise DataError(
                f"{table} stored twice in {folder}: as {kinds}; keep one of them",
                [Violation(p.relative_to(self.path).as_posix(), None, None, "one_file_per_table") for p in found],
            )
        return found[0] if found else None

    @cached(as_date)
    def load(self, table: str, as_of: date | str | None = None) -> pd.DataFrame:
        """Load ``table`` as known on ``as_of`` (all vintages and dates if ``None``; cached, docs/data.md#loading-once).

        Returns
        -------
        pandas.DataFrame
            Contract columns (typed; absent optional ones all missing), then extra columns, then flag columns
            (module docstring), sorted by the table's key; ``attrs``: ``source``, ``as_of``, ``metadata``, ``flags``.

        Raises
        ------
        DataError
            If the table is absent, or a file read breaks its contract (all errors listed).
        """
        spec = table_spec(table)
        cutoff = as_date(as_of)
        frames: list[pd.DataFrame] = []
        problems: list[Violation] = []
        for order, (delivered, folder) in enumerate(self._folders()):
            if cutoff is not None and delivered is not None and delivered > cutoff:
                continue
            path = self._file(folder, table)
            if path is None:
                continue
            name = path.relative_to(self.path).as_posix()
            if path.suffix == ".parquet" and spec.large:
                # Checked with DuckDB over the file; pandas then only converts the dtypes.
                found = log_errors(path, table, name)
                raw = pd.read_parquet(path)
                typed = (
                    raw
                    if found
                    else pandera_schema(table, [c for c in spec.names if c in raw.columns], checks=False).validate(raw)
                )
            else:
                try:
                    raw = read_lines_csv(path, name) if path.suffix == ".csv" else pd.read_parquet(path)
                except DataError as exc:  # not text, wrong delimiter...: named with its line
                    problems += exc.violations
                    continue
                typed, found = check_frame(raw, table, name)
            problems += errors(found)
            rows = typed["__row"] if "__row" in typed.columns else typed.index + 1  # CSV: the file's line
            frames.append(typed.assign(__file=name, __row=rows, __order=order))
        if not frames and not problems:
            raise DataError(
                f"no table {table!r} in {self.path}" + (f" as of {cutoff}" if cutoff else ""),
                [Violation(table, None, None, "table_present")],
            )
        if problems:
            raise DataError(f"{table} in {self.path} breaks its contract", problems)
        merged, flags, masks = _merge_vintages(frames, spec)
        if cutoff is not None and "date" in merged.columns:  # registers (enterprises) have no date
            keep = merged["date"] <= pd.Timestamp(cutoff)
            kept = int(keep.sum())  # rows in date order keep a first stretch: sliced, not copied
            merged = merged.iloc[:kept] if keep.iloc[:kept].all() else merged[keep]
            masks = {k: m[keep] for k, m in masks.items()}
            if flags:  # only rows still kept keep their flags
                kept_origin = set(zip(merged["__file"], merged["__row"], strict=True))
                flags = [f for f in flags if (f.file, f.row) in kept_origin]
        cross, cross_masks = cross_row_flags(merged, table, table)
        flags += cross
        masks |= cross_masks
        out = _finish(merged, spec, masks)
        metadata = FrameMetadata(self.metadata())
        out.attrs.update(source=metadata.get("source"), as_of=cutoff, metadata=metadata, flags=flags)
        return out

    def log(self, table: str, as_of: date | str | None = None) -> Path:
        """The Parquet file or partitioned folder of the large table ``table`` as of ``as_of``, checked.

        A log delivery holds the whole log up to its date: the file is the one at the root, or the
        one of the latest vintage delivered on or before ``as_of`` (the latest vintage when
        ``None``) that holds the table; a folder partitioned by day (``health_code_log/date=YYYY-MM-DD/``,
        read as one table) takes the place of the file. It is checked against the contract with DuckDB over
        the file (:func:`epianalysis.data.parquet.check_parquet`: types, missing values, ranges,
        allowed values such as the three code colours, region codes, unique key) before it is
        returned, so that a row with a missing or unknown value cannot silently drop out of a query.
        Rows after ``as_of`` are not removed: queries over the file select their dates.

        Returns
        -------
        pathlib.Path
            The checked Parquet file or partitioned folder.

        Raises
        ------
        ValueError
            ``table`` is not a large table (read it with :meth:`load`).
        DataError
            No Parquet file of the table known on ``as_of``, or the file breaks its contract (every
            error with file, row, column, rule and value).
        """
        spec = table_spec(table)
        if not spec.large:
            raise ValueError(f"{table} is not a large table: read it with DataStore.load")
        cutoff = as_date(as_of)
        known = [f for d, f in self._folders() if cutoff is None or d is None or d <= cutoff]
        for folder in reversed(known):
            path = self._file(folder, table)
            if path is None:
                continue
            name = path.relative_to(self.path).as_posix()
            if path.is_file() and path.suffix != ".parquet":
                raise DataError(f"{name}: a log is read as Parquet", [Violation(name, None, None, "parquet_file")])
            found = log_errors(path, table, name)
            if found:
                raise DataError(f"{table} in {self.path} breaks its contract", found)
            return path
        raise DataError(
            f"no {table}.parquet (or {table}/ folder) in {self.path}" + (f" as of {cutoff}" if cutoff else ""),
            [Violation(table, None, None, "table_present")],
        )

    # --- writing ---------------------------------------------------------------------------------
    def write(
        self, table: str, df: pd.DataFrame, vintage: date | str | None = None, metadata: dict | None = None
    ) -> Path:
        """Validate and write ``table`` (atomically), at the root or as the vintage ``vintage``.

        Absent optional contract columns are written empty; extra columns are kept after the
        contract columns; rows are sorted by the key. ``metadata`` updates ``source.toml``
        (existing keys not given are kept). Returns the path written.

        Raises
        ------
        DataError
            If ``df`` breaks the contract (nothing is written), or the write would mix a
            vintage layout with root-level tables.
        """
        spec = table_spec(table)
        delivered = as_date(vintage)
        frame = df.reset_index(drop=True)
        frame = frame[[c for c in frame.columns if not str(c).startswith("__")]]
        typed, found = check_frame(frame, table, f"{table} (to write)")
        if errors(found):
            raise DataError(f"{table}: refusing to write data that breaks its contract", errors(found))
        vintages, _ = vintage_dirs(self.path)
        root_tables = table_files(self.path) if self.path.is_dir() else []
        if delivered is None and vintages or delivered is not None and root_tables:
            raise DataError(
                f"{self.path}: a directory holds either vintages or root-level tables",
                [Violation(str(table), None, None, "one_layout")],
            )
        folder = self.path if delivered is None else self.path / VINTAGES_DIR / delivered.isoformat()
        other = ".csv" if spec.storage == "parquet" else ".parquet"
        for there, how in ((folder / f"{table}{other}", other), (folder / table, "a partitioned folder")):
            if there.exists():
                raise DataError(
                    f"{table} already stored as {how} in {folder}",
                    [Violation(there.name, None, None, "one_file_per_table")],
                )
        typed = _with_all_columns(typed, spec)
        ordered = spec.names + [c for c in typed.columns if c not in spec.names]
        typed = typed[ordered].sort_values(list(spec.key), kind="stable").reset_index(drop=True)
        target = folder / f"{table}.{spec.storage}"
        if spec.storage == "parquet":
            atomic_write(target, lambda tmp: typed.to_parquet(tmp, index=False))
        else:
            atomic_write(
                target,
                lambda tmp: typed.to_csv(
                    tmp, index=False, date_format="%Y-%m-%d", lineterminator="\n", encoding="utf-8"
                ),
            )
        if metadata is not None:
            self.write_metadata(metadata)
        return target

    def write_metadata(self, metadata: dict) -> Path:
        """Update ``source.toml`` with ``metadata`` (atomic; documented keys first)."""
        merged = _ordered_metadata(self.metadata() | dict(metadata))
        text = toml_dumps(merged)
        return atomic_write(self.path / SOURCE_FILE, lambda tmp: tmp.write_text(text, "utf-8"))


def load(data_dir: Path | str, table: str, as_of: date | str | None = None) -> pd.DataFrame:
    """Load ``table`` from ``data_dir`` as known on ``as_of`` (see :meth:`DataStore.load`)."""
    return DataStore(data_dir).load(table, as_of=as_of)


def _merge_vintages(frames: list[pd.DataFrame], spec) -> tuple[pd.DataFrame, list[Violation], dict]:
    """Stack vintages in delivery order; later rows replace earlier ones (see module docstring)."""
    if len(frames) == 1:
        return frames[0].reset_index(drop=True), [], {}
    stacked = pd.concat(frames, ignore_index=True)
    if not spec.unique_key:
        last = stacked.groupby("date")["__order"].transform("max")
        return stacked[stacked["__order"] == last].reset_index(drop=True), [], {}
    key = list(spec.key)
    latest = stacked.drop_duplicates(key, keep="last")
    earlier = stacked.drop(latest.index).drop_duplicates(key, keep="last")
    merged = latest.reset_index(drop=True)
    values = [c.name for c in spec.columns if c.name not in key and c.name in stacked.columns]
    previous = merged[key].merge(earlier[key + values], on=key, how="left", validate="one_to_one")
    flags: list[Violation] = []
    revised = pd.Series(False, index=merged.index)
    for col in values:
        changed = previous[col].notna() & (merged[col].isna() | (merged[col] != previous[col])).fillna(True)
        changed = changed.to_numpy(dtype=bool)
        if not changed.any():
            continue
        merged[BEFORE_REVISION.format(column=col)] = previous[col].where(changed)
        revised |= changed
        for i in merged.index[changed]:
            flags.append(
                Violation(
                    merged.at[i, "__file"],
                    int(merged.at[i, "__row"]),
                    col,
                    REVISED,
                    f"{previous.at[i, col]} -> {merged.at[i, col]}",
                    "flag",
                )
            )
    masks = {REVISED: revised} if revised.any() else {}
    return merged, flags, masks


def _finish(df: pd.DataFrame, spec, masks: dict[str, pd.Series]) -> pd.DataFrame:
    out = _with_all_columns(df, spec)
    for rule, mask in masks.items():
        out[rule] = mask.reindex(out.index, fill_value=False).astype(bool)
    internal = [c for c in out.columns if str(c).startswith("__")]
    if not in_key_order(out, list(spec.key)):  # files are written in key order: usually nothing to sort
        out = out.sort_values(list(spec.key), kind="stable")
    out = out.drop(columns=internal).reset_index(drop=True)
    flags_cols = list(masks)
    extras = [c for c in out.columns if c not in spec.names and c not in flags_cols]
    return out[spec.names + extras + flags_cols]


def _with_all_columns(df: pd.DataFrame, spec) -> pd.DataFrame:
    """``df`` with absent contract columns added as all-missing columns of their dtype."""
    out = df.copy()
    for col in spec.columns:
        if col.name not in out.columns:
            out[col.name] = pd.Series(pd.NA if col.kind != "date" else pd.NaT, index=out.index).astype(col.dtype)
    return out
