"""Precision intelligent control index (精密智控指数, docs/methods.md#precision-control-index): scores, ranks.

A control index (管控指数, 5 indicators of the ``control`` table) and a flow index (畅通指数, 7
indicators of the ``flow`` table), each on a 0–100 scale, are combined into one index per county-day
and used to rank counties. Source: Zhejiang provincial press conference of 2020-03-03 (province
average 96.87 on 2020-03-02). The official indicators, bounds and weights are not published: the
registry ``topics/control_index/rules.toml`` (read by :mod:`epianalysis.topics.control_index.rules`)
names ours, each marked as an assumption.

Formulas
--------
- indicator score (min-max with fixed bounds ``lower``, ``upper`` from the registry)::

      higher_is_better: s = 100 * (x - lower) / (upper - lower)
      lower_is_better:  s = 100 * (upper - x) / (upper - lower)

  clipped to [0, 100] by definition of the scale; the raw value is kept beside it and
  ``beyond_bounds`` flags values outside [lower, upper].
- sub-index of a group g: ``I_g = sum_i w_i s_i / sum_i w_i`` over the indicators *available* that
  county-day (weights renormalised). When the available weight share ``sum_avail w / sum_all w`` is
  below ``min_weight_share`` the sub-index is missing. Missing indicators are listed in
  ``<g>_missing`` and never scored as 0.
- combined index: ``I = sum_g W_g I_g / sum_g W_g``; missing when a sub-index is missing.
- province average: simple mean over counties with an index, and population-weighted mean
  ``sum_c pop_c I_c / sum_c pop_c`` (populations from :func:`epianalysis.reference.regions.load_regions`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from epianalysis.errors import DataError, Violation
from epianalysis.reference.regions import load_regions
from epianalysis.topics.control_index.rules import DIRECTIONS, GROUPS, Indicator, Registry, load_registry

__all__ = ["DIRECTIONS", "GROUPS", "Indicator", "Registry", "load_registry"]  # the registry, read by rules.py


def normalise(values, lower: float, upper: float, direction: str) -> pd.Series:
    """Min-max score on 0–100 with fixed bounds, clipped at the bounds by definition of the scale.

    ``higher_is_better``: ``100 * (x - lower) / (upper - lower)``; ``lower_is_better``:
    ``100 * (upper - x) / (upper - lower)``; then clipped to [0, 100]. Missing stays missing.
    Keep the raw value beside the score (:func:`indicator_scores` does).

    Parameters
    ----------
    values : array-like or pandas.Series
        Raw indicator values.
    lower, upper : float
        Fixed bounds (``lower < upper``).
    direction : {"higher_is_better", "lower_is_better"}

    Returns
    -------
    pandas.Series
        Float64 scores.
    """
    _check_scale(lower, upper, direction)
    x = pd.Series(values).astype("Float64")
    score = _score(x.to_numpy(dtype=float, na_value=np.nan), lower, upper, direction)
    return pd.Series(pd.arrays.FloatingArray(score, x.isna().to_numpy()), index=x.index, name=x.name)


def _check_scale(lower: float, upper: float, direction: str) -> None:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    if not lower < upper:
        raise ValueError(f"lower bound {lower} must be below upper bound {upper}")


def _score(x: np.ndarray, lower: float, upper: float, direction: str) -> np.ndarray:
    """The formula of :func:`normalise` on a float array (NaN stays NaN; bounds already checked)."""
    share = (x - lower) / (upper - lower)
    if direction == "lower_is_better":
        share = 1 - share
    score = 100 * share
    score = np.where(score < 0, 0.0, score)  # clip, keeping NaN (and -0.0) as they are
    return np.where(score > 100, 100.0, score)


def indicator_scores(table: pd.DataFrame, group: str, registry: Registry | None = None) -> pd.DataFrame:
    """Every indicator of ``group`` per county-day, long: raw value, score, weight, flags.

    A column absent from ``table`` is "not reported": all its values are missing (and marked).

    Returns
    -------
    pandas.DataFrame
        ``date``, ``region_code``, ``indicator``, ``group``, ``raw``, ``score`` (0–100, see
        :func:`normalise`), ``weight`` (relative weight in the group, renormalised to sum 1 over the
        whole group), ``missing``, ``beyond_bounds`` (raw outside [lower, upper]: score at the bound).
    """
    registry = registry or load_registry()
    _require(table, ["date", "region_code"], group)
    indicators = registry.group(group)
    if not indicators:
        raise ValueError(f"no indicator of group {group!r} in the registry (groups: {', '.join(GROUPS)})")
    total = sum(i.weight for i in indicators)
    n, k = len(table), len(indicators)
    rows = np.tile(np.arange(n), k)  # long layout: all rows of the first indicator, then the second, ...
    raw = np.empty(n * k)
    missing = np.empty(n * k, dtype=bool)
    score = np.empty(n * k)
    beyond = np.empty(n * k, dtype=bool)
    for j, ind in enumerate(indicators):
        _check_scale(ind.lower, ind.upper, ind.direction)
        part = slice(j * n, (j + 1) * n)
        column = (
            table[ind.column].astype("Float64") if ind.column in table.columns else pd.Series(np.nan, index=table.index)
        )
        raw[part] = column.to_numpy(dtype=float, na_value=np.nan)
        missing[part] = column.isna().to_numpy()
        score[part] = _score(raw[part], ind.lower, ind.upper, ind.direction)
        beyond[part] = (raw[part] < ind.lower) | (raw[part] > ind.upper)  # False where missing (NaN)
    names = pd.Series([ind.column for ind in indicators], dtype="str")
    return pd.DataFrame(
        {
            "date": pd.to_datetime(table["date"]).array.take(rows),
            "region_code": table["region_code"].astype(str).array.take(rows),
            "indicator": names.array.take(np.repeat(np.arange(k), n)),
            "group": pd.array([group] * (n * k), dtype="str"),
            "raw": pd.arrays.FloatingArray(raw, missing.copy()),
            "score": pd.arrays.FloatingArray(score, missing.copy()),
            "weight": np.repeat([ind.weight / total for ind in indicators], n).astype(float),
            "missing": missing,
            "beyond_bounds": beyond,
        }
    )


def _require(table: pd.DataFrame, columns: list[str], source: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise DataError(f"{source}: missing columns", [Violation(source, None, c, "column_present") for c in missing])


def sub_index(table: pd.DataFrame, group: str, registry: Registry | None = None) -> pd.DataFrame:
    """The sub-index of ``group`` per county-day, on available indicators with renormalised weights.

    Formula: ``I_g = sum_avail w_i s_i / sum_avail w_i``; missing when ``sum_avail w_i`` (weights
    summing to 1 over the group) is below the registry's ``min_weight_share``.

    Returns
    -------
    pandas.DataFrame
        ``date``, ``region_code``, ``<group>_index`` (Float64), ``<group>_weight_available``
        (fraction of the group's weight with a value), ``<group>_missing`` (``;``-joined indicator
        columns without a value, "" when complete).
    """
    registry = registry or load_registry()
    scores = indicator_scores(table, group, registry)
    scores["w_avail"] = scores["weight"].where(~scores["missing"], 0.0)
    scores["ws"] = (scores["score"] * scores["w_avail"]).fillna(0.0)
    keys = ["date", "region_code"]
    grouped = scores.groupby(keys, sort=True)
    out = grouped[["ws", "w_avail"]].sum().rename(columns={"w_avail": "w"}).reset_index()
    out[f"{group}_missing"] = _missing_names(scores, grouped.ngroup(), len(out))
    weight = out["w"].round(12)
    index = (out["ws"] / out["w"].where(weight > 0)).astype("Float64")
    out[f"{group}_index"] = index.where(weight >= registry.min_weight_share)
    out[f"{group}_weight_available"] = weight.astype(float)
    return out[[*keys, f"{group}_index", f"{group}_weight_available", f"{group}_missing"]]


def _missing_names(scores: pd.DataFrame, group_of_row: pd.Series, n_groups: int) -> np.ndarray:
    """Per group, the ``;``-joined indicators of its missing rows, in row order ("" when none)."""
    group_of_row = group_of_row.to_numpy(dtype=float, na_value=np.nan)  # NaN: a row in no group
    rows = np.flatnonzero(scores["missing"].to_numpy() & ~np.isnan(group_of_row))
    found: dict[int, list[str]] = {}
    for group, name in zip(group_of_row[rows].astype(int).tolist(), scores["indicator"].to_numpy()[rows].tolist()):
        found.setdefault(group, []).append(name)
    names = np.full(n_groups, "", dtype=object)
    for group, parts in found.items():
        names[group] = ";".join(parts)
    return names


def control_index(control: pd.DataFrame, registry: Registry | None = None) -> pd.DataFrame:
    """The control index (管控指数) per county-day from the ``control`` table (see :func:`sub_index`)."""
    return sub_index(control, "control", registry)


def flow_index(flow: pd.DataFrame, registry: Registry | None = None) -> pd.DataFrame:
    """The flow index (畅通指数) per county-day from the ``flow`` table (see :func:`sub_index`)."""
    return sub_index(flow, "flow", registry)


def combined_index(control: pd.DataFrame, flow: pd.DataFrame, registry: Registry | None = None) -> pd.DataFrame:
    """The combined precision control index per county-day, with both sub-indices and the flags.

    Formula: ``I = (W_control I_control + W_flow I_flow) / (W_control + W_flow)`` with the group
    weights of the registry; missing when either sub-index is missing (a county-day present in only
    one table has the other sub-index missing). Published check: province average 96.87 on 2020-03-02.

    Returns
    -------
    pandas.DataFrame
        ``date``, ``region_code``, ``control_index``, ``flow_index``, ``combined_index`` (Float64),
        ``missing_indicators`` (``;``-joined, both groups), ``weight_available`` (share of the
        combined weight with a value), ``complete`` (no indicator missing).
    """
    registry = registry or load_registry()
    c = control_index(control, registry)
    f = flow_index(flow, registry)
    out = c.merge(f, on=["date", "region_code"], how="outer", sort=True)
    w_c, w_f = registry.group_weights["control"], registry.group_weights["flow"]
    out["combined_index"] = (w_c * out["control_index"] + w_f * out["flow_index"]) / (w_c + w_f)
    all_control = ";".join(i.column for i in registry.group("control"))
    all_flow = ";".join(i.column for i in registry.group("flow"))
    control_missing = out["control_missing"].fillna(all_control).to_numpy(dtype=object)
    flow_missing = out["flow_missing"].fillna(all_flow).to_numpy(dtype=object)
    out["missing_indicators"] = np.where(  # the non-empty ones, ";"-joined
        control_missing == "",
        flow_missing,
        np.where(flow_missing == "", control_missing, control_missing + ";" + flow_missing),
    ).tolist()
    out["weight_available"] = (
        w_c * out["control_weight_available"].fillna(0.0) + w_f * out["flow_weight_available"].fillna(0.0)
    ) / (w_c + w_f)
    out["complete"] = out["missing_indicators"] == ""
    return out[
        [
            "date",
            "region_code",
            "control_index",
            "flow_index",
            "combined_index",
            "missing_indicators",
            "weight_available",
            "complete",
        ]
    ].reset_index(drop=True)


def province_average(
    index: pd.DataFrame, column: str = "combined_index", regions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Province average of a county index per date: simple and population-weighted.

    Formulas: ``simple = mean_c I_c``; ``weighted = sum_c pop_c I_c / sum_c pop_c``, both over the
    counties with an index that day. Counties without one are counted in ``n_missing`` (and are not
    in either mean). Population: the ``population`` column of ``regions`` (default
    :func:`~epianalysis.reference.regions.load_regions`; some county values are estimates, see
    ``population_is_estimate``). Published check: 96.87 on 2020-03-02 (official method not published).

    Returns
    -------
    pandas.DataFrame
        ``date``, ``simple_mean``, ``population_weighted_mean``, ``n_counties``, ``n_scored``,
        ``n_missing``.
    """
    regions = regions if regions is not None else load_regions()
    _require(index, ["date", "region_code", column], "index")
    population = regions.set_index(regions["code"].astype(str))["population"].astype(float)
    frame = index[["date", "region_code", column]].copy()
    frame["pop"] = frame["region_code"].astype(str).map(population)
    unknown = frame["pop"].isna()
    if unknown.any():
        raise DataError(
            "province_average: counties without a population",
            [
                Violation("index", int(i) + 1, "region_code", "known_population", str(code))
                for i, code in zip(np.flatnonzero(unknown.to_numpy()), frame.loc[unknown, "region_code"])
            ],
        )
    value = frame[column].astype("Float64")
    frame["scored"] = value.notna()
    frame["v"] = value.astype(float)
    frame["pv"] = (frame["pop"] * frame["v"]).where(frame["scored"], 0.0)
    frame["p_scored"] = frame["pop"].where(frame["scored"], 0.0)
    grouped = frame.groupby("date", sort=True)
    out = grouped.agg(
        simple_mean=("v", "mean"),
        pv=("pv", "sum"),
        p=("p_scored", "sum"),
        n_counties=("region_code", "size"),
        n_scored=("scored", "sum"),
    ).reset_index()
    out["population_weighted_mean"] = (out["pv"] / out["p"].where(out["p"] > 0)).astype("Float64")
    out["simple_mean"] = out["simple_mean"].astype("Float64")
    out["n_scored"] = out["n_scored"].astype("int64")
    out["n_missing"] = out["n_counties"] - out["n_scored"]
    return out[["date", "simple_mean", "population_weighted_mean", "n_counties", "n_scored", "n_missing"]]


