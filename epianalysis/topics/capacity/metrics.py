"""Capacity recovery of enterprises after the Spring Festival shutdown (docs/methods.md#capacity-recovery).

From the ``enterprises`` register and the ``enterprise_daily`` meter readings:

- **baseline** per enterprise (``topics/capacity/rules.toml``), one of: ``december_2019`` (mean daily kWh
  over December 2019); ``lunar_2019`` (kWh on the same lunar-calendar day of 2019: day k after Spring
  Festival 2020-01-25 against day k after Spring Festival 2019-02-05, i.e. 354 days earlier);
  ``weekday_median`` (median kWh on the same weekday over 2020-01-03 .. 2020-02-06, the Google
  COVID-19 Community Mobility Reports' baseline), computed by
  :func:`~epianalysis.topics.capacity.baselines.with_baseline` (re-exported here);
- **resumed**: ``kwh / baseline > 0.30`` (State Grid Zhejiang electricity index; exactly 30 % is not
  resumed);
- **resumption rate** = 100 × resumed / enterprises with a known flag;
- **worker return rate** = 100 × Σ employees_on_site / Σ employees (enterprises reporting on-site staff);
- **capacity recovery index** = 100 × Σ kWh / Σ baseline (enterprises with both);

by province, prefecture, county, sector and size group (above-scale = above_scale + leading; leading).
Published points (press conference, as of 2020-02-25): 44,370 above-scale firms 99.8 % resumed, 60.1 %
of workers back; target 75 % by the end of February; capacity recovery index 76.75 at the end of
February; 90.6 % on 2020-03-26 (CCTV).

The curve comparison with a normal year (days behind) and the gap to the target are in
:mod:`epianalysis.topics.capacity.curves`; the resumption five-colour map in
:mod:`epianalysis.topics.capacity.resumption_map`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from epianalysis.errors import DataError, Violation
from epianalysis.reference.regions import PROVINCE_CODE, load_regions
from epianalysis.topics.capacity.baselines import require_columns, with_baseline
from epianalysis.topics.capacity.rules import CapacityRules, load_capacity_rules

# the rules, read by rules.py, and the baselines, computed by baselines.py
__all__ = ["CapacityRules", "load_capacity_rules", "with_baseline"]
TERMS = ("known", "n_res", "staff_used", "on_site", "kwh_used", "base_used")
"""What each reading adds to the sums of :func:`recovery` (:func:`recovery_terms`)."""
DIMENSIONS = ("province", "prefecture", "county", "sector", "size_group")
REGISTER_COLUMNS = ["enterprise_id", "region_code", "sector", "size_class", "employees"]


def resumed(kwh, baseline_kwh, threshold: float = 0.30) -> pd.Series:
    """Whether each enterprise-day has resumed: ``kwh / baseline > threshold`` (strictly).

    Exactly 30 % is not resumed ("exceeds 30 %", State Grid Zhejiang electricity index). The ratio
    is compared, not ``kwh > 0.3 * baseline``: IEEE division is correctly rounded, so a ratio that is
    exactly 0.3 (e.g. 30 / 100) equals the threshold 0.3 and is not resumed. Missing when the kWh or
    the baseline is missing, or the baseline is not positive (an idle baseline gives no ratio).

    Returns
    -------
    pandas.Series
        Nullable boolean.
    """
    kwh = pd.Series(kwh, dtype="float64").reset_index(drop=True)
    base = pd.Series(baseline_kwh, dtype="float64").reset_index(drop=True)
    usable = kwh.notna() & base.notna() & (base > 0)
    ratio = kwh / base.where(base > 0)
    return pd.Series((ratio > threshold).to_numpy(), dtype="boolean").where(usable.to_numpy(), pd.NA)


def _group_keys(
    enterprises: pd.DataFrame, by: list[str], rules: CapacityRules, regions: pd.DataFrame | None
) -> pd.DataFrame:
    """``pos`` (register row) with one categorical column per dimension; size groups repeat a firm
    in each of its groups (and ``all``)."""
    keys = pd.DataFrame({"pos": np.arange(len(enterprises))})
    region = enterprises["region_code"].astype(str).to_numpy()
    for dim in by:
        if dim == "province":
            keys["province"] = PROVINCE_CODE
        elif dim == "county":
            keys["county"] = region
        elif dim == "prefecture":
            regions = regions if regions is not None else load_regions()
            parents = regions.set_index(regions["code"].astype(str))["parent_code"].astype(str)
            keys["prefecture"] = pd.Series(region).map(parents).to_numpy()
        elif dim == "sector":
            keys["sector"] = enterprises["sector"].astype(str).to_numpy()
        elif dim == "size_group":
            classes = enterprises["size_class"].astype(str)
            groups = [("all", c) for c in classes.unique()]
            groups += [(g, c) for g, members in rules.size_groups.items() for c in members]
            mapping = pd.DataFrame(groups, columns=["size_group", "size_class"])
            keys["size_class"] = classes.to_numpy()
            keys = keys.merge(mapping, on="size_class").drop(columns="size_class")
        else:
            raise ValueError(f"unknown dimension {dim!r}; use one of {DIMENSIONS}")
    for dim in by:
        keys[dim] = keys[dim].astype("category")
    return keys


def capacity_rates(df: pd.DataFrame) -> pd.DataFrame:
    """Add the three rates to per-group sums (the formulas of docs/methods.md#the-three-rates).

    ``resumption_rate_pct = 100 n_resumed / n_known``; ``worker_return_pct = 100 employees_on_site /
    employees``; ``capacity_recovery_index = 100 kwh / baseline_kwh``; missing (not 0) where the
    denominator is 0.
    """
    out = df.copy()
    out["resumption_rate_pct"] = (100 * out["n_resumed"] / out["n_known"].where(out["n_known"] > 0)).astype("Float64")
    out["worker_return_pct"] = (100 * out["employees_on_site"] / out["employees"].where(out["employees"] > 0)).astype(
        "Float64"
    )
    out["capacity_recovery_index"] = (100 * out["kwh"] / out["baseline_kwh"].where(out["baseline_kwh"] > 0)).astype(
        "Float64"
    )
    return out


def recovery(
    enterprises: pd.DataFrame,
    daily: pd.DataFrame,
    by: str | list[str] = "province",
    rules: CapacityRules | None = None,
    regions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Resumption rate, worker return rate and capacity recovery index per date and group.

    Formulas (per date and group, over the enterprises of the register in the group):

    - ``resumption_rate_pct = 100 * n_resumed / n_known``, ``n_known`` = enterprises with a resumed
      flag (kWh and a positive baseline, see :func:`resumed`);
    - ``worker_return_pct = 100 * sum(employees_on_site) / sum(employees)`` over enterprises reporting
      ``employees_on_site`` that day;
    - ``capacity_recovery_index = 100 * sum(kwh) / sum(baseline_kwh)`` over enterprises with both.

    Enterprises without a reading that day are not guessed: ``n_enterprises − n_known`` says how many
    are not in the rates. Published check (as of 2020-02-25): above-scale 99.8 % resumed, 60.1 % of
    workers back.

    Parameters
    ----------
    enterprises : pandas.DataFrame
        The register: ``enterprise_id``, ``region_code``, ``sector``, ``size_class``, ``employees``.
    daily : pandas.DataFrame
        :func:`with_baseline` output (``date``, ``enterprise_id``, ``kwh``, ``employees_on_site``,
        ``baseline_kwh``).
    by : str or list of str
        Dimensions among ``province``, ``prefecture``, ``county``, ``sector``, ``size_group``
        (groups of ``rules.size_groups`` plus ``all``; a leading firm counts in ``above_scale`` and
        ``leading``).
    rules, regions : optional
        Default :func:`load_capacity_rules` and :func:`epianalysis.reference.regions.load_regions`.

    Returns
    -------
    pandas.DataFrame
        ``date``, the ``by`` columns, ``n_enterprises``, ``n_known``, ``n_resumed``,
        ``resumption_rate_pct``, ``employees``, ``employees_on_site``, ``worker_return_pct``,
        ``kwh``, ``baseline_kwh``, ``capacity_recovery_index`` (rates Float64, missing without data).

    Raises
    ------
    DataError
        Readings of enterprises that are not in the register (file, row, column and rule named).
    """
    return recovery_from_terms(enterprises, recovery_terms(enterprises, daily, rules), by, rules, regions)


def recovery_terms(enterprises: pd.DataFrame, daily: pd.DataFrame, rules: CapacityRules | None = None) -> pd.DataFrame:
    """What each reading adds to the sums of :func:`recovery` (docs/methods.md#the-three-rates).

    Per reading: ``known`` = the resumed flag is known (:func:`resumed`: kWh and a positive baseline);
    ``n_res`` = resumed; ``kwh_used`` and ``base_used`` = ``kwh`` and ``baseline_kwh`` where known, else
    0; ``on_site`` = ``employees_on_site`` (0 where not reported); ``staff_used`` = the register's
    ``employees`` of the enterprise where ``employees_on_site`` is reported, else 0. Computed once,
    the terms of readings can be summed by several groupings and dates
    (:func:`recovery_from_terms` of any subset of the rows, kept in their order).

    Parameters
    ----------
    enterprises : pandas.DataFrame
        The register (columns of :func:`recovery`).
    daily : pandas.DataFrame
        :func:`with_baseline` output (``date``, ``enterprise_id``, ``kwh``, ``baseline_kwh``, optionally
        ``employees_on_site``).
    rules : CapacityRules, optional
        Default :func:`load_capacity_rules` (the resumed threshold).

    Returns
    -------
    pandas.DataFrame
        One row per reading, in the order of ``daily``: ``date``, ``enterprise_id``, ``pos`` (the
        enterprise's row in the register, −1 when it is not there) and the :data:`TERMS`.
    """
    rules = rules or load_capacity_rules()
    require_columns(enterprises, REGISTER_COLUMNS, "enterprises")
    require_columns(daily, ["date", "enterprise_id", "kwh", "baseline_kwh"], "enterprise_daily")
    register = enterprises.reset_index(drop=True)
    ids = pd.Index(register["enterprise_id"].astype(str))
    # each distinct id is looked up once (millions of readings, thousands of enterprises); a missing
    # id has the code −1, which picks the look-up of a missing id appended last
    codes, uniques = pd.factorize(daily["enterprise_id"].astype(str))
    pos = np.append(ids.get_indexer(uniques), ids.get_indexer(pd.Index([None], dtype=ids.dtype)))[codes]
    flag = resumed(daily["kwh"], daily["baseline_kwh"], rules.resumed_threshold)
    known = flag.notna().to_numpy()
    on_site = (
        daily["employees_on_site"].astype("Float64")
        if "employees_on_site" in daily.columns
        else pd.Series(pd.NA, index=daily.index, dtype="Float64")
    )
    staff = np.append(register["employees"].astype(float).to_numpy(), np.nan)[pos]  # NaN outside the register
    return pd.DataFrame(
        {
            "date": pd.to_datetime(daily["date"]).to_numpy(),
            "enterprise_id": pd.Categorical.from_codes(codes, uniques),
            "pos": pos,
            "known": known,
            "n_res": flag.fillna(False).astype(bool).to_numpy(),
            "kwh_used": np.where(known, daily["kwh"].to_numpy(dtype=float), 0.0),
            "base_used": np.where(known, daily["baseline_kwh"].to_numpy(dtype=float), 0.0),
            "on_site": on_site.fillna(0.0).astype(float).to_numpy(),
            "staff_used": np.where(on_site.notna().to_numpy(), staff, 0.0),
        }
    )


def _rows_in_groups(
    pos: np.ndarray, key_pos: np.ndarray, key_group: np.ndarray, n_firms: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each reading (its firm's register row ``pos``) once per group of its firm (``key_group`` of the
    firm ``key_pos``): the rows and groups of an inner join of the readings with the firms' groups, in
    the join's order (readings in order; a firm's groups in the order given)."""
    per_firm = np.bincount(key_pos, minlength=n_firms)
    if per_firm.max(initial=0) <= 1:
        group_of = np.full(n_firms, -1, dtype=np.int64)
        group_of[key_pos] = key_group
        group = group_of[pos]
        rows = np.flatnonzero(group >= 0)
        return rows, group[rows]
    order = np.argsort(key_pos, kind="stable")
    starts = np.cumsum(per_firm) - per_firm
    repeat = per_firm[pos]
    rows = np.repeat(np.arange(len(pos)), repeat)
    within = np.arange(len(rows)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    return rows, key_group[order[starts[pos[rows]] + within]]


def recovery_from_terms(
    enterprises: pd.DataFrame,
    terms: pd.DataFrame,
    by: str | list[str] = "province",
    rules: CapacityRules | None = None,
    regions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """:func:`recovery` of readings given by their :func:`recovery_terms` (the same formulas and
    output): each rate's numerator and denominator summed per date and group, in the order of the
    readings (``n_known = Σ known``, ``n_resumed = Σ n_res``, ``employees = Σ staff_used``,
    ``employees_on_site = Σ on_site``, ``kwh = Σ kwh_used``, ``baseline_kwh = Σ base_used``), then
    :func:`capacity_rates` (docs/methods.md#the-three-rates).

    Parameters
    ----------
    enterprises : pandas.DataFrame
        The register the terms were computed with.
    terms : pandas.DataFrame
        :func:`recovery_terms` output, or rows of it (in its order).
    by, rules, regions
        As for :func:`recovery`.

    Returns
    -------
    pandas.DataFrame
        As :func:`recovery`.

    Raises
    ------
    DataError
        Readings of enterprises that are not in the register (row of ``terms``, column and rule named).
    """
    rules = rules or load_capacity_rules()
    by = [by] if isinstance(by, str) else list(by)
    require_columns(enterprises, REGISTER_COLUMNS, "enterprises")
    if not by:
        raise ValueError(f"no dimension to group by; use one or more of {DIMENSIONS}")
    pos = terms["pos"].to_numpy()
    if (pos < 0).any():
        rows = np.flatnonzero(pos < 0)
        raise DataError(
            "enterprise_daily: readings of enterprises not in the register",
            [
                Violation(
                    "enterprise_daily",
                    int(r) + 1,
                    "enterprise_id",
                    "known_enterprise_id",
                    str(terms["enterprise_id"].iloc[r]),
                )
                for r in rows[:50]
            ],
        )
    register = enterprises.reset_index(drop=True)
    keys = _group_keys(register, by, rules, regions)
    # one integer per group: the dimensions' category codes (sorted labels) in the order of ``by``
    shape = tuple(len(keys[dim].cat.categories) for dim in by)
    codes = [keys[dim].cat.codes.to_numpy().astype(np.int64) for dim in by]
    named = np.logical_and.reduce([c >= 0 for c in codes])
    key_group = np.ravel_multi_index([c[named] for c in codes], shape).astype(np.int64)
    rows, group = _rows_in_groups(pos, keys["pos"].to_numpy()[named], key_group, len(register))
    day, dates = pd.factorize(terms["date"].to_numpy()[rows], sort=True)
    rows, group, day = rows[day >= 0], group[day >= 0], day[day >= 0]
    n_groups = int(np.prod(shape))
    sums = (
        pd.DataFrame({column: terms[column].to_numpy()[rows] for column in TERMS})
        .groupby(day.astype(np.int64) * n_groups + group, sort=True)
        .agg(
            n_known=("known", "sum"),
            n_resumed=("n_res", "sum"),
            employees=("staff_used", "sum"),
            employees_on_site=("on_site", "sum"),
            kwh=("kwh_used", "sum"),
            baseline_kwh=("base_used", "sum"),
        )
    )
    cells = sums.index.to_numpy()
    out = pd.DataFrame({"date": dates[cells // n_groups]})
    for dim, dim_codes in zip(by, np.unravel_index(cells % n_groups, shape), strict=True):
        out[dim] = pd.Categorical.from_codes(dim_codes, keys[dim].cat.categories).astype(str)
    out["n_enterprises"] = np.bincount(key_group, minlength=n_groups)[cells % n_groups]
    for column in sums.columns:
        out[column] = sums[column].to_numpy()
    out = capacity_rates(out)
    for column in ["n_known", "n_resumed", "n_enterprises"]:
        out[column] = out[column].astype("int64")
    return out[
        [
            "date",
            *by,
            "n_enterprises",
            "n_known",
            "n_resumed",
            "resumption_rate_pct",
            "employees",
            "employees_on_site",
            "worker_return_pct",
            "kwh",
            "baseline_kwh",
            "capacity_recovery_index",
        ]
    ].reset_index(drop=True)
