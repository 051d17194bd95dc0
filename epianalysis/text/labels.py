"""User-facing texts in English and Chinese, read from ``labels.toml`` files (labels are data): lookup only.

Every title, axis label, legend entry, footer, unit word and date pattern of the outputs lives in
``labels.toml`` next to this module (shared keys) or in a topic's ``labels.toml`` (``<topic>.<key>``),
one table per key with an ``en`` and a ``zh`` entry. Numbers, dates and lists are written by
:mod:`epianalysis.text.format` from these words.
"""

from __future__ import annotations

import string
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

TEXT_DIR = Path(__file__).resolve().parent
LABELS_FILE = TEXT_DIR / "labels.toml"
LANGUAGES: tuple[str, ...] = ("en", "zh")


def label_files() -> dict[str, Path]:
    """Every label file by namespace: ``""`` for the shared ``text/labels.toml``, then each topic's
    ``topics/<topic>/labels.toml`` (namespace ``<topic>``), ``explore/labels.toml`` (``explore``) and
    ``briefing/labels.toml`` (``briefing``: the published pages)."""
    package = TEXT_DIR.parent
    files = {"": LABELS_FILE}
    for path in sorted((package / "topics").glob("*/labels.toml")):
        files[path.parent.name] = path
    files["explore"] = package / "explore" / "labels.toml"
    files["briefing"] = package / "briefing" / "labels.toml"
    return files


@cache
def load_labels() -> dict[str, dict[str, Any]]:
    """All labels: ``{key: {"en": ..., "zh": ...}}``; a topic's keys are named ``<topic>.<key>``
    (``capacity.firms``), the shared ones have no namespace (``source``)."""
    merged: dict[str, dict[str, Any]] = {}
    for namespace, path in label_files().items():
        with path.open("rb") as fh:
            table = tomllib.load(fh)
        merged.update({f"{namespace}.{key}" if namespace else key: value for key, value in table.items()})
    return merged


def check_language(lang: str) -> str:
    """Return ``lang`` if it is a supported language, else raise ``ValueError`` naming the choices."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return lang


def label(key: str, lang: str, **fields: object) -> str:
    """The text of label ``key`` in ``lang``, with ``{placeholders}`` filled from ``fields``.

    Parameters
    ----------
    key : str
        A table name in ``labels.toml``, e.g. ``"epidemic_curve_title"``.
    lang : {"en", "zh"}
        Language of the text.
    **fields
        Values for the placeholders of the label (e.g. ``source="..."``).

    Returns
    -------
    str

    Raises
    ------
    KeyError
        Unknown key, or a placeholder without a value.
    ValueError
        Unsupported language.
    """
    check_language(lang)
    labels = load_labels()
    if key not in labels:
        raise KeyError(
            f"no label {key!r} (shared keys in text/labels.toml, <topic>.<key> in topics/<topic>/labels.toml)"
        )
    text = labels[key][lang]
    if not isinstance(text, str):
        raise KeyError(f"label {key!r} is a list or table (a format's data), not a text")
    missing = placeholders(text) - set(fields)
    if missing:
        raise KeyError(f"chart label {key!r} needs a value for {', '.join(sorted(missing))}")
    return text.format(**fields)


def placeholders(text: str) -> set[str]:
    """Names of the ``{placeholders}`` in a label text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
