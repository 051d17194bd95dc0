"""Validation of table files and data directories, and the cross-row rules of the contracts.

:func:`validate_directory` checks every table file of a data directory (and of each vintage under
``vintages/YYYY-MM-DD/``) without changing anything and returns every violation, errors and flags.
CSV files are read as text and checked with :func:`epianalysis.data.schema.check_frame`; Parquet files
of large tables (``health_code_log``, ``enterprise_daily``) are checked with DuckDB SQL over the
file, never loaded whole into pandas (:func:`check_parquet`, rules built from the same contracts).

Cross-row rules (:func:`cross_row_flags`) give *flags*, never errors: the rows are kept and marked.

- ``cumulative_decrease``: a cumulative count lower than the previous reported value of the same
  region (a revision by the source), value ``"previous -> current"``;
- ``discharged_exceeds_confirmed``: cumulative discharged above cumulative confirmed (杭州 on
  2020-03-02: 170 discharged vs 169 confirmed, 12 of them cases reassigned to other provinces);
- ``subregions_exceed_parent``: on a date, the sum of a column over the sub-regions present is above
  the value given for their parent region (reported on the parent's row), value ``"sum S > P"``.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pandas as pd

from epianalysis.data.contracts import CONTRACTS, TableSpec, table_spec
from epianalysis.data.schema import check_frame, parent_of, row_numbers, value_text
from epianalysis.errors import Violation
from epianalysis.fileio import duckdb_connection

TABLE_SUFFIXES = (".csv", ".parquet")
VINTAGES_DIR = "vintages"
SOURCE_FILE = "source.toml"
SOURCE_KEYS = ("source", "description", "date_convention", "date_shift_days", "synthetic", "citation")

#: Cross-row rules, in the order they are reported. Each gives severity "flag".
FLAG_RULES = ("cumulative_decrease", "discharged_exceeds_confirmed", "subregions_exceed_parent")


def read_text_csv(path: Path) -> pd.DataFrame:
    """Read a CSV with every column as text (codes keep their digits; empty cells are missing)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")


def _origin(df: pd.DataFrame, file: str) -> tuple[pd.Series, pd.Series]:
    files = df["__file"] if "__file" in df.columns else pd.Series(file, index=df.index)
    return files, row_numbers(df)


def cross_row_flags(df: pd.DataFrame, table: str, file: str) -> tuple[list[Violation], dict[str, pd.Series]]:
    """Apply the cross-row rules of ``table`` to a typed frame.

    Parameters
    ----------
    df : pandas.DataFrame
        Typed rows (as returned by :func:`epianalysis.data.schema.check_frame`); optional columns
        ``__file`` and ``__row`` give each row's origin (else ``file`` and index + 1).
    table : str
        Contract table name.
    file : str
        File name for the violations when ``__file`` is absent.

    Returns
    -------
    (list of Violation, dict)
        The flags (severity ``"flag"``) and, per rule that fired, a boolean Series over ``df``'s
        index marking the flagged rows.
    """
    spec = table_spec(table)
    files, rows = _origin(df, file)
    flags: list[Violation] = []
    masks: dict[str, pd.Series] = {}

    def flag(rule: str, index, column: str, value: str) -> None:
        flags.append(Violation(str(files.loc[index]), int(rows.loc[index]), column, rule, value, "flag"))
        masks.setdefault(rule, pd.Series(False, index=df.index))
        masks[rule].loc[index] = True

    if "region_code" in df.columns and "date" in df.columns and df["region_code"].notna().any():
        ordered = df[df["region_code"].notna() & df["date"].notna()].sort_values(["region_code", "date"], kind="stable")
        for col in spec.cumulative:
            if col not in df.columns:
                continue
            previous = ordered.groupby("region_code", sort=False)[col].transform(lambda s: s.ffill().shift(1))
            fell = (ordered[col] < previous).fillna(False)
            for index in ordered.index[fell.to_numpy(dtype=bool)]:
                flag("cumulative_decrease", index, col, f"{previous.loc[index]} -> {ordered.at[index, col]}")
        if {"discharged", "confirmed"} <= set(df.columns):
            above = (df["discharged"] > df["confirmed"]).fillna(False).to_numpy(dtype=bool)
            for index in df.index[above]:
                flag(
                    "discharged_exceeds_confirmed",
                    index,
                    "discharged",
                    f"{df.at[index, 'discharged']} > {df.at[index, 'confirmed']}",
                )
        _subregion_flags(df, spec, flag)
    flags.sort(key=lambda v: (FLAG_RULES.index(v.rule), v.file, v.row or 0))
    return flags, masks


