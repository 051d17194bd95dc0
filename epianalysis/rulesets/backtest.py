"""Backtest of a zoning rule set: did the level on day D separate counties by what came next?

For every county and evaluation date E in the period, read from the data date D = E − ``data_lag_days``
(docs/rulesets.md#the-data-an-evaluation-reads; D = E without a lag), the outcome is the number of new
local cases in D+1..D+h (h = ``horizon``, default 14), the cases the evaluation could not see:

    outcome(c, E) = local(c, D+h) − local(c, D)      (cumulative local confirmed; all confirmed for a
                                                      county whose local split is not given)
    rate(c, E)    = outcome(c, E) / population(c) × 100000

Per level: ``n`` county-days, ``n_outcome`` with a known outcome (both days known), ``mean_per_100k``
(mean of ``rate`` over those county-days), ``share_any_case`` (share with ``outcome > 0``). The order
holds when, over levels from the lowest to the highest risk that have at least one known outcome, both
the mean rate and the share with any case never decrease. A revision inside the horizon enters the
outcome as the net change it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from epianalysis.epidemic import wide
from epianalysis.rulesets.evaluate import ZoningResult, evaluate, resolve_ruleset
from epianalysis.rulesets.indicators import reference_population
from epianalysis.rulesets.model import RuleSet


@dataclass
class BacktestResult:
    """Outcome of :func:`backtest`.

    Attributes
    ----------
    ruleset : RuleSet
    horizon : int
    table : DataFrame
        One row per level (rule-set order, then unknown): ``level``, ``label_en``, ``label_zh``,
        ``n``, ``n_outcome``, ``mean_per_100k``, ``share_any_case``.
    order_holds : bool
        Mean rate and share with any case non-decreasing from the lowest to the highest level.
    zoning : ZoningResult
        The evaluation the backtest used.
    """

    ruleset: RuleSet
    horizon: int
    table: pd.DataFrame
    order_holds: bool
    zoning: ZoningResult


def _non_decreasing(values: pd.Series) -> bool:
    known = values.dropna().to_numpy()
    return bool(np.all(np.diff(known) >= -1e-12))


def outcomes(
    cases: pd.DataFrame, codes: list[str], dates: pd.DatetimeIndex, horizon: int, population: pd.Series
) -> tuple[np.ndarray, np.ndarray]:
    """New local cases in D+1..D+horizon and the rate per 100 k, flat in (date, code) order."""
    frame = cases.copy()
    frame["region_code"] = frame["region_code"].astype(str)
    if "confirmed_local" not in frame:
        frame["confirmed_local"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    calendar = pd.date_range(pd.to_datetime(frame["date"]).min(), dates.max() + pd.Timedelta(days=horizon))
    local = wide(frame, "confirmed_local", calendar, codes)
    confirmed = wide(frame, "confirmed", calendar, codes)
    local = local.where(local.notna().any(axis=0), confirmed, axis=1)
    new = (local.shift(-horizon) - local).reindex(dates)
    pop = population.reindex(codes).to_numpy(dtype=float)
    rate = new.to_numpy() / np.where(pop > 0, pop, np.nan) * 100_000.0
    return new.to_numpy().ravel(), rate.ravel()


def backtest(
    cases: pd.DataFrame,
    ruleset: RuleSet | str,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    horizon: int = 14,
    regions: list[str] | None = None,
    population: Mapping[str, float] | pd.Series | None = None,
) -> BacktestResult:
    """Backtest ``ruleset`` on its evaluation dates in ``[start, end]`` (see the module docstring).

    Pure and vectorised. Outcomes past the last data date are unknown and left out of the means
    (``n_outcome`` < ``n``), never extrapolated.
    """
    rs = resolve_ruleset(ruleset)
    population = reference_population() if population is None else pd.Series(population, dtype=float)
    zoning = evaluate(cases, rs, start=start, end=end, regions=regions, population=population)
    levels = zoning.levels
    codes = list(dict.fromkeys(levels["region_code"]))
    dates = pd.DatetimeIndex(pd.unique(levels["date"]))
    frame = levels[["region_code", "date", "level"]].copy()
    if len(dates):
        new, rate = outcomes(cases, codes, dates - pd.Timedelta(days=rs.data_lag_days), horizon, population)
        # levels are laid out date-major over the same codes, as the outcome arrays
        frame["new_local"] = new
        frame["rate"] = rate
    else:
        frame["new_local"] = np.nan
        frame["rate"] = np.nan
    known = frame["rate"].notna()
    order = [*rs.level_keys, rs.unknown.key]
    grouped = frame.groupby("level")
    table = pd.DataFrame(
        {
            "level": order,
            "label_en": [rs.level(k).label_en for k in order],
            "label_zh": [rs.level(k).label_zh for k in order],
            "n": grouped.size().reindex(order, fill_value=0).astype("int64").to_numpy(),
            "n_outcome": frame[known].groupby("level").size().reindex(order, fill_value=0).astype("int64").to_numpy(),
            "mean_per_100k": frame[known].groupby("level")["rate"].mean().reindex(order).to_numpy(),
            "share_any_case": (frame[known]["new_local"] > 0)
            .groupby(frame[known]["level"])
            .mean()
            .reindex(order)
            .to_numpy(dtype=float),
        }
    )
    ranked = table[table["level"] != rs.unknown.key]
    holds = _non_decreasing(ranked["mean_per_100k"]) and _non_decreasing(ranked["share_any_case"])
    return BacktestResult(rs, horizon, table, holds, zoning)


def compare(
    cases: pd.DataFrame,
    rulesets: Sequence[RuleSet | str],
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    horizon: int = 14,
    regions: list[str] | None = None,
    population: Mapping[str, float] | pd.Series | None = None,
) -> pd.DataFrame:
    """Backtests of several rule sets side by side: the rows of each :class:`BacktestResult` table
    with ``ruleset``, ``rank`` (0 = lowest risk; unknown last) and ``order_holds`` columns."""
    parts = []
    for ruleset in rulesets:
        result = backtest(cases, ruleset, start, end, horizon, regions, population)
        part = result.table.copy()
        part.insert(0, "ruleset", result.ruleset.name)
        part.insert(2, "rank", range(len(part)))
        part["order_holds"] = result.order_holds
        parts.append(part)
    return pd.concat(parts, ignore_index=True)
