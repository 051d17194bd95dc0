"""The outlook of a zoning: when each county can step down if no new case is reported, and what would
move it up (docs/rulesets.md#the-outlook).

For a county ``c``, the data known on the as-of date ``A`` and the evaluation in force ``E`` (the
latest evaluation date on or before ``A + lag``, ``lag`` the rule set's ``data_lag_days``: the latest
evaluation the data up to ``A`` can make; docs/rulesets.md#the-data-an-evaluation-reads):

1. **Projection.** The cases table is extended past ``A`` with *no new case*: on every day
   ``A+1 .. A+H`` (``H`` = ``horizon_days``) the county's cumulative confirmed and local confirmed stay
   at their value of ``A`` and no cluster outbreak is reported (``clusters_new = 0``). The engine
   (:func:`epianalysis.rulesets.evaluate`) zones the extended table: the projected level ``P(c, d)`` on
   every evaluation date ``d`` in ``(A + lag, A + H + lag]`` (each reading the data of ``d − lag``). A
   county without data on ``A`` gets no projected rows: its projection is *unknown*, never guessed.
2. **Step down.** ``step_down_date`` is the first ``d`` with ``rank P(c, d) < rank level(c, E)``,
   provided every projected level before it is known; ``step_down_level = P(c, d)``.
3. **Lowest level.** ``lowest_date`` is the first ``d`` with ``P(c, d)`` the lowest level (same proviso).
4. **Move up.** ``k`` new local cases reported on ``A+1`` and the level on the next evaluation ``N``
   (the first ``d``, reading the data of ``N − lag ≥ A+1``): ``up_cases`` is the smallest ``k ≤`` :data:`MAX_CASES` with
   ``rank level_k(c, N) > rank level(c, E)`` and ``up_level`` that level. The indicators with ``k``
   cases are obtained exactly from the engine's indicators with 0 and with 1 case (:data:`RESPONSE`):
   counts and 7-day sums are linear in ``k`` (``v0 + k · (v1 − v0)``), the days since the last case are
   those with one case, the local share is recomputed from the counts, clusters do not change. The
   levels of the shipped rule sets never fall as ``k`` grows, so a bisection finds the smallest ``k``.

Everything is a pure function of the rule set, its evaluation cadence and the data up to ``A``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from epianalysis.rulesets.evaluate import add_derived, assign_levels, evaluate, evaluation_dates, resolve_ruleset
from epianalysis.rulesets.indicators import county_codes, indicator_grids, reference_population
from epianalysis.rulesets.model import RuleSet

HORIZON_DAYS = 28
"""Days past the as-of date the projection looks (every shipped rule set reaches its lowest level
within 14 case-free days plus one evaluation cycle)."""

MAX_CASES = 1_000_000
"""The largest number of new cases the move-up search tries."""

RESPONSE: dict[str, str] = {
    "cumulative_confirmed": "linear",
    "cumulative_local": "linear",
    "new_confirmed": "linear",
    "new_cases_7d_sum_per_100k": "linear",
    "new_cases_7d_mean_per_100k": "linear",
    "local_share": "ratio",
    "days_since_last_case": "step",
    "days_since_last_local_case": "step",
    "clusters_14d": "fixed",
    "clusters_cumulative": "fixed",
}
"""How each built-in indicator responds to ``k`` new local cases (see the module docstring)."""

STEP_STATUS = ("steps_down", "at_lowest", "not_within_horizon", "unknown")
LOWEST_STATUS = ("reaches", "at_lowest", "not_within_horizon", "unknown")
UP_STATUS = ("cases", "at_highest", "not_within_max", "unknown", "no_next_evaluation")


@dataclass
class Outlook:
    """The outcome of :func:`outlook`.

    Attributes
    ----------
    ruleset : RuleSet
    as_of : Timestamp
        The data date.
    evaluation_date : Timestamp or None
        The evaluation in force (``None``: none on or before ``as_of + data_lag_days``).
    dates : DatetimeIndex
        The evaluation dates of the projection, ``(as_of, as_of + horizon_days]`` shifted by the rule
        set's ``data_lag_days``.
    table : DataFrame
        One row per county: ``region_code``, ``name_zh``, ``name_en``, ``level`` and ``rule`` in force,
        ``next_evaluation``, ``step_down_status`` (one of :data:`STEP_STATUS`), ``step_down_date``,
        ``step_down_level``, ``step_down_rule``, ``lowest_status`` (one of :data:`LOWEST_STATUS`),
        ``lowest_date``, ``lowest_rule``,
        ``up_status`` (one of :data:`UP_STATUS`), ``up_cases``, ``up_level``.
    projected : DataFrame
        ``region_code``, ``date``, ``level``, ``rule``: the projected level on every date of ``dates``.
    counts : DataFrame
        Per projected date: ``date`` and one column per level (lowest first), then ``unknown``.
    """

    ruleset: RuleSet
    as_of: pd.Timestamp
    evaluation_date: pd.Timestamp | None
    dates: pd.DatetimeIndex
    table: pd.DataFrame
    projected: pd.DataFrame
    counts: pd.DataFrame


def extend_without_cases(
    cases: pd.DataFrame, codes: list[str], as_of: pd.Timestamp, days: int, extra: Mapping[str, int] | None = None
) -> pd.DataFrame:
    """The rows of ``cases`` up to ``as_of`` and, for every county of ``codes`` with a row on ``as_of``,
    one row per day ``as_of+1 .. as_of+days`` holding its ``confirmed`` and ``confirmed_local`` of
    ``as_of`` (plus ``extra[code]`` new local cases, when given) and ``clusters_new = 0``."""
    frame = cases[pd.to_datetime(cases["date"]) <= as_of]
    frame = frame.assign(date=pd.to_datetime(frame["date"]), region_code=frame["region_code"].astype(str))
    keep = [c for c in ("region_code", "confirmed", "confirmed_local") if c in frame]
    base = frame.loc[(frame["date"] == as_of) & frame["region_code"].isin(codes), keep].drop_duplicates("region_code")
    if extra is not None:
        add = base["region_code"].map(lambda c: int(extra.get(c, 0))).astype("Int64")
        base = base.assign(confirmed=base["confirmed"].astype("Int64") + add)
        if "confirmed_local" in base:
            base = base.assign(confirmed_local=base["confirmed_local"].astype("Int64") + add)
    future = pd.date_range(as_of + pd.Timedelta(days=1), periods=days, freq="D")
    rows = base.iloc[np.repeat(np.arange(len(base)), len(future))].reset_index(drop=True)  # every county x day
    rows["date"] = np.tile(future.to_numpy(), len(base))
    rows.attrs = {}  # new rows: none of the table's metadata
    if "clusters_new" in frame:
        rows["clusters_new"] = pd.array([0] * len(rows), dtype="Int64")
    return pd.concat([frame, rows], ignore_index=True)


def _ranks(ruleset: RuleSet, levels: np.ndarray) -> np.ndarray:
    """Rank of each level key (0 = lowest risk); NaN for the unknown level."""
    order = {key: i for i, key in enumerate(ruleset.level_keys)}
    return np.array([order.get(str(k), np.nan) for k in levels], dtype=float)


def _first(ranks: np.ndarray, hit: np.ndarray) -> tuple[int | None, bool]:
    """Index of the first ``hit`` along a county's projected dates, and whether an unknown came first."""
    for i, (rank, is_hit) in enumerate(zip(ranks, hit, strict=True)):
        if np.isnan(rank):
            return None, True
        if is_hit:
            return i, False
    return None, False


