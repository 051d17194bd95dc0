"""The templates of the press paragraph (``rules/narrative.toml``): loading, checking, number formats.

The wording of :mod:`epianalysis.text.narrative` is data: each sentence is a template in English and
Chinese with named ``{fields}`` and the conditions under which it applies. This module reads that
file into typed objects, checks it completely (every field, unit, predicate and condition it names
must exist; all problems are reported at once as a :class:`~epianalysis.errors.DataError`), and
formats numbers and dates the way a Chinese provincial press release prints them:

- counts: ``1,205`` (en) / ``1205`` (zh: no thousands separator, as in "累计报告确诊病例1205例");
- decimals: rounded half-up on the decimal value (``0.87137 -> 87.1``), never clipped;
- dates: ``24:00 on 1 March`` / ``3月1日24时`` (the bulletin convention "as of D 24:00").
"""

from __future__ import annotations

import datetime as dt
import re
import string
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from epianalysis.errors import DataError, Violation
from epianalysis.text.labels import round_half_up

TEMPLATES_FILE = Path(__file__).resolve().parent / "narrative.toml"
LANGUAGES: tuple[str, ...] = ("en", "zh")
FIELD_TYPES = ("number", "date", "text", "flag", "list")
RENDERABLE = ("number", "date", "text")
OPERATORS = ("==", "!=", "<=", ">=", "<", ">", "contains", "lacks")
_LANGUAGE_KEYS = (
    "months",
    "date_day",
    "date_24h",
    "thousands",
    "sentence_separator",
    "list_separator",
    "list_last_separator",
)
_COMPARE = re.compile(r"^(?P<field>\w+)\s*(?P<op>==|!=|<=|>=|<|>|\scontains\s|\slacks\s)\s*(?P<value>\S+)$")
_PREDICATE = re.compile(r"^(?P<negate>not\s+)?(?P<name>\w+)$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")

MINUS = "\N{MINUS SIGN}"


@dataclass(frozen=True)
class Field:
    """A value of ``summary.json`` a template may use.

    ``path`` is dotted (``"control_index.best.0.name_{lang}"``: list items by index, ``{lang}`` the
    language); a number is multiplied by ``scale`` and rounded half-up to ``decimals``; a date is
    printed in ``style`` (a date pattern of the language table).
    """

    name: str
    path: str
    type: str = "number"
    scale: Decimal = Decimal(1)
    decimals: int = 0
    style: str = "date_day"


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
    languages: Mapping[str, Mapping[str, Any]]
    units: Mapping[str, Mapping[str, Any]]
    zoning: Mapping[str, Any]
    fields: Mapping[str, Field]
    sentences: tuple[Sentence, ...]

    def language(self, lang: str) -> Mapping[str, Any]:
        """The number/date/list conventions of ``lang``; ``ValueError`` for another language."""
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
        return self.languages[lang]


# ------------------------------------------------------------------------------------- formatting


def format_number(
    value: float | int | Decimal, lang: str, templates: Templates, decimals: int = 0, scale: Decimal | int = 1
) -> str:
    """``value × scale`` rounded half-up to ``decimals``, grouped as ``lang`` groups thousands.

    ``1205 -> "1,205"`` (en) / ``"1205"`` (zh); ``0.8713692946 × 100 -> "87.1"``;
    ``1.006 × 100 -> "100.6"`` (never clipped). Rounding is done on the decimal value
    (``Decimal(repr(value))``), so 0.125 rounds to 0.13 as written, not as stored in binary.
    """
    q = round_half_up(value, decimals, scale)
    text = f"{abs(q):,.{decimals}f}".replace(",", templates.language(lang)["thousands"])
    return MINUS + text if q < 0 else text


def format_date(value: str | dt.date, lang: str, templates: Templates, style: str = "date_day") -> str:
    """``"2020-03-01"`` as ``"1 March"``/``"3月1日"`` (``date_day``) or ``"24:00 on 1 March"``/``"3月1日24时"``
    (``date_24h``)."""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    conventions = templates.language(lang)
    return conventions[style].format(day=day.day, month=conventions["months"][day.month - 1])


def with_unit(text: str, unit: str, lang: str, templates: Templates) -> str:
    """A formatted number with its unit: ``"1,205 cases"``, ``"1 case"``, ``"1205例"``, ``"96.87分"``.

    English takes the ``one`` form when the number reads ``"1"``.
    """
    pattern = templates.units[unit][lang]
    if isinstance(pattern, Mapping):
        pattern = pattern["one"] if text == "1" else pattern["other"]
    return pattern.format(n=text)


