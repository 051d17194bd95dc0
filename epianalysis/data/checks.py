"""Reading and checking one table file, and the cross-row rules of the contracts.

:func:`check_file` checks one file: a CSV is read as text and checked with
:func:`epianalysis.data.schema.check_frame`; a Parquet file of a large table (``health_code_log``,
``enterprise_daily``) is checked with DuckDB over the file (:func:`epianalysis.data.parquet.check_parquet`,
rules built from the same contracts).

Cross-row rules (:func:`cross_row_flags`) give *flags*, never errors: the rows are kept and marked.

- ``cumulative_decrease``: a cumulative count lower than the previous reported value of the same
  region (a revision by the source), value ``"previous -> current"``;
- ``discharged_exceeds_confirmed``: cumulative discharged above cumulative confirmed (杭州 on
  2020-03-02: 170 discharged vs 169 confirmed, 12 of them cases reassigned to other provinces);
- ``subregions_exceed_parent``: on a date, the sum of a column over the sub-regions present is above
  the value given for their parent region (reported on the parent's row), value ``"sum S > P"``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from epianalysis.data.contracts import TableSpec, table_spec
from epianalysis.data.coverage import coverage_flags
from epianalysis.data.layout import table_of
from epianalysis.data.parquet import check_parquet
from epianalysis.data.schema import check_frame, parent_of, row_numbers
from epianalysis.data.textcsv import read_csv_text
from epianalysis.errors import DataError, Violation

#: Cross-row rules, in the order they are reported. Each gives severity "flag".
FLAG_RULES = ("cumulative_decrease", "discharged_exceeds_confirmed", "subregions_exceed_parent")


def read_text_csv(path: Path) -> pd.DataFrame:
    """Read a CSV with every column as text (codes keep their digits; empty cells are missing).

    Raises :class:`~epianalysis.errors.DataError` naming the line of what cannot be read
    (:func:`epianalysis.data.textcsv.read_csv_text`)."""
    return read_csv_text(path).frame


def read_lines_csv(path: Path, name: str) -> pd.DataFrame:
    """:func:`read_text_csv` with a ``__row`` column: the file's line of each row (header = line 1)."""
    text = read_csv_text(path, name)
    return text.frame.assign(__row=text.lines)


def errors(violations: list[Violation]) -> list[Violation]:
    """Only the violations of severity ``"error"``."""
    return [v for v in violations if v.severity == "error"]


def check_file(path: Path, name: str) -> tuple[pd.DataFrame | None, list[Violation]]:
    """Validate one table file; ``name`` is the file name used in the violations.

    Returns the typed frame (``None`` for Parquet files of large tables, which are checked with
    DuckDB) and all violations, errors and flags. A file that is not a contract table gives a
    ``known_table`` flag; an unreadable file one ``readable`` error. ``path`` may be the partitioned
    folder of a large table (``health_code_log/``), checked as one table; its errors name the
    partition file and its row.
    """
    table = table_of(path)
    try:
        spec = table_spec(table or "")
    except KeyError:
        return None, [Violation(name, None, None, "known_table", path.name, "flag")]
    if spec.large and (path.suffix == ".parquet" or path.is_dir()):
        return None, check_parquet(path, table, name)
    try:
        raw = read_lines_csv(path, name) if path.suffix == ".csv" else pd.read_parquet(path)
    except DataError as exc:  # bytes that are not text, a wrong delimiter...: named with their line
        return None, exc.violations
    except Exception as exc:  # unreadable file: one file-level error
        return None, [Violation(name, None, None, "readable", f"{type(exc).__name__}: {exc}")]
    typed, violations = check_frame(raw, table, name)
    flags, _ = cross_row_flags(typed, table, name)
    return typed, violations + flags + coverage_flags(typed, table, name)


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
