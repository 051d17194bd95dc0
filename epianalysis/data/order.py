"""Whether a frame's rows are already in the order of its key, so that sorting them can be skipped.

Tables are written sorted by their key (:meth:`epianalysis.data.store.DataStore.write`), so a table
read back is usually in key order already; checking that costs one comparison of each row with the
next, sorting a million rows by a date and a text id several times that (docs/data.md#loading-once).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_ORDERED_KINDS = "biuMm"
"""NumPy kinds compared here exactly as pandas sorts them: booleans, integers, dates and durations
(floats are left to the sort: ``-0.0`` and ``0.0`` compare equal, and NaN compares with nothing)."""


def _steps(values: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """``(less, equal)`` of each row's value against the next row's, or ``None`` when the column's
    values are not compared here as pandas sorts them (missing values, floats, objects, categories)."""
    if values.isna().any():
        return None
    dtype = values.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in _ORDERED_KINDS:
        array = values.to_numpy()
        return array[:-1] < array[1:], array[:-1] == array[1:]
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        array = pa.array(values.array)  # the text in Arrow, compared by code point as pandas sorts it
        head, tail = array.slice(0, len(array) - 1), array.slice(1)
        return (
            pc.less(head, tail).to_numpy(zero_copy_only=False),
            pc.equal(head, tail).to_numpy(zero_copy_only=False),
        )
    return None


def in_key_order(df: pd.DataFrame, key: list[str]) -> bool:
    """Whether ``df.sort_values(key, kind="stable")`` would leave every row where it is: each row's key
    is not before the previous row's, compared column by column (the first column that differs
    decides). ``False`` also when a key column is not one compared here (:func:`_steps`): the caller
    then sorts.
    """
    if len(df) < 2:
        return True
    tied = np.ones(len(df) - 1, dtype=bool)  # rows equal to the previous one on the columns so far
    for column in key:
        steps = _steps(df[column])
        if steps is None:
            return False
        less, equal = steps
        if (tied & ~(less | equal)).any():
            return False
        tied &= equal
    return True
