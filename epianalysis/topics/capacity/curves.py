"""Recovery curves against a normal year, and the gap to the target (docs/methods.md#capacity-recovery).

- :func:`lunar_day` numbers days from a Spring Festival (day 0 = 2020-01-25 in 2020, 2019-02-05 in 2019).
- :func:`lunar_curves` puts the capacity recovery index of 2020 and of 2019 side by side by lunar day,
  both against the same baseline (e.g. December 2019), so that the two years are on one scale.
- :func:`days_behind` says how many days later the 2020 curve reached each level than the 2019 curve.
- :func:`gap_to_target` compares a curve with the published target (75 % by 2020-02-29, in
  ``topics/capacity/rules.toml``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from epianalysis.topics.capacity.metrics import (
    CapacityRules,
    load_capacity_rules,
    recovery_from_terms,
    recovery_terms,
    with_baseline,
)


def lunar_day(dates, year: int, rules: CapacityRules | None = None) -> pd.Series:
    """Days after the Spring Festival of ``year``: ``k = date − festival(year)`` (negative before).

    Spring Festival dates from ``rules.spring_festival`` (2019-02-05, 2020-01-25).
    """
    rules = rules or load_capacity_rules()
    return (pd.to_datetime(pd.Series(dates)) - rules.spring_festival[year]).dt.days.astype("int64")


def festival_day_of(curves: pd.DataFrame, day, year: int = 2020) -> int:
    """The lunar day of ``day`` on the calendar of :func:`lunar_curves` output ``curves`` for ``year``.

    Counted from the Spring Festival the curves were drawn with (``date_<year> − lunar_day``), so a
    date and its curve always agree: 2020-02-29 is day 35 after 2020-01-25.
    """
    first = curves.iloc[0]
    festival = pd.Timestamp(first[f"date_{year}"]) - pd.Timedelta(days=int(first["lunar_day"]))
    return (pd.Timestamp(day) - festival).days


def lunar_curves(
    enterprises: pd.DataFrame,
    enterprise_daily: pd.DataFrame,
    group: str = "above_scale",
    baseline: str = "december_2019",
    years: tuple[int, int] = (2019, 2020),
    days: tuple[int, int] = (-10, 40),
    rules: CapacityRules | None = None,
) -> pd.DataFrame:
    """Capacity recovery index of a size group by lunar day, for a normal year and for 2020.

    Formula: for each year y and lunar day k in ``days`` (inclusive), ``index_y(k) = 100 * sum kwh /
    sum baseline`` on the date ``festival(y) + k`` (see :func:`epianalysis.topics.capacity.metrics.recovery`),
    with one baseline per enterprise for both years (default: mean daily use in December 2019).

    Returns
    -------
    pandas.DataFrame
        ``lunar_day``, ``date_<y0>``, ``index_<y0>``, ``date_<y1>``, ``index_<y1>`` (Float64, missing
        on days without readings).
    """
    rules = rules or load_capacity_rules()
    return lunar_curves_of(enterprises, with_baseline(enterprise_daily, baseline, rules), group, years, days, rules)


def lunar_curves_of(
    enterprises: pd.DataFrame,
    based: pd.DataFrame,
    group: str = "above_scale",
    years: tuple[int, int] = (2019, 2020),
    days: tuple[int, int] = (-10, 40),
    rules: CapacityRules | None = None,
) -> pd.DataFrame:
    """:func:`lunar_curves` of readings that carry their baseline already (the output of
    :func:`~epianalysis.topics.capacity.metrics.with_baseline`), so that a caller holding them does
    not compute the baselines of millions of readings twice."""
    rules = rules or load_capacity_rules()
    lunar = pd.to_timedelta(np.arange(days[0], days[1] + 1), unit="D")
    shown = based[based["date"].isin([d for year in years for d in rules.spring_festival[year] + lunar])]
    return lunar_curves_from_terms(enterprises, recovery_terms(enterprises, shown, rules), group, years, days, rules)


def lunar_curves_from_terms(
    enterprises: pd.DataFrame,
    terms: pd.DataFrame,
    group: str = "above_scale",
    years: tuple[int, int] = (2019, 2020),
    days: tuple[int, int] = (-10, 40),
    rules: CapacityRules | None = None,
) -> pd.DataFrame:
    """:func:`lunar_curves` of readings given by their
    :func:`~epianalysis.topics.capacity.metrics.recovery_terms` (readings with their baseline, as
    summed by :func:`~epianalysis.topics.capacity.metrics.recovery_from_terms`), so that a caller
    summing the same readings by other groups computes their terms once. Same formula and output."""
    rules = rules or load_capacity_rules()
    out = pd.DataFrame({"lunar_day": np.arange(days[0], days[1] + 1)})
    for year in years:
        dates = rules.spring_festival[year] + pd.to_timedelta(out["lunar_day"], unit="D")
        subset = terms[terms["date"].isin(dates)]
        table = recovery_from_terms(enterprises, subset, by="size_group", rules=rules)
        table = table[table["size_group"] == group].set_index("date")["capacity_recovery_index"]
        out[f"date_{year}"] = dates.to_numpy()
        out[f"index_{year}"] = pd.array(table.reindex(dates).to_numpy(), dtype="Float64")
    return out


def days_behind(curve_now: pd.Series, curve_normal: pd.Series) -> pd.DataFrame:
    """How many days later ``curve_now`` reached each of its levels than the normal-year curve.

    Both curves are indexed by lunar day (days after the Spring Festival of their year). For each day
    k of ``curve_now`` with level ``v``: ``k_normal = min {j : curve_normal[j] >= v}`` and
    ``days_behind = k − k_normal`` (positive: later than a normal year). Missing when ``v`` is missing
    or the normal year never reached ``v`` in the days given (flagged ``not_reached_in_normal_year``).

    Parameters
    ----------
    curve_now, curve_normal : pandas.Series
        Levels (e.g. the capacity recovery index) indexed by integer lunar day.

    Returns
    -------
    pandas.DataFrame
        ``lunar_day``, ``level``, ``normal_lunar_day``, ``days_behind`` (Int64),
        ``not_reached_in_normal_year`` (bool).
    """
    normal = curve_normal.dropna().sort_index()
    days = normal.index.to_numpy()
    running = np.maximum.accumulate(normal.to_numpy(dtype=float)) if len(normal) else np.array([])
    rows = []
    for k, level in curve_now.sort_index().items():
        if pd.isna(level) or not len(running):
            rows.append((k, level, pd.NA, pd.NA, not pd.isna(level)))
            continue
        pos = int(np.searchsorted(running, float(level), side="left"))
        if pos >= len(running):
            rows.append((k, level, pd.NA, pd.NA, True))
        else:
            rows.append((k, level, int(days[pos]), int(k - days[pos]), False))
    out = pd.DataFrame(
        rows, columns=["lunar_day", "level", "normal_lunar_day", "days_behind", "not_reached_in_normal_year"]
    )
    out["level"] = out["level"].astype("Float64")
    out["normal_lunar_day"] = out["normal_lunar_day"].astype("Int64")
    out["days_behind"] = out["days_behind"].astype("Int64")
    out["not_reached_in_normal_year"] = out["not_reached_in_normal_year"].astype(bool)
    return out


def gap_to_target(
    curve: pd.DataFrame, value_column: str = "capacity_recovery_index", rules: CapacityRules | None = None
) -> dict:
    """The value on the target date against the target (``rules.target``: 75 by 2020-02-29).

    Formula: ``gap = target − value`` (positive: short of the target); ``met = value >= target``.
    Missing value (no row on the target date, or a missing value) gives ``gap`` and ``met`` None.

    Parameters
    ----------
    curve : pandas.DataFrame
        ``date`` and ``value_column`` (one row per date, e.g. one group of
        :func:`~epianalysis.topics.capacity.metrics.recovery`).

    Returns
    -------
    dict
        ``target_date`` (ISO), ``target``, ``value``, ``gap``, ``met``, ``source``.
    """
    rules = rules or load_capacity_rules()
    date, target = rules.target["date"], float(rules.target["capacity_recovery_index"])
    rows = curve[pd.to_datetime(curve["date"]) == date]
    if len(rows) > 1:
        raise ValueError(f"gap_to_target: {len(rows)} rows on {date.date()}; pass one group's curve")
    value = None if rows.empty or pd.isna(rows[value_column].iloc[0]) else float(rows[value_column].iloc[0])
    return {
        "target_date": date.date().isoformat(),
        "target": target,
        "value": value,
        "gap": None if value is None else target - value,
        "met": None if value is None else value >= target,
        "source": str(rules.target.get("source", "")),
    }
