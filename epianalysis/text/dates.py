"""Dates as text, in English and Chinese: the date part of :mod:`epianalysis.text.format`, which
re-exports :data:`DATE_STYLES`, :func:`as_date`, :func:`date` and :func:`data_as_of`.

Dates are written from the patterns and month names of ``text/labels.toml`` (``date_<style>``,
``month_names``, ``month_names_full``), not with ``strftime`` or locales, which depend on the machine.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from epianalysis.text.labels import check_language, label, load_labels
from epianalysis.text.numbers import MISSING, is_missing

DATE_STYLES = ("long", "day_month", "month", "month_year", "day_month_full", "day_month_24h")
"""The date styles of :func:`date` (label keys ``date_<style>`` in ``text/labels.toml``)."""


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
