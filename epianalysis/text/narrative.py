"""The generated press paragraph of the daily briefing, in Chinese and English, from ``summary.json``.

Target style: the Zhejiang press conference of 2020-03-02 ("discharged patients are 87.1 % of all
confirmed cases, all 90 counties are low-risk, the province's precision control index averages
96.87"). The wording is data (``epianalysis/rules/narrative.toml``, see
:mod:`epianalysis.text.templates`): each sentence is a template with named fields and the
conditions under which it applies. This module evaluates those conditions and fills the fields.

Only what the data support is said:

- a sentence whose field is missing in the summary (a section absent, a number ``None``) is left
  out; no zero or guess stands in for it;
- "all N counties are low-risk" only when the zoning counts say every county is green and the
  *unknown* count is present and 0; otherwise the counties per level are counted (and named, when
  few and the summary lists them in ``zoning.counties``);
- a discharge rate above 100 % is printed as it is (1.006 -> "100.6%") and remarked upon;
- a synthetic scenario is said ("(Synthetic scenario)" / "（合成情景数据）").

Inputs: the keys written by the briefing (``epianalysis.topics.recovery.metrics.Headline`` at the top
level; sections ``zoning``, ``control_index``, ``capacity``, ``health_codes`` of
``epianalysis.briefing.{zoning,control_index,capacity,health_codes}.summary``). Optional
``zoning.counties``: ``[{region_code, name_zh, name_en, level}, ...]`` to name counties per level.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from epianalysis.errors import DataError, RegionLookupError, Violation
from epianalysis.text.templates import (
    Condition,
    Templates,
    format_date,
    format_number,
    join_list,
    load_templates,
    placeholders,
    plural,
    with_unit,
)

__all__ = ["COMPUTED_FIELDS", "PREDICATES", "Decision", "explain", "paragraph", "sentences"]


# -------------------------------------------------------------------------------- summary access


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def lookup(summary: Mapping[str, Any], path: str, lang: str = "en") -> Any:
    """The value at dotted ``path`` of ``summary`` (``"{lang}"`` replaced, list items by index);
    ``None`` when any step is missing or the value is ``None``/NaN."""
    node: Any = summary
    for step in path.replace("{lang}", lang).split("."):
        if isinstance(node, Mapping):
            node = node.get(step)
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return None
        if _missing(node):
            return None
    return node


def _counts(summary: Mapping[str, Any]) -> dict[str, int] | None:
    """``zoning.counts`` when present with every count given, else ``None``.

    Raises
    ------
    DataError
        A count that is not a non-negative integer (names the key).
    """
    counts = lookup(summary, "zoning.counts")
    if not isinstance(counts, Mapping) or not counts or any(_missing(n) for n in counts.values()):
        return None
    bad = [
        Violation("summary.json", None, f"zoning.counts.{key}", "non_negative_integer_expected", repr(n))
        for key, n in counts.items()
        if isinstance(n, bool) or not isinstance(n, int) or n < 0
    ]
    if bad:
        raise DataError("summary.json: zoning counts must be non-negative integers", bad)
    return {str(k): int(n) for k, n in counts.items()}


# ------------------------------------------------------------------------------------ predicates


def all_green(summary: Mapping[str, Any]) -> bool:
    """Every county is green: ``counts.green`` > 0, every other level 0, and ``unknown`` present and 0."""
    counts = _counts(summary)
    if counts is None or counts.get("green", 0) == 0 or counts.get("unknown") != 0:
        return False
    return all(n == 0 for key, n in counts.items() if key != "green")


def not_all_green(summary: Mapping[str, Any]) -> bool:
    """Zoning counts are given (at least one county) and :func:`all_green` does not hold."""
    counts = _counts(summary)
    return counts is not None and sum(counts.values()) > 0 and not all_green(summary)


def synthetic(summary: Mapping[str, Any]) -> bool:
    """The summary says its data are a synthetic scenario (``synthetic`` is ``True``)."""
    return summary.get("synthetic") is True


PREDICATES: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    "all_green": all_green,
    "not_all_green": not_all_green,
    "synthetic": synthetic,
}
"""Conditions a template may name (``when = "all_green"``; ``"not synthetic"`` negates)."""


# ------------------------------------------------------------------------------- computed fields


def _region_name(summary: Mapping[str, Any], lang: str, t: Templates) -> str | None:
    from epianalysis.reference import regions

    code = summary.get("region_code")
    if _missing(code):
        return None
    try:
        return regions.name(str(code), lang)
    except RegionLookupError:
        return None


def _zoning_total(summary: Mapping[str, Any], lang: str, t: Templates) -> int | None:
    counts = _counts(summary)
    return None if counts is None else sum(counts.values())


def _names(summary: Mapping[str, Any], level: str, n: int, lang: str) -> list[str] | None:
    """Names of the ``n`` counties at ``level`` from ``zoning.counties``, if it lists exactly ``n``."""
    listed = lookup(summary, "zoning.counties")
    if not isinstance(listed, list):
        return None
    rows = [r for r in listed if isinstance(r, Mapping) and r.get("level") == level]
    names = [r.get(f"name_{lang}") for r in sorted(rows, key=lambda r: str(r.get("region_code", "")))]
    if len(names) != n or any(_missing(x) for x in names):
        return None
    return [str(x) for x in names]


def _zoning_breakdown(summary: Mapping[str, Any], lang: str, t: Templates) -> str | None:
    counts = _counts(summary)
    if counts is None:
        return None
    z = t.zoning
    order = [k for k in z["order"] if k in counts] + [k for k in counts if k not in z["order"]]
    items = []
    for key in order:
        n = counts[key]
        if n == 0:
            continue
        level = z["levels"].get(key, {}).get(lang)
        if level is None:  # a level the templates do not name (another rule set): say nothing rather than a key
            return None
        number = format_number(n, lang, t)
        names = _names(summary, key, n, lang) if n <= int(t.settings.get("max_named_counties", 0)) else None
        if names:
            items.append(
                plural(z["item_named"][lang], n).format(n=number, level=level, names=join_list(names, lang, t))
            )
        else:
            items.append(plural(z["item"][lang], n).format(n=number, level=level))
    return z["item_separator"][lang].join(items) if items else None


def _changes(summary: Mapping[str, Any]) -> list | None:
    changes = lookup(summary, "zoning.changes")
    return changes if isinstance(changes, list) else None


def _zoning_changes_count(summary: Mapping[str, Any], lang: str, t: Templates) -> int | None:
    changes = _changes(summary)
    return None if changes is None else len(changes)


def _zoning_changes_list(summary: Mapping[str, Any], lang: str, t: Templates) -> str | None:
    changes = _changes(summary)
    if not changes:
        return None
    shown = changes[: int(t.settings.get("max_named_changes", len(changes)))]
    texts = [c.get(f"text_{lang}") if isinstance(c, Mapping) else None for c in shown]
    if any(_missing(x) for x in texts):
        return None
    return t.zoning["change_separator"][lang].join(str(x) for x in texts)


def _ci_missing_count(summary: Mapping[str, Any], lang: str, t: Templates) -> int | None:
    missing = lookup(summary, "control_index.counties_with_missing_indicators")
    return len(missing) if isinstance(missing, list) else None


COMPUTED_FIELDS: dict[str, tuple[str, Callable[[Mapping[str, Any], str, Templates], Any]]] = {
    "region_name": ("text", _region_name),
    "zoning_total": ("number", _zoning_total),
    "zoning_breakdown": ("text", _zoning_breakdown),
    "zoning_changes_count": ("number", _zoning_changes_count),
    "zoning_changes_list": ("text", _zoning_changes_list),
    "ci_missing_count": ("number", _ci_missing_count),
}
"""Fields computed from several summary values: name -> (type, function(summary, lang, templates)).

