"""The health-code briefing: share green, colour counts, conversions and days to green.

The scenario's person-day log is aggregated by the DuckDB engine
(:func:`epianalysis.engine.aggregate_health_codes`, the same aggregation the scenario's
``health_codes`` table came from); the metrics are :mod:`epianalysis.topics.health_codes.metrics`. This
module presents the results labelled in the briefing language (``topics/health_codes/labels.toml``),
written by :mod:`epianalysis.text.format`, and as a summary section of unrounded values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from epianalysis.data.store import DataStore
from epianalysis.engine.health_code_episodes import episode_rows
from epianalysis.engine.health_codes import COUNT_COLUMNS, aggregate_health_codes
from epianalysis.errors import DataError, Violation
from epianalysis.reference.published import published_figure
from epianalysis.reference.regions import PROVINCE_CODE
from epianalysis.text import format as fmt
from epianalysis.text.labels import label
from epianalysis.topics.health_codes import metrics as hc

LOG_TABLE = "health_code_log"
REFERENCE_FILE = Path(__file__).resolve().parent / "reference.toml"


def reference() -> dict:
    """The published share green (``reference.toml``, docs/methods.md#share-green-and-conversions), shown beside ours.

    ``date`` (the day it refers to, 2020-02-17), ``press_date`` (2020-02-18), ``share_green``
    (0.947), ``codes`` (14,989,000 issued) and ``source``; not used in any computation.
    """
    return published_figure(REFERENCE_FILE, "share_green")


PUBLISHED_SHARE = reference()
"""The published share green, as read by :func:`reference`."""


@dataclass(frozen=True)
class HealthCodeBriefing:
    """Health-code analytics as known on one data date.

    Attributes
    ----------
    data_date : datetime.date
    counts : DataFrame
        The engine's county-day aggregate (``health_codes`` layout) up to the data date.
    shares : DataFrame
        :func:`~epianalysis.topics.health_codes.metrics.share_green` (county, prefecture, province rows).
    conversions : DataFrame
        :func:`~epianalysis.topics.health_codes.metrics.conversions`.
    days_to_green : DataFrame
        :func:`~epianalysis.topics.health_codes.metrics.median_days_to_green` over the province.
    """

    data_date: dt.date
    counts: pd.DataFrame
    shares: pd.DataFrame
    conversions: pd.DataFrame
    days_to_green: pd.DataFrame


def health_code_briefing(data: DataStore, data_date: dt.date) -> HealthCodeBriefing:
    """Aggregate the log with DuckDB and compute the health-code metrics up to ``data_date``.

    The log is the store's (:meth:`~epianalysis.data.store.DataStore.log`: the file delivered on
    ``data_date``, checked against its contract first; a :class:`DataError` names file, row, column
    and rule of every error).

    ``require_complete=False`` for the sums to prefecture and province: codes were issued in
    Hangzhou first (from 2020-02-11) and elsewhere from 2020-02-14, so a county without a row
    simply had no code holder yet.
    """
    path = data.log(LOG_TABLE, data_date)
    day = pd.Timestamp(data_date)
    counts = aggregate_health_codes(path)
    counts = counts[counts["date"] <= day].reset_index(drop=True)
    if not (counts["date"] == day).any():
        raise DataError(
            f"health codes: no log row on {day.date()}",
            [Violation(LOG_TABLE, None, "date", "row_on_data_date", day.date().isoformat())],
        )
    shares = hc.share_green(counts, require_complete=False)
    conv = hc.conversions(counts, require_complete=False)
    days = hc.median_days_to_green(episode_rows(path, day.date()))
    return HealthCodeBriefing(day.date(), counts, shares, conv, days)


def matches_table(view: HealthCodeBriefing, stored: pd.DataFrame) -> bool:
    """Whether the engine's aggregate equals the stored ``health_codes`` table, row for row, up to the data date."""
    keys = ["date", "region_code"]
    mine = view.counts[[*keys, *COUNT_COLUMNS]].sort_values(keys).reset_index(drop=True)
    theirs = stored[pd.to_datetime(stored["date"]) <= pd.Timestamp(view.data_date)]
    theirs = theirs[[*keys, *COUNT_COLUMNS]].sort_values(keys).reset_index(drop=True)
    if len(mine) != len(theirs):
        return False
    same_keys = (
        mine["date"].dt.strftime("%Y-%m-%d").to_numpy()
        == pd.to_datetime(theirs["date"]).dt.strftime("%Y-%m-%d").to_numpy()
    ).all() and (mine["region_code"].to_numpy() == theirs["region_code"].astype(str).to_numpy()).all()
    return bool(
        same_keys and all(mine[c].astype("Int64").tolist() == theirs[c].astype("Int64").tolist() for c in COUNT_COLUMNS)
    )