def _walk(
    ruleset: RuleSet,
    current: str,
    ranks: np.ndarray,
    dates: pd.api.extensions.ExtensionArray,
    levels: np.ndarray,
    rules: np.ndarray,
) -> dict[str, object]:
    """Step-down and lowest-level outcome of one county from its projected rows (sorted by date): the
    rank (:func:`_ranks`), date, level and rule of each."""
    out: dict[str, object] = {
        "step_down_status": "unknown",
        "step_down_date": pd.NaT,
        "step_down_level": None,
        "step_down_rule": None,
        "lowest_status": "unknown",
        "lowest_date": pd.NaT,
        "lowest_rule": None,
    }
    now = _ranks(ruleset, np.array([current]))[0]
    if np.isnan(now):
        return out
    if now == 0:
        out.update(step_down_status="at_lowest", lowest_status="at_lowest")
        return out
    for prefix, hit in (("step_down", ranks < now), ("lowest", ranks == 0)):
        index, unknown = _first(ranks, hit)
        if index is not None:
            out[f"{prefix}_status"] = "steps_down" if prefix == "step_down" else "reaches"
            out[f"{prefix}_date"] = dates[index]
            out[f"{prefix}_rule"] = rules[index]
            if prefix == "step_down":
                out["step_down_level"] = levels[index]
        elif not unknown:
            out[f"{prefix}_status"] = "not_within_horizon"
    return out


