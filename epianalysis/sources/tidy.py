"""Import any tidy (long) CSV into the store, e.g. the official Zhejiang bulletins.

The file is read with every column as text, with the file's line of every row
(:mod:`epianalysis.data.textcsv`: UTF-8 with or without BOM, or ``--encoding``; a file separated by
``;``, tab or ``|`` is detected and said so). Columns are renamed (``renames`` maps OLD -> NEW, e.g.
``{"as_of_date": "date", "unit_code": "region_code"}``); a required column that is still missing is
an error that lists the contract's columns and the file's, and suggests the ``--rename`` of a close
match (:mod:`epianalysis.sources.columns`). All columns are kept: contract columns typed, extra
columns (``level``, ``note``, ``source_url``...) as text. Then:

- the region column is read by name or code (:mod:`epianalysis.reference.names`: ``330100``,
  ``330100.0``, 杭州, 杭州市, 溫州, Hangzhou); an unknown or ambiguous name is an error naming the line
  and the candidates;
- rows that belong to no region (an empty cell; a unit that is no place such as the prison cluster
  省十里丰监狱, 境外输入, 待明确地区, or the code ``0``) are kept aside in ``<table>_unplaced`` beside the
  table, with the unit's name in ``unit_zh``/``unit_en``, and each is reported as a flag ``unplaced``;
- rows with the same key are merged when they *agree*: every contract column has at most one
  distinct non-missing value among them (one channel may give a value the other leaves out). The
  merged row takes that value; extra text columns join their distinct values with ``" | "`` in
  file order. Each merge is a flag ``duplicate_merged``. Duplicates with two different values in a
  contract column are errors (``conflicting_duplicate``), one per row and column;
- the rows are validated against the contract (every bad cell once, with its line, column, value
  and rule; nothing written on error) and the cross-row flags (cumulative decreases, discharged above
  confirmed, sub-regions above parent) are reported;
- dates with region rows but no province row are flagged (``no_province_row``), or, with
  ``derive_province``, get a province row built from the prefectures and the unplaced rows
  (:mod:`epianalysis.sources.derive`, flag ``province_derived``);
- the table is written where :func:`epianalysis.sources.delivery.plan` says: a table already held
  gets a new vintage named by its data date, and nothing stored is overwritten without ``replace``.

Dates are taken as the store convention ("as of D 24:00", ``date_shift_days = 0``), recorded in
``source.toml``, with ``citation`` (the name the source line of every chart and page shows) and
``source_url`` when given.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from epianalysis.data.checks import cross_row_flags, errors
from epianalysis.data.contracts import UNPLACED_SUFFIX, table_spec
from epianalysis.data.coverage import coverage_flags
from epianalysis.data.schema import check_frame, value_text
from epianalysis.data.store import DataStore, as_date
from epianalysis.data.textcsv import read_csv_text
from epianalysis.errors import DataError, Violation
from epianalysis.reference.names import resolve_column
from epianalysis.sources import ImportReport
from epianalysis.sources.columns import apply_renames, missing_columns
from epianalysis.sources.conventions import BULLETIN
from epianalysis.sources.delivery import deliver
from epianalysis.sources.derive import derive_province as derive_province_rows

JOIN = " | "
UNIT_LABEL_COLUMNS = ("unit_zh", "unit_en", "unit", "name_zh", "name")


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
        Typed rows with a ``__row`` column (the row's line in ``file``).
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
                    keys,
                    "flag",
                    detail=f"lines {', '.join(map(str, rows))}",
                )
            )
    if merged_rows:
        merged = pd.DataFrame(merged_rows).astype(df.dtypes.to_dict())
        out = pd.concat([out, merged]).sort_values("__row", kind="stable")
    return out, found


def _metadata(existing: dict, name: str, table: str, citation: str | None, source_url: str | None) -> dict:
    """The ``source.toml`` keys to write: defaults for keys not there yet; ``citation`` and
    ``source_url`` as given (they name the source on every chart and page)."""
    metadata = {
        "source": f"tidy CSV {name}",
        "description": f"{table} imported from {name}",
        **BULLETIN.metadata(),
        "synthetic": False,
        "citation": "",
    }
    metadata = {k: v for k, v in metadata.items() if k not in existing}
    if citation or source_url:
        shown = citation or source_url
        metadata |= {"source": shown, "citation": ", ".join(x for x in (citation, source_url) if x)}
        if "source_zh" in existing:
            metadata["source_zh"] = shown
    if source_url:
        metadata["source_url"] = source_url
    return metadata


def _read(file: Path, encoding: str, delimiter: str | None) -> tuple[pd.DataFrame, int, list[str]]:
    text = read_csv_text(file, file.name, encoding, delimiter or ",", detect_delimiter=delimiter is None)
    return text.frame.assign(__row=text.lines), text.header_line, text.notes


def _regions(raw: pd.DataFrame, spec, name: str) -> tuple[pd.DataFrame, pd.Series, list[Violation], list[str]]:
    """Resolve the region column by name or code; the rows that are no place, problems and notes."""
    found = resolve_column(raw["region_code"], raw["__row"], name, level=spec.region_level)
    raw = raw.assign(region_code=found.codes.astype("str"))
    problems = list(found.problems)
    unplaced = found.unplaced
    if "region_code" not in spec.key:  # a register (enterprises) has no unplaced table
        for index in raw.index[unplaced & found.unit_zh.notna()]:
            problems.append(Violation(name, int(raw.at[index, "__row"]), "region_code", "region_name", ""))
        unplaced = unplaced & False
    for col, units in (("unit_zh", found.unit_zh), ("unit_en", found.unit_en)):
        if units.notna().any():
            given = raw[col] if col in raw.columns else pd.Series(pd.NA, index=raw.index, dtype="str")
            raw[col] = given.fillna(units).astype("str")
    notes = []
    if found.names:
        pairs = [f"{k} -> {v}" for k, v in found.names.items()]
        notes.append(f"region names read as codes: {', '.join(pairs[:20])}" + (" ..." if len(pairs) > 20 else ""))
    return raw, unplaced, problems, notes


def import_tidy(
    file: Path,
    renames: dict[str, str],
    out: Path,
    table: str = "cases",
    vintage: date | None = None,
    *,
    replace: bool = False,
    derive_province: bool = False,
    citation: str | None = None,
    source_url: str | None = None,
    encoding: str = "utf-8",
    delimiter: str | None = None,
) -> ImportReport:
    """Import a tidy CSV as contract table ``table`` into the data directory ``out``.

    Parameters
    ----------
    file : pathlib.Path
        The CSV (one header row, long format).
    renames : dict of str to str
        Column renames OLD -> NEW applied before anything else.
    out : pathlib.Path
        The data directory to write (created if needed).
    table : str
        The contract table the rows belong to.
    vintage : datetime.date, optional
        Store the rows as the delivery of this data date (``vintages/YYYY-MM-DD/``); see
        :mod:`epianalysis.sources.delivery` for the default.
    replace : bool
        Overwrite a stored table (refused otherwise).
    derive_province : bool
        Build the missing province rows from the prefectures and the unplaced rows.
    citation, source_url : str, optional
        Where the data come from: ``citation`` is the source line of every chart and page.
    encoding : str
        The file's text encoding (UTF-8 by default, with or without BOM).
    delimiter : str, optional
        The field separator (default: comma, or the separator the header reveals).

    Returns
    -------
    ImportReport

    Raises
    ------
    DataError
        With every violation, if the file breaks the contract or would overwrite stored data;
        nothing is written then.
    """
    file, out = Path(file), Path(out)
    name = file.name
    spec = table_spec(table)
    raw, header_line, notes = _read(file, encoding, delimiter)
    raw, problems = apply_renames(raw, dict(renames), name, header_line)
    missing = missing_columns(raw, spec, name, header_line)
    if missing is not None:  # without its key the rows cannot be told apart: stop here
        problems += missing.violations
        if any(v.column in spec.key for v in missing.violations):
            raise DataError(missing.message, problems)
    if raw.empty:
        raise DataError(f"{name}: nothing to import", [*problems, Violation(name, header_line, None, "has_rows", "")])
    flags: list[Violation] = []
    lost = pd.Series(False, index=raw.index)
    region_problems: list[Violation] = []
    if "region_code" in raw.columns:
        raw, lost, region_problems, region_notes = _regions(raw, spec, name)
        notes += region_notes
    problems += region_problems
    reported = {(v.row, "region_code") for v in region_problems}
    unplaced, raw = raw[lost], raw[~lost]
    for _, row in unplaced.iterrows():
        flags.append(Violation(name, int(row["__row"]), "region_code", "unplaced", _label(row), "flag"))
    typed, found = check_frame(raw, table, name)
    key_rule = f"unique_key({', '.join(spec.key)})"
    problems += [
        v
        for v in errors(found)
        if v.rule != key_rule and (v.row, v.column) not in reported and v.rule != "column_present"
    ]
    merged, dup_found = merge_duplicates(typed, table, name)
    problems += [v for v in errors(dup_found) if (v.row, "region_code") not in reported]
    flags += [v for v in dup_found if v.severity == "flag"]
    side_table = f"{table}{UNPLACED_SUFFIX}"
    side, side_found = check_frame(unplaced, side_table, name)
    problems += [v for v in errors(side_found) if v.rule != "column_present"]
    if problems:
        problems.sort(key=lambda v: (v.row is not None, v.row or 0))
        message = missing.message if missing is not None else f"{name}: cannot import as {table!r}"
        raise DataError(f"{message}\n  {len(problems)} error(s):", problems)
    if "region_code" in spec.key and spec.region_level is None:
        if derive_province:
            merged, derived = derive_province_rows(merged, side, spec, name)
            flags += derived
        flags += coverage_flags(merged, table, name)
    cross, _ = cross_row_flags(merged, table, name)
    flags += cross
    store = DataStore(out)
    dates = merged["date"].dropna() if "date" in merged.columns else pd.Series(dtype="datetime64[ns]")
    last = dates.max().date() if len(dates) else None
    notes.append(f"dates read as the store convention: {BULLETIN.description}")
    existing = store.metadata()
    metadata = _metadata(existing, name, table, citation, source_url)
    if not citation and not source_url and existing.get("source") in (None, f"tidy CSV {name}"):
        notes.append(f"the source line will read 'Source: tidy CSV {name}'; --citation TEXT names the source")
    elif not citation and not source_url and existing.get("source") != f"tidy CSV {name}":
        notes.append(f"source.toml kept as is (source {existing['source']!r})")
    _, written_notes = deliver(
        store, table, merged, name, metadata=metadata, side=side, vintage=as_date(vintage), replace=replace
    )
    notes += written_notes
    return ImportReport(
        out=out,
        table=table,
        rows=len(merged),
        regions=int(merged["region_code"].nunique()) if "region_code" in merged.columns else 0,
        first_date=dates.min().date() if len(dates) else None,
        last_date=last,
        flags=flags,
        notes=notes,
    )
