"""The outlook checked against what happened, as ``notebooks/explore/rule_sets.ipynb`` shows it.

Two descriptive checks (:mod:`epianalysis.rulesets.outlook_backtest`; docs/rulesets.md#backtest-of-the-outlook):
on the cases of the data folder (for every evaluation date, how often a county predicted to step down
did so, and how often a new case broke the prediction), and on the published county levels of the real
five-colour maps (``zhejiang_county_risk_levels.csv`` of the real public data, ``examples/real/``).
This module reads the published file, picks the period and presents; it computes no level itself.
Texts: ``explore/labels.toml``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from epianalysis.paths import project_root
from epianalysis.rulesets.evaluate import resolve_ruleset
from epianalysis.rulesets.outlook_backtest import OUTCOMES, PUBLISHED_OUTCOMES, backtest_outlook, published_check
from epianalysis.text import format as fmt
from epianalysis.text.labels import label

BACKTEST_RULESETS = ("zhejiang-2020", "national-2020")
"""The rule sets whose outlook the notebook checks (the two of the Zhejiang response)."""

PUBLISHED_FILE = "zhejiang_county_risk_levels.csv"
"""The published county levels in the real public data folder (its README describes the file)."""


def real_data_dir(given: str | os.PathLike | None = None) -> Path:
    """The real public data folder: ``given`` (relative paths from the project root), else
    ``$EPIANALYSIS_REAL_DATA``, else ``examples/real`` of the checkout."""
    if given:
        path = Path(given)
        return path if path.is_absolute() else project_root() / path
    env = os.environ.get("EPIANALYSIS_REAL_DATA")
    return Path(env) if env else project_root() / "examples" / "real"


def published_levels(folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """The published county levels: ``date``, ``region_code``, ``level`` (the ``zhejiang-2020`` level
    key, which is the file's ``colour``), ``derivation`` (stated, implied or derived, as the file says)."""
    raw = pd.read_csv(real_data_dir(folder) / PUBLISHED_FILE, dtype={"county_code": str})
    return pd.DataFrame(
        {
            "date": pd.to_datetime(raw["as_of_date"]),
            "region_code": raw["county_code"].astype(str),
            "level": raw["colour"].astype(str),
            "derivation": raw["derivation"].astype(str),
        }
    )


def scenario_backtests(
    cases: pd.DataFrame, as_of: dt.date | str, start: str, rulesets: Sequence[str] = BACKTEST_RULESETS
) -> dict[str, object]:
    """:func:`~epianalysis.rulesets.outlook_backtest.backtest_outlook` of each rule set on its evaluation
    dates from ``start`` to the last one the data known on ``as_of`` can make (``as_of`` plus the rule
    set's ``data_lag_days``), with those data only (later outcomes are unknown)."""
    known = cases[pd.to_datetime(cases["date"]) <= pd.Timestamp(as_of)]
    return {
        name: backtest_outlook(known, name, start=start, end=resolve_ruleset(name).last_evaluation_date(as_of))
        for name in rulesets
    }


def totals_table(results: dict[str, object], lang: str) -> pd.DataFrame:
    """The totals of each rule set's backtest in ``lang``: rule set, prediction, predicted, each outcome
    and the share held."""
    rows = []
    for name, result in results.items():
        for r in result.totals.to_dict("records"):
            rows.append(
                [name, label(f"explore.prediction_{r['prediction']}", lang), fmt.count(r["predicted"], lang)]
                + [fmt.count(r[o], lang) for o in OUTCOMES]
                + [fmt.percent(r["share_held"], lang)]
            )
    columns = [label("explore.ruleset_name", lang), label("explore.prediction", lang), label("explore.predicted", lang)]
    columns += [label(f"explore.outcome_{o}", lang) for o in OUTCOMES] + [label("explore.share_held", lang)]
    return pd.DataFrame(rows, columns=columns)


def by_date_table(result, lang: str) -> pd.DataFrame:
    """One rule set's step-down predictions per evaluation date in ``lang``."""
    table = result.table[result.table["prediction"] == "step_down"]
    out = pd.DataFrame({label("explore.evaluation_date", lang): [fmt.date(d, lang) for d in table["date"]]})
    out[label("explore.predicted", lang)] = [fmt.count(n, lang) for n in table["predicted"]]
    for o in OUTCOMES:
        out[label(f"explore.outcome_{o}", lang)] = [fmt.count(n, lang) for n in table[o]]
    return out


def published(folder: str | os.PathLike | None = None, ruleset: str = "zhejiang-2020") -> pd.DataFrame:
    """:func:`~epianalysis.rulesets.outlook_backtest.published_check` of the published maps: per pair of
    maps, the counties on both and the count of each outcome."""
    return published_check(published_levels(folder), ruleset)[1]


def published_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The :func:`published` table in ``lang``."""
    out = pd.DataFrame(
        {
            label("explore.map_from", lang): [fmt.date(d, lang) for d in table["from_date"]],
            label("explore.map_to", lang): [fmt.date(d, lang) for d in table["to_date"]],
            label("explore.due_date", lang): [fmt.date(d, lang) for d in table["due_date"]],
            label("explore.map_counties", lang): [fmt.count(n, lang) for n in table["counties"]],
        }
    )
    for o in PUBLISHED_OUTCOMES:
        out[label(f"explore.published_{o}", lang)] = [fmt.count(n, lang) for n in table[o]]
    return out


def reading(results: dict[str, object], published_counts: pd.DataFrame | None, lang: str) -> str:
    """What the checks show, stated as description: one sentence per rule set, one on the published maps."""
    lines = []
    for name, result in results.items():
        step = result.totals.set_index("prediction").loc["step_down"]
        lines.append(
            label(
                "explore.outlook_reading",
                lang,
                ruleset=name,
                predicted=fmt.count(step["predicted"], lang),
                held=fmt.count(step["held"], lang),
                broken=fmt.count(step["broken"], lang),
                missed=fmt.count(step["missed"], lang),
                share=fmt.percent(step["share_held"], lang),
            )
        )
    if published_counts is not None and len(published_counts):
        total = published_counts[list(PUBLISHED_OUTCOMES)].sum()
        lines.append(
            label(
                "explore.published_reading",
                lang,
                due=fmt.count(int(total["reached_when_due"] + total["not_reached_when_due"]), lang),
                reached=fmt.count(int(total["reached_when_due"]), lang),
                not_reached=fmt.count(int(total["not_reached_when_due"]), lang),
            )
        )
    lines.append(label("explore.outlook_caveat", lang))
    return "\n".join(lines)