def _walks(ruleset: RuleSet, codes: list[str], levels_now: np.ndarray, projected: pd.DataFrame) -> list[dict]:
    """:func:`_walk` of every county of ``codes`` (level in force ``levels_now``) over ``projected``."""
    ranks = _ranks(ruleset, projected["level"].to_numpy())
    dates = projected["date"].array
    levels = projected["level"].to_numpy(dtype=object)
    rules = projected["rule"].to_numpy(dtype=object)
    day = projected["date"].to_numpy()
    rows = projected.groupby("region_code", sort=False).indices  # positions of each county's rows
    none = np.array([], dtype=int)
    out = []
    for i, code in enumerate(codes):
        at = rows.get(code, none)
        at = at[np.argsort(day[at], kind="stable")]
        out.append(_walk(ruleset, str(levels_now[i]), ranks[at], dates[at], levels[at], rules[at]))
    return out


def _values_at(grids: dict[str, pd.DataFrame], date: pd.Timestamp, codes: list[str]) -> dict[str, np.ndarray]:
    """The row of ``date`` of every grid, in the order of ``codes`` (NaN for a date or code not in it)."""
    first = next(iter(grids.values()), None)
    same = first is not None and all(
        g.index.equals(first.index) and g.columns.equals(first.columns) for g in grids.values()
    )
    if not (same and first.index.is_unique and first.columns.is_unique):
        return {name: grid.reindex(index=[date], columns=codes).to_numpy(float).ravel() for name, grid in grids.items()}
    row = first.index.get_indexer([date])[0]
    column = first.columns.get_indexer(codes)
    found = (column >= 0) & (row >= 0)
    return {name: np.where(found, grid.to_numpy(float)[row, column], np.nan) for name, grid in grids.items()}


def values_with_cases(
    zero: Mapping[str, np.ndarray], one: Mapping[str, np.ndarray], k: np.ndarray
) -> dict[str, np.ndarray]:
    """Indicator values with ``k`` new local cases from those with 0 (``zero``) and 1 (``one``) case,
    by :data:`RESPONSE`; ``k = 0`` gives ``zero``."""
    k = np.asarray(k, float)
    out: dict[str, np.ndarray] = {}
    for name, v0 in zero.items():
        v0, v1 = np.asarray(v0, float), np.asarray(one[name], float)
        kind = RESPONSE[name]
        if kind == "linear":  # rounded to 9 decimals: 10/7 + 60 x 1/7 is 10, as the engine computes it
            out[name] = np.round(v0 + k * (v1 - v0), 9)
        elif kind == "step":
            out[name] = np.where(k > 0, v1, v0)
        else:
            out[name] = v0
    if "local_share" in out:
        confirmed = out["cumulative_confirmed"]
        with np.errstate(invalid="ignore", divide="ignore"):
            share = out["cumulative_local"] / np.where(confirmed > 0, confirmed, np.nan)
        out["local_share"] = np.where(k > 0, share, np.asarray(zero["local_share"], float))
    return out


