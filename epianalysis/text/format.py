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
    already in percent (60.15 -> "60.2%"). A target may ask for fewer decimals ("75%"). "100%" is
    said only when the value is exactly 100 % (numerator equals denominator); a value that rounds
    to 100 without being 100 reads "over 99.9%" / "超过99.9%" below it (99.96 %, 4,436 of 4,437) and
    "over 100.0%" above it ("over 99%" and "over 100%" with no decimals).
Counts
    Whole numbers. English groups thousands ("1,205"; "14,989,000"). Chinese writes a count in full
    without separators as a press release does ("1205", "44370") and, from 100,000 (10万) on, in
    ten thousands with one decimal, a trailing ".0" dropped ("40.5万" for 405,307, "1498.9万" for
    14,989,000, "40万" for 400,000). The rule is the same in every output (tables, charts, cards,
    paragraph): one rule for one kind of number.
Estimates
    A province-scale estimate from a sample (a count divided by its sampling fraction,
    :mod:`epianalysis.data.sampling`) is rounded half-up to three significant digits (never finer
    than a whole number) and said as an estimate: "about 44,400" / "约44400", "about 405,000" /
    "约40.5万", "about 40.5 million" / "约4050万" (English in millions from 1,000,000 on, Chinese in
    万 from 100,000 on, trailing zeros dropped). Both languages say the same rounded number.
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

from collections.abc import Iterable, Mapping
from decimal import Decimal

from epianalysis.text.dates import DATE_STYLES as DATE_STYLES  # re-exported: dates are written here too
from epianalysis.text.dates import as_date as as_date
from epianalysis.text.dates import data_as_of as data_as_of
from epianalysis.text.dates import date as date
from epianalysis.text.labels import check_language, label, load_labels
from epianalysis.text.numbers import (
    MINUS,
    MISSING,
    PLUS_MINUS,
    conventions,
    count_digits,
    digits,
    fixed,
    is_missing,
    plain,
    round_half_up,
    signed,
    significant,
    to_decimal,
)

PERCENT_DECIMALS = 1

ESTIMATE_DIGITS = 3
"""Significant digits of an estimate (:func:`estimate`)."""

KINDS: dict[str, int] = {
    "count": 0,
    "estimate": 0,
    "share": 0,
    "days": 0,
    "rate": 1,
    "percent": 1,
    "index": 2,
    "per_100k": 2,
    "decimal": 1,
}
"""The kinds of number :func:`value` and :func:`change` write, with their decimals: ``count``,
``estimate`` (a province-scale estimate from a sample, :func:`estimate`), ``share`` (a sampling
fraction, :func:`share`), ``days``, ``rate`` (a
fraction written as a percentage), ``percent`` (already in percent), ``index``, ``per_100k`` (cases
per 100 000 residents), ``decimal`` (a plain decimal)."""

_CHANGE_LABELS = {"rate": "change_points", "percent": "change_points", "index": "change_index", "days": "change_days"}


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
    return signed(number, count_digits(number, lang))


def decimal(value: object, lang: str, decimals: int = 1) -> str:
    """A plain decimal number: ``5.5 -> "5.5"``; ``decimals`` decimals, rounded half-up.

    >>> decimal(5.5, "en"), decimal(2.5, "zh", 2), decimal(1234.56, "en"), decimal(-0.25, "en")
    ('5.5', '2.50', '1,234.6', '−0.3')
    """
    return fixed(value, lang, decimals)


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


def _percentage(value: object, lang: str, decimals: int, scale: int) -> str:
    """``value × scale`` as a percentage with ``decimals`` decimals; "100%" only when exactly 100.

    A value that rounds to 100 without being 100 reads ``percent_over`` of the nearest printable
    value on its side: "over 99.9%" below 100, "over 100.0%" above it.
    """
    check_language(lang)
    if is_missing(value):
        return MISSING
    exact = to_decimal(value) * Decimal(scale)
    number = round_half_up(exact, decimals)
    hundred = Decimal(100)
    if number == hundred and exact != hundred:
        bound = hundred - Decimal(1).scaleb(-decimals) if exact < hundred else hundred
        return label("percent_over", lang, value=digits(bound, decimals, lang))
    return label("percent", lang, value=signed(number, digits(number, decimals, lang)))


def percent(fraction: object, lang: str, decimals: int = PERCENT_DECIMALS) -> str:
    """A fraction as a percentage: ``0.8714 -> "87.1%"``, rounded half-up on the decimal value.

    "100%" only for exactly 1; a fraction that rounds to 100 % without being 1 reads "over 99.9%".

    >>> percent(0.0125, "en")  # 1.25 % -> 1.3 %
    '1.3%'
    >>> percent(1050 / 1205, "zh"), percent(170 / 169, "en"), percent(float("nan"), "en")
    ('87.1%', '100.6%', '–')
    >>> percent(1.0, "en"), percent(4436 / 4437, "en"), percent(4436 / 4437, "zh")
    ('100.0%', 'over 99.9%', '超过99.9%')
    """
    return _percentage(fraction, lang, decimals, 100)


