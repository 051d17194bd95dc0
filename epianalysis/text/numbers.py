"""The arithmetic under :mod:`epianalysis.text.format`: missing values, decimal rounding, digits.

:mod:`epianalysis.text.format` writes every number as text and re-exports the public names here
(``MISSING``, ``is_missing``, ``to_decimal``, ``round_half_up``, ``significant``); the rules are in
its docstring. This module holds the steps they share: a value is read as the decimal it is
written as, rounded half-up, and its digits grouped as the language groups them
(``number_format`` in ``text/labels.toml``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from numbers import Integral, Real
from typing import Any

import pandas as pd

from epianalysis.text.labels import check_language, load_labels

MISSING = "\N{EN DASH}"
"""What a missing value reads as, in every output and language (never 0)."""
MINUS = "\N{MINUS SIGN}"
PLUS_MINUS = "\N{PLUS-MINUS SIGN}"


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


def significant(value: object, digits: int) -> Decimal:
    """``value`` rounded half-up to ``digits`` significant digits, never finer than a whole number.

    >>> significant(40_530_700, 3), significant(44_370, 3), significant(905.4, 3), significant(0, 3)
    (Decimal('4.05E+7'), Decimal('4.44E+4'), Decimal('905'), Decimal('0'))
    """
    number = to_decimal(value)
    if number == 0:
        return Decimal(0)
    places = max(number.adjusted() - digits + 1, 0)
    return round_half_up(number.scaleb(-places)).scaleb(places)


def conventions(lang: str) -> Mapping[str, Any]:
    """How ``lang`` groups digits and names large numbers (``number_format`` in ``text/labels.toml``)."""
    return load_labels()["number_format"][check_language(lang)]


def digits(number: Decimal, decimals: int, lang: str) -> str:
    """``|number|`` with ``decimals`` decimals, thousands grouped as ``lang`` groups them."""
    return f"{abs(number):,.{decimals}f}".replace(",", conventions(lang)["thousands"])


def plain(number: Decimal) -> str:
    """``number`` in fixed notation without trailing zeros: 40.50 -> "40.5", 4050 -> "4050"."""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def signed(number: Decimal, text: str) -> str:
    """``text`` (the digits of ``|number|``) with a true minus sign when ``number`` is negative."""
    return MINUS + text if number < 0 else text


def fixed(value: object, lang: str, decimals: int, scale: int = 1) -> str:
    """``value × scale`` with ``decimals`` decimals, signed and grouped; ``"–"`` when missing."""
    check_language(lang)
    if is_missing(value):
        return MISSING
    number = round_half_up(value, decimals, scale)
    return signed(number, digits(number, decimals, lang))


def count_digits(number: Decimal, lang: str) -> str:
    """A whole ``|number|``: in full (grouped), or in ten thousands (万) from ``wan_from`` on."""
    rules = conventions(lang)
    wan_from = int(rules["wan_from"])
    if wan_from and abs(number) >= wan_from:
        tens = round_half_up(abs(number), 1, Decimal("0.0001"))
        text = f"{tens:.1f}".removesuffix(".0")
        return rules["wan"].format(value=text)
    return digits(number, 0, lang)
