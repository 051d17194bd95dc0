"""Tables as a briefing shows them: labelled in the briefing language, numbers formatted for print.

These functions only present values computed by :mod:`epianalysis.metrics`; they compute nothing.
The labels come from ``epianalysis/charts/labels.toml``.
"""

from __future__ import annotations

import pandas as pd

from epianalysis.text.labels import format_count as _format_count
from epianalysis.text.labels import format_percent, label
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


def format_count(value) -> str:
    """A count with thousands separators; an en dash for a missing value (never shown as 0)."""
    return "–" if value is None or pd.isna(value) else _format_count(value)


def headline_table(head: Headline, lang: str) -> pd.DataFrame:
    """The headline numbers as a two-column table (indicator, value) in ``lang``, flags last."""
    values = head.to_dict()
    rows = [
        (
            label(f"recovery.{key}", lang),
            format_percent(values[key], lang) if key == "discharge_rate" else format_count(values[key]),
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
        shown[label(f"recovery.{key}", lang)] = table[key].map(format_count)
    shown[label("recovery.discharge_rate", lang)] = table["discharge_rate"].map(lambda rate: format_percent(rate, lang))
    shown[label("flags", lang)] = (
        table["flags"]
        .fillna("")
        .map(lambda flags: "; ".join(label(f"recovery.flag_{f}", lang) for f in flags.split(";") if f))
    )
    return shown
