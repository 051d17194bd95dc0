"""Data contracts of the store's tables, as pandera schemas, and their row-level validation.

Each table is described once, declaratively, in :data:`epianalysis.data.contracts.CONTRACTS`; the
pandera schema (:func:`pandera_schema`) and the DuckDB checks of big Parquet files
(:mod:`epianalysis.data.parquet`) are both built from that description.

:func:`check_frame` validates a frame read from a file with every column as text and returns the
typed frame plus every :class:`~epianalysis.errors.Violation` (file, line, column, rule, value). It
runs in two passes so that all problems come out of one call:

1. text cells (:mod:`epianalysis.data.cells`): a cell not written the plain way of its kind (``"abc"``
   or ``"+12"`` in ``confirmed``: ``whole_number``; ``"3/1/2020"``: ``iso_date``) is an error and is
   set to missing *only inside the validation*, so that the other checks still run on the rest of the
   column and the cell is reported once; then type coercion (``dtype(...)`` for values typed by code);
2. the remaining rules: ``not_null``, ranges (``in_range(0, inf)``), allowed values, the six-digit code
   format (``six_digit_code``), ``known_region_code`` / ``known_county_code`` (against
   :func:`epianalysis.reference.regions.load_regions`) and ``unique_key(date, region_code)``.

A missing required column gives ``column_present`` and the other columns are still checked.
Cross-row rules (cumulative decreases, discharged above confirmed, sub-regions above their parent)
live in :mod:`epianalysis.data.checks`.

Rows of ``<table>_unplaced`` (kept cases that belong to no region, e.g. a prison cluster) follow
the base table's contract except that ``region_code`` must be empty and the key is not unique.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from epianalysis.data.cells import check_cells
from epianalysis.data.contracts import CODE_PATTERN, ColumnSpec, TableSpec, is_unplaced, table_spec
from epianalysis.errors import Violation

# pandera (with PySpark, which it imports when installed: about 0.4 s a process) is imported by the
# functions that check a frame, so that a kernel or a run reading only kept tables never imports it.
if TYPE_CHECKING:
    import pandera.pandas as pa

# --- regions -------------------------------------------------------------------------------------


def known_codes(level: str | None = None) -> frozenset[str]:
    """Region codes of :mod:`epianalysis.reference.regions`, all levels or only ``level``."""
    regions = _regions()
    if level is not None:
        regions = regions[regions["level"] == level]
    return frozenset(regions["code"])


def parent_of() -> dict[str, str]:
    """Map region code -> parent region code (regions without a parent left out)."""
    regions = _regions()
    regions = regions[regions["parent_code"].notna() & (regions["parent_code"] != "")]
    return dict(zip(regions["code"], regions["parent_code"], strict=True))


@cache
def _regions() -> pd.DataFrame:
    from epianalysis.reference.regions import load_regions

    regions = load_regions()[["code", "level", "parent_code"]].copy()
    for col in ("code", "parent_code"):
        regions[col] = regions[col].map(lambda v: None if pd.isna(v) else str(v))
    return regions


# --- pandera schemas -----------------------------------------------------------------------------


def _code_check(spec: TableSpec) -> pa.Check:
    import pandera.pandas as pa

    level = spec.region_level
    codes = known_codes(level)
    name = "known_county_code" if level == "county" else "known_region_code"
    pattern = re.compile(CODE_PATTERN)

    def known(series: pd.Series) -> pd.Series:
        text = series.astype("str")
        malformed = ~text.str.match(pattern)  # reported by six_digit_code instead
        return series.isna() | malformed | text.isin(codes)

    return pa.Check(known, name=name)


def _column_checks(spec: TableSpec, col: ColumnSpec) -> list[pa.Check]:
    import pandera.pandas as pa

    checks: list[pa.Check] = []
    if col.low is not None:
        checks.append(pa.Check.in_range(col.low, col.high if col.high is not None else np.inf))
    if col.allowed is not None:
        checks.append(pa.Check.isin(list(col.allowed)))
    if col.kind == "code":
        checks.append(pa.Check(lambda s: s.astype("str").str.fullmatch(CODE_PATTERN[1:-1]), name="six_digit_code"))
        if not is_unplaced(spec.name):
            checks.append(_code_check(spec))
        else:
            checks.append(pa.Check(lambda s: s.isna(), name="unplaced_region_empty"))
    return checks


def pandera_schema(table: str, columns: list[str] | None = None, checks: bool = True) -> pa.DataFrameSchema:
    """The pandera schema of ``table`` (dtypes coerced; extra columns allowed and kept).

    Parameters
    ----------
    table : str
        A contract table name (or ``<table>_unplaced``).
    columns : list of str, optional
        Restrict the schema to these contract columns (those present in a file).
    checks : bool
        ``False`` gives a dtype-only schema (the coercion pass of :func:`check_frame`).
    """
    import pandera.pandas as pa

    spec = table_spec(table)
    cols = {}
    for col in spec.columns:
        if columns is not None and col.name not in columns:
            continue
        cols[col.name] = pa.Column(
            col.dtype,
            checks=_column_checks(spec, col) if checks else [],
            nullable=col.nullable if checks else True,
            required=col.required,
            coerce=True,
        )
    unique = None
    if checks and spec.unique_key and all(k in cols for k in spec.key):
        unique = list(spec.key)
    return pa.DataFrameSchema(
        cols, unique=unique, report_duplicates="exclude_first", coerce=True, strict=False, name=table
    )


# --- translation of pandera failures -------------------------------------------------------------

_RULE_RENAMES = {"not_nullable": "not_null", "column_in_dataframe": "column_present"}


def _rule_name(check: str) -> str:
    if check in _RULE_RENAMES:
        return _RULE_RENAMES[check]
    if check.startswith("coerce_dtype("):
        return check[len("coerce_") :]
    return check


def value_text(value: object) -> str:
    """A cell as text for a violation: missing -> \"\", a midnight timestamp -> ISO date."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return value.date().isoformat()
    return str(value)


