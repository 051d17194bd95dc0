"""Why a county got its level, in words a reader understands: a fired rule of the rule set (e.g.
``score_yellow+casefree_7d``) written from the rule set's own conditions and indicator names. Pages show
these words; tables for programs keep the rule's identifier beside them.

:func:`reason_sentence` says, per county, its level, why (the ``reason_*`` wording of the rule set's
file, filled with the county's indicator values) and what the next step down takes (the ``next_*``
wording of the rule the outlook expects to fire; docs/rulesets.md#the-outlook)."""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

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


# ----------------------------------------------------------------- the reason in words, per county

VALUE_KINDS: dict[str, str] = {
    "cumulative_confirmed": "count",
    "cumulative_local": "count",
    "new_confirmed": "count",
    "clusters_14d": "count",
    "clusters_cumulative": "count",
    "local_share": "percent",
    "days_since_last_case": "days",
    "days_since_last_local_case": "days",
    "new_cases_7d_sum_per_100k": "per_100k",
    "new_cases_7d_mean_per_100k": "per_100k",
}
"""How the value of each built-in indicator is written in a reason (a derived score: whole points)."""


def indicator_value(name: str, value: object, lang: str) -> str:
    """The value of indicator ``name`` as a reason writes it: ``"4 days"`` / ``"4天"``, ``"15"``,
    ``"80.0%"``, ``"0.46"``; :data:`~epianalysis.text.format.MISSING` when missing."""
    kind = VALUE_KINDS.get(name, "score")
    if fmt.is_missing(value):
        return fmt.MISSING
    if kind == "days":
        return fmt.days(value, lang, unit=True)
    if kind == "percent":
        return fmt.percent(value, lang)
    if kind == "per_100k":
        return fmt.per_100k(value, lang)
    if kind == "count":
        return fmt.count(value, lang)
    return fmt.decimal(value, lang, 0)


def _parts(ruleset: RuleSet, rule: str) -> list:
    """The rules and downgrades of a fired rule id (``"score_yellow+casefree_3d"``), in order."""
    items = {r.id: r for r in ruleset.rules}
    items.update({d.id: d for d in ruleset.downgrades})
    return [items[p] for p in str(rule or "").split("+") if p in items]


def _threshold(value: float, lang: str) -> str:
    return fmt.count(value, lang) if float(value).is_integer() else fmt.decimal(value, lang, 2)


def _generic_reason(ruleset: RuleSet, part, row: Mapping[str, Any], lang: str) -> str:
    """``"Daily new cases per 100k (7-day average) 0.46 (≤ 1)"`` from a rule's conditions and the values."""
    names = _indicator_names(ruleset, lang)
    conditions = part.conditions if hasattr(part, "conditions") else (part.condition,)
    return fmt.join(
        [
            label(
                "zoning.condition_value",
                lang,
                indicator=names.get(c.indicator, c.indicator),
                value=indicator_value(c.indicator, row.get(c.indicator), lang),
                op=OPERATORS.get(c.op, c.op),
                threshold=_threshold(c.value, lang),
            )
            for c in conditions
        ],
        lang,
    )


def _indicator_names(ruleset: RuleSet, lang: str) -> dict[str, str]:
    names = {d["name"]: d[f"label_{lang}"] for d in ruleset.indicators}
    names.update({d.name: getattr(d, f"label_{lang}") for d in ruleset.derived})
    return names


def why_text(ruleset: RuleSet, row: Mapping[str, Any], lang: str) -> str:
    """Why a county has its level, with its indicator values: the ``reason_*`` wording of the downgrade
    that applied, else of the rule that fired (``"no new case for 4 days"`` / ``"已连续4天无新增确诊病例"``);
    without wording, the rule's conditions with the values; an unknown level names the missing inputs.

    ``row`` is a row of the levels table of :func:`epianalysis.rulesets.evaluate` (``rule``,
    ``missing_inputs`` and the indicator values).
    """
    parts = _parts(ruleset, str(row.get("rule", "")))
    if not parts:
        names = _indicator_names(ruleset, lang)
        missing = [names.get(m, m) for m in str(row.get("missing_inputs") or "").split(";") if m]
        inputs = fmt.join(missing, lang) if missing else fmt.MISSING
        return label("zoning.reason_missing", lang, inputs=inputs)
    part = parts[-1]
    template = part.wording.reason(lang)
    if not template:
        return _generic_reason(ruleset, part, row, lang)
    values = {name: indicator_value(name, row.get(name), lang) for name in _placeholders(template)}
    return template.format(**values)


