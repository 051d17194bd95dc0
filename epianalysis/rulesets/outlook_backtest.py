"""Did the outlook come true? A descriptive backtest of :func:`epianalysis.rulesets.outlook.outlook`
(docs/rulesets.md#backtest-of-the-outlook).

**On a cases table** (:func:`backtest_outlook`). For every evaluation date ``D`` of the period, the
outlook is made from the data up to the data date ``D − lag`` only (``lag`` the rule set's
``data_lag_days``, 0 unless its file says otherwise; docs/rulesets.md#the-data-an-evaluation-reads), so
that ``D`` is the evaluation in force. Each county predicted to step down on ``S`` (and,
separately, to reach the lowest level on ``L``) is then compared with its level on ``S`` (``L``)
evaluated on all the data:

    held     the level on S is below the level on D (on L: the lowest level)
    broken   it is not, and a new case was reported on D+1 .. S (data dates D−lag+1 .. S−lag; the
             prediction's condition failed)
    missed   it is not, without a new case (a revision or a cluster report moved it)
    unknown  S − lag lies after the last data date, or the level on S is unknown

**On published maps** (:func:`published_check`), which give levels but no county cases: for every two
maps ``D1 < D2`` and every county on both, a county above the lowest level on ``D1`` is *due* at the
lowest level on ``D2`` when ``D2`` is on or after :func:`~epianalysis.rulesets.outlook.latest_lowest_date`
of ``D1 − lag``, the data date of ``D1`` (the date by which even a case on that day has run out if no new
case follows). A due county not
at the lowest level on ``D2`` means a new case, or rules other than ours. A county at the lowest level on
``D1`` either stays there or rises (a new case).

Both describe what happened in the data at hand; neither is evidence that the rules are right.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from epianalysis.epidemic import wide
from epianalysis.rulesets.evaluate import evaluate, resolve_ruleset
from epianalysis.rulesets.indicators import county_codes
from epianalysis.rulesets.model import RuleSet
from epianalysis.rulesets.outlook import HORIZON_DAYS, latest_lowest_date, outlook

OUTCOMES = ("held", "broken", "missed", "unknown")


@dataclass
class OutlookBacktest:
    """Outcome of :func:`backtest_outlook`.

    Attributes
    ----------
    ruleset : RuleSet
    detail : DataFrame
        One row per county, evaluation date and prediction: ``date``, ``region_code``, ``prediction``
        (``step_down`` or ``lowest``), ``level`` on the date, ``predicted_date``, ``observed_level``,
        ``new_case`` (a new case on the data dates after the date's up to the predicted date's; NA when
        unknown) and ``outcome``
        (one of :data:`OUTCOMES`).
    table : DataFrame
        Per evaluation date and prediction: ``date``, ``prediction``, ``predicted`` and one column per
        outcome.
    totals : DataFrame
        Per prediction: the same counts over all dates and ``share_held`` = held / (held + broken +
        missed) (NaN without a known outcome).
    """

    ruleset: RuleSet
    detail: pd.DataFrame
    table: pd.DataFrame
    totals: pd.DataFrame


def _rank(ruleset: RuleSet, key: object) -> float:
    keys = ruleset.level_keys
    return float(keys.index(key)) if key in keys else np.nan


def backtest_outlook(
    cases: pd.DataFrame,
    ruleset: RuleSet | str,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    regions: list[str] | None = None,
    population: Mapping[str, float] | pd.Series | None = None,
    horizon_days: int = HORIZON_DAYS,
) -> OutlookBacktest:
    """Backtest the outlook of ``ruleset`` on its evaluation dates in ``[start, end]`` (default: all)."""
    rs = resolve_ruleset(ruleset)
    codes = [str(c) for c in (regions if regions is not None else county_codes())]
    full = evaluate(cases, rs, regions=codes, population=population).levels
    full["region_code"] = full["region_code"].astype(str)
    observed = full.set_index(["region_code", "date"])["level"]
    dates = pd.DatetimeIndex(pd.unique(full["date"])).sort_values()
    if start is not None:
        dates = dates[dates >= pd.Timestamp(start)]
    if end is not None:
        dates = dates[dates <= pd.Timestamp(end)]
    frame = cases.copy()
    frame["region_code"] = frame["region_code"].astype(str)
    calendar = pd.date_range(pd.to_datetime(frame["date"]).min(), pd.to_datetime(frame["date"]).max(), freq="D")
    confirmed = wide(frame, "confirmed", calendar, codes)
    last_data = calendar[-1] if len(calendar) else None
    rows = []
    for day in dates:
        current = full[full["date"] == day]
        result = outlook(cases, rs, rs.data_date(day), codes, population, horizon_days, move_up=False, current=current)
        for row in result.table.itertuples(index=False):
            for prediction, status, when in (
                ("step_down", row.step_down_status, row.step_down_date),
                ("lowest", row.lowest_status, row.lowest_date),
            ):
                if status not in ("steps_down", "reaches"):
                    continue
                rows.append(
                    _judge(rs, row.region_code, row.level, day, prediction, when, observed, confirmed, last_data)
                )
    columns = ["date", "region_code", "prediction", "level", "predicted_date", "observed_level", "new_case", "outcome"]
    detail = pd.DataFrame(rows, columns=columns)
    return OutlookBacktest(rs, detail, _table(detail, dates), _totals(detail))


def _judge(rs, code, level, day, prediction, when, observed, confirmed, last_data) -> tuple:
    when = pd.Timestamp(when)
    known = last_data is not None and rs.data_date(when) <= last_data
    seen = observed.get((code, when)) if known else None
    new_case = pd.NA
    if known:
        span = confirmed.loc[rs.data_date(day) : rs.data_date(when), code].astype(float)
        rises = span.diff().iloc[1:]
        new_case = pd.NA if rises.isna().any() else bool((rises > 0).any())
    target = _rank(rs, seen)
    if seen is None or np.isnan(target):
        outcome = "unknown"
    elif (target < _rank(rs, level)) if prediction == "step_down" else (target == 0):
        outcome = "held"
    elif new_case is pd.NA:
        outcome = "unknown"
    else:
        outcome = "broken" if new_case else "missed"
    return (day, code, prediction, level, when, seen, new_case, outcome)


def _table(detail: pd.DataFrame, dates: pd.DatetimeIndex) -> pd.DataFrame:
    index = pd.MultiIndex.from_product([dates, ["step_down", "lowest"]], names=["date", "prediction"])
    counts = detail.groupby(["date", "prediction", "outcome"]).size().unstack("outcome")
    counts = counts.reindex(index=index, columns=list(OUTCOMES)).fillna(0).astype("int64")
    counts.insert(0, "predicted", counts.sum(axis=1))
    return counts.reset_index()


def _totals(detail: pd.DataFrame) -> pd.DataFrame:
    counts = detail.groupby(["prediction", "outcome"]).size().unstack("outcome")
    counts = counts.reindex(index=["step_down", "lowest"], columns=list(OUTCOMES)).fillna(0).astype("int64")
    counts.insert(0, "predicted", counts.sum(axis=1))
    judged = counts["held"] + counts["broken"] + counts["missed"]
    counts["share_held"] = (counts["held"] / judged.where(judged > 0)).astype(float)
    return counts.reset_index()


PUBLISHED_OUTCOMES = ("stayed_lowest", "rose", "reached_when_due", "not_reached_when_due", "reached_early", "not_due")


def published_check(published: pd.DataFrame, ruleset: RuleSet | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check published maps against the outlook of ``ruleset`` (see the module docstring).

    Parameters
    ----------
    published : DataFrame
        ``date``, ``region_code``, ``level`` (level keys of ``ruleset``): the published maps.

    Returns
    -------
    (detail, table)
        ``detail``: one row per pair of maps and county on both: ``from_date``, ``to_date``,
        ``region_code``, ``level_from``, ``level_to``, ``due_date`` (the latest lowest date of the
        data date of ``from_date``), ``outcome`` (one of :data:`PUBLISHED_OUTCOMES`). ``table``: per pair, the
        counties on both maps and the count of each outcome.
    """
    rs = resolve_ruleset(ruleset)
    frame = published.copy()
    frame["date"] = pd.to_datetime(frame["date"])
    frame["region_code"] = frame["region_code"].astype(str)
    maps = {day: part.set_index("region_code")["level"] for day, part in frame.groupby("date")}
    days = sorted(maps)
    lowest = rs.level_keys[0]
    rows = []
    for i, first in enumerate(days):
        due = latest_lowest_date(rs, rs.data_date(first))
        for second in days[i + 1 :]:
            both = maps[first].index.intersection(maps[second].index)
            for code in sorted(both):
                before, after = maps[first][code], maps[second][code]
                is_due = due is not None and second >= due
                if before == lowest:
                    outcome = "stayed_lowest" if after == lowest else "rose"
                elif after == lowest:
                    outcome = "reached_when_due" if is_due else "reached_early"
                else:
                    outcome = "not_reached_when_due" if is_due else "not_due"
                rows.append((first, second, code, before, after, due, outcome))
    detail = pd.DataFrame(
        rows, columns=["from_date", "to_date", "region_code", "level_from", "level_to", "due_date", "outcome"]
    )
    table = detail.groupby(["from_date", "to_date", "due_date"], dropna=False)["outcome"].value_counts().unstack()
    table = table.reindex(columns=list(PUBLISHED_OUTCOMES)).fillna(0).astype("int64")
    table.insert(0, "counties", table.sum(axis=1))
    return detail, table.reset_index()