def _move_up(
    ruleset: RuleSet,
    known: pd.DataFrame,
    codes: list[str],
    as_of: pd.Timestamp,
    when: pd.Timestamp,
    current: np.ndarray,
    population: pd.Series,
) -> tuple[list[str], np.ndarray, list[str | None]]:
    """``up_status``, ``up_cases`` and ``up_level`` per county for :func:`outlook` (step 4): the
    evaluation of ``when`` reads the data of ``when − data_lag_days`` (after ``as_of``)."""
    read = ruleset.data_date(when)
    days = (read - as_of).days
    grids = [
        indicator_grids(extend_without_cases(known, codes, as_of, days, extra), codes, population, read)
        for extra in (None, dict.fromkeys(codes, 1))
    ]
    zero, one = (_values_at(g, read, codes) for g in grids)

    def level(k: np.ndarray) -> np.ndarray:
        values = add_derived(ruleset, values_with_cases(zero, one, k))
        return assign_levels(ruleset, values, np.full(len(codes), np.datetime64(when)))[0]

    now = _ranks(ruleset, current)
    top = len(ruleset.levels) - 1
    hi = np.full(len(codes), float(MAX_CASES))
    rank_hi = _ranks(ruleset, level(hi))
    rank_one = _ranks(ruleset, level(np.ones(len(codes))))
    raised = rank_hi > now
    lo = np.zeros(len(codes))
    hi = np.where(rank_one > now, 1.0, hi)
    while True:
        open_ = raised & (hi - lo > 1)
        if not open_.any():
            break
        mid = np.floor((lo + hi) / 2)
        up = _ranks(ruleset, level(mid)) > now
        hi = np.where(open_ & up, mid, hi)
        lo = np.where(open_ & ~up, mid, lo)
    levels_up = level(np.where(raised, hi, 1.0))
    status, cases, up_level = [], np.full(len(codes), np.nan), []
    for i in range(len(codes)):
        if np.isnan(now[i]) or np.isnan(rank_hi[i]) or np.isnan(rank_one[i]):
            status.append("unknown")
            up_level.append(None)
        elif now[i] == top:
            status.append("at_highest")
            up_level.append(None)
        elif not raised[i]:
            status.append("not_within_max")
            up_level.append(None)
        else:
            status.append("cases")
            cases[i] = hi[i]
            up_level.append(str(levels_up[i]))
    return status, cases, up_level