def percent_value(value: object, lang: str, decimals: int = PERCENT_DECIMALS) -> str:
    """A value already in percent: ``60.15 -> "60.2%"``; ``decimals=0`` for a target (``"75%"``).

    "100%" only for exactly 100; 99.95 up to (not including) 100 reads "over 99.9%".

    >>> percent_value(60.15, "en"), percent_value(75.0, "zh", 0), percent_value(None, "en")
    ('60.2%', '75%', '–')
    >>> percent_value(100.0, "en"), percent_value(99.95, "en"), percent_value(100.04, "en")
    ('100.0%', 'over 99.9%', 'over 100.0%')
    """
    return _percentage(value, lang, decimals, 1)


def percent_range(lower: object, upper: object, lang: str, decimals: int = 0) -> str:
    """A range of values already in percent, both ends written as :func:`percent_value` writes them
    and joined by an en dash, the percent sign once: ``(70, 90) -> "70–90%"``; ``"–"`` if an end is
    missing.

    >>> percent_range(70, 90, "en"), percent_range(30.0, 50.0, "zh"), percent_range(None, 50, "en")
    ('70–90%', '30–50%', '–')
    """
    check_language(lang)
    if is_missing(lower) or is_missing(upper):
        return MISSING
    ends = [fixed(v, lang, decimals) for v in (lower, upper)]
    return label("percent", lang, value="\N{EN DASH}".join(ends))


def estimate(value: object, lang: str) -> str:
    """A province-scale estimate from a sample: three significant digits, said as an estimate.

    English: "about 44,400", "about 405,000", "about 40.5 million" (millions from 1,000,000 on);
    Chinese: "约44400", "约40.5万", "约4050万" (万 from 100,000 on, as counts). ``"–"`` when missing
    (an estimate that cannot be made, e.g. a group whose sampling fraction is unknown).

    >>> estimate(40_530_700, "en"), estimate(40_530_700, "zh")
    ('about 40.5 million', '约4050万')
    >>> estimate(44_370, "en"), estimate(44_370, "zh"), estimate(405_307, "zh"), estimate(None, "en")
    ('about 44,400', '约44400', '约40.5万', '–')
    """
    check_language(lang)
    if is_missing(value):
        return MISSING
    number = significant(value, ESTIMATE_DIGITS)
    size = abs(number)
    rules = conventions(lang)
    wan_from, million_from = int(rules["wan_from"]), int(rules["million_from"])
    if wan_from and size >= wan_from:
        text = rules["wan"].format(value=plain(size.scaleb(-4)))
    elif million_from and size >= million_from:
        text = rules["million"].format(value=plain(size.scaleb(-6)))
    else:
        text = digits(size, 0, lang)
    return label("estimate", lang, value=signed(number, text))


def share(fraction: object, lang: str) -> str:
    """A sampling fraction as a percentage with two significant digits, trailing zeros dropped:
    ``0.01 -> "1%"``, ``0.001 -> "0.1%"``, ``0.1 -> "10%"``, ``0.125 -> "13%"``.

    >>> share(0.01, "en"), share(0.001, "zh"), share(0.1, "en"), share(None, "en")
    ('1%', '0.1%', '10%', '–')
    """
    check_language(lang)
    if is_missing(fraction):
        return MISSING
    number = to_decimal(fraction) * 100
    places = max(1 - number.adjusted(), 0) if number else 0
    return label("percent", lang, value=plain(round_half_up(number, places)))


def days(value: object, lang: str, unit: bool = False) -> str:
    """A number of whole days: ``"16"``; with ``unit`` ``"16 days"`` / ``"1 day"`` / ``"16天"``.

    >>> days(16, "en"), days(1, "en", unit=True), days(16, "zh", unit=True)
    ('16', '1 day', '16天')
    """
    text = fixed(value, lang, 0)
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
    """``number`` written as its ``kind`` says (see :data:`KINDS`): ``count`` as :func:`count`,
    ``estimate`` as :func:`estimate`, ``share`` as :func:`share`, ``rate`` as :func:`percent`, ``percent`` as
    :func:`percent_value`, the others (``days``, ``index``, ``per_100k``, ``decimal``) with their
    decimals; ``decimals`` overrides them (not a count's or an estimate's).

    >>> value(0.0125, "rate", "en"), value(60.15, "percent", "en"), value(96.87, "index", "zh")
    ('1.3%', '60.2%', '96.87')
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of number {kind!r}; choose one of {', '.join(KINDS)}")
    if kind == "count":
        return count(number, lang)
    if kind == "estimate":
        return estimate(number, lang)
    if kind == "share":
        return share(number, lang)
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
    shown = count_digits(number, lang) if kind == "count" else digits(number, decimals, lang)
    sign = PLUS_MINUS if number == 0 else ("+" if number > 0 else MINUS)
    text = sign + shown
    return label(_CHANGE_LABELS[kind], lang, value=text) if kind in _CHANGE_LABELS else text


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