def _subregion_flags(df: pd.DataFrame, spec: TableSpec, flag) -> None:
    counts = [c.name for c in spec.columns if c.kind == "count" and c.name in df.columns]
    if not counts:
        return
    parents = df["region_code"].map(parent_of())
    children = df[parents.notna()].assign(__parent=parents)
    if children.empty:
        return
    sums = children.groupby(["date", "__parent"])[counts].sum(min_count=1)
    sums.index = sums.index.set_names(["date", "region_code"])
    placed = df.loc[df["region_code"].notna(), ["date", "region_code", *counts]].reset_index()
    joined = placed.merge(sums.add_suffix("__sum"), left_on=["date", "region_code"], right_index=True)
    for col in counts:
        total, value = joined[f"{col}__sum"], joined[col]
        exceeds = (total > value).fillna(False).to_numpy(dtype=bool)
        for row in joined[exceeds].itertuples(index=False):
            flag("subregions_exceed_parent", row.index, col, f"sum {getattr(row, col + '__sum')} > {getattr(row, col)}")


# --- files and directories ------------------------------------------------------------------------


def table_of(path: Path) -> str | None:
    """The table name of a file (``cases.csv`` -> ``cases``) or ``None`` if it is not a table file."""
    if path.suffix not in TABLE_SUFFIXES:
        return None
    return path.name[: -len(path.suffix)]


def check_file(path: Path, name: str) -> tuple[pd.DataFrame | None, list[Violation]]:
    """Validate one table file; ``name`` is the file name used in the violations.

    Returns the typed frame (``None`` for Parquet files of large tables, which are checked with
    DuckDB) and all violations, errors and flags.
    """
    table = table_of(path)
    try:
        spec = table_spec(table or "")
    except KeyError:
        return None, [Violation(name, None, None, "known_table", path.name, "flag")]
    if path.suffix == ".parquet" and spec.large:
        return None, check_parquet(path, table, name)
    try:
        raw = read_text_csv(path) if path.suffix == ".csv" else pd.read_parquet(path)
    except Exception as exc:  # unreadable file: one file-level error
        return None, [Violation(name, None, None, "readable", f"{type(exc).__name__}: {exc}")]
    typed, violations = check_frame(raw, table, name)
    flags, _ = cross_row_flags(typed, table, name)
    return typed, violations + flags


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


