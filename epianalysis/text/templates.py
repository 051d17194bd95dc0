"""The templates of the press paragraph (``text/narrative.toml``): loading and checking.

The wording of :mod:`epianalysis.text.narrative` is data: each sentence is a template in English and
Chinese with named ``{fields}`` and the conditions under which it applies. This module reads that
file into typed objects and checks it completely (every field, unit, predicate and condition it
names must exist, and every summary path a field reads must be declared in the schema of
``summary.json``, :mod:`epianalysis.summary`; all problems are reported at once as a
:class:`~epianalysis.errors.DataError`).
Numbers and dates are written by :mod:`epianalysis.text.format` (a field names its ``format``: a
count, a rate, a percentage, an index, days, a decimal; a date its ``style``), units by
:func:`epianalysis.text.format.with_unit` (``unit_<name>`` in ``text/labels.toml``), as in every
other output.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from epianalysis import summary
from epianalysis.errors import DataError, Violation
from epianalysis.text import fields as registries
from epianalysis.text import format as fmt
from epianalysis.text.labels import LANGUAGES

TEMPLATES_FILE = Path(__file__).resolve().parent / "narrative.toml"
FIELD_TYPES = ("number", "date", "text", "flag", "list")
NUMBER_FORMATS = tuple(fmt.KINDS)
RENDERABLE = ("number", "date", "text")
OPERATORS = ("==", "!=", "<=", ">=", "<", ">", "contains", "lacks")
_COMPARE = re.compile(r"^(?P<field>\w+)\s*(?P<op>==|!=|<=|>=|<|>|\scontains\s|\slacks\s)\s*(?P<value>\S+)$")
_PREDICATE = re.compile(r"^(?P<negate>not\s+)?(?P<name>\w+)$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass(frozen=True)
class Field:
    """A value of ``summary.json`` a template may use.

    ``path`` is dotted (``"control_index.best.0.name_{lang}"``: list items by index, ``{lang}`` the
    language); a number is multiplied by ``scale`` and written as its ``format`` says
    (:func:`epianalysis.text.format.value`: ``count``, ``days``, ``rate`` (a fraction as a
    percentage), ``percent``, ``index``, ``decimal``; ``decimals`` overrides the decimals of a
    rate, percentage or decimal); a date is printed in ``style``
    (:data:`epianalysis.text.format.DATE_STYLES`).
    """

    name: str
    path: str
    type: str = "number"
    scale: Decimal = Decimal(1)
    format: str = "count"
    decimals: int | None = None
    style: str = "day_month_full"


@dataclass(frozen=True)
class Condition:
    """One condition of a sentence: a predicate (``negate`` it with ``not``) or a comparison."""

    text: str
    predicate: str | None = None
    negate: bool = False
    field: str | None = None
    op: str | None = None
    value: Any = None
    other_field: str | None = None


@dataclass(frozen=True)
class Sentence:
    """A sentence template: its ``id``, conditions (all must hold) and text per language."""

    id: str
    when: tuple[Condition, ...]
    text: Mapping[str, str]


@dataclass(frozen=True)
class Templates:
    """The whole template file, checked (see :func:`load_templates`)."""

    name: str
    version: str
    source: str
    settings: Mapping[str, Any]
    zoning: Mapping[str, Any]
    fields: Mapping[str, Field]
    sentences: tuple[Sentence, ...]


# ------------------------------------------------------------------------------------- placeholders


def placeholders(text: str) -> list[tuple[str, str]]:
    """``(field, unit)`` of every ``{field}`` / ``{field:unit}`` in a template (unit ``""`` when none)."""
    return [(name, spec or "") for _, name, spec, _ in string.Formatter().parse(text) if name is not None]


# ----------------------------------------------------------------------------------------- loading


def load_templates(
    path: Path | str | None = None,
    predicates: Mapping[str, Callable] | None = None,
    computed: Mapping[str, tuple[str, Callable]] | None = None,
) -> Templates:
    """Read and check a template file (default ``epianalysis/text/narrative.toml``).

    Parameters
    ----------
    path : path, optional
        The TOML file.
    predicates, computed : mapping, optional
        Names the file may use besides its own ``[fields]``: predicates (``when = "all_green"``) and
        computed fields (name -> (type, function)). Default: the registries of
        :mod:`epianalysis.text.fields` (``PREDICATES``, ``COMPUTED_FIELDS``).

    Raises
    ------
    DataError
        Every problem of the file at once (file, the sentence or table, the rule broken).
    """
    if path is None and predicates is None and computed is None:
        return _default()
    return _load(
        Path(path or TEMPLATES_FILE),
        dict(registries.PREDICATES if predicates is None else predicates),
        dict(registries.COMPUTED_FIELDS if computed is None else computed),
    )


@cache
def _default() -> Templates:
    return _load(TEMPLATES_FILE, registries.PREDICATES, registries.COMPUTED_FIELDS)


def _load(path: Path, predicates: dict[str, Callable], computed: dict[str, tuple[str, Callable]]) -> Templates:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    problems: list[Violation] = []

    def bad(where: str, rule: str, value: object = "") -> None:
        problems.append(Violation(path.name, None, where, rule, str(value)))

    settings = dict(raw.get("settings", {}))
    units = set(fmt.units())
    zoning = raw.get("zoning", {})
    for key in ("order", "item", "item_named", "item_separator", "change_separator", "levels"):
        if key not in zoning:
            bad(f"zoning.{key}", "missing_key")
    fields = {name: _field(name, spec, bad) for name, spec in raw.get("fields", {}).items()}
    clash = sorted(set(fields) & set(computed))
    if clash:
        bad("fields", "declared_and_computed", ", ".join(clash))
    types = {**{n: f.type for n, f in fields.items()}, **{n: t for n, (t, _) in computed.items()}}
    sentences: list[Sentence] = []
    seen: set[str] = set()
    for i, spec in enumerate(raw.get("sentences", [])):
        sid = str(spec.get("id", f"#{i + 1}"))
        if sid in seen:
            bad(f"sentences.{sid}", "duplicate_id", sid)
        seen.add(sid)
        texts = {lang: spec.get(lang) for lang in LANGUAGES}
        for lang, text in texts.items():
            if not isinstance(text, str) or not text:
                bad(f"sentences.{sid}.{lang}", "missing_text")
                continue
            for name, unit in placeholders(text):
                if name not in types:
                    bad(f"sentences.{sid}.{lang}", "unknown_field", name)
                elif types[name] not in RENDERABLE:
                    bad(f"sentences.{sid}.{lang}", f"{types[name]}_field_not_printable", name)
                elif unit and (unit not in units or types[name] != "number"):
                    bad(f"sentences.{sid}.{lang}", "unknown_unit_or_not_a_number", f"{name}:{unit}")
        when = spec.get("when", [])
        when = [when] if isinstance(when, str) else list(when)
        conditions = tuple(_condition(text, sid, types, predicates, settings, bad) for text in when)
        sentences.append(Sentence(sid, conditions, texts))
    if problems:
        raise DataError(f"press paragraph templates {path.name}: {len(problems)} problem(s)", problems)
    return Templates(
        name=str(raw.get("name", path.stem)),
        version=str(raw.get("version", "")),
        source=path.name,
        settings=settings,
        zoning=zoning,
        fields=fields,
        sentences=tuple(sentences),
    )


def _field(name: str, spec: Mapping[str, Any], bad: Callable) -> Field:
    kind = spec.get("type", "number")
    if kind not in FIELD_TYPES:
        bad(f"fields.{name}.type", "unknown_type", kind)
    if not isinstance(spec.get("path"), str):
        bad(f"fields.{name}.path", "missing_path")
    elif summary.schema_at(spec["path"]) is None:  # the output contract declares every path a field reads
        bad(f"fields.{name}.path", "not_in_summary_schema", spec["path"])
    number_format = spec.get("format", "count")
    if number_format not in NUMBER_FORMATS:
        bad(f"fields.{name}.format", "unknown_number_format", number_format)
    decimals = spec.get("decimals")
    if decimals is not None and (isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0):
        bad(f"fields.{name}.decimals", "non_negative_integer_expected", decimals)
        decimals = None
    style = spec.get("style", "day_month_full")
    if style not in fmt.DATE_STYLES:
        bad(f"fields.{name}.style", "unknown_date_style", style)
    return Field(
        name, str(spec.get("path", "")), kind, Decimal(str(spec.get("scale", 1))), number_format, decimals, style
    )


def _condition(
    text: str,
    sid: str,
    types: Mapping[str, str],
    predicates: Mapping[str, Callable],
    settings: Mapping[str, Any],
    bad: Callable,
) -> Condition:
    where = f"sentences.{sid}.when"
    match = _COMPARE.match(text.strip())
    if match:
        name, op, literal = match["field"], match["op"].strip(), match["value"]
        if name not in types:
            bad(where, "unknown_field", name)
        value: Any
        if literal in ("true", "false"):
            value = literal == "true"
        elif _NUMBER.match(literal):
            value = Decimal(literal)
        elif literal in settings and isinstance(settings[literal], int | float):
            value = Decimal(str(settings[literal]))
        elif literal in types and types[literal] == "number" and op not in ("contains", "lacks"):
            return Condition(text, field=name, op=op, other_field=literal)
        elif op in ("contains", "lacks"):
            value = literal
        else:
            bad(where, "number_true_false_or_setting_expected", text)
            value = None
        if op in ("<", "<=", ">", ">=") and not isinstance(value, Decimal):
            bad(where, "ordering_needs_a_number", text)
        return Condition(text, field=name, op=op, value=value)
    match = _PREDICATE.match(text.strip())
    if match and match["name"] in predicates:
        return Condition(text, predicate=match["name"], negate=bool(match["negate"]))
    bad(where, "unknown_predicate_or_malformed_condition", text)
    return Condition(text)
