"""Tables as a briefing shows them: labelled in the briefing language, numbers written by
:mod:`epianalysis.text.format`.

These functions only present values computed by :mod:`epianalysis.topics.recovery.metrics`; they
compute nothing. The labels come from ``topics/recovery/labels.toml``. The published discharge rate
(``reference.toml``: 87.1 % at the press conference of 2020-03-02) is shown beside ours only on the
briefings of that press date and later (docs/methods.md#published-references).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from epianalysis.errors import NotApplicable
from epianalysis.reference.published import press_date_of, published_by, published_figure, reference_text
from epianalysis.reference.regions import PROVINCE_CODE
from epianalysis.text import format as fmt
from epianalysis.text.labels import label
from epianalysis.topics.recovery.metrics import Headline
from epianalysis.topics.transmission.view import TransmissionBriefing, transmission_briefing

HEADLINE_ROWS = [
    "confirmed",
    "confirmed_local",
    "confirmed_imported",
    "discharged",
    "deaths",
    "active",
    "discharge_rate",
    "severe",
    "critical",
    "days_since_last_local_case",
]

KINDS = {"discharge_rate": "rate", "days_since_last_local_case": "days"}
"""How the headline rows are written (:func:`epianalysis.text.format.value`); every other row is a count."""

REFERENCE_FILE = Path(__file__).resolve().parent / "reference.toml"


def reference() -> dict:
    """The published discharge rate (``reference.toml``): 0.871 (1050 of 1205) for data as of
    2020-03-01 24:00, press conference of 2020-03-02; shown, never used in a computation."""
    return published_figure(REFERENCE_FILE, "discharge_rate")


def reference_on(press_date: dt.date | str) -> dict | None:
    """:func:`reference` on the briefing of ``press_date`` (``None`` before 2020-03-02)."""
    return published_by(REFERENCE_FILE, "discharge_rate", press_date)


def _press_date(head: Headline, press_date: dt.date | str | None) -> dt.date:
    return press_date_of(head.data_as_of, press_date)


def headline_table(head: Headline, lang: str, press_date: dt.date | str | None = None) -> pd.DataFrame:
    """The headline numbers as a two-column table (indicator, value) in ``lang``, then the published
    discharge rate known on ``press_date`` (default: the day after the headline's row), flags last."""
    values = head.to_dict()
    unknown = "local_split_unknown" in head.flags  # no local/imported split: "new case", not "new local case"
    rows = [
        (
            label(
                f"recovery.{key}" + ("_split_unknown" if unknown and key == "days_since_last_local_case" else ""), lang
            ),
            fmt.value(values[key], KINDS.get(key, "count"), lang),
        )
        for key in HEADLINE_ROWS
    ]
    ref = reference_on(_press_date(head, press_date))
    if ref is not None:
        value = label(
            "recovery.published_value",
            lang,
            rate=fmt.percent(ref["discharge_rate"], lang),
            discharged=fmt.count(ref["discharged"], lang),
            confirmed=fmt.count(ref["confirmed"], lang),
        )
        rows.append((label("recovery.published", lang, source=reference_text(ref, lang)), value))
    rows.append((label("data_date", lang), fmt.date(head.data_as_of, lang)))
    if head.flags:
        rows.append((label("flags", lang), "; ".join(label(f"recovery.flag_{f}", lang) for f in head.flags)))
    return pd.DataFrame(rows, columns=[label("indicator", lang), label("value", lang)])


def prefecture_display(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The prefecture table of :func:`epianalysis.topics.recovery.metrics.prefecture_table` for display."""
    name = "name_zh" if lang == "zh" else "name_en"
    shown = pd.DataFrame({label("region", lang): table[name]})
    for key in ["confirmed", "discharged", "deaths", "active"]:
        shown[label(f"recovery.{key}", lang)] = table[key].map(lambda n: fmt.count(n, lang))
    shown[label("recovery.discharge_rate", lang)] = table["discharge_rate"].map(lambda rate: fmt.percent(rate, lang))
    shown[label("flags", lang)] = (
        table["flags"]
        .fillna("")
        .map(lambda flags: "; ".join(label(f"recovery.flag_{f}", lang) for f in flags.split(";") if f))
    )
    return shown


def summary(head: Headline, data_date, press_date: dt.date | str | None = None) -> dict:
    """The ``recovery`` section of ``summary.json``: the headline numbers (unrounded), the data date
    they were made for and the published discharge rate known on ``press_date`` (default: the day
    after ``data_date``; ``null`` before it was published), declared in
    ``topics/recovery/summary.schema.json``."""
    day = pd.Timestamp(data_date).date()
    ref = reference_on(press_date_of(day, press_date))
    return {**head.to_dict(), "data_date": day.isoformat(), "published_reference": ref}


def unplaced_note(table: pd.DataFrame, lang: str, unplaced: pd.DataFrame | None = None) -> str:
    """Why the prefectures of :func:`~epianalysis.topics.recovery.metrics.prefecture_table` do not add up
    to the province: the confirmed cases the province counts in no prefecture, named after the units
    of ``unplaced`` (the ``cases_unplaced`` table, e.g. a prison cluster) on its latest date when given.
    Empty when they add up or a total is missing."""
    province = table[table["region_code"].astype(str) == PROVINCE_CODE]
    prefectures = table.drop(province.index)
    if province["confirmed"].isna().any() or prefectures["confirmed"].isna().any():
        return ""  # a missing total: nothing can be said about the difference
    total, parts = province["confirmed"].sum(), prefectures["confirmed"].sum()
    if len(province) != 1 or total <= parts:
        return ""
    values = {"prefectures": fmt.count(parts, lang), "province": fmt.count(total, lang)}
    values["unplaced"] = fmt.count(total - parts, lang)
    if unplaced is not None and len(unplaced) and f"unit_{lang}" in unplaced:
        latest = unplaced[pd.to_datetime(unplaced["date"]) == pd.to_datetime(unplaced["date"]).max()]
        units = [
            label("recovery.unplaced_unit", lang, name=name, count=fmt.count(n, lang))
            for name, n in zip(latest[f"unit_{lang}"], latest["confirmed"])
        ]
        return label("recovery.unplaced_note_named", lang, units=fmt.join(units, lang), **values)
    return label("recovery.unplaced_note", lang, **values)


def rt_view(cases: pd.DataFrame, data_date: dt.date, region_code: str = PROVINCE_CODE) -> TransmissionBriefing | None:
    """The reproduction number Rt the recovery briefing shows beside its curves: the transmission
    topic's estimate (:func:`epianalysis.topics.transmission.view.transmission_briefing`, Cori et al.
    2013, docs/methods.md#reproduction-number-rt), computed there and only shown here, with its
    credible interval, the suppressed windows and whether the local/imported split is known.
    ``None`` when the data are too short for one window."""
    try:
        return transmission_briefing(cases, data_date, region_code)
    except NotApplicable:
        return None