def table_files(folder: Path) -> list[Path]:
    """Table files directly in ``folder`` (sorted by name)."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in TABLE_SUFFIXES)


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
    return out


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


# --- large Parquet files, with DuckDB ---------------------------------------------------------------

#: At most this many rows are listed per rule and file; the rest is counted in one summary violation.
PARQUET_ROW_LIMIT = 100

_INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")
_DUCKDB_TYPES = {  # kind -> (accepted column types, SQL type to cast text to)
    "int": (_INTEGER_TYPES, "BIGINT"),
    "count": (_INTEGER_TYPES, "BIGINT"),
    "float": (_INTEGER_TYPES + ("FLOAT", "DOUBLE", "DECIMAL"), "DOUBLE"),
    "date": (("DATE", "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S", "TIMESTAMP WITH TIME ZONE"), "DATE"),
    "code": ((), "VARCHAR"),
    "string": ((), "VARCHAR"),
}


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def check_parquet(path: Path, table: str, name: str, limit: int = PARQUET_ROW_LIMIT) -> list[Violation]:
    """Check a Parquet table file with DuckDB SQL over the file (it is never loaded into pandas).

    Same rules and rule names as :func:`epianalysis.data.schema.check_frame`: ``column_present``,
    ``dtype(...)``, ``not_null``, ``in_range(low, high)``, ``isin([...])``, ``six_digit_code``,
    ``known_region_code``/``known_county_code`` and ``unique_key(...)``. Rows are 1-based row
    numbers in the file. File-level violations come first, then rule by rule: at most ``limit``
    rows are listed per rule, in file order; if more rows break it, one more violation (row
    ``None``) after them gives the total.
    """
    import duckdb

    from epianalysis.data.contracts import CODE_PATTERN
    from epianalysis.data.schema import known_codes

    spec = table_spec(table)
    con = duckdb_connection()
    try:
        src = f"read_parquet({_sql_text(str(path))}, file_row_number = true)"
        try:
            described = con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()
        except duckdb.Error as exc:
            return [Violation(name, None, None, "readable", f"{type(exc).__name__}: {exc}")]
        types = {row[0]: str(row[1]).upper() for row in described}
        out: list[Violation] = []
        value_sql: dict[str, str] = {}
        rules: list[tuple[str, str, str]] = []  # (column, rule, predicate)
        for col in spec.columns:
            if col.name not in types:
                if col.required:
                    out.append(Violation(name, None, col.name, "column_present", ""))
                continue
            accepted, cast = _DUCKDB_TYPES[col.kind]
            ref = _quote(col.name)
            base_type = types[col.name].split("(")[0]
            if base_type == "VARCHAR" and cast != "VARCHAR":
                value_sql[col.name] = f"TRY_CAST({ref} AS {cast})"
                bad_cast = f"{ref} IS NOT NULL AND TRY_CAST({ref} AS {cast}) IS NULL"
                rules.append((col.name, f"dtype('{col.dtype}')", bad_cast))
            elif (cast == "VARCHAR") != (base_type == "VARCHAR") or (cast != "VARCHAR" and base_type not in accepted):
                out.append(Violation(name, None, col.name, f"dtype('{col.dtype}')", types[col.name]))
                continue
            else:
                value_sql[col.name] = ref
            val = value_sql[col.name]
            if not col.nullable:
                rules.append((col.name, "not_null", f"{ref} IS NULL"))
            if col.low is not None:
                high = col.high if col.high is not None else float("inf")
                cond = f"{val} < {col.low}" + ("" if high == float("inf") else f" OR {val} > {high}")
                rules.append((col.name, f"in_range({col.low:g}, {high:g})", cond))
            if col.allowed is not None:
                listed = ", ".join(_sql_text(a) for a in col.allowed)
                rules.append((col.name, f"isin({list(col.allowed)!r})", f"{ref} NOT IN ({listed})"))
            if col.kind == "code":
                well_formed = f"regexp_full_match({ref}, {_sql_text(CODE_PATTERN[1:-1])})"
                rules.append((col.name, "six_digit_code", f"NOT {well_formed}"))
                codes = ", ".join(_sql_text(c) for c in sorted(known_codes(spec.region_level)))
                rule = "known_county_code" if spec.region_level == "county" else "known_region_code"
                rules.append((col.name, rule, f"{well_formed} AND {ref} NOT IN ({codes})"))
        for column, rule, predicate in rules:
            out += _rows_where(con, src, name, column, rule, f"({predicate})", _quote(column), limit)
        if all(k in types for k in spec.key):
            keys = ", ".join(_quote(k) for k in spec.key)
            shown = " || ', ' || ".join(f"CAST({_quote(k)} AS VARCHAR)" for k in spec.key)
            dup_src = f"(SELECT *, COUNT(*) OVER (PARTITION BY {keys}) AS __n FROM {src})"
            rule = f"unique_key({', '.join(spec.key)})"
            out += _rows_where(con, dup_src, name, ", ".join(spec.key), rule, "__n > 1", shown, limit)
    finally:
        con.close()
    return out


def _rows_where(
    con, src: str, name: str, column: str, rule: str, predicate: str, shown: str, limit: int
) -> list[Violation]:
    total = con.execute(f"SELECT COUNT(*) FROM {src} WHERE {predicate}").fetchone()[0]
    if total == 0:
        return []
    found = con.execute(
        f"SELECT file_row_number + 1, CAST({shown} AS VARCHAR) FROM {src} WHERE {predicate} "
        f"ORDER BY file_row_number LIMIT {int(limit)}"
    ).fetchall()
    out = [Violation(name, int(row), column, rule, "" if value is None else value) for row, value in found]
    if total > limit:
        out.append(Violation(name, None, column, rule, f"{total} rows in total, first {limit} listed"))
    return out


def errors(violations: list[Violation]) -> list[Violation]:
    """Only the violations of severity ``"error"``."""
    return [v for v in violations if v.severity == "error"]


__all__ = [
    "CONTRACTS",
    "FLAG_RULES",
    "check_file",
    "check_parquet",
    "cross_row_flags",
    "errors",
    "read_text_csv",
    "table_of",
    "validate_directory",
    "value_text",
]
