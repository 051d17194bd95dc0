"""User-facing chart texts in English and Chinese, read from ``labels.toml`` (labels are data).

Every title, axis label, legend entry, footer and date format of the press charts lives in
``labels.toml`` next to this module, one table per key with an ``en`` and a ``zh`` entry. Numbers
and dates are formatted here (not with ``strftime``/locales, which depend on the machine), so a
chart renders the same text everywhere.
"""

from __future__ import annotations

import datetime as dt
import string
import tomllib
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

TEXT_DIR = Path(__file__).resolve().parent
LABELS_FILE = TEXT_DIR / "labels.toml"
LANGUAGES: tuple[str, ...] = ("en", "zh")


def label_files() -> dict[str, Path]:
    """Every label file by namespace: ``""`` for the shared ``text/labels.toml``, then each topic's
    ``topics/<topic>/labels.toml`` (namespace ``<topic>``) and ``explore/labels.toml`` (``explore``)."""
    package = TEXT_DIR.parent
    files = {"": LABELS_FILE}
    for path in sorted((package / "topics").glob("*/labels.toml")):
        files[path.parent.name] = path
    files["explore"] = package / "explore" / "labels.toml"
    return files


@cache
def load_labels() -> dict[str, dict[str, str | list[str]]]:
    """All labels: ``{key: {"en": ..., "zh": ...}}``; a topic's keys are named ``<topic>.<key>``
    (``capacity.firms``), the shared ones have no namespace (``source``)."""
    merged: dict[str, dict[str, str | list[str]]] = {}
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
        raise KeyError(f"chart label {key!r} in {LABELS_FILE.name} is a list, not a text")
    missing = placeholders(text) - set(fields)
    if missing:
        raise KeyError(f"chart label {key!r} needs a value for {', '.join(sorted(missing))}")
    return text.format(**fields)


def placeholders(text: str) -> set[str]:
    """Names of the ``{placeholders}`` in a label text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def month_name(month: int, lang: str) -> str:
    """Month ``1..12`` as written in dates: ``"Mar"`` (en) or ``"3"`` (zh)."""
    check_language(lang)
    return load_labels()["month_names"][lang][month - 1]


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def format_date(value: object, lang: str, style: str = "long") -> str:
    """A date as printed on a chart.

    Parameters
    ----------
    value : date-like
        A ``datetime.date``, ``datetime``, ``pandas.Timestamp``, ``numpy.datetime64`` or ISO string.
    lang : {"en", "zh"}
    style : {"long", "day_month", "month", "month_year"}
        ``"long"``: "1 Mar 2020" / "2020年3月1日"; ``"day_month"``: "1 Mar" / "3月1日";
        ``"month"``: "Mar" / "3月"; ``"month_year"``: "Mar 2020" / "2020年3月".

    Returns
    -------
    str
    """
    if style not in ("long", "day_month", "month", "month_year"):
        raise ValueError(f"unknown date style {style!r}")
    day = _as_date(value)
    return label(f"date_{style}", lang, day=day.day, month=month_name(day.month, lang), year=day.year)


def round_half_up(value: float | int | Decimal, decimals: int = 0, scale: Decimal | int = 1) -> Decimal:
    """``value × scale`` rounded half-up on its decimal value, as a press release rounds.

    The decimal value is the number as written (``Decimal(repr(value))``), so 0.125 rounds to 0.13,
    not to what its binary approximation would give. Every displayed rate and index rounds here.
    """
    number = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else int(value))
    return (number * Decimal(scale)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_percent(fraction: float, lang: str, decimals: int = 1) -> str:
    """A fraction as a percentage text: ``0.871 -> "87.1%"``, rounded by :func:`round_half_up`.

    A missing value gives ``"–"``.
    """
    if fraction is None or (isinstance(fraction, float) and np.isnan(fraction)) or pd.isna(fraction):
        return "–"
    return label("percent", lang, value=f"{round_half_up(float(fraction), decimals, 100):.{decimals}f}")


def format_count(value: float) -> str:
    """A count with thousands separators: ``12345 -> "12,345"``, ``-7 -> "−7"`` (true minus sign)."""
    text = f"{abs(value):,.0f}"
    return f"\N{MINUS SIGN}{text}" if value < 0 else text