def _placeholders(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def next_text(ruleset: RuleSet, rule: str | None, level: str | None, lang: str) -> str:
    """What it takes to reach ``level`` through the rule that would set it (``rule``, from the
    outlook): the ``next_*`` wording of its downgrade or rule (``"green after 7 case-free days"`` /
    ``"连续7天无新增可转为绿色"``); without wording, the level and the rule's conditions; "" without a rule."""
    parts = _parts(ruleset, str(rule or ""))
    if not parts or level is None:
        return ""
    part = parts[-1]
    name = ruleset.level(level).name(lang)
    template = part.wording.next(lang)
    condition = part.conditions[0] if hasattr(part, "conditions") else part.condition
    if not template:
        return label("zoning.next_generic", lang, level=name, conditions=rule_text(ruleset, part.id, lang))
    return template.format(value=_threshold(condition.value, lang), level=name)


def county_name(row: Mapping[str, Any], lang: str) -> str:
    """The county's name in ``lang`` (full Chinese name: 义乌市), its code when it has none."""
    name = row.get(f"name_{lang}")
    return str(row["region_code"]) if fmt.is_missing(name) or name is None else str(name)


def reason_sentence(
    ruleset: RuleSet, row: Mapping[str, Any], lang: str, step_rule: str | None = None, step_level: str | None = None
) -> str:
    """One county's level and why, as a press officer writes it: ``"Yiwu: blue — no new case for 4
    days; green after 7 case-free days"`` / ``"义乌市：蓝色——已连续4天无新增确诊病例，连续7天无新增可转为绿色"``.

    ``row`` is a row of the levels table; ``step_rule`` and ``step_level`` are the rule and level of the
    county's next step down from the outlook (nothing is said about a next step without them).
    """
    level = ruleset.level(str(row["level"])).name(lang)
    why = why_text(ruleset, row, lang)
    after = next_text(ruleset, step_rule, step_level, lang)
    key = "zoning.reason_sentence_next" if after else "zoning.reason_sentence"
    return label(key, lang, county=county_name(row, lang), level=level, why=why, next=after)


# ------------------------------------------------------------------ a change of level, in words


def short_name_zh(name: str) -> str:
    """A county name without its 市/县/区 suffix when two or more characters remain (义乌市 → 义乌), as
    a press release names a county in a sentence."""
    for suffix in ("畲族自治县", "市", "县", "区"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def change_sentence(ruleset: RuleSet, change: Mapping[str, Any], lang: str) -> str:
    """One county's change of level as the paragraph says it: ``"Yiwu: yellow → blue"`` /
    ``"义乌由黄转蓝"`` (label ``zoning.change_item``).

    Parameters
    ----------
    ruleset : RuleSet
        Names the levels (Chinese: the levels' short names, ``short_zh``).
    change : mapping
        A row of :attr:`ZoningBriefing.changes`: ``region_code``, ``name_zh``, ``name_en``, ``from``, ``to``
        (a county without a name is named by its code).
    lang : {"en", "zh"}
    """
    before, after = str(change["from"]), str(change["to"])
    name = _text(change.get(f"name_{lang}")) or str(change["region_code"])
    if lang == "zh":
        name = short_name_zh(name)
        before, after = ruleset.level(before).short_zh, ruleset.level(after).short_zh
    return label("zoning.change_item", lang, county=name, from_level=before, to_level=after)


def _text(value: object) -> str | None:
    return None if value is None or fmt.is_missing(value) else str(value)
