"""The one place where numbers, dates, changes, lists and missing values become text, in English and Chinese.

Every output (tables, chart labels, KPI cards, the HTML index, the press paragraph) writes a value
through this module, so one value reads the same everywhere. Values are stored unrounded (the
``summary.json`` sections hold plain floats) and rounded once, here. The words and patterns (month
names, date patterns, unit words, separators, the 万 rule) are data in ``text/labels.toml``; the
rules are:

Rounding
    Half-up on the decimal value as written (:func:`round_half_up`): 0.0125 as a percentage is 1.25,
    which rounds to 1.3 (binary rounding of the float would give 1.2). Never clipped: a discharge
    rate of 1.006 reads "100.6%".
Percentages
    One decimal: :func:`percent` takes a fraction (0.8714 -> "87.1%"), :func:`percent_value` a value
    already in percent (60.15 -> "60.2%"). A target may ask for fewer decimals ("75%").
Counts
    Whole numbers. English groups thousands ("1,205"; "14,989,000"). Chinese writes a count in full
    without separators as a press release does ("1205", "44370") and, from 100,000 (10万) on, in
    ten thousands with one decimal, a trailing ".0" dropped ("40.5万" for 405,307, "1498.9万" for
    14,989,000, "40万" for 400,000). The rule is the same in every output (tables, charts, cards,
    paragraph): one rule for one kind of number.
Index values
    Two decimals ("96.87"), as the province publishes its precision control index.
Plain decimals
    One decimal unless asked otherwise (median days "5.5"; a raw indicator value "87.3"). Cases per
    100 000 residents have two ("2.50").
Days
    Whole days ("16"; with the unit "16 days" / "16天").
Changes
    Signed with "+", a true minus sign "−" or "±" when the rounded change is zero: counts "+36",
    "−2", "±0"; rates and percentages in percentage points "+1.2 pts" / "+1.2个百分点"; index
    "+1.09" / "+1.09分"; days "+3" / "+3天".
Dates
    "1 Mar 2020" / "2020年3月1日" (``long``), "1 Mar" / "3月1日" (``day_month``), "Mar" / "3月",
    "Mar 2020" / "2020年3月", in sentences "1 March" / "3月1日" (``day_month_full``) and "24:00 on
    1 March" / "3月1日24时" (``day_month_24h``); :func:`data_as_of` "Data as of 1 Mar 2020, 24:00" /
    "数据截至2020年3月1日24时". Not with ``strftime`` or locales, which depend on the machine.
Lists
    "a, b and c" / "a、b和c".
Missing values
    "–" (an en dash), never 0.

Every function takes the language (``"en"`` or ``"zh"``) and returns ``"–"`` for a missing value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from numbers import Integral, Real
from typing import Any

import pandas as pd

from epianalysis.text.labels import check_language, label, load_labels

MISSING = "\N{EN DASH}"
"""What a missing value reads as, in every output and language (never 0)."""
MINUS = "\N{MINUS SIGN}"
PLUS_MINUS = "\N{PLUS-MINUS SIGN}"
PERCENT_DECIMALS = 1

KINDS: dict[str, int] = {"count": 0, "days": 0, "rate": 1, "percent": 1, "index": 2, "per_100k": 2, "decimal": 1}
"""The kinds of number :func:`value` and :func:`change` write, with their decimals: ``count``,
``days``, ``rate`` (a fraction written as a percentage), ``percent`` (already in percent),
``index``, ``per_100k`` (cases per 100 000 residents), ``decimal`` (a plain decimal)."""

DATE_STYLES = ("long", "day_month", "month", "month_year", "day_month_full", "day_month_24h")
"""The date styles of :func:`date` (label keys ``date_<style>`` in ``text/labels.toml``)."""

_CHANGE_LABELS = {"rate": "change_points", "percent": "change_points", "index": "change_index", "days": "change_days"}


# ------------------------------------------------------------------------------------ basics


def is_missing(value: object) -> bool:
    """Whether ``value`` is missing: ``None``, NaN, ``pandas.NA`` or ``NaT``.

    >>> is_missing(None), is_missing(float("nan")), is_missing(pd.NA), is_missing(0)
    (True, True, True, False)
    """
    if value is None or isinstance(value, str | bytes | Mapping | list | tuple):
        return value is None
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def to_decimal(value: object) -> Decimal:
    """``value`` as the decimal number it is written as: ``0.125 -> Decimal("0.125")`` (not its binary
    approximation); ``TypeError`` for what is not a number (a text, a bool)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | Real):
        raise TypeError(f"a number was expected, not {value!r}")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Integral):
        return Decimal(int(value))
    return Decimal(repr(float(value)))


