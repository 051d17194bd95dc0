"""Contract checks of large Parquet table files with DuckDB, over the file (never loaded into pandas).

:func:`check_parquet` applies the rules of :func:`epianalysis.data.schema.check_frame`, built from the
same contracts, to a Parquet file of any size: ``column_present``, ``dtype(...)``, ``not_null``,
``in_range(low, high)``, ``isin([...])``, ``six_digit_code``, ``known_region_code`` /
``known_county_code`` and ``unique_key(...)``.

Work is kept to what a file needs. Null counts, minima and maxima come from one aggregate query
(DuckDB answers it from the Parquet statistics); the values of code and allowed-value columns are
checked once per distinct value; repeated keys of an integer or date key are counted with one bitmap
aggregate and only the first ones listed are looked for. Rows are listed (one query per broken rule)
only for rules that a file breaks.

No path and no value is formatted into SQL text: the file is opened as a DuckDB relation under a
fixed view name, and bounds, allowed values and codes are query parameters. Only column names,
which come from the contracts, are written into the SQL, as quoted identifiers.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from epianalysis.data.contracts import CODE_PATTERN, ColumnSpec, TableSpec, table_spec
from epianalysis.data.schema import known_codes
from epianalysis.errors import Violation
from epianalysis.fileio import duckdb_connection

#: At most this many rows are listed per rule and file; the rest is counted in one summary violation.
PARQUET_ROW_LIMIT = 100

#: Uniqueness of an integer/date key is proven with a bitmap of at most this many bits (32 MiB).
BITMAP_LIMIT = 1 << 28

_VIEW = "table_file"
_REPEATED = "repeated_keys"
_ROW = "file_row_number"
_INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")
_DUCKDB_TYPES = {  # kind -> (accepted column types, SQL type to cast text to)
    "int": (_INTEGER_TYPES, "BIGINT"),
    "count": (_INTEGER_TYPES, "BIGINT"),
    "float": (_INTEGER_TYPES + ("FLOAT", "DOUBLE", "DECIMAL"), "DOUBLE"),
    "date": (("DATE", "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S", "TIMESTAMP WITH TIME ZONE"), "DATE"),
    "code": ((), "VARCHAR"),
    "string": ((), "VARCHAR"),
}
_NO_VALUES = '"NULL"'  # DuckDB's type of a Parquet column without any value (all missing)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class _Rule:
    """One rule over a file: the rows where ``where`` holds (with ``params``) break it."""

    column: str
    rule: str
    where: str
    params: list = field(default_factory=list)
    shown: str = ""  # SQL expression of the value reported
    total: int | None = None  # rows that break it, when known without scanning for it
    source: str = _VIEW


@dataclass(frozen=True)
class _Column:
    spec: ColumnSpec
    ref: str  # quoted column name
    value: str  # SQL expression of the typed value (a cast of text columns)
    native: bool  # stored with a type of its kind (not text to cast, not all missing)
    base_type: str


def check_parquet(path: Path, table: str, name: str, limit: int = PARQUET_ROW_LIMIT) -> list[Violation]:
    """Check a Parquet table file against the contract of ``table`` with DuckDB.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    table : str
        Contract table name.
    name : str
        The file's name in the violations (e.g. relative to the data directory).
    limit : int
        At most this many rows are listed per rule.

    Returns
    -------
    list of Violation
        File-level violations first (``readable``, ``column_present``, ``dtype(...)`` of a column stored
        with the wrong type), then rule by rule in the contract's column order and the key last: at most
        ``limit`` rows per rule, in file order (1-based row numbers in the file); if more rows break
        it, one more violation (row ``None``) gives the total. A column without any value (Parquet
        type null) counts as all missing.
    """
    import duckdb

    spec = table_spec(table)
    path = Path(path)
    con = duckdb_connection()
    try:
        try:
            if path.is_dir():  # date=YYYY-MM-DD/ partitions: the partition value is the date column
                files = sorted(str(p) for p in path.rglob("*.parquet") if p.is_file())
                if not files:
                    return [Violation(name, None, None, "readable", "no *.parquet file in the folder")]
                relation = con.read_parquet(files, hive_partitioning=True, file_row_number=True, filename=True)
            else:
                relation = con.read_parquet(str(path), file_row_number=True)
            types = {c: str(t).upper() for c, t in zip(relation.columns, relation.types, strict=True)}
            types.pop("filename", None)
        except (duckdb.Error, OSError) as exc:
            return [Violation(name, None, None, "readable", f"{type(exc).__name__}: {exc}")]
        con.register(_VIEW, relation)
        columns, out = _columns(spec, types, name)
        rules = _rules(con, spec, columns)
        rules += _key_rules(con, spec, columns, types, path.is_dir(), limit)
        _count(con, rules)
        for rule in rules:
            out += _listed(con, rule, name, limit, path if path.is_dir() else None)
    finally:
        con.close()
    return out


def _columns(spec: TableSpec, types: dict[str, str], name: str) -> tuple[list[_Column], list[Violation]]:
    """The contract columns present with a usable type, and the file-level violations."""
    present: list[_Column] = []
    out: list[Violation] = []
    for col in spec.columns:
        if col.name not in types:
            if col.required:
                out.append(Violation(name, None, col.name, "column_present", ""))
            continue
        accepted, cast = _DUCKDB_TYPES[col.kind]
        ref = _quote(col.name)
        base = types[col.name].split("(")[0]
        if types[col.name] == _NO_VALUES:
            present.append(_Column(col, ref, ref, False, base))
        elif base == "VARCHAR" and cast != "VARCHAR":
            present.append(_Column(col, ref, f"TRY_CAST({ref} AS {cast})", False, base))
        elif (cast == "VARCHAR") != (base == "VARCHAR") or (cast != "VARCHAR" and base not in accepted):
            out.append(Violation(name, None, col.name, f"dtype('{col.dtype}')", types[col.name]))
        else:
            present.append(_Column(col, ref, ref, True, base))
    return present, out


def _rules(con, spec: TableSpec, columns: list[_Column]) -> list[_Rule]:
    """The column rules, with their totals where the summary query or the distinct values give them."""
    summary_sql: list[str] = ["COUNT(*)"]
    params: list = []
    for c in columns:
        summary_sql.append(f"COUNT(*) - COUNT({c.ref})")
        low, high = _bounds(c.spec)
        summary_sql.append("false" if low is None else f"coalesce(min({c.value}) < ?, false)")
        summary_sql.append("false" if high is None else f"coalesce(max({c.value}) > ?, false)")
        params += [v for v in (low, high) if v is not None]
    summary = con.execute(f"SELECT {', '.join(summary_sql)} FROM {_VIEW}", params).fetchone()
    rules: list[_Rule] = []
    for i, c in enumerate(columns):
        nulls, below, above = summary[1 + 3 * i : 4 + 3 * i]
        col = c.spec
        if c.value != c.ref:  # text holding numbers or dates
            rules.append(
                _Rule(col.name, f"dtype('{col.dtype}')", f"{c.ref} IS NOT NULL AND {c.value} IS NULL", [], c.ref)
            )
        if not col.nullable:
            rules.append(_Rule(col.name, "not_null", f"{c.ref} IS NULL", [], c.ref, total=int(nulls)))
        if col.low is not None:
            low, high = _bounds(col)
            name = f"in_range({col.low:g}, {col.high if col.high is not None else math.inf:g})"
            where = f"{c.value} < ?" + ("" if high is None else f" OR {c.value} > ?")
            args = [low] + ([] if high is None else [high])
            rules.append(_Rule(col.name, name, where, args, c.ref, total=None if (below or above) else 0))
        rules += _value_rules(con, spec, c)
    return rules


def _bounds(col: ColumnSpec) -> tuple[float | None, float | None]:
    """The bounds a value is compared with (``None``: no comparison; an infinite high is none)."""
    if col.low is None:
        return None, None
    high = None if col.high is None or math.isinf(col.high) else float(col.high)
    return float(col.low), high


def _value_rules(con, spec: TableSpec, c: _Column) -> list[_Rule]:
    """Allowed values and region codes, decided once per distinct value of the column."""
    col = c.spec
    if col.allowed is None and col.kind != "code":
        return []
    counts: dict[str, int] = {}
    if c.native:
        query = f"SELECT CAST({c.ref} AS VARCHAR), COUNT(*) FROM {_VIEW} WHERE {c.ref} IS NOT NULL GROUP BY ALL"
        counts = dict(con.execute(query).fetchall())
    rules: list[_Rule] = []

    def rule(name: str, bad: list[str]) -> None:
        where = f"list_contains(?, CAST({c.ref} AS VARCHAR))"
        rules.append(_Rule(col.name, name, where, [bad], c.ref, total=sum(counts[v] for v in bad)))

    if col.allowed is not None:
        rule(f"isin({list(col.allowed)!r})", sorted(v for v in counts if v not in col.allowed))
    if col.kind == "code":
        pattern = re.compile(CODE_PATTERN)
        rule("six_digit_code", sorted(v for v in counts if not pattern.match(v)))
        known = known_codes(spec.region_level)
        unknown = sorted(v for v in counts if pattern.match(v) and v not in known)
        rule("known_county_code" if spec.region_level == "county" else "known_region_code", unknown)
    return rules


def _key_rules(con, spec: TableSpec, columns: list[_Column], types: dict[str, str], folder: bool, limit: int):
    """``unique_key(...)``: every row that repeats the key of an earlier row of the file (in file order).

    The count is the rows less the distinct keys (a bitmap for integer and date keys, otherwise a hash
    aggregate); the first ``limit`` repeating rows are found in the shortest prefix of the file that
    holds them, so a file with many repeats is not grouped as a whole to list a hundred of them.
    """
    if not all(k in types for k in spec.key):
        return []
    shown = " || ', ' || ".join(f"CAST({_quote(k)} AS VARCHAR)" for k in spec.key)
    rule = _Rule(", ".join(spec.key), f"unique_key({', '.join(spec.key)})", "true", [], shown, source=_REPEATED)
    rows, distinct = _key_counts(con, spec, columns)
    rule.total = rows - distinct
    if rule.total:
        _first_repeats(con, spec, rows, rule.total, limit, folder)
    return [rule]


def _key_counts(con, spec: TableSpec, columns: list[_Column]) -> tuple[int, int]:
    """The rows of the file and its distinct key values (missing values count as one value)."""
    counted = _bitmap_counts(con, spec, columns)
    if counted is not None:
        return counted
    keys = ", ".join(_quote(k) for k in spec.key)
    return con.execute(
        f"SELECT (SELECT COUNT(*) FROM {_VIEW}), (SELECT COUNT(*) FROM (SELECT DISTINCT {keys} FROM {_VIEW}))"
    ).fetchone()


def _bitmap_counts(con, spec: TableSpec, columns: list[_Column]) -> tuple[int, int] | None:
    """Rows and distinct keys counted with a bitmap: one bit per possible key value, set by each row.

    Only for keys of integer and date columns without missing values whose value ranges span at most
    :data:`BITMAP_LIMIT` combinations; otherwise ``None`` (a hash aggregate counts them).
    """
    by_name = {c.spec.name: c for c in columns}
    key = [by_name.get(k) for k in spec.key]
    if any(c is None or not c.native or (c.base_type not in _INTEGER_TYPES and c.base_type != "DATE") for c in key):
        return None
    ranges = ", ".join(f"COUNT(*) - COUNT({c.ref}), min({c.ref}), max({c.ref})" for c in key)
    found = con.execute(f"SELECT COUNT(*), {ranges} FROM {_VIEW}").fetchone()
    rows, stats = found[0], [found[1 + 3 * i : 4 + 3 * i] for i in range(len(key))]
    if rows == 0:
        return 0, 0
    if any(nulls for nulls, _, _ in stats):
        return None
    terms, params, stride = [], [], 1
    for c, (_, low, high) in zip(key, stats, strict=True):
        width = (high - low).days + 1 if isinstance(low, date) else int(high) - int(low) + 1
        if c.base_type == "DATE":
            terms.append(f"CAST({c.ref} - CAST(? AS DATE) AS BIGINT) * ?")
        else:
            terms.append(f"CAST({c.ref} - ? AS BIGINT) * ?")
        params += [low, stride]
        stride *= width
        if stride > BITMAP_LIMIT:
            return None
    query = f"SELECT bit_count(bitstring_agg({' + '.join(terms)}, 0, ?)) FROM {_VIEW}"
    return rows, con.execute(query, [*params, stride - 1]).fetchone()[0]


def _first_repeats(con, spec: TableSpec, rows: int, repeats: int, limit: int, folder: bool) -> None:
    """Keep in a temporary table the first ``limit`` (or more) rows repeating an earlier row's key.

    A row repeats a key in the whole file exactly when it does within the part of the file up to it, so
    the rows are searched in a prefix (rows of a file, or whole files of a folder in name order) that
    grows eightfold until it holds ``limit`` of them or is the whole file."""
    keys = ", ".join(_quote(k) for k in spec.key)
    order = f"filename, {_ROW}" if folder else _ROW
    files = (
        [r[0] for r in con.execute(f"SELECT DISTINCT filename FROM {_VIEW} ORDER BY 1").fetchall()] if folder else []
    )
    size = len(files) if folder else rows
    # where repeats are spread evenly, this prefix holds about twice the rows listed
    part = min(size, max(1 if folder else 1 << 16, math.ceil(size * 2 * limit / repeats)))
    while True:
        prefix, params = ("list_contains(?, filename)", [files[:part]]) if folder else (f"{_ROW} < ?", [part])
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {_REPEATED} AS SELECT * FROM ("
            f"SELECT {keys}, {order}, row_number() OVER (PARTITION BY {keys} ORDER BY {order}) AS nth "
            f"FROM {_VIEW} WHERE {prefix}) WHERE nth > 1",
            params,
        )
        if part >= size or con.execute(f"SELECT COUNT(*) FROM {_REPEATED}").fetchone()[0] >= limit:
            return
        part = min(size, part * 8)


def _count(con, rules: list[_Rule]) -> None:
    """Count, in one scan of the file, the rows breaking each rule whose total is not known yet."""
    plain = [r for r in rules if r.total is None and r.source == _VIEW]
    if plain:
        sql = ", ".join(f"COUNT(*) FILTER (WHERE {r.where})" for r in plain)
        params = [p for r in plain for p in r.params]
        for rule, total in zip(plain, con.execute(f"SELECT {sql} FROM {_VIEW}", params).fetchone(), strict=True):
            rule.total = int(total)
    for rule in rules:
        if rule.total is None:
            rule.total = int(
                con.execute(f"SELECT COUNT(*) FROM {rule.source} WHERE {rule.where}", rule.params).fetchone()[0]
            )


def _listed(con, rule: _Rule, name: str, limit: int, folder: Path | None = None) -> list[Violation]:
    """The first ``limit`` rows breaking ``rule`` in file order, and a summary row if there are more.

    In a partitioned ``folder`` a row is named by its file (``name/date=.../part-0.parquet``) and its
    row in that file."""
    if not rule.total:
        return []
    origin, order = ("filename", f"filename, {_ROW}") if folder is not None else ("NULL", _ROW)
    query = (
        f"SELECT {_ROW} + 1, CAST({rule.shown} AS VARCHAR), {origin} FROM {rule.source} WHERE {rule.where} "
        f"ORDER BY {order} LIMIT ?"
    )
    found = con.execute(query, [*rule.params, int(limit)]).fetchall()
    out = []
    for row, value, file in found:
        where = name if folder is None else f"{name}/{Path(file).relative_to(folder).as_posix()}"
        out.append(Violation(where, int(row), rule.column, rule.rule, "" if value is None else value))
    if rule.total > limit:
        out.append(Violation(name, None, rule.column, rule.rule, f"{rule.total} rows in total, first {limit} listed"))
    return out
