"""County risk zoning: rule sets as TOML data, one generic evaluator, and a backtest.

>>> from epianalysis.rulesets import evaluate, load_ruleset
>>> result = evaluate(cases, "zhejiang-2020")          # doctest: +SKIP
>>> result.counts, result.changes                      # doctest: +SKIP
"""

from epianalysis.rulesets.backtest import BacktestResult, backtest, compare
from epianalysis.rulesets.evaluate import ZoningResult, evaluate
from epianalysis.rulesets.load import available_rulesets, load_ruleset, parse_ruleset
from epianalysis.rulesets.model import RuleSet

__all__ = [
    "BacktestResult",
    "RuleSet",
    "ZoningResult",
    "available_rulesets",
    "backtest",
    "compare",
    "evaluate",
    "load_ruleset",
    "parse_ruleset",
]
