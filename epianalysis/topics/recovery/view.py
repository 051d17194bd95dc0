"""Tables as a briefing shows them: labelled in the briefing language, numbers written by
:mod:`epianalysis.text.format`.

These functions only present values computed by :mod:`epianalysis.topics.recovery.metrics`; they
compute nothing. The labels come from ``topics/recovery/labels.toml``.
"""

from __future__ import annotations

import pandas as pd

from epianalysis.text import format as fmt
from epianalysis.text.labels import label
from epianalysis.topics.recovery.metrics import Headline

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


def headline_table(head: Headline, lang: str) -> pd.DataFrame:
    """The headline numbers as a two-column table (indicator, value) in ``lang``, flags last."""
    values = head.to_dict()
    rows = [
        (
            label(f"recovery.{key}", lang),
            fmt.value(values[key], KINDS.get(key, "count"), lang),
        )
        for key in HEADLINE_ROWS
    ]
    rows.append((label("data_date", lang), head.data_as_of))
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


def summary(head: Headline, data_date) -> dict:
    """The ``recovery`` section of ``summary.json``: the headline numbers (unrounded) and the data date
    they were made for (declared in ``topics/recovery/summary.schema.json``)."""
    return {**head.to_dict(), "data_date": pd.Timestamp(data_date).date().isoformat()}
