"""Import any tidy (long) CSV into the store, e.g. the official Zhejiang bulletins.

The file is read with every column as text (region codes keep all their digits: ``330100`` never
becomes ``330100.0``), columns are renamed (``renames`` maps OLD -> NEW, e.g.
``{"as_of_date": "date", "unit_code": "region_code"}``), and all columns are kept: contract columns
typed, extra columns (``level``, ``note``, ``source_url``...) as text. Then:

- rows with an empty ``region_code`` (units that are not places, e.g. the prison cluster
  省十里丰监狱) are kept aside in ``<table>_unplaced`` beside the table, and each is reported as a
  flag ``unplaced`` ("kept, not placed in a region");
- rows with the same key are merged when they *agree*: every contract column has at most one
  distinct non-missing value among them (one channel may give a value the other leaves out). The
  merged row takes that value; extra text columns join their distinct values with ``" | "`` in
  file order. Each merge is a flag ``duplicate_merged``. Duplicates with two different values in a
  contract column are errors (``conflicting_duplicate``), one per row and column;
- the rows are validated against the contract (all errors listed at once, nothing written on
  error) and the cross-row flags (cumulative decreases, discharged above confirmed, sub-regions
  above parent) are reported.

Dates are taken as the store convention ("as of D 24:00", ``date_shift_days = 0``), recorded in
``source.toml``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from epianalysis.data.checks import cross_row_flags, errors, read_text_csv
from epianalysis.data.contracts import UNPLACED_SUFFIX, table_spec
from epianalysis.data.schema import check_frame, value_text
from epianalysis.data.store import DataStore, as_date
from epianalysis.errors import DataError, Violation
from epianalysis.sources import ImportReport
from epianalysis.sources.conventions import BULLETIN

JOIN = " | "
UNIT_LABEL_COLUMNS = ("unit_zh", "unit", "name_zh", "name")


def _apply_renames(raw: pd.DataFrame, renames: dict[str, str], file: str) -> tuple[pd.DataFrame, list[Violation]]:
    problems = []
    for old, new in renames.items():
        if old not in raw.columns:
            problems.append(Violation(file, None, old, "column_present", f"rename {old}={new}"))
        elif new in raw.columns and new != old:
            problems.append(Violation(file, None, new, "rename_target_free", f"rename {old}={new}"))
    return raw.rename(columns=renames), problems


def _label(row: pd.Series) -> str:
    for col in UNIT_LABEL_COLUMNS:
        if col in row.index and pd.notna(row[col]):
            return str(row[col])
    return ""


def merge_duplicates(df: pd.DataFrame, table: str, file: str) -> tuple[pd.DataFrame, list[Violation]]:
    """Merge agreeing rows with the same key; report merges (flags) and conflicts (errors).

    Parameters
    ----------
    df : pandas.DataFrame
        Typed rows with a ``__row`` column (1-based row in ``file``).
    table : str
        Contract table name (gives the key and the contract columns).
    file : str
        File name for the violations.

    Returns
    -------
    (pandas.DataFrame, list of Violation)
        One row per key (the first row of a group, values merged as described in the module
        docstring), and the ``duplicate_merged`` flags and ``conflicting_duplicate`` errors.
    """
    spec = table_spec(table)
    key = list(spec.key)
    dup = df.duplicated(key, keep=False)
    if not dup.any():
        return df, []
    values = [c for c in spec.names if c in df.columns and c not in key]
    extras = [c for c in df.columns if c not in spec.names and not str(c).startswith("__")]
    out = df[~dup].copy()
    merged_rows = []
    found: list[Violation] = []
    for _, group in df[dup].groupby(key, sort=False):
        first = group.iloc[0].copy()
        rows = [int(r) for r in group["__row"]]
        conflict = False
        for col in values:
            distinct = list(dict.fromkeys(group[col].dropna().tolist()))
            if len(distinct) > 1:
                conflict = True
                shown = JOIN.join(value_text(v) for v in distinct)
                found += [Violation(file, r, col, "conflicting_duplicate", shown) for r in rows]
            elif distinct:
                first[col] = distinct[0]
        for col in extras:
            distinct = list(dict.fromkeys(str(v) for v in group[col].dropna()))
            first[col] = JOIN.join(distinct) if distinct else None
        if not conflict:
            merged_rows.append(first)
            keys = ", ".join(value_text(first[k]) for k in key)
            found.append(
                Violation(
                    file,
                    rows[0],
                    ", ".join(key),
                    "duplicate_merged",
                    f"{keys}: rows {', '.join(map(str, rows))} agree, merged",
                    "flag",
                )
            )
    if merged_rows:
        merged = pd.DataFrame(merged_rows).astype(df.dtypes.to_dict())
        out = pd.concat([out, merged]).sort_values("__row", kind="stable")
    return out, found


def import_tidy(
    file: Path, renames: dict[str, str], out: Path, table: str = "cases", vintage: date | None = None
) -> ImportReport:
    """Import a tidy CSV as contract table ``table`` into the data directory ``out``.

    Parameters
    ----------
    file : pathlib.Path
        The CSV (UTF-8, one header row, long format).
    renames : dict of str to str
        Column renames OLD -> NEW applied before anything else.
    out : pathlib.Path
        The data directory to write (created if needed).
    table : str
        The contract table the rows belong to.
    vintage : datetime.date, optional
        Store the rows as the delivery of this date (``vintages/YYYY-MM-DD/``).

    Returns
    -------
    ImportReport

    Raises
    ------
    DataError
        With every violation, if the file breaks the contract; nothing is written then.
    """
    file, out = Path(file), Path(out)
    name = file.name
    spec = table_spec(table)
    raw = read_text_csv(file)
    raw, problems = _apply_renames(raw, dict(renames), name)
    raw["__row"] = raw.index + 1
    flags: list[Violation] = []
    unplaced = raw.iloc[0:0]
    if "region_code" in raw.columns and "region_code" in spec.key:
        lost = raw["region_code"].isna()
        unplaced, raw = raw[lost], raw[~lost]
        for _, row in unplaced.iterrows():
            label = _label(row)
            flags.append(
                Violation(
                    name,
                    int(row["__row"]),
                    "region_code",
                    "unplaced",
                    "kept, not placed in a region" + (f": {label}" if label else ""),
                    "flag",
                )
            )
    typed, found = check_frame(raw, table, name)
    key_rule = f"unique_key({', '.join(spec.key)})"
    problems += [v for v in errors(found) if v.rule != key_rule]
    merged, dup_found = merge_duplicates(typed, table, name)
    problems += errors(dup_found)
    flags += [v for v in dup_found if v.severity == "flag"]
    side_table = f"{table}{UNPLACED_SUFFIX}"
    side, side_found = check_frame(unplaced, side_table, name)
    problems += errors(side_found)
    if problems:
        raise DataError(f"{name}: cannot import as {table!r}", problems)
    cross, _ = cross_row_flags(merged, table, name)
    flags += cross
    store = DataStore(out)
    delivered = as_date(vintage)
    notes = [f"dates read as the store convention: {BULLETIN.description}"]
    metadata = {
        "source": f"tidy CSV {name}",
        "description": f"{table} imported from {name}",
        **BULLETIN.metadata(),
        "synthetic": False,
        "citation": "",
    }
    existing = store.metadata()
    if existing.get("source") not in (None, metadata["source"]):
        notes.append(f"source.toml kept as is (source {existing['source']!r})")
    metadata = {k: v for k, v in metadata.items() if k not in existing}
    written = store.write(table, merged.drop(columns="__row"), vintage=delivered, metadata=metadata)
    if not side.empty:
        side_path = store.write(side_table, side.drop(columns="__row"), vintage=delivered)
        notes.append(f"{len(side)} rows without a region kept in {side_path.relative_to(out).as_posix()}")
    notes.append(f"wrote {written.relative_to(out).as_posix()}")
    dates = merged["date"].dropna()
    return ImportReport(
        out=out,
        table=table,
        rows=len(merged),
        regions=int(merged["region_code"].nunique()) if "region_code" in merged.columns else 0,
        first_date=dates.min().date() if len(dates) else None,
        last_date=dates.max().date() if len(dates) else None,
        flags=flags,
        notes=notes,
    )
