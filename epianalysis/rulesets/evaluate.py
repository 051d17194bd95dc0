"""Evaluate a risk-zoning rule set on the ``cases`` table: levels, counts per level, changes.

How a level is decided (one generic engine for every rule set; the rules are data):

1. Indicators per county and day (:mod:`epianalysis.rulesets.indicators`), derived scores
   (``Σ weight · points``) added.
2. Each condition ``indicator op value`` is True, False or unknown (the indicator is missing).
   A rule's conditions are combined with three-valued (Kleene) AND: False if any is False, else
   unknown if any is unknown, else True.
3. Rules are tried in order; the first True rule fires. If an unknown rule comes before it, the
   level is *unknown* (the earlier rule might have fired): missing inputs never give a guessed level.
4. Downgrades (rules marked ``downgrade = true`` only): every downgrade whose condition holds lowers
   the level by ``steps`` (not below ``min_level``) or to ``to_level``; the lowest result wins. An
   unknown downgrade condition makes the level unknown. A downgrade with ``effective_from`` applies from that date on.
5. Evaluation dates follow the rule set's schedule (``start`` + k · ``every_days``), else every day.
6. The evaluation of date ``E`` reads the indicators of the data date ``E − data_lag_days``
   (``[schedule] data_lag_days``, default 0; docs/rulesets.md#the-data-an-evaluation-reads); downgrades
   with ``effective_from`` compare the evaluation date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from epianalysis.rulesets.indicators import indicator_grids, points
from epianalysis.rulesets.load import load_ruleset
from epianalysis.rulesets.model import Condition, RuleSet

_OPS = {
    "==": np.equal,
    "!=": np.not_equal,
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
}


def condition_value(values: np.ndarray, condition: Condition) -> np.ndarray:
    """Three-valued truth of ``values op threshold``: 1.0 True, 0.0 False, NaN unknown (NaN input)."""
    values = np.asarray(values, float)
    with np.errstate(invalid="ignore"):
        truth = _OPS[condition.op](values, condition.value).astype(float)
    return np.where(np.isnan(values), np.nan, truth)


def kleene_and(truths: list[np.ndarray]) -> np.ndarray:
    """Three-valued AND: 0 if any is 0, else NaN if any is NaN, else 1."""
    stack = np.vstack(truths)
    any_false = (stack == 0).any(axis=0)
    any_unknown = np.isnan(stack).any(axis=0)
    return np.where(any_false, 0.0, np.where(any_unknown, np.nan, 1.0))


def resolve_ruleset(ruleset: RuleSet | str) -> RuleSet:
    """A :class:`RuleSet` as given, or loaded by shipped name or file path."""
    return ruleset if isinstance(ruleset, RuleSet) else load_ruleset(ruleset)


def evaluation_dates(ruleset: RuleSet, first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
    """The schedule's dates within ``[first, last]`` (every day without a schedule)."""
    if ruleset.schedule_start is None:
        return pd.date_range(first, last, freq="D")
    anchor = pd.Timestamp(ruleset.schedule_start)
    step = ruleset.schedule_every_days
    if first > anchor:
        offset = (first - anchor).days
        anchor = anchor + pd.Timedelta(days=-(-offset // step) * step)
    return pd.date_range(anchor, last, freq=f"{step}D") if anchor <= last else pd.DatetimeIndex([])


def add_derived(ruleset: RuleSet, values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Add each derived score ``Σ weight · points(indicator)`` to ``values`` (flat arrays, in place;
    NaN where an input is NaN) and return it."""
    for derived in ruleset.derived:
        total = 0.0
        for comp in derived.components:
            total = total + comp.weight * points(np.asarray(values[comp.indicator], float), comp.breaks, comp.points)
        values[derived.name] = np.asarray(total, float)
    return values


def assign_levels(
    ruleset: RuleSet, values: Mapping[str, np.ndarray], dates: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Level, rule and missing inputs for flat arrays of indicator values (the engine, steps 2–4).

    ``dates`` (datetime64 per value) is needed only for downgrades with ``effective_from``.
    Returns three object arrays: level key (the unknown key where undecided), the rule that fired
    (with ``+<downgrade id>`` appended when one applied; ``unknown`` where undecided) and the names of
    the missing indicators that left the level undecided (``;``-joined, "" otherwise; for a derived
    score, its missing inputs).
    """
    n = len(next(iter(values.values())))
    unknown = ruleset.unknown.key
    level = np.full(n, unknown, dtype=object)
    rule_id = np.full(n, "unknown", dtype=object)
    missing = np.full(n, "", dtype=object)
    downgradable = np.zeros(n, dtype=bool)
    inputs = {d.name: [c.indicator for c in d.components] for d in ruleset.derived}
    open_ = np.ones(n, dtype=bool)
    for rule in ruleset.rules:
        truth = kleene_and([condition_value(values[c.indicator], c) for c in rule.conditions])
        fired = open_ & (truth == 1)
        undecided = open_ & np.isnan(truth)
        level[fired] = rule.level
        rule_id[fired] = rule.id
        downgradable[fired] = rule.downgrade
        for c in rule.conditions:
            for name in inputs.get(c.indicator, [c.indicator]):
                gap = undecided & np.isnan(np.asarray(values[name], float))
                missing[gap] = [m + (";" if m else "") + name if name not in m.split(";") else m for m in missing[gap]]
        open_ &= ~(fired | undecided)
    missing[open_] = ""
    rule_id[open_] = "no_rule_matched"
    if ruleset.downgrades:
        keys = ruleset.level_keys
        index = np.array([keys.index(k) if k in keys else -1 for k in level])
        lowered = index.copy()
        applied = np.full(n, "", dtype=object)
        for dg in ruleset.downgrades:
            truth = condition_value(values[dg.condition.indicator], dg.condition)
            if dg.effective_from is not None:
                truth = np.where(dates >= np.datetime64(dg.effective_from), truth, 0.0)
            if dg.to_level is not None:
                target = keys.index(dg.to_level)
            else:
                floor = keys.index(dg.min_level) if dg.min_level is not None else 0
                target = np.maximum(index - dg.steps, np.minimum(floor, index))
            hit = downgradable & (truth == 1) & (np.minimum(lowered, target) < lowered)
            lowered = np.where(hit, np.minimum(lowered, target), lowered)
            applied[hit] = dg.id
            gap = downgradable & np.isnan(truth)
            level[gap] = unknown
            rule_id[gap] = "unknown"
            missing[gap] = dg.condition.indicator
            downgradable &= ~gap
        change = downgradable & (lowered != index)
        level[change] = [keys[i] for i in lowered[change]]
        rule_id[change] = [f"{r}+{a}" for r, a in zip(rule_id[change], applied[change])]
    return level, rule_id, missing


@dataclass
class ZoningResult:
    """The outcome of :func:`evaluate`.

    Attributes
    ----------
    ruleset : RuleSet
    levels : DataFrame
        Per county and evaluation date: ``region_code``, ``name_zh``, ``name_en``, ``date``, ``data_date``
        (the data date the evaluation reads, ``date − data_lag_days``), ``level``,
        ``colour``, ``label_en``, ``label_zh``, ``rule``, ``previous_level``, ``missing_inputs`` and
        the value of every indicator the rule set reads.
    counts : DataFrame
        Per evaluation date: ``date`` and one column per level (rule-set order, lowest risk first),
        then ``unknown``.
    changes : DataFrame
        ``region_code``, ``name_zh``, ``name_en``, ``date``, ``from`` and ``to`` (level keys), one row
        per county and evaluation whose level differs from the previous evaluation's. The engine
        writes no press text: the sentences ("义乌由黄转蓝") are the zoning topic's
        (:func:`epianalysis.topics.zoning.view.change_sentence`).
    """

    ruleset: RuleSet
    levels: pd.DataFrame
    counts: pd.DataFrame
    changes: pd.DataFrame


def _names(codes: list[str]) -> pd.DataFrame:
    from epianalysis.reference.regions import load_regions

    ref = load_regions()[["code", "name_zh", "name_en"]].rename(columns={"code": "region_code"})
    ref["region_code"] = ref["region_code"].astype(str)
    if not ref["region_code"].is_unique:
        return pd.DataFrame({"region_code": codes}).merge(ref, on="region_code", how="left")
    at = pd.Index(ref["region_code"]).get_indexer(codes)  # -1: not in the reference (no name)
    names = {name: ref[name].array.take(at, allow_fill=True) for name in ("name_zh", "name_en")}
    return pd.DataFrame({"region_code": codes, **names})


def evaluate(
    cases: pd.DataFrame,
    ruleset: RuleSet | str,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    regions: list[str] | None = None,
    population: Mapping[str, float] | pd.Series | None = None,
) -> ZoningResult:
    """Zone every county on every evaluation date of ``[start, end]`` under ``ruleset``.

    Pure (no I/O besides reading the packaged rule set when a name is given). See the module
    docstring for the engine and :class:`ZoningResult` for the output.

    Parameters
    ----------
    cases : DataFrame
        Rows of the ``cases`` contract (other levels ignored).
    ruleset : RuleSet or str
        A rule set, a shipped name (``"zhejiang-2020"``) or the path of a TOML file.
    start, end : date, optional
        Evaluation dates (default: those whose data date, ``date − data_lag_days``, lies between the first
        and the last data date; from the schedule start on). With ``end`` given, data dated after
        ``end − data_lag_days`` are not read.
    regions : list of str, optional
        County codes (default: the 90 counties). A county without data is *unknown*.
    population : mapping or Series, optional
        Population per code (default: the region reference).
    """
    rs = resolve_ruleset(ruleset)
    lag = pd.Timedelta(days=rs.data_lag_days)
    grids = indicator_grids(cases, regions, population, None if end is None else rs.data_date(end))
    calendar = grids["cumulative_confirmed"].index
    codes = list(grids["cumulative_confirmed"].columns)
    first = pd.Timestamp(start) if start is not None else (calendar[0] + lag if len(calendar) else None)
    last = pd.Timestamp(end) if end is not None else (calendar[-1] + lag if len(calendar) else None)
    dates = evaluation_dates(rs, first, last) if first is not None else pd.DatetimeIndex([])
    dates = dates[(dates - lag).isin(calendar)] if start is None else dates
    read = dates - lag  # the data date each evaluation reads
    n_dates, n_codes = len(dates), len(codes)
    values: dict[str, np.ndarray] = {}
    for name in dict.fromkeys([*rs.indicator_names]):
        if name in grids:
            values[name] = grids[name].reindex(read).to_numpy().ravel()
    add_derived(rs, values)
    flat_dates = np.repeat(dates.to_numpy(), n_codes)
    level, rule_id, missing = (
        assign_levels(rs, values, flat_dates)
        if n_dates * n_codes
        else (np.array([], object), np.array([], object), np.array([], object))
    )
    names = _names(codes)
    lookup = {lv.key: lv for lv in (*rs.levels, rs.unknown)}
    columns = {
        "region_code": np.tile(codes, n_dates),
        "name_zh": np.tile(names["name_zh"].to_numpy(), n_dates),
        "name_en": np.tile(names["name_en"].to_numpy(), n_dates),
        "date": flat_dates,
        "data_date": np.repeat(read.to_numpy(), n_codes),
        "level": level,
        "colour": [lookup[k].colour for k in level],
        "label_en": [lookup[k].label_en for k in level],
        "label_zh": [lookup[k].label_zh for k in level],
        "rule": rule_id,
        "previous_level": _previous(level, codes),
        "missing_inputs": missing,
    }
    table = pd.DataFrame({**columns, **values})  # an indicator named like a column replaces it in place
    return ZoningResult(rs, table, _counts(rs, table, dates), _changes(table))


def _previous(level: np.ndarray, codes: list[str]) -> pd.Series:
    """The level of the same county on the previous evaluation date (NaN on the first one), for levels
    in date-major order (``level[i · n + j]``: date ``i``, county ``codes[j]``, ``n`` counties)."""
    levels = pd.Series(level)
    n = len(codes)
    if len(set(codes)) < n:  # a code given twice: the rows of one code, in date order, follow each other
        frame = pd.DataFrame({"region_code": np.tile(codes, len(level) // n), "level": levels})
        order = frame.sort_values("region_code", kind="stable")
        return order.groupby("region_code", sort=False)["level"].shift(1).sort_index()
    return levels.shift(n)


def _counts(rs: RuleSet, table: pd.DataFrame, dates: pd.DatetimeIndex) -> pd.DataFrame:
    order = [*rs.level_keys, rs.unknown.key]
    row = dates.get_indexer(table["date"])
    column = pd.Index(order).get_indexer(table["level"])
    known = (row >= 0) & (column >= 0)  # every row is on one of ``dates`` and at one of the levels
    grid = np.zeros((len(dates), len(order)), dtype="int64")
    np.add.at(grid, (row[known], column[known]), 1)
    return pd.DataFrame(grid, index=dates, columns=list(order)).rename_axis("date").reset_index()


def _changes(table: pd.DataFrame) -> pd.DataFrame:
    changed = table[table["previous_level"].notna() & (table["previous_level"] != table["level"])]
    out = (
        changed[["region_code", "name_zh", "name_en", "date", "previous_level", "level"]]
        .rename(columns={"previous_level": "from", "level": "to"})
        .reset_index(drop=True)
    )
    return out.sort_values(["date", "region_code"], kind="stable").reset_index(drop=True)
