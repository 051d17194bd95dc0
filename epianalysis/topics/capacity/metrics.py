"""Capacity recovery of enterprises after the Spring Festival shutdown (docs/methods.md#capacity-recovery).

From the ``enterprises`` register and the ``enterprise_daily`` meter readings:

- **baseline** per enterprise (``topics/capacity/rules.toml``), one of: ``december_2019`` (mean daily kWh
  over December 2019); ``lunar_2019`` (kWh on the same lunar-calendar day of 2019: day k after Spring
  Festival 2020-01-25 against day k after Spring Festival 2019-02-05, i.e. 354 days earlier);
  ``weekday_median`` (median kWh on the same weekday over 2020-01-03 .. 2020-02-06, the Google
  COVID-19 Community Mobility Reports' baseline);
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
from epianalysis.topics.capacity.rules import CapacityRules, load_capacity_rules

__all__ = ["CapacityRules", "load_capacity_rules"]  # the rules, read by rules.py
DIMENSIONS = ("province", "prefecture", "county", "sector", "size_group")


def _require(df: pd.DataFrame, columns: list[str], source: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(f"{source}: missing columns", [Violation(source, None, c, "column_present") for c in missing])


def _daily(enterprise_daily: pd.DataFrame) -> pd.DataFrame:
    _require(enterprise_daily, ["date", "enterprise_id", "kwh"], "enterprise_daily")
    daily = enterprise_daily.copy()
    daily["date"] = pd.to_datetime(daily["date"])
    daily["enterprise_id"] = daily["enterprise_id"].astype(str)
    daily["kwh"] = daily["kwh"].astype("float64")
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
    return daily


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
        Default :func:`load_capacity_rules`.

    Returns
    -------
    pandas.DataFrame
        The input rows (sorted by date and enterprise) plus ``baseline_kwh`` (float, NaN where
        unknown), ``baseline_readings`` (readings behind it), ``baseline_flag`` ("" when usable,
        else ``no_baseline_readings`` or ``baseline_zero``) and ``baseline_method`` (the name).
    """
    rules = rules or load_capacity_rules()
    name = baseline or rules.default_baseline
    if name not in rules.baselines:
        raise KeyError(f"unknown baseline {name!r}; defined: {', '.join(rules.baselines)}")
    spec = rules.baselines[name]
    daily = _daily(enterprise_daily).sort_values(["date", "enterprise_id"], kind="stable")
    daily = daily.reset_index(drop=True)
    # integer keys (enterprise code, day number) keep the look-ups fast on millions of rows
    ent, _ = pd.factorize(daily["enterprise_id"])
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
    daily["baseline_flag"] = np.select(
        [daily["baseline_kwh"].isna(), daily["baseline_kwh"] <= 0], ["no_baseline_readings", "baseline_zero"], ""
    )
    daily["baseline_method"] = name
    return daily


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
    rules = rules or load_capacity_rules()
    by = [by] if isinstance(by, str) else list(by)
    _require(enterprises, ["enterprise_id", "region_code", "sector", "size_class", "employees"], "enterprises")
    _require(daily, ["date", "enterprise_id", "kwh", "baseline_kwh"], "enterprise_daily")
    register = enterprises.reset_index(drop=True)
    ids = pd.Index(register["enterprise_id"].astype(str))
    pos = ids.get_indexer(daily["enterprise_id"].astype(str))
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
                    str(daily["enterprise_id"].iloc[r]),
                )
                for r in rows[:50]
            ],
        )
    flag = resumed(daily["kwh"], daily["baseline_kwh"], rules.resumed_threshold)
    known = flag.notna().to_numpy()
    on_site = (
        daily["employees_on_site"].astype("Float64")
        if "employees_on_site" in daily.columns
        else pd.Series(pd.NA, index=daily.index, dtype="Float64")
    )
    staff = register["employees"].astype(float).to_numpy()[pos]
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(daily["date"]).to_numpy(),
            "pos": pos,
            "known": known,
            "n_res": flag.fillna(False).astype(bool).to_numpy(),
            "kwh_used": np.where(known, daily["kwh"].to_numpy(dtype=float), 0.0),
            "base_used": np.where(known, daily["baseline_kwh"].to_numpy(dtype=float), 0.0),
            "on_site": on_site.fillna(0.0).astype(float).to_numpy(),
            "staff_used": np.where(on_site.notna().to_numpy(), staff, 0.0),
        }
    )
    keys = _group_keys(register, by, rules, regions)
    sizes = keys.groupby(by, sort=True, observed=True).size().rename("n_enterprises")
    frame = frame.merge(keys, on="pos")
    out = (
        frame.groupby(["date", *by], sort=True, observed=True)
        .agg(
            n_known=("known", "sum"),
            n_resumed=("n_res", "sum"),
            employees=("staff_used", "sum"),
            employees_on_site=("on_site", "sum"),
            kwh=("kwh_used", "sum"),
            baseline_kwh=("base_used", "sum"),
        )
        .reset_index()
    )
    for dim in by:
        out[dim] = out[dim].astype(str)
    sizes = sizes.reset_index()
    for dim in by:
        sizes[dim] = sizes[dim].astype(str)
    out = out.merge(sizes, on=by, how="left")
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
