"""The generated press paragraph of the daily briefing, in Chinese and English, from ``summary.json``.

Target style: the Zhejiang press conference of 2020-03-02 ("discharged patients are 87.1 % of all
confirmed cases, all 90 counties are low-risk, the province's precision control index averages
96.87"). The wording is data (``epianalysis/text/narrative.toml``, see
:mod:`epianalysis.text.templates`): each sentence is a template with named fields and the
conditions under which it applies. This module evaluates those conditions (predicates and computed
fields: :mod:`epianalysis.text.fields`) and fills the fields, every number and date written by
:mod:`epianalysis.text.format` as in every other output.

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

import datetime as dt
import string
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from epianalysis.errors import DataError, Violation
from epianalysis.text import format as fmt
from epianalysis.text.fields import COMPUTED_FIELDS, PREDICATES, lookup
from epianalysis.text.labels import check_language
from epianalysis.text.templates import Condition, Templates, load_templates, placeholders

__all__ = ["COMPUTED_FIELDS", "PREDICATES", "Decision", "explain", "paragraph", "sentences"]


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
            return fmt.date(value if isinstance(value, dt.date) else str(value), lang, field.style)
        except ValueError:
            raise DataError(
                "summary.json: an ISO date was expected",
                [Violation("summary.json", None, field.path, "iso_date_expected", repr(value))],
            ) from None
    number = _number(name, field.path if field else name, value)
    if field is not None and field.scale != 1:
        number = fmt.to_decimal(number) * field.scale
    text = fmt.value(number, field.format if field else "count", lang, field.decimals if field else None)
    return fmt.with_unit(text, unit, lang) if unit else text


def explain(summary: Mapping[str, Any], lang: str, templates: Templates | None = None) -> list[Decision]:
    """Every sentence template in order, with its text when said or why it was left out.

    Parameters
    ----------
    summary : mapping
        A ``summary.json`` as the briefing writes it (any section may be absent).
    lang : {"en", "zh"}
    templates : Templates, optional
        Default: ``epianalysis/text/narrative.toml``.

    Raises
    ------
    ValueError
        Unsupported language.
    DataError
        A summary value that should be a number is not (names the key).
    """
    t = templates or load_templates()
    check_language(lang)
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
    return fmt.join_sentences(sentences(summary, lang, templates), lang)