def province_series(view: HealthCodeBriefing) -> pd.DataFrame:
    """Province rows per date: colour counts, shares and the daily conversions."""
    shares = view.shares[view.shares["region_code"] == PROVINCE_CODE]
    conv = view.conversions[view.conversions["region_code"] == PROVINCE_CODE]
    columns = ["date", "new_red", "new_yellow", "red_to_green", "yellow_to_green", "to_green", "cum_to_green"]
    return (
        shares.drop(columns=["region_code", "level"]).merge(conv[columns], on="date", how="left").reset_index(drop=True)
    )


def _int(value):
    return None if value is None or pd.isna(value) else int(value)


def _median(view: HealthCodeBriefing, colour: str):
    row = view.days_to_green[view.days_to_green["colour"] == colour]
    if row.empty or pd.isna(row["median_days"].iloc[0]):
        return None
    return float(row["median_days"].iloc[0])


def summary(view: HealthCodeBriefing) -> dict:
    """The ``health_codes`` section of ``summary.json`` (province, data date; unrounded: every output
    rounds when it writes a value, through :mod:`epianalysis.text.format`)."""
    p = province_series(view)
    row = p[p["date"] == pd.Timestamp(view.data_date)].iloc[0]
    finished = view.days_to_green.set_index("colour")["n_finished"]
    return {
        "data_date": view.data_date.isoformat(),
        "holders": _int(row["holders"]),
        "green": _int(row["green"]),
        "yellow": _int(row["yellow"]),
        "red": _int(row["red"]),
        "share_green": None if pd.isna(row["share_green"]) else float(row["share_green"]),
        "new_red": _int(row["new_red"]),
        "new_yellow": _int(row["new_yellow"]),
        "to_green": _int(row["to_green"]),
        "cum_to_green": _int(row["cum_to_green"]),
        "median_days_to_green": {c: _median(view, c) for c in ("red", "yellow", "all")},
        "episodes_finished": {c: int(finished.get(c, 0)) for c in ("red", "yellow", "all")},
        "published_reference": dict(PUBLISHED_SHARE),
    }


def published_text(lang: str) -> str:
    """The published figure of :data:`PUBLISHED_SHARE`: "14,989,000 codes, 94.7% green" / "1498.9万张，绿码94.7%"."""
    return label(
        "health_codes.published_value",
        lang,
        codes=fmt.count(PUBLISHED_SHARE["codes"], lang),
        share=fmt.percent(PUBLISHED_SHARE["share_green"], lang),
    )


def headline_table(view: HealthCodeBriefing, lang: str) -> pd.DataFrame:
    """Headline numbers of the province on the data date, in ``lang``."""
    s = summary(view)
    days = s["median_days_to_green"]
    rows = [
        (label("health_codes.holders", lang), fmt.count(s["holders"], lang)),
        (label("health_codes.share_green", lang), fmt.percent(s["share_green"], lang)),
        (label("health_codes.yellow", lang), fmt.count(s["yellow"], lang)),
        (label("health_codes.red", lang), fmt.count(s["red"], lang)),
        (
            label("health_codes.new_red_yellow", lang),
            f"{fmt.count(s['new_red'], lang)} / {fmt.count(s['new_yellow'], lang)}",
        ),
        (label("health_codes.to_green_day", lang), fmt.count(s["to_green"], lang)),
        (label("health_codes.to_green_total", lang), fmt.count(s["cum_to_green"], lang)),
        (label("health_codes.median_red", lang), fmt.decimal(days["red"], lang)),
        (label("health_codes.median_yellow", lang), fmt.decimal(days["yellow"], lang)),
        (label("health_codes.published", lang, date=fmt.date(PUBLISHED_SHARE["date"], lang)), published_text(lang)),
        (label("data_date", lang), view.data_date.isoformat()),
    ]
    return pd.DataFrame(rows, columns=[label("indicator", lang), label("value", lang)])


def days_to_green_table(view: HealthCodeBriefing, lang: str) -> pd.DataFrame:
    """Median days to green per colour with the episodes behind it (finished, ongoing, left-censored)."""
    t = view.days_to_green.set_index("colour").reindex(["red", "yellow", "all"])
    return pd.DataFrame(
        {
            label("health_codes.colour", lang): [label(f"health_codes.colour_{c}", lang) for c in t.index],
            label("health_codes.median_days", lang): [fmt.decimal(v, lang) for v in t["median_days"]],
            label("health_codes.finished", lang): [fmt.count(v, lang) for v in t["n_finished"].fillna(0)],
            label("health_codes.ongoing", lang): [fmt.count(v, lang) for v in t["n_ongoing"].fillna(0)],
            label("health_codes.left_censored", lang): [fmt.count(v, lang) for v in t["n_left_censored"].fillna(0)],
        }
    )