def row_numbers(df: pd.DataFrame) -> pd.Series:
    """Where each frame row comes from: column ``__row`` if present (the file's line number of a row
    read from a CSV, :mod:`epianalysis.data.textcsv`), else index + 1."""
    if "__row" in df.columns:
        return df["__row"]
    return pd.Series(np.asarray(df.index) + 1, index=df.index)


def translate_failures(failures: pd.DataFrame, df: pd.DataFrame, spec: TableSpec, file: str) -> list[Violation]:
    """Turn pandera's ``failure_cases`` into :class:`Violation` rows (one per cell or key row)."""
    rows = row_numbers(df)
    out: list[Violation] = []
    seen: set[tuple] = set()
    dup_rows: set[int] = set()
    for rec in failures.to_dict("records"):
        check = str(rec["check"])
        index = rec["index"]
        if check == "multiple_fields_uniqueness":
            dup_rows.add(index)
            continue
        if check.startswith("dtype(") and (index, rec["column"]) in seen:
            continue  # the same cell already reported by its failed coercion
        rule = _rule_name(check)
        if rule == "column_present":
            out.append(Violation(file, None, str(rec["failure_case"]), rule, ""))
            continue
        row = None if index is None or pd.isna(index) else int(rows.loc[index])
        seen.add((index, rec["column"]))
        out.append(Violation(file, row, str(rec["column"]), rule, value_text(rec["failure_case"])))
    if dup_rows:
        rule = f"unique_key({', '.join(spec.key)})"
        for index in sorted(dup_rows):
            value = ", ".join(value_text(df.at[index, k]) for k in spec.key)
            out.append(Violation(file, int(rows.loc[index]), ", ".join(spec.key), rule, value))
    return out


def _validate(schema: pa.DataFrameSchema, df: pd.DataFrame) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    import pandera.pandas as pa

    try:
        return schema.validate(df, lazy=True), None
    except pa.errors.SchemaErrors as err:
        return None, err.failure_cases


def check_frame(df: pd.DataFrame, table: str, file: str) -> tuple[pd.DataFrame, list[Violation]]:
    """Validate a frame against its contract; return the typed frame and all violations.

    Parameters
    ----------
    df : pandas.DataFrame
        The rows as read (text or typed), index = 0-based data row of the file unless a ``__row``
        column gives the row's line in the file (:func:`row_numbers`).
    table : str
        Contract table name.
    file : str
        File name used in the violations.

    Returns
    -------
    (pandas.DataFrame, list of Violation)
        The frame with contract columns coerced to their dtypes (cells that failed coercion are
        missing there; they are reported as errors) and every row-level violation, in file order.
        Input is not modified.
    """
    spec = table_spec(table)
    violations: list[Violation] = []
    present = [c for c in spec.names if c in df.columns]
    for col in spec.columns:
        if col.required and col.name not in df.columns:
            violations.append(Violation(file, None, col.name, "column_present", ""))
    rows = row_numbers(df)
    # Text cells written the plain way of their kind (ISO dates, whole counts, 6-digit codes...).
    work, found = check_cells(df, spec, file, rows)
    violations += found
    # Pass 1: coercion.
    coerce = pandera_schema(table, present, checks=False)
    typed, failures = _validate(coerce, work)
    if failures is not None:
        failures = failures[failures["check"].astype(str).str.startswith("coerce_dtype(")]
        violations += translate_failures(failures, work, spec, file)
        for rec in failures.to_dict("records"):
            work.loc[rec["index"], rec["column"]] = None
        typed, failures = _validate(coerce, work)
        if failures is not None:  # pragma: no cover - coercion of missing cells cannot fail
            raise RuntimeError(f"coercion failed twice on {file}: {failures}")
    # Pass 2: the rules.
    _, failures = _validate(pandera_schema(table, present, checks=True), typed)
    if failures is not None:
        failures = failures[~failures["check"].astype(str).str.contains("dtype\\(")]
        violations += translate_failures(failures, typed, spec, file)
    # A cell already reported (bad date text, failed coercion) is not reported again as missing.
    reported = {(v.row, v.column) for v in violations if v.row is not None and v.rule != "not_null"}
    violations = [v for v in violations if not (v.rule == "not_null" and (v.row, v.column) in reported)]
    # nor is a row whose key cell was reported counted again as a duplicate key (its key is unknown)
    bad_key = {row for row, column in reported if column in spec.key}
    violations = [v for v in violations if not (v.rule.startswith("unique_key(") and v.row in bad_key)]
    violations.sort(key=lambda v: (v.row is not None, v.row or 0))
    return typed, violations
