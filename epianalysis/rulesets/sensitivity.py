"""Would a county's level change if its population were different? (docs/rulesets.md#sensitivity-to-population)

Most county populations of the region reference are estimates (``population_is_estimate``). A rule
set that reads a rate per 100 000 divides by them, so an error in the estimate can move a county
across a cut-off. :func:`population_sensitivity` evaluates the rule set again with every population
multiplied by ``1 − share`` and by ``1 + share`` (default ±10 %):

    sensitive(c) = level(c; 0.9 · population) ≠ level(c) or level(c; 1.1 · population) ≠ level(c)

A rule set that reads no population (``zhejiang-2020``, ``national-2020``) gives no sensitive county.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from epianalysis.rulesets.evaluate import evaluate, resolve_ruleset
from epianalysis.rulesets.indicators import county_codes, reference_population
from epianalysis.rulesets.model import RuleSet

POPULATION_SHARE = 0.10
"""How much higher and lower the populations are tried."""

POPULATION_INDICATORS = frozenset({"new_cases_7d_sum_per_100k", "new_cases_7d_mean_per_100k"})
"""The built-in indicators that divide by the population."""


def population_sensitivity(
    cases: pd.DataFrame,
    ruleset: RuleSet | str,
    date: str | pd.Timestamp,
    regions: list[str] | None = None,
    population: Mapping[str, float] | pd.Series | None = None,
    share: float = POPULATION_SHARE,
) -> pd.DataFrame:
    """Levels on the evaluation ``date`` (data up to its data date, ``date − data_lag_days``) with the
    populations as given, ``share`` lower and ``share`` higher.

    Returns
    -------
    DataFrame
        One row per county: ``region_code``, ``level``, ``level_lower`` (population × (1 − share)),
        ``level_higher`` (× (1 + share)) and ``sensitive`` (either differs from ``level``).
    """
    rs = resolve_ruleset(ruleset)
    day = pd.Timestamp(date)
    codes = [str(c) for c in (regions if regions is not None else county_codes())]
    base = reference_population() if population is None else pd.Series(population, dtype=float)
    known = cases[pd.to_datetime(cases["date"]) <= rs.data_date(day)]
    reads_population = bool(POPULATION_INDICATORS & set(rs.indicator_names))
    levels = {}
    for key, factor in (("level", 1.0), ("level_lower", 1.0 - share), ("level_higher", 1.0 + share)):
        if not reads_population and key != "level":  # the same levels: not evaluated again
            levels[key] = levels["level"]
            continue
        result = evaluate(known, rs, start=day, end=day, regions=codes, population=base * factor)
        levels[key] = result.levels.set_index("region_code")["level"].reindex(codes).to_numpy(dtype=object)
    out = pd.DataFrame({"region_code": codes, **levels})
    out["sensitive"] = (out["level_lower"] != out["level"]) | (out["level_higher"] != out["level"])
    return out