``region_name``: name of ``region_code`` (浙江省 / Zhejiang); ``zoning_total``: sum of the zoning
counts; ``zoning_breakdown``: counties per level (named when few); ``zoning_changes_count`` and
``zoning_changes_list`` (the changes' ``text_en``/``text_zh``); ``ci_missing_count``: counties with a
missing control-index indicator."""


# --------------------------------------------------------------------------------------- render


@dataclass(frozen=True)
class Decision:
    """What became of one sentence template: its ``text`` when said, else the ``reason`` it was left out."""

    id: str
    text: str | None
    reason: str = ""


def _raw(name: str, summary: Mapping[str, Any], lang: str, t: Templates) -> Any:
    if name in COMPUTED_FIELDS:
        return COMPUTED_FIELDS[name][1](summary, lang, t)
    return lookup(summary, t.fields[name].path, lang)


def _number(name: str, path: str, value: Any) -> Decimal | int | float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise DataError(
            "summary.json: a number was expected",
            [Violation("summary.json", None, path, "number_expected", repr(value))],
        )
    return value


def _holds(cond: Condition, summary: Mapping[str, Any], lang: str, t: Templates) -> bool:
    if cond.predicate is not None:
        return PREDICATES[cond.predicate](summary) != cond.negate
    value = _raw(cond.field, summary, lang, t)
    if value is None:
        return False
    if cond.op in ("contains", "lacks"):
        return isinstance(value, list) and ((cond.value in value) == (cond.op == "contains"))
    if isinstance(cond.value, bool) or isinstance(value, bool):
        same = isinstance(value, bool) and value == cond.value
        return same if cond.op == "==" else (not same if cond.op == "!=" else False)
    left = _decimal(cond.field, value)
    right = cond.value
    if cond.other_field is not None:
        other = _raw(cond.other_field, summary, lang, t)
        if other is None:
            return False
        right = _decimal(cond.other_field, other)
    return {
        "==": left == right,
        "!=": left != right,
        "<": left < right,
        "<=": left <= right,
        ">": left > right,
        ">=": left >= right,
    }[cond.op]


def _decimal(name: str, value: Any) -> Decimal:
    number = _number(name, name, value)
    return Decimal(repr(number)) if isinstance(number, float) else Decimal(number)


def _text(name: str, unit: str, summary: Mapping[str, Any], lang: str, t: Templates) -> str | None:
    value = _raw(name, summary, lang, t)
    if value is None:
        return None
    field = t.fields.get(name)
    kind = COMPUTED_FIELDS[name][0] if field is None else field.type
    if kind == "text":
        return str(value)
    if kind == "date":
        try:
            return format_date(value, lang, t, field.style)
        except ValueError:
            raise DataError(
                "summary.json: an ISO date was expected",
                [Violation("summary.json", None, field.path, "iso_date_expected", repr(value))],
            ) from None
    number = _number(name, field.path if field else name, value)
    text = format_number(number, lang, t, field.decimals if field else 0, field.scale if field else 1)
    return with_unit(text, unit, lang, t) if unit else text


def explain(summary: Mapping[str, Any], lang: str, templates: Templates | None = None) -> list[Decision]:
    """Every sentence template in order, with its text when said or why it was left out.

    Parameters
    ----------
    summary : mapping
        A ``summary.json`` as the briefing writes it (any section may be absent).
    lang : {"en", "zh"}
    templates : Templates, optional
        Default: ``epianalysis/rules/narrative.toml``.

    Raises
    ------
    ValueError
        Unsupported language.
    DataError
        A summary value that should be a number is not (names the key).
    """
    t = templates or load_templates()
    t.language(lang)
    out: list[Decision] = []
    for sentence in t.sentences:
        failed = next((c.text for c in sentence.when if not _holds(c, summary, lang, t)), None)
        if failed is not None:
            out.append(Decision(sentence.id, None, f"condition not met: {failed}"))
            continue
        template = sentence.text[lang]
        values: dict[str, str] = {}
        missing = []
        for name, unit in placeholders(template):
            text = _text(name, unit, summary, lang, t)
            if text is None:
                missing.append(name)
            else:
                values[f"{name}:{unit}" if unit else name] = text
        if missing:
            out.append(Decision(sentence.id, None, f"no value for {', '.join(sorted(set(missing)))}"))
            continue
        out.append(Decision(sentence.id, _fill(template, values)))
    return out


def _fill(template: str, values: Mapping[str, str]) -> str:
    parts = []
    for literal, name, spec, _ in string.Formatter().parse(template):
        parts.append(literal)
        if name is not None:
            parts.append(values[f"{name}:{spec}" if spec else name])
    return "".join(parts)


def sentences(summary: Mapping[str, Any], lang: str, templates: Templates | None = None) -> list[str]:
    """The sentences said for ``summary`` in ``lang``, in template order (see :func:`explain`)."""
    return [d.text for d in explain(summary, lang, templates) if d.text is not None]


def paragraph(summary: Mapping[str, Any], lang: str, templates: Templates | None = None) -> str:
    """The press paragraph: :func:`sentences` joined as ``lang`` joins sentences ("" in Chinese).

    Examples
    --------
    For the press conference of 2020-03-02 (1,205 confirmed, 1,050 discharged, all 90 counties
    green) the English paragraph reads "As of 24:00 on 1 March, Zhejiang had reported 1,205
    confirmed cases in total. 1,050 patients have been discharged, 87.1% of all confirmed cases.
    ..." and the Chinese one "截至3月1日24时，浙江省累计报告确诊病例1205例。累计出院1050例，
    出院人数占确诊病例的87.1%。..."
    """
    t = templates or load_templates()
    return t.language(lang)["sentence_separator"].join(sentences(summary, lang, t))
