"""Strict reading of the text cells of a contract column, one rule per kind.

A CSV is read as text (:mod:`epianalysis.data.textcsv`); before the contract's types are applied,
every text cell of a contract column must be written the plain way of its kind, so that nothing is
read as a number it does not say (``0x10`` is not 16, ``1_000`` not 1000, ``+12`` and full-width
``１２`` are not counts):

=========  ==================  ======================================================  ==============
kind       rule                accepted                                                normalised to
=========  ==================  ======================================================  ==============
count/int  ``whole_number``    ASCII digits, an optional ``-`` (reported as out of      ``12``
                               range), an optional ``.0`` (``12.0``, what a
                               spreadsheet or pandas writes for a column with gaps)
float      ``number``          ``12``, ``-1.5``, ``.5``, ``1.2e3``                      as written
date       ``iso_date``,       ``YYYY-MM-DD`` and a day of the calendar                 as written
           ``calendar_date``
code       ``six_digit_code``  six ASCII digits, optionally followed by ``.0``          ``330100``
           (``330100.0``)
=========  ==================  ======================================================  ==============

Each bad cell is one violation (file, line, column, value, rule) and is set to missing for the
checks that follow, so that it is reported once.
"""

from __future__ import annotations

import pandas as pd

from epianalysis.data.contracts import TableSpec
from epianalysis.errors import Violation

WHOLE = r"-?[0-9]{1,18}(?:\.0+)?"
NUMBER = r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
CODE = r"[0-9]{6}(?:\.0+)?"

_RULES = {"count": ("whole_number", WHOLE), "int": ("whole_number", WHOLE), "float": ("number", NUMBER)}
_RULES |= {"date": ("iso_date", ISO_DATE), "code": ("six_digit_code", CODE)}


def is_text(series: pd.Series) -> bool:
    """Whether a column holds text as read from a file (not values typed by code)."""
    if isinstance(series.dtype, pd.StringDtype):
        return True
    if series.dtype != object:
        return False
    values = series.dropna()
    return bool(len(values)) and all(isinstance(v, str) for v in values)


def check_column(
    text: pd.Series, kind: str, column: str, file: str, rows: pd.Series
) -> tuple[pd.Series, list[Violation]]:
    """Check and normalise one column of text cells by the rule of its ``kind`` (module docstring).

    The one cell rule of the package: the contract check (:func:`check_cells`) and the source adapters
    that read cells outside a contract layout (the date columns of JHU's wide files, every update of
    the DXY archive) call it.

    Parameters
    ----------
    text : pandas.Series
        The cells as read (text; missing where the cell is empty).
    kind : str
        The contract kind: ``"count"``, ``"int"``, ``"float"``, ``"date"`` or ``"code"``.
    column : str
        Column name for the violations.
    file : str
        File name for the violations.
    rows : pandas.Series
        The line (or row) of each cell, same index as ``text``.

    Returns
    -------
    (pandas.Series, list of Violation)
        The cells with bad ones missing and codes and counts normalised (``12.0`` -> ``12``), and one
        violation per bad cell (an empty cell is missing, not a violation).
    """
    rule, pattern = _RULES[kind]
    text = text.astype("str")
    found: list[Violation] = []
    present = text.notna()
    ok = text.str.fullmatch(pattern).fillna(False).astype(bool)
    bad = present & ~ok
    if kind == "date":
        parsed = pd.to_datetime(text.where(ok), format="%Y-%m-%d", errors="coerce")
        wrong_day = present & ok & parsed.isna()
        for index in text.index[wrong_day.to_numpy()]:
            found.append(Violation(file, int(rows.loc[index]), column, "calendar_date", str(text.loc[index])))
        bad_all = bad | wrong_day
    else:
        bad_all = bad
    for index in text.index[bad.to_numpy()]:
        found.append(Violation(file, int(rows.loc[index]), column, rule, str(text.loc[index])))
    cleaned = text.mask(bad_all)
    if kind in ("count", "int", "code"):
        cleaned = cleaned.str.replace(r"\.0+$", "", regex=True)
    return cleaned, found


def check_cells(df: pd.DataFrame, spec: TableSpec, file: str, rows: pd.Series) -> tuple[pd.DataFrame, list[Violation]]:
    """Check and normalise the text cells of ``spec``'s columns in ``df`` (see the module docstring).

    Parameters
    ----------
    df : pandas.DataFrame
        The rows as read; columns that are not text are left alone.
    spec : TableSpec
        The contract.
    file : str
        File name for the violations.
    rows : pandas.Series
        The line (or row) of each frame row, for the violations.

    Returns
    -------
    (pandas.DataFrame, list of Violation)
        A copy with bad cells missing and codes and counts normalised, and one violation per bad cell.
    """
    out = df.copy()
    found: list[Violation] = []
    for col in spec.columns:
        if col.name not in out.columns or col.kind not in _RULES or not is_text(out[col.name]):
            continue
        out[col.name], more = check_column(out[col.name], col.kind, col.name, file, rows)
        found += more
    return out, found