def plural(pattern: str | Mapping[str, str], n: int) -> str:
    """``pattern`` itself, or its ``one``/``other`` form for ``n``."""
    if isinstance(pattern, Mapping):
        return pattern["one"] if n == 1 else pattern["other"]
    return pattern


def join_list(items: list[str], lang: str, templates: Templates) -> str:
    """``"A, B and C"`` (en) / ``"A、B、C"`` (zh)."""
    conventions = templates.language(lang)
    if len(items) <= 1:
        return "".join(items)
    return conventions["list_separator"].join(items[:-1]) + conventions["list_last_separator"] + items[-1]


def placeholders(text: str) -> list[tuple[str, str]]:
    """``(field, unit)`` of every ``{field}`` / ``{field:unit}`` in a template (unit ``""`` when none)."""
    return [(name, spec or "") for _, name, spec, _ in string.Formatter().parse(text) if name is not None]


# ----------------------------------------------------------------------------------------- loading


def load_templates(
    path: Path | str | None = None,
    predicates: Mapping[str, Callable] | None = None,
    computed: Mapping[str, tuple[str, Callable]] | None = None,
) -> Templates:
    """Read and check a template file (default ``epianalysis/rules/narrative.toml``).

    Parameters
    ----------
    path : path, optional
        The TOML file.
    predicates, computed : mapping, optional
        Names the file may use besides its own ``[fields]``: predicates (``when = "all_green"``) and
        computed fields (name -> (type, function)). Default: the registries of
        :mod:`epianalysis.text.narrative` (``PREDICATES``, ``COMPUTED_FIELDS``).

    Raises
    ------
    DataError
        Every problem of the file at once (file, the sentence or table, the rule broken).
    """
    if path is None and predicates is None and computed is None:
        return _default()
    from epianalysis.text import narrative  # the registries live with the rendering code

    return _load(
        Path(path or TEMPLATES_FILE),
        dict(narrative.PREDICATES if predicates is None else predicates),
        dict(narrative.COMPUTED_FIELDS if computed is None else computed),
    )


@cache
def _default() -> Templates:
    from epianalysis.text import narrative

    return _load(TEMPLATES_FILE, narrative.PREDICATES, narrative.COMPUTED_FIELDS)


def _load(path: Path, predicates: dict[str, Callable], computed: dict[str, tuple[str, Callable]]) -> Templates:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    problems: list[Violation] = []

    def bad(where: str, rule: str, value: object = "") -> None:
        problems.append(Violation(path.name, None, where, rule, str(value)))

    settings = dict(raw.get("settings", {}))
    languages = raw.get("language", {})
    for lang in LANGUAGES:
        table = languages.get(lang)
        if not isinstance(table, Mapping):
            bad(f"language.{lang}", "missing_table")
            continue
        for key in _LANGUAGE_KEYS:
            if key not in table:
                bad(f"language.{lang}.{key}", "missing_key")
        if len(table.get("months", [])) != 12:
            bad(f"language.{lang}.months", "twelve_months_expected", len(table.get("months", [])))
    units = raw.get("units", {})
    for unit, table in units.items():
        for lang in LANGUAGES:
            pattern = table.get(lang)
            forms = list(pattern.values()) if isinstance(pattern, Mapping) else [pattern]
            if isinstance(pattern, Mapping) and set(pattern) != {"one", "other"}:
                bad(f"units.{unit}.{lang}", "one_and_other_expected", sorted(pattern))
            if not all(isinstance(f, str) and "{n}" in f for f in forms):
                bad(f"units.{unit}.{lang}", "pattern_with_{n}_expected", pattern)
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
        languages=languages,
        units=units,
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
    decimals = spec.get("decimals", 0)
    if not isinstance(decimals, int) or decimals < 0:
        bad(f"fields.{name}.decimals", "non_negative_integer_expected", decimals)
        decimals = 0
    style = spec.get("style", "date_day")
    if style not in ("date_day", "date_24h"):
        bad(f"fields.{name}.style", "date_day_or_date_24h_expected", style)
    return Field(name, str(spec.get("path", "")), kind, Decimal(str(spec.get("scale", 1))), decimals, style)


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
