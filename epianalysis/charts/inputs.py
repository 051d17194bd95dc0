"""What every chart checks before it draws: the columns it needs, rows to draw, and for a daily
series valid unique dates and finite (whole, for counts) numbers. Problems are collected into one
:class:`~epianalysis.errors.DataError` naming the table, the row (1-based position), the column and
the rule, so that a chart never draws a wrong picture silently.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from epianalysis.errors import DataError, Violation


def require_columns(frame: pd.DataFrame, columns: list[str] | tuple[str, ...], table: str, empty: str = "") -> None:
    """Raise a :class:`DataError` naming the ``columns`` absent from ``frame``; with ``empty`` (the
    message's end, e.g. ``"no rows to plot"``), also when ``frame`` has no row."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(
            f"{table}: required column(s) missing: {', '.join(missing)}",
            [Violation(table, None, c, "required_column") for c in missing],
        )
    if empty and frame.empty:
        raise DataError(f"{table}: {empty}", [Violation(table, None, None, "not_empty")])


def daily_series(df: pd.DataFrame, columns: list[str], table: str, integer: bool) -> pd.DataFrame:
    """Validate and index a one-row-per-date frame; return it on a complete daily calendar.

    Every problem is collected into one :class:`DataError` (row = 1-based position in ``df``).
    Days absent from ``df`` between its first and last date come back as missing (``NaN``).
    """
    require_columns(df, ["date", *columns], table, empty="no rows to plot")
    violations: list[Violation] = []
    dates = pd.to_datetime(df["date"], errors="coerce")
    for pos in np.flatnonzero(dates.isna().to_numpy()):
        violations.append(Violation(table, int(pos) + 1, "date", "valid_date", str(df["date"].iloc[pos])))
    for pos in np.flatnonzero(dates.duplicated(keep="first").to_numpy() & dates.notna().to_numpy()):
        violations.append(Violation(table, int(pos) + 1, "date", "unique_date", str(df["date"].iloc[pos])))
    out = pd.DataFrame(index=pd.DatetimeIndex(dates.dt.normalize(), name="date"))
    for col in columns:
        raw = df[col]
        values = pd.to_numeric(raw, errors="coerce").astype("float64")
        bad = values.isna().to_numpy() & raw.notna().to_numpy()
        for pos in np.flatnonzero(bad):
            violations.append(Violation(table, int(pos) + 1, col, "numeric", str(raw.iloc[pos])))
        arr = values.to_numpy()
        finite = np.isfinite(arr) | np.isnan(arr)
        for pos in np.flatnonzero(~finite):
            violations.append(Violation(table, int(pos) + 1, col, "finite", str(raw.iloc[pos])))
        if integer:
            frac = np.isfinite(arr) & (arr != np.round(arr))
            for pos in np.flatnonzero(frac):
                violations.append(Violation(table, int(pos) + 1, col, "integer_count", str(raw.iloc[pos])))
        out[col] = arr
    if violations:
        raise DataError(f"{table}: {len(violations)} problem(s) in the input", violations)
    out = out.sort_index()
    calendar = pd.date_range(out.index.min(), out.index.max(), freq="D", name="date")
    return out.reindex(calendar)
