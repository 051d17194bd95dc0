"""The transmission briefing: the reproduction number Rt of the province as known on one data date.

Computes nothing new: :func:`epianalysis.topics.transmission.metrics.rt_for_region` estimates Rt over
7-day windows (Cori et al. 2013, docs/methods.md#reproduction-number-rt); this module picks the data
known up to the data date and presents the estimates: a table in the briefing language, the chart's
input and the ``transmission`` section of ``summary.json``. Texts: ``topics/transmission/labels.toml``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from epianalysis.errors import NotApplicable
from epianalysis.reference.regions import PROVINCE_CODE
from epianalysis.text import format as fmt
from epianalysis.text.labels import label
from epianalysis.topics.reasons import reason
from epianalysis.topics.transmission.metrics import local_split_known, rt_for_region

WINDOW_DAYS = 7
TABLE_WINDOWS = 14
"""Windows shown in the table: the last two weeks."""


@dataclass(frozen=True)
class TransmissionBriefing:
    """Rt as known on one data date.

    Attributes
    ----------
    data_date : datetime.date
    region_code : str
    rt : DataFrame
        :func:`~epianalysis.topics.transmission.metrics.cori_rt` windows ending on or before the data date.
    split_known : bool
        Whether the data say which cases are local; when not, every case counts as local (said on the chart).
    """

    data_date: dt.date
    region_code: str
    rt: pd.DataFrame
    split_known: bool

    @property
    def latest(self) -> pd.Series | None:
        """The latest window with an estimate (not suppressed), or ``None``."""
        shown = self.rt[~self.rt["suppressed"]]
        return None if shown.empty else shown.iloc[-1]


def transmission_briefing(
    cases: pd.DataFrame, data_date: dt.date, region_code: str = PROVINCE_CODE
) -> TransmissionBriefing:
    """Rt of ``region_code`` from the cases dated on or before ``data_date``.

    Raises
    ------
    NotApplicable
        Fewer days of data than one window (the first window needs ``WINDOW_DAYS`` + 1 days), or dates
        that skip days (bulletins copied on some dates only): the renewal equation needs every day.
    """
    day = pd.Timestamp(data_date)
    known = cases[pd.to_datetime(cases["date"]) <= day]
    rows = known[known["region_code"].astype(str) == region_code]
    if len(rows) <= WINDOW_DAYS:
        raise NotApplicable(
            reason("transmission.na_too_few_days", window=WINDOW_DAYS, days=len(rows), date=day.date().isoformat())
        )
    days = pd.DatetimeIndex(pd.to_datetime(rows["date"]).sort_values().unique())
    gaps = days[1:][(days[1:] - days[:-1]) > pd.Timedelta(days=1)]
    if len(gaps):
        before = days[days.get_loc(gaps[0]) - 1]
        raise NotApplicable(
            reason(
                "transmission.na_skipped_days",
                gaps=len(gaps),
                before=before.date().isoformat(),
                after=gaps[0].date().isoformat(),
            )
        )
    rt = rt_for_region(known, region_code, window=WINDOW_DAYS)
    return TransmissionBriefing(day.date(), region_code, rt, local_split_known(known, region_code))


def _window(row: pd.Series | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "window_start": row["window_start"].date().isoformat(),
        "window_end": row["date"].date().isoformat(),
        "cases": int(row["cases"]),
        "mean": float(row["mean"]),
        "lower": float(row["lower"]),
        "upper": float(row["upper"]),
        "provisional": bool(row["provisional"]),
    }


def summary(view: TransmissionBriefing) -> dict[str, Any]:
    """The ``transmission`` section of ``summary.json`` (``topics/transmission/summary.schema.json``):
    the latest estimate with its 95 % credible interval (unrounded), whether the latest window was
    suppressed for too few cases, and whether the local/imported split is known."""
    last = view.rt.iloc[-1]
    return {
        "data_date": view.data_date.isoformat(),
        "region_code": view.region_code,
        "window_days": WINDOW_DAYS,
        "latest": _window(view.latest),
        "latest_window_suppressed": bool(last["suppressed"]),
        "local_split_known": view.split_known,
    }


def rt_table(view: TransmissionBriefing, lang: str) -> pd.DataFrame:
    """The last :data:`TABLE_WINDOWS` windows in ``lang``: window, local cases, Rt with its interval, and
    whether the window is suppressed (too few cases) or provisional."""
    rows = view.rt.tail(TABLE_WINDOWS)
    estimate = [
        label("transmission.suppressed", lang)
        if row.suppressed
        else label(
            "transmission.estimate",
            lang,
            mean=fmt.decimal(row.mean, lang, 2),
            lower=fmt.decimal(row.lower, lang, 2),
            upper=fmt.decimal(row.upper, lang, 2),
        )
        for row in rows.itertuples()
    ]
    return pd.DataFrame(
        {
            label("transmission.window", lang): [
                label(
                    "transmission.window_range",
                    lang,
                    start=fmt.date(a, lang, "day_month"),
                    end=fmt.date(b, lang, "day_month"),
                )
                for a, b in zip(rows["window_start"], rows["date"], strict=True)
            ],
            label("transmission.cases", lang): [fmt.count(n, lang) for n in rows["cases"]],
            label("transmission.rt", lang): estimate,
            label("transmission.provisional", lang): [
                label("transmission.provisional_yes", lang) if p else "" for p in rows["provisional"]
            ],
        }
    )


def reading(view: TransmissionBriefing, lang: str) -> str:
    """One sentence on the latest estimate: where Rt stands against 1, or why there is none."""
    latest = view.latest
    if latest is None:
        return label("transmission.reading_none", lang)
    values = {
        "mean": fmt.decimal(latest["mean"], lang, 2),
        "lower": fmt.decimal(latest["lower"], lang, 2),
        "upper": fmt.decimal(latest["upper"], lang, 2),
        "end": fmt.date(latest["date"], lang, "day_month"),
    }
    key = "below" if latest["upper"] < 1 else "above" if latest["lower"] > 1 else "around"
    sentences = [label(f"transmission.reading_{key}", lang, **values)]
    if not view.split_known:
        sentences.append(label("transmission.split_unknown_note", lang))
    return fmt.join_sentences(sentences, lang)
