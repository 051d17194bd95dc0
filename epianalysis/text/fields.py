"""What the press paragraph's templates may name besides the summary's own values: the predicates of
their conditions and the fields computed from several summary values.

:mod:`epianalysis.text.templates` checks a template file against these registries and
:mod:`epianalysis.text.narrative` evaluates them; both import this module (neither imports the other
for it). Numbers and lists are written by :mod:`epianalysis.text.format`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from epianalysis.errors import DataError, RegionLookupError, Violation
from epianalysis.text import format as fmt

if TYPE_CHECKING:  # pragma: no cover
    from epianalysis.text.templates import Templates

__all__ = [
    "COMPUTED_FIELDS",
    "PREDICATES",
    "all_green",
    "codes_estimated",
    "firms_estimated",
    "lookup",
    "not_all_green",
    "plural",
    "synthetic",
]


# -------------------------------------------------------------------------------- summary access


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def plural(pattern: str | Mapping[str, str], n: int) -> str:
    """``pattern`` itself, or its ``one``/``other`` form for ``n``."""
    if isinstance(pattern, Mapping):
        return pattern["one"] if n == 1 else pattern["other"]
    return pattern


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


def firms_estimated(summary: Mapping[str, Any]) -> bool:
    """The number of above-scale firms is a province-scale estimate from a sampled register
    (``capacity.above_scale.estimated`` is ``True``; absent: complete counts)."""
    return lookup(summary, "capacity.above_scale.estimated") is True


def codes_estimated(summary: Mapping[str, Any]) -> bool:
    """The health-code counts are province-scale estimates from a sampled log (``health_codes.estimated``
    is ``True``; absent: complete counts)."""
    return lookup(summary, "health_codes.estimated") is True


PREDICATES: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    "all_green": all_green,
    "not_all_green": not_all_green,
    "synthetic": synthetic,
    "firms_estimated": firms_estimated,
    "codes_estimated": codes_estimated,
}
"""Conditions a template may name (``when = "all_green"``; ``"not synthetic"`` negates)."""


# ------------------------------------------------------------------------------- computed fields


def _region_name(summary: Mapping[str, Any], lang: str, t: Templates) -> str | None:
    from epianalysis.reference import regions

    code = lookup(summary, "recovery.region_code")
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
        number = fmt.count(n, lang)
        names = _names(summary, key, n, lang) if n <= int(t.settings.get("max_named_counties", 0)) else None
        if names:
            items.append(plural(z["item_named"][lang], n).format(n=number, level=level, names=fmt.join(names, lang)))
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