def round_half_up(value: float | int | Decimal, decimals: int = 0, scale: Decimal | int = 1) -> Decimal:
    """``value × scale`` rounded half-up on its decimal value, as a press release rounds.

    >>> round_half_up(0.0125, 1, 100)  # 1.25 -> 1.3 (the float 0.0125 * 100 would round to 1.2)
    Decimal('1.3')
    >>> round_half_up(60.15, 1)
    Decimal('60.2')
    >>> round_half_up(-2.5)
    Decimal('-3')
    """
    return (to_decimal(value) * Decimal(scale)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _conventions(lang: str) -> Mapping[str, Any]:
    return load_labels()["number_format"][check_language(lang)]


def _digits(number: Decimal, decimals: int, lang: str) -> str:
    """``|number|`` with ``decimals`` decimals, thousands grouped as ``lang`` groups them."""
    return f"{abs(number):,.{decimals}f}".replace(",", _conventions(lang)["thousands"])


def _signed(number: Decimal, text: str) -> str:
    return MINUS + text if number < 0 else text


def _fixed(value: object, lang: str, decimals: int, scale: int = 1) -> str:
    """``value × scale`` with ``decimals`` decimals, signed and grouped; ``"–"`` when missing."""
    check_language(lang)
    if is_missing(value):
        return MISSING
    number = round_half_up(value, decimals, scale)
    return _signed(number, _digits(number, decimals, lang))


def _count_digits(number: Decimal, lang: str) -> str:
    """A whole ``|number|``: in full (grouped), or in ten thousands (万) from ``wan_from`` on."""
    conventions = _conventions(lang)
    wan_from = int(conventions["wan_from"])
    if wan_from and abs(number) >= wan_from:
        tens = round_half_up(abs(number), 1, Decimal("0.0001"))
        text = f"{tens:.1f}".removesuffix(".0")
        return conventions["wan"].format(value=text)
    return _digits(number, 0, lang)


# ----------------------------------------------------------------------------------- numbers


def count(value: object, lang: str) -> str:
    """A count: ``1205 -> "1,205"`` (en) / ``"1205"`` (zh), ``405307 -> "40.5万"`` (zh, from 100,000).

    ``value`` is rounded half-up to a whole number first; a negative count (a revision) keeps "−".

    >>> count(1205, "en"), count(1205, "zh")
    ('1,205', '1205')
    >>> count(14_989_000, "en"), count(14_989_000, "zh")
    ('14,989,000', '1498.9万')
    >>> count(99_999, "zh"), count(100_000, "zh"), count(-7, "en")
    ('99999', '10万', '−7')
    """
    check_language(lang)
    if is_missing(value):
        return MISSING
    number = round_half_up(value)
    return _signed(number, _count_digits(number, lang))


def decimal(value: object, lang: str, decimals: int = 1) -> str:
    """A plain decimal number: ``5.5 -> "5.5"``; ``decimals`` decimals, rounded half-up.

    >>> decimal(5.5, "en"), decimal(2.5, "zh", 2), decimal(1234.56, "en"), decimal(-0.25, "en")
    ('5.5', '2.50', '1,234.6', '−0.3')
    """
    return _fixed(value, lang, decimals)


def index(value: object, lang: str) -> str:
    """An index value (0-100 scale) with two decimals: ``96.87 -> "96.87"``.

    >>> index(96.865, "en"), index(100, "zh"), index(None, "en")
    ('96.87', '100.00', '–')
    """
    return decimal(value, lang, KINDS["index"])


def per_100k(value: object, lang: str) -> str:
    """Cases per 100 000 residents, two decimals: ``2.5 -> "2.50"``.

    >>> per_100k(2.5, "en"), per_100k(0.125, "zh")
    ('2.50', '0.13')
    """
    return decimal(value, lang, KINDS["per_100k"])


def percent(fraction: object, lang: str, decimals: int = PERCENT_DECIMALS) -> str:
    """A fraction as a percentage: ``0.8714 -> "87.1%"``, rounded half-up on the decimal value.

    >>> percent(0.0125, "en")  # 1.25 % -> 1.3 %
    '1.3%'
    >>> percent(1050 / 1205, "zh"), percent(170 / 169, "en"), percent(float("nan"), "en")
    ('87.1%', '100.6%', '–')
    """
    text = _fixed(fraction, lang, decimals, 100)
    return text if text == MISSING else label("percent", lang, value=text)


def percent_value(value: object, lang: str, decimals: int = PERCENT_DECIMALS) -> str:
    """A value already in percent: ``60.15 -> "60.2%"``; ``decimals=0`` for a target (``"75%"``).

    >>> percent_value(60.15, "en"), percent_value(75.0, "zh", 0), percent_value(None, "en")
    ('60.2%', '75%', '–')
    """
    text = _fixed(value, lang, decimals)
    return text if text == MISSING else label("percent", lang, value=text)


def days(value: object, lang: str, unit: bool = False) -> str:
    """A number of whole days: ``"16"``; with ``unit`` ``"16 days"`` / ``"1 day"`` / ``"16天"``.

    >>> days(16, "en"), days(1, "en", unit=True), days(16, "zh", unit=True)
    ('16', '1 day', '16天')
    """
    text = _fixed(value, lang, 0)
    return with_unit(text, "days", lang) if unit and text != MISSING else text


def with_unit(text: str, unit: str, lang: str) -> str:
    """A number already written (``text``) with its unit (``unit_<unit>`` in ``text/labels.toml``;
    ``KeyError`` for another). English takes the ``one`` form when the number reads ``"1"``.

    >>> with_unit("1,205", "cases", "en"), with_unit("1", "patients", "en"), with_unit("1205", "cases", "zh")
    ('1,205 cases', '1 patient', '1205例')
    """
    check_language(lang)
    labels = load_labels()
    key = f"unit_{unit}"
    if key not in labels:
        raise KeyError(f"no unit {unit!r} (unit_<name> in text/labels.toml)")
    pattern = labels[key][lang]
    if isinstance(pattern, Mapping):
        pattern = pattern["one"] if text == "1" else pattern["other"]
    return pattern.format(value=text)


def units() -> list[str]:
    """The names of the units :func:`with_unit` knows."""
    return sorted(key.removeprefix("unit_") for key in load_labels() if key.startswith("unit_"))


def value(number: object, kind: str, lang: str, decimals: int | None = None) -> str:
    """``number`` written as its ``kind`` says (see :data:`KINDS`): ``count`` as :func:`count`, ``rate``
    as :func:`percent`, ``percent`` as :func:`percent_value`, the others (``days``, ``index``,
    ``per_100k``, ``decimal``) with their decimals; ``decimals`` overrides them (not a count's).

    >>> value(0.0125, "rate", "en"), value(60.15, "percent", "en"), value(96.87, "index", "zh")
    ('1.3%', '60.2%', '96.87')
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of number {kind!r}; choose one of {', '.join(KINDS)}")
    if kind == "count":
        return count(number, lang)
    places = KINDS[kind] if decimals is None else decimals
    if kind == "rate":
        return percent(number, lang, places)
    return percent_value(number, lang, places) if kind == "percent" else decimal(number, lang, places)


# ----------------------------------------------------------------------------------- changes


def shown_change(delta: object, kind: str) -> Decimal | None:
    """A change as :func:`change` prints it (rounded half-up), for deciding whether it is zero.

    ``None`` when missing. For ``rate`` and ``percent`` the change is in percentage points.

    >>> shown_change(0.04, "rate"), shown_change(0.005, "index")
    (Decimal('0.0'), Decimal('0.01'))
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of number {kind!r}; choose one of {', '.join(KINDS)}")
    if is_missing(delta):
        return None
    return round_half_up(delta, KINDS[kind])


def change(delta: object, kind: str, lang: str) -> str:
    """A change as a signed number: ``"+36"``, ``"−2"``, ``"±0"``.

    Parameters
    ----------
    delta : number
        The change; for ``rate`` and ``percent`` in percentage points (100 × the change of a fraction).
    kind : str
        A kind of :data:`KINDS`: counts ``"+36"``; days ``"+3"`` / ``"+3天"``; rates and percentages
        ``"+1.2 pts"`` / ``"+1.2个百分点"``; index ``"+1.09"`` / ``"+1.09分"``.
    lang : {"en", "zh"}

    >>> change(36, "count", "en"), change(-2, "count", "zh"), change(0, "count", "en")
    ('+36', '−2', '±0')
    >>> change(1.15, "rate", "en"), change(1.09, "index", "zh"), change(-3, "days", "zh")
    ('+1.2 pts', '+1.09分', '−3天')
    >>> change(None, "index", "en")
    '–'
    """
    check_language(lang)
    number = shown_change(delta, kind)
    if number is None:
        return MISSING
    decimals = KINDS[kind]
    digits = _count_digits(number, lang) if kind == "count" else _digits(number, decimals, lang)
    sign = PLUS_MINUS if number == 0 else ("+" if number > 0 else MINUS)
    text = sign + digits
    return label(_CHANGE_LABELS[kind], lang, value=text) if kind in _CHANGE_LABELS else text


# ------------------------------------------------------------------------------------- dates


def as_date(value: object) -> dt.date:
    """A ``datetime.date`` from a date, datetime, ``pandas.Timestamp``, ``numpy.datetime64`` or ISO text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return pd.Timestamp(value).date()


def date(value: object, lang: str, style: str = "long") -> str:
    """A date as printed (see :data:`DATE_STYLES`).

    Parameters
    ----------
    value : date-like
        A ``datetime.date``, ``datetime``, ``pandas.Timestamp``, ``numpy.datetime64`` or ISO text
        (``ValueError`` for another text).
    lang : {"en", "zh"}
    style : str
        ``"long"``: "1 Mar 2020" / "2020年3月1日"; ``"day_month"``: "1 Mar" / "3月1日"; ``"month"``:
        "Mar" / "3月"; ``"month_year"``: "Mar 2020" / "2020年3月"; ``"day_month_full"``: "1 March" /
        "3月1日"; ``"day_month_24h"``: "24:00 on 1 March" / "3月1日24时".

    >>> date("2020-03-01", "en"), date("2020-03-01", "zh", "day_month")
    ('1 Mar 2020', '3月1日')
    >>> date("2020-03-01", "en", "day_month_24h")
    '24:00 on 1 March'
    """
    if style not in DATE_STYLES:
        raise ValueError(f"unknown date style {style!r}; choose one of {', '.join(DATE_STYLES)}")
    check_language(lang)
    if is_missing(value):
        return MISSING
    day = as_date(value)
    labels = load_labels()
    return label(
        f"date_{style}",
        lang,
        day=day.day,
        month=labels["month_names"][lang][day.month - 1],
        month_full=labels["month_names_full"][lang][day.month - 1],
        year=day.year,
    )


def data_as_of(value: object, lang: str) -> str:
    """``"Data as of 1 Mar 2020, 24:00"`` / ``"数据截至2020年3月1日24时"``.

    >>> data_as_of("2020-03-01", "zh")
    '数据截至2020年3月1日24时'
    """
    return label("data_as_of", lang, date=date(value, lang, "long"))


# ------------------------------------------------------------------------------------- lists


def join(items: Iterable[str], lang: str) -> str:
    """Items as a list in a sentence: ``"a, b and c"`` / ``"a、b和c"``.

    >>> join(["a", "b", "c"], "en"), join(["桐庐县", "海曙区"], "zh"), join(["a"], "en")
    ('a, b and c', '桐庐县和海曙区', 'a')
    """
    items = [str(item) for item in items]
    separators = load_labels()["separators"][check_language(lang)]
    if len(items) <= 1:
        return "".join(items)
    return separators["list"].join(items[:-1]) + separators["list_last"] + items[-1]


def join_sentences(sentences: Iterable[str], lang: str) -> str:
    """Sentences as a paragraph: separated by a space in English, nothing in Chinese."""
    return load_labels()["separators"][check_language(lang)]["sentence"].join(sentences)
