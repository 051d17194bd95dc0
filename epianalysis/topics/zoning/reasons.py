"""Why a county got its level, in words a reader understands: a fired rule of the rule set (e.g.
``score_yellow+casefree_7d``) written from the rule set's own conditions and indicator names. Pages show
these words; tables for programs keep the rule's identifier beside them."""

from __future__ import annotations

from epianalysis.rulesets import RuleSet
from epianalysis.text import format as fmt
from epianalysis.text.labels import label

OPERATORS = {">=": "≥", "<=": "≤", "==": "=", "!=": "≠"}


def rule_text(ruleset: RuleSet, rule: str, lang: str) -> str:
    """A fired rule in words: ``"score_yellow+casefree_7d"`` → ``"Risk score ≥ 40 and days without a new
    confirmed case ≥ 7"`` (rules and downgrades joined by ``+``; an unknown part is left out, no rule
    at all reads as :data:`~epianalysis.text.format.MISSING`)."""
    names = {d["name"]: d[f"label_{lang}"] for d in ruleset.indicators}
    names.update({d.name: getattr(d, f"label_{lang}") for d in ruleset.derived})
    conditions = {r.id: r.conditions for r in ruleset.rules}
    conditions.update({d.id: (d.condition,) for d in ruleset.downgrades})
    parts: list[str] = []
    for part in str(rule).split("+") if rule else []:
        for c in conditions.get(part, ()):
            value = fmt.count(c.value, lang) if float(c.value).is_integer() else fmt.decimal(c.value, lang, 2)
            name = names.get(c.indicator, c.indicator)
            name = name[0].lower() + name[1:] if parts and lang == "en" else name
            parts.append(label("zoning.condition", lang, indicator=name, op=OPERATORS.get(c.op, c.op), value=value))
    return fmt.join(parts, lang) if parts else fmt.MISSING
