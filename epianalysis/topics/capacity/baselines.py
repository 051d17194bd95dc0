"""The baseline of each enterprise-day, against which its electricity use is read
(docs/methods.md#baselines).

One baseline per enterprise, selectable by name (``topics/capacity/rules.toml``): ``december_2019``
(mean daily kWh over December 2019), ``lunar_2019`` (kWh on the same lunar-calendar day of 2019, 354
days earlier) or ``weekday_median`` (median kWh on the same weekday over 2020-01-03 .. 2020-02-06, the
Google COVID-19 Community Mobility Reports' baseline). :func:`with_baseline` is re-exported by
:mod:`epianalysis.topics.capacity.metrics`, which reads the rates against it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from epianalysis.errors import DataError, Violation
from epianalysis.topics.capacity.rules import CapacityRules, load_capacity_rules

FLAGS = ("", "no_baseline_readings", "baseline_zero")
"""``baseline_flag`` values: usable, no reading behind the baseline, a baseline that is not positive."""


def require_columns(df: pd.DataFrame, columns: list[str], source: str) -> None:
    """Raise :class:`~epianalysis.errors.DataError` naming each of ``columns`` that ``df`` (the table
    ``source``) lacks."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(f"{source}: missing columns", [Violation(source, None, c, "column_present") for c in missing])


def _in_key_order(dates: pd.Series, codes: np.ndarray) -> bool:
    """Whether every row's (date, enterprise) comes strictly after the previous row's: sorted by date and
    enterprise (``codes`` numbered in the order of the sorted ids), and no key twice. Missing dates or
    ids, or dates that are not plain ``datetime64``, answer ``False`` (the caller then sorts and checks)."""
    if not isinstance(dates.dtype, np.dtype) or dates.dtype.kind != "M" or dates.isna().any() or (codes < 0).any():
        return False
    when = dates.to_numpy().view("int64")
    later = when[1:] > when[:-1]
    same_day_later_id = (when[1:] == when[:-1]) & (codes[1:] > codes[:-1])
    return bool((later | same_day_later_id).all())


