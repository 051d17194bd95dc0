"""The one text layer (epianalysis.text.format): every expected text below is worked out by hand."""

from __future__ import annotations

import datetime as dt
import doctest
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from epianalysis.text import dates, labels, numbers
from epianalysis.text import format as fmt

MINUS = "\N{MINUS SIGN}"


def test_the_module_examples_hold():
    result = doctest.testmod(fmt, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 20 and result.failed == 0
    for module in (numbers, dates):  # the arithmetic and the dates format.py writes with
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.attempted >= 3 and result.failed == 0


def test_labels_only_look_up():
    # the formatters moved here: labels.py holds no number or date formatting any more
    assert not any(name.startswith(("format_", "round_")) for name in vars(labels))


# ---------------------------------------------------------------------------------- rounding


def test_rounding_is_half_up_on_the_decimal_value():
    # 0.0125 * 100 = 1.25 -> 1.3; the float arithmetic the index used gave "1.2" (1.25 rounds to even)
    assert fmt.round_half_up(0.0125, 1, 100) == Decimal("1.3")
    assert f"{100 * 0.0125:.1f}" == "1.2"
    # 60.15 -> 60.2; the float 60.15 is 60.149999... so f"{60.15:.1f}" gave the card's "60.1"
    assert fmt.round_half_up(60.15, 1) == Decimal("60.2")
    assert f"{round(60.15, 2):.1f}" == "60.1"
    assert fmt.round_half_up(96.865, 2) == Decimal("96.87")  # binary rounding: 96.86
    assert fmt.round_half_up(-2.5) == Decimal("-3")  # half away from zero, as written
    assert fmt.round_half_up(np.float64(0.125), 2) == Decimal("0.13")
    assert fmt.round_half_up(np.int64(7)) == Decimal(7)


def test_non_numbers_are_refused():
    for bad in ("1205", True, [1]):
        with pytest.raises(TypeError, match="number was expected"):
            fmt.to_decimal(bad)
    with pytest.raises(TypeError):
        fmt.count("1205", "en")


# ---------------------------------------------------------------------------------- percent


@pytest.mark.parametrize(
    ("fraction", "lang", "expected"),
    [
        (0.0125, "en", "1.3%"),  # 1.25 % -> 1.3 %
        (0.0125, "zh", "1.3%"),
        (943 / 1205, "en", "78.3%"),  # 0.782572... -> 78.257 % -> 78.3 % (press conference 2020-02-28)
        (1050 / 1205, "zh", "87.1%"),  # 0.871369... -> 87.1 % (2020-03-02)
        (170 / 169, "en", "100.6%"),  # 1.005917... -> 100.6 %, never clipped (Hangzhou, 2 Mar 2020)
        (0.0015, "en", "0.2%"),  # 0.15 % -> 0.2 % (binary rounding: 0.1 %)
        (0, "en", "0.0%"),
        (-0.0125, "en", f"{MINUS}1.3%"),
    ],
)
def test_percent_of_a_fraction(fraction, lang, expected):
    assert fmt.percent(fraction, lang) == expected


@pytest.mark.parametrize(
    ("fraction", "en", "zh"),
    [
        (1.0, "100.0%", "100.0%"),  # numerator equals denominator: exactly 100 %
        (4437 / 4437, "100.0%", "100.0%"),
        (4436 / 4437, "over 99.9%", "超过99.9%"),  # 99.977 % rounds to 100.0 but is not 100
        (0.9995, "over 99.9%", "超过99.9%"),  # 99.95 % rounds half-up to 100.0
        (0.99949, "99.9%", "99.9%"),  # 99.949 % rounds to 99.9: said as it is
        (1.0004, "over 100.0%", "超过100.0%"),  # 100.04 % rounds to 100.0 from above
        (1.0005, "100.1%", "100.1%"),
    ],
)
def test_100_percent_only_when_exact(fraction, en, zh):
    assert (fmt.percent(fraction, "en"), fmt.percent(fraction, "zh")) == (en, zh)


def test_100_percent_only_when_exact_for_values_in_percent():
    assert fmt.percent_value(100, "en") == "100.0%"
    assert fmt.percent_value(100 * 4436 / 4437, "en") == "over 99.9%"  # 99.977...
    assert fmt.percent_value(99.96, "en", decimals=0) == "over 99%"  # rounds to 100 with no decimals
    assert fmt.percent_value(99.4, "en", decimals=0) == "99%"
    assert fmt.percent_value(99.999, "zh", decimals=2) == "超过99.99%"  # 99.999 -> 100.00, not 100
    assert fmt.value(0.99996, "rate", "en") == "over 99.9%"  # every output writes through percent


@pytest.mark.parametrize(
    ("value", "en", "zh"),
    [
        (40_530_700, "about 40.5 million", "约4050万"),  # 405,307 code holders / 0.01: 3 digits 40,500,000
        (14_989_000, "about 15 million", "约1500万"),  # 14,989,000 -> 15,000,000 (trailing zeros dropped)
        (44_370, "about 44,400", "约44400"),  # 4,437 firms / 0.1: 44,370 -> 44,400; below 10万 in full
        (405_307, "about 405,000", "约40.5万"),
        (1_098_400, "about 1.1 million", "约110万"),
        (999_999, "about 1 million", "约100万"),  # 3 digits give 1,000,000
        (905.4, "about 905", "约905"),
        (7, "about 7", "约7"),  # never finer than a whole number
        (0, "about 0", "约0"),
        (None, "–", "–"),  # no estimate (an unknown sampling fraction) is a dash, never 0
    ],
)
def test_estimates(value, en, zh):
    assert (fmt.estimate(value, "en"), fmt.estimate(value, "zh")) == (en, zh)
    assert fmt.value(value, "estimate", "en") == en


def test_percent_of_a_value_in_percent():
    assert fmt.percent_value(60.15, "en") == "60.2%"  # 60.15 -> 60.2
    assert fmt.percent_value(76.75, "zh") == "76.8%"  # 76.75 -> 76.8
    assert fmt.percent_value(75.0, "en", decimals=0) == "75%"  # a target
    assert fmt.percent_value(-1.75, "en") == f"{MINUS}1.8%"  # -1.75 -> -1.8 (half away from zero)
    assert fmt.percent(0.947, "en", decimals=2) == "94.70%"


# ------------------------------------------------------------------------------------ counts


@pytest.mark.parametrize(
    ("value", "en", "zh"),
    [
        (1205, "1,205", "1205"),  # "累计报告确诊病例1205例"
        (44_370, "44,370", "44370"),  # below 10万: in full
        (99_999, "99,999", "99999"),
        (100_000, "100,000", "10万"),  # 100,000 / 10,000 = 10.0 -> "10" (".0" dropped)
        (405_307, "405,307", "40.5万"),  # 40.5307 -> 40.5
        (400_000, "400,000", "40万"),  # 40.0 -> 40
        (14_989_000, "14,989,000", "1498.9万"),  # 1498.9 (codes issued by 17 Feb 2020)
        (14_989_500, "14,989,500", "1499万"),  # 1498.95 -> 1499.0 (half-up) -> "1499"
        (0, "0", "0"),
        (-7, f"{MINUS}7", f"{MINUS}7"),  # a revision keeps its true minus sign
        (-405_307, f"{MINUS}405,307", f"{MINUS}40.5万"),
        (12.5, "13", "13"),  # rounded half-up to a whole count
        (np.int64(1050), "1,050", "1050"),
    ],
)
def test_counts(value, en, zh):
    assert (fmt.count(value, "en"), fmt.count(value, "zh")) == (en, zh)


def test_days_and_decimals_and_indices():
    assert fmt.days(16, "en") == "16" and fmt.days(16, "zh") == "16"
    assert fmt.days(16, "en", unit=True) == "16 days" and fmt.days(1, "en", unit=True) == "1 day"
    assert fmt.days(16, "zh", unit=True) == "16天"
    assert fmt.days(-3, "en") == f"{MINUS}3"
    assert fmt.decimal(5.5, "en") == "5.5" and fmt.decimal(5, "zh") == "5.0"  # median days
    assert fmt.decimal(10.25, "en") == "10.3"  # 10.25 -> 10.3
    assert fmt.decimal(1234.5, "en") == "1,234.5" and fmt.decimal(1234.5, "zh") == "1234.5"
    assert fmt.index(96.87, "en") == "96.87" and fmt.index(100, "zh") == "100.00"
    assert fmt.index(96.865, "en") == "96.87"  # 96.865 -> 96.87
    assert fmt.per_100k(2.5, "en") == "2.50" and fmt.per_100k(0.125, "zh") == "0.13"


def test_value_writes_each_kind():
    assert fmt.value(0.0125, "rate", "en") == "1.3%"
    assert fmt.value(60.15, "percent", "en") == "60.2%"
    assert fmt.value(96.87, "index", "zh") == "96.87"
    assert fmt.value(405_307, "count", "zh") == "40.5万"
    assert fmt.value(9, "days", "zh") == "9"
    assert fmt.value(5.5, "decimal", "en") == "5.5" and fmt.value(5.55, "decimal", "en", 2) == "5.55"
    assert fmt.value(0.947, "rate", "en", decimals=0) == "95%"  # 94.7 -> 95
    with pytest.raises(ValueError, match="unknown kind"):
        fmt.value(1, "points", "en")


def test_units():
    assert fmt.with_unit("1,205", "cases", "en") == "1,205 cases"
    assert fmt.with_unit("1", "patients_are", "en") == "1 patient is"
    assert fmt.with_unit("40.5万", "people", "zh") == "40.5万人"
    assert fmt.with_unit("96.87", "points", "zh") == "96.87分"
    assert {"cases", "counties", "days", "people", "points"} <= set(fmt.units())
    with pytest.raises(KeyError, match="parsecs"):
        fmt.with_unit("1", "parsecs", "en")


# ----------------------------------------------------------------------------------- changes


@pytest.mark.parametrize(
    ("delta", "kind", "en", "zh"),
    [
        (36, "count", "+36", "+36"),  # 1205 - 1169
        (-2, "count", f"{MINUS}2", f"{MINUS}2"),
        (0, "count", "±0", "±0"),
        (0.4, "count", "±0", "±0"),  # rounds to 0: no change shown
        (150_000, "count", "+150,000", "+15万"),  # 150,000 / 10,000 = 15.0 -> 15
        (1.25, "rate", "+1.3 pts", "+1.3个百分点"),  # 1.25 percentage points -> 1.3
        (-0.04, "rate", "±0.0 pts", "±0.0个百分点"),  # -0.04 -> -0.0: zero as printed
        (2.5, "percent", "+2.5 pts", "+2.5个百分点"),
        (1.09, "index", "+1.09", "+1.09分"),
        (-0.005, "index", f"{MINUS}0.01", f"{MINUS}0.01分"),  # -0.005 -> -0.01 (half away from zero)
        (3, "days", "+3", "+3天"),
        (-3, "days", f"{MINUS}3", f"{MINUS}3天"),
        (None, "count", "–", "–"),
        (float("nan"), "index", "–", "–"),
    ],
)
def test_changes(delta, kind, en, zh):
    assert (fmt.change(delta, kind, "en"), fmt.change(delta, kind, "zh")) == (en, zh)


def test_shown_change_is_what_is_printed():
    assert fmt.shown_change(0.04, "rate") == 0  # "±0.0 pts"
    assert fmt.shown_change(0.05, "rate") == Decimal("0.1")  # "+0.1 pts"
    assert fmt.shown_change(None, "count") is None
    with pytest.raises(ValueError, match="unknown kind"):
        fmt.shown_change(1, "points")


# ------------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("style", "en", "zh"),
    [
        ("long", "1 Mar 2020", "2020年3月1日"),
        ("day_month", "1 Mar", "3月1日"),
        ("month", "Mar", "3月"),
        ("month_year", "Mar 2020", "2020年3月"),
        ("day_month_full", "1 March", "3月1日"),
        ("day_month_24h", "24:00 on 1 March", "3月1日24时"),
    ],
)
def test_date_styles(style, en, zh):
    assert (fmt.date("2020-03-01", "en", style), fmt.date("2020-03-01", "zh", style)) == (en, zh)


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2020, 2, 17),
        dt.datetime(2020, 2, 17, 13, 30),
        pd.Timestamp("2020-02-17"),
        np.datetime64("2020-02-17"),
        "2020-02-17",
        "2020-02-17T00:00:00",
    ],
)
def test_any_date_like_value(value):
    assert fmt.date(value, "en") == "17 Feb 2020" and fmt.date(value, "zh", "day_month") == "2月17日"