def outlook(
    cases: pd.DataFrame,
    ruleset: RuleSet | str,
    as_of: str | pd.Timestamp,
    regions: list[str] | None = None,
    population: Mapping[str, float] | pd.Series | None = None,
    horizon_days: int = HORIZON_DAYS,
    move_up: bool = True,
    current: pd.DataFrame | None = None,
) -> Outlook:
    """The outlook of every county on ``as_of`` under ``ruleset`` (see the module docstring).

    Parameters
    ----------
    cases : DataFrame
        Rows of the ``cases`` contract; rows after ``as_of`` are not used.
    ruleset : RuleSet or str
    as_of : date
        The data date.
    regions : list of str, optional
        County codes (default: the 90 counties).
    population : mapping or Series, optional
        Population per code (default: the region reference).
    horizon_days : int
        How far past ``as_of`` the projection looks.
    move_up : bool
        Also search what would move each county up (step 4).
    current : DataFrame, optional
        The levels table (:func:`evaluate`) of the evaluation in force, when already computed.
    """
    rs = resolve_ruleset(ruleset)
    cut = pd.Timestamp(as_of)
    codes = [str(c) for c in (regions if regions is not None else county_codes())]
    population = reference_population() if population is None else pd.Series(population, dtype=float)
    known = cases[pd.to_datetime(cases["date"]) <= cut]
    first = pd.to_datetime(known["date"]).min()
    reach = rs.last_evaluation_date(cut)  # the latest evaluation the data up to ``as_of`` can make
    past = evaluation_dates(rs, first + (reach - cut), reach) if pd.notna(first) else pd.DatetimeIndex([])
    in_force = past[-1] if len(past) else None
    if current is None:
        if in_force is None:
            current = pd.DataFrame({"region_code": codes, "level": rs.unknown.key, "rule": "unknown"})
        else:
            current = evaluate(known, rs, start=in_force, end=in_force, regions=codes, population=population).levels
    current = current.set_index(current["region_code"].astype(str)).reindex(codes)
    levels_now = current["level"].fillna(rs.unknown.key).to_numpy(dtype=object)
    extended = extend_without_cases(known, codes, cut, horizon_days)
    end = reach + pd.Timedelta(days=horizon_days)
    future = evaluate(extended, rs, start=reach + pd.Timedelta(days=1), end=end, regions=codes, population=population)
    projected = future.levels[["region_code", "date", "level", "rule"]].copy()
    projected["region_code"] = projected["region_code"].astype(str)
    dates = pd.DatetimeIndex(future.counts["date"])
    rows = _walks(rs, codes, levels_now, projected)
    table = pd.DataFrame(
        {
            "region_code": codes,
            "name_zh": current.get("name_zh", pd.Series(index=codes, dtype=object)).to_numpy(dtype=object),
            "name_en": current.get("name_en", pd.Series(index=codes, dtype=object)).to_numpy(dtype=object),
            "level": levels_now,
            "rule": current["rule"].fillna("unknown").to_numpy(dtype=object),
            "next_evaluation": dates[0] if len(dates) else pd.NaT,
        }
    )
    table = pd.concat([table, pd.DataFrame(rows)], axis=1)
    if move_up and len(dates) and len(codes):
        status, up_cases, up_level = _move_up(rs, known, codes, cut, dates[0], levels_now, population)
    else:
        status = ["no_next_evaluation" if not len(dates) else "unknown"] * len(codes)
        up_cases, up_level = np.full(len(codes), np.nan), [None] * len(codes)
    table["up_status"] = status
    table["up_cases"] = pd.array([None if np.isnan(v) else int(v) for v in up_cases], dtype="Int64")
    table["up_level"] = up_level
    return Outlook(rs, cut, in_force, dates, table, projected, future.counts)


def latest_lowest_date(
    ruleset: RuleSet | str, date: str | pd.Timestamp, confirmed: int = 10_000
) -> pd.Timestamp | None:
    """The evaluation date by which a county whose last case was reported on ``date`` (a data date)
    reaches the lowest level at the latest if no new case follows, from the rule set, its cadence and
    its ``data_lag_days`` alone.

    Computed by :func:`outlook` on one county of 100 000 people that reports ``confirmed`` cases and a
    cluster outbreak on ``date`` after 14 days without any: the worst case a published level alone
    allows (the highest level of every shipped rule set, the last case on the day). ``None`` when the
    lowest level is not reached within :data:`HORIZON_DAYS`.
    """
    rs = resolve_ruleset(ruleset)
    day = pd.Timestamp(date)
    span = pd.date_range(day - pd.Timedelta(days=14), day, freq="D")
    count = [0] * (len(span) - 1) + [int(confirmed)]
    cases = pd.DataFrame(
        {
            "date": span,
            "region_code": "000001",
            "confirmed": pd.array(count, dtype="Int64"),
            "confirmed_local": pd.array(count, dtype="Int64"),
            "clusters_new": pd.array([0] * (len(span) - 1) + [1], dtype="Int64"),
        }
    )
    worst = pd.DataFrame({"region_code": ["000001"], "level": [rs.level_keys[-1]], "rule": ["worst_case"]})
    # the level in force is the highest one even when ``date`` is not an evaluation date
    result = outlook(cases, rs, day, ["000001"], {"000001": 100_000.0}, move_up=False, current=worst)
    lowest = result.table["lowest_date"].iloc[0]
    return None if pd.isna(lowest) else pd.Timestamp(lowest)