def _daily(enterprise_daily: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The readings typed and sorted by date and enterprise (index reset), with each row's enterprise
    code (one integer per enterprise id). Readings already in that order (a table of the data store)
    are checked for repeated keys in one pass over integer codes instead of being sorted again.

    Raises
    ------
    DataError
        Two readings of one enterprise on one day (rows of the input, 1-based).
    """
    require_columns(enterprise_daily, ["date", "enterprise_id", "kwh"], "enterprise_daily")
    daily = enterprise_daily.copy()
    daily["date"] = pd.to_datetime(daily["date"])
    daily["enterprise_id"] = daily["enterprise_id"].astype(str)
    daily["kwh"] = daily["kwh"].astype("float64")
    codes, _ = pd.factorize(daily["enterprise_id"], sort=True)
    if _in_key_order(daily["date"], codes):
        return daily.reset_index(drop=True), codes
    dup = daily.duplicated(["date", "enterprise_id"], keep="first")
    if dup.any():
        raise DataError(
            "enterprise_daily: duplicate readings",
            [
                Violation(
                    "enterprise_daily",
                    int(r) + 1,
                    "enterprise_id",
                    "unique_key(date, enterprise_id)",
                    str(daily["enterprise_id"].iloc[r]),
                )
                for r in np.flatnonzero(dup.to_numpy())[:50]
            ],
        )
    daily = daily.sort_values(["date", "enterprise_id"], kind="stable").reset_index(drop=True)
    codes, _ = pd.factorize(daily["enterprise_id"])
    return daily, codes


def _text_column(labels: tuple[str, ...], codes: np.ndarray) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """``labels[codes]`` as a column of text, built by Arrow when the default text dtype keeps its
    strings in Arrow (a million strings in a few milliseconds rather than through Python objects)."""
    dtype = pd.Series(list(labels)).dtype
    if getattr(dtype, "storage", None) == "pyarrow":
        return pd.array(pa.array(list(labels), pa.large_string()).take(pa.array(codes)), dtype=dtype)
    return np.asarray(labels, dtype=object)[codes]


def with_baseline(
    enterprise_daily: pd.DataFrame, baseline: str | None = None, rules: CapacityRules | None = None
) -> pd.DataFrame:
    """Every row of ``enterprise_daily`` with its enterprise's baseline kWh for that day.

    Formulas (``rules.baselines[baseline]``):

    - ``window_mean`` (``december_2019``): ``b_e = mean of kwh_e,d over d in [start, end]`` with a
      reading (missing readings are left out of the mean, not read as 0);
    - ``lunar_aligned`` (``lunar_2019``): ``b_e(d) = kwh_e(d − Δ)``, Δ = Spring Festival ``to_year`` −
      Spring Festival ``from_year`` (2020-01-25 − 2019-02-05 = 354 days), so that day k after the
      2020 festival is compared with day k after the 2019 one;
    - ``weekday_median`` (``weekday_median``): ``b_e(d) = median of kwh_e,d' over d' in [start, end]``
      with the weekday of d' equal to the weekday of d (Google mobility reports' baseline).

    Parameters
    ----------
    enterprise_daily : pandas.DataFrame
        ``date``, ``enterprise_id``, ``kwh`` (other columns kept).
    baseline : str, optional
        A baseline name of the rules (default ``rules.default_baseline``).
    rules : CapacityRules, optional
        Default :func:`~epianalysis.topics.capacity.rules.load_capacity_rules`.

    Returns
    -------
    pandas.DataFrame
        The input rows (sorted by date and enterprise) plus ``baseline_kwh`` (float, NaN where
        unknown), ``baseline_readings`` (readings behind it), ``baseline_flag`` ("" when usable,
        else ``no_baseline_readings`` or ``baseline_zero``) and ``baseline_method`` (the name).

    Raises
    ------
    KeyError
        ``baseline`` is not a baseline of the rules.
    DataError
        A column missing, or two readings of one enterprise on one day.
    """
    rules = rules or load_capacity_rules()
    name = baseline or rules.default_baseline
    if name not in rules.baselines:
        raise KeyError(f"unknown baseline {name!r}; defined: {', '.join(rules.baselines)}")
    spec = rules.baselines[name]
    # integer keys (enterprise code, day number) keep the look-ups fast on millions of rows
    daily, ent = _daily(enterprise_daily)
    dayno = ((daily["date"] - pd.Timestamp("1970-01-01")) // pd.Timedelta(days=1)).to_numpy()
    has = daily["kwh"].notna().to_numpy()
    kwh = daily["kwh"].to_numpy()
    if spec["method"] in ("window_mean", "weekday_median"):
        in_window = has & daily["date"].between(spec["start"], spec["end"]).to_numpy()
        key = ent.astype(np.int64)
        if spec["method"] == "weekday_median":
            key = key * 7 + (dayno + 3) % 7  # 1970-01-01 was a Thursday: (n + 3) % 7 is Monday = 0
        window = pd.Series(kwh[in_window]).groupby(key[in_window])
        stats = window.agg("median" if spec["method"] == "weekday_median" else "mean")
        sizes = window.size()
        base = pd.Series(stats.reindex(key).to_numpy(), index=daily.index)
        readings = pd.Series(sizes.reindex(key).to_numpy(), index=daily.index)
    else:
        offset = rules.lunar_offset_days(int(spec["from_year"]), int(spec["to_year"]))
        span = int(dayno.max()) + offset + 1 if len(dayno) else 1
        earlier = pd.Series(kwh[has], index=ent[has].astype(np.int64) * span + dayno[has])
        key = ent.astype(np.int64) * span + (dayno - offset)
        base = pd.Series(earlier.reindex(key).to_numpy(), index=daily.index)
        readings = base.notna().astype(int)
    daily["baseline_kwh"] = base.astype("float64")
    daily["baseline_readings"] = readings.fillna(0).astype("int64")
    flag = np.select([daily["baseline_kwh"].isna(), daily["baseline_kwh"] <= 0], [1, 2], 0)
    daily["baseline_flag"] = _text_column(FLAGS, flag)
    daily["baseline_method"] = name
    return daily