def rank_counties(index: pd.DataFrame, column: str = "combined_index") -> pd.DataFrame:
    """Rank counties per date by an index, 1 = best (highest); ties share the best rank ("min").

    Counties without an index have no rank (missing), and are not placed last.

    Returns
    -------
    pandas.DataFrame
        ``index`` with a ``rank`` column (Int64), sorted by date and rank.
    """
    out = index.copy()
    out["rank"] = (out.groupby("date")[column].rank(method="min", ascending=False)).astype("Int64")
    return out.sort_values(["date", "rank", "region_code"], na_position="last").reset_index(drop=True)


def shortfalls(
    control: pd.DataFrame, flow: pd.DataFrame, registry: Registry | None = None, top: int | None = 3
) -> pd.DataFrame:
    """The indicators that pulled each county-day down: largest weighted shortfall from 100.

    Formula: ``shortfall_i = W_g / sum W * w_i / sum_avail(g) w * (100 - s_i)`` (index points of the
    combined index lost on indicator i, with the weights actually used, renormalised over available
    indicators). For a complete county-day, ``sum_i shortfall_i = 100 - combined_index``. Missing
    indicators have no shortfall (they are listed by :func:`combined_index`, not ranked here).

    Returns
    -------
    pandas.DataFrame
        ``date``, ``region_code``, ``position`` (1 = largest), ``indicator``, ``group``, ``name_zh``,
        ``name_en``, ``raw``, ``score``, ``shortfall``; the ``top`` largest per county-day with
        shortfall > 0 (all when ``top`` is None).
    """
    registry = registry or load_registry()
    total_w = sum(registry.group_weights.values())
    parts = []
    for group, table in (("control", control), ("flow", flow)):
        s = indicator_scores(table, group, registry)
        avail = s["weight"].where(~s["missing"], 0.0).groupby([s["date"], s["region_code"]]).transform("sum")
        s["shortfall"] = (registry.group_weights[group] / total_w * s["weight"] / avail * (100 - s["score"])).astype(
            "Float64"
        )
        parts.append(s[~s["missing"]])
    long = pd.concat(parts, ignore_index=True)
    long = long[long["shortfall"] > 0]
    long = long.sort_values(
        ["date", "region_code", "shortfall", "indicator"], ascending=[True, True, False, True], kind="stable"
    )
    long["position"] = long.groupby(["date", "region_code"]).cumcount() + 1
    if top is not None:
        long = long[long["position"] <= top]
    long["name_zh"] = long["indicator"].map(lambda c: registry.indicator(c).name_zh)
    long["name_en"] = long["indicator"].map(lambda c: registry.indicator(c).name_en)
    return long[
        ["date", "region_code", "position", "indicator", "group", "name_zh", "name_en", "raw", "score", "shortfall"]
    ].reset_index(drop=True)