def test_data_as_of_and_bad_dates():
    assert fmt.data_as_of("2020-03-01", "en") == "Data as of 1 Mar 2020, 24:00"
    assert fmt.data_as_of(dt.date(2020, 3, 1), "zh") == "数据截至2020年3月1日24时"
    assert fmt.date(None, "en") == "–" and fmt.date(pd.NaT, "zh") == "–"
    with pytest.raises(ValueError, match="unknown date style"):
        fmt.date("2020-03-01", "en", "iso")
    with pytest.raises(ValueError):
        fmt.date("1 March", "en")


# ------------------------------------------------------------------------------------- lists


def test_lists_and_sentences():
    assert fmt.join([], "en") == "" and fmt.join(["a"], "zh") == "a"
    assert fmt.join(["Tonglu", "Haishu"], "en") == "Tonglu and Haishu"
    assert fmt.join(["a", "b", "c"], "en") == "a, b and c"
    assert fmt.join(["桐庐县", "海曙区"], "zh") == "桐庐县和海曙区"
    assert fmt.join(["a", "b", "c"], "zh") == "a、b和c"
    assert fmt.join_sentences(["One.", "Two."], "en") == "One. Two."
    assert fmt.join_sentences(["一。", "二。"], "zh") == "一。二。"


# ----------------------------------------------------------------------------------- missing


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, pd.NaT, np.float64("nan")])
def test_missing_is_a_dash_never_zero(missing):
    for write in (fmt.count, fmt.index, fmt.decimal, fmt.percent, fmt.percent_value, fmt.days, fmt.per_100k):
        assert write(missing, "en") == "–", write.__name__
    assert fmt.change(missing, "count", "zh") == "–"
    assert fmt.value(missing, "rate", "zh") == "–"


def test_zero_is_not_missing():
    assert fmt.count(0, "en") == "0" and fmt.percent(0.0, "zh") == "0.0%" and not fmt.is_missing(0)


def test_unsupported_language():
    for write in (fmt.count, fmt.percent, fmt.index, fmt.days):
        with pytest.raises(ValueError, match="unsupported language 'fr'"):
            write(1, "fr")
    with pytest.raises(ValueError, match="unsupported language"):
        fmt.join(["a", "b"], "fr")


def test_a_percent_range_has_an_en_dash_and_one_percent_sign():
    # the band "70-90 %" of the resumption map, as the text layer writes it
    assert fmt.percent_range(70, 90, "en") == "70\N{EN DASH}90%"
    assert fmt.percent_range(30.0, 50.0, "zh") == "30\N{EN DASH}50%"
    assert fmt.percent_range(12.25, 40, "en", decimals=1) == "12.3\N{EN DASH}40.0%"  # half-up on 12.25
    assert fmt.percent_range(None, 90, "en") == fmt.MISSING
