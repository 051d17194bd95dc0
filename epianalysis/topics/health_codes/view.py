"""The health-code briefing: share green, colour counts, conversions and days to green.

The person-day log is aggregated where it is, by DuckDB over the Parquet file or partitioned folder,
or by Spark (``engine="spark"``; ``epianalysis brief --engine spark``): the county-day counts
(:func:`epianalysis.engine.aggregate_health_codes`, the same aggregation the scenario's ``health_codes``
table came from) and the days-to-green episodes
(:func:`epianalysis.engine.days_to_green.median_days_to_green`); no person row is read into pandas, so a
province-scale day (58 M rows) is briefed in bounded memory (docs/data.md#large-logs). Both engines give
the same numbers. The metrics are :mod:`epianalysis.topics.health_codes.metrics`. This
module presents the results labelled in the briefing language (``topics/health_codes/labels.toml``),
written by :mod:`epianalysis.text.format`, and as a summary section of unrounded values.

When the data directory declares the log a sample (``[sampling.health_code_log]`` of its
``source.toml``, docs/data.md#sampling; the embedded scenario holds 1 % of the residents), every
count shown (tables, chart inputs, the summary) is the province-scale estimate ``count / fraction``,
labelled as an estimate; shares are the same in the sample and the estimate. The metric frames of
:class:`HealthCodeBriefing` keep the counts of the data as they are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from epianalysis.data.sampling import Sampling
from epianalysis.data.store import DataStore
from epianalysis.engine.backends import Engine, get_engine
from epianalysis.engine.days_to_green import median_days_to_green
from epianalysis.engine.health_codes import COUNT_COLUMNS, aggregate_health_codes
from epianalysis.errors import DataError, Violation
from epianalysis.reference.published import press_date_of, published_by, published_figure, reference_text
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


def reference_on(press_date: dt.date | str) -> dict | None:
    """:func:`reference` on the briefing of ``press_date`` (``None`` before 2020-02-18)."""
    return published_by(REFERENCE_FILE, "share_green", press_date)


COUNT_FIELDS = ("holders", "green", "yellow", "red", "new_red", "new_yellow", "to_green", "cum_to_green")
"""The counts of the summary section (estimates when the log is a sample)."""


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
        Median days to green over the province, computed on the engine
        (:func:`epianalysis.engine.days_to_green.median_days_to_green`, the same figures as
        :func:`~epianalysis.topics.health_codes.metrics.median_days_to_green`).
    sampling : Sampling or None
        How the log was sampled (``None``: every resident, complete counts).
    press_date : datetime.date
        The briefing's press date (by default the day after the data date).
    reference : dict or None
        The published share green as known on the press date (:func:`reference_on`).
    """

    data_date: dt.date
    counts: pd.DataFrame
    shares: pd.DataFrame
    conversions: pd.DataFrame
    days_to_green: pd.DataFrame
    sampling: Sampling | None = None
    press_date: dt.date | None = None
    reference: dict | None = None

    @property
    def fraction(self) -> float | None:
        """The log's sampling fraction (``None``: complete counts)."""
        return None if self.sampling is None else self.sampling.fraction_of()

    def scaled(self, value):
        """A count of the log as shown: its province-scale estimate when the log is a sample."""
        if value is None or pd.isna(value):
            return None
        return float(value) / self.fraction if self.fraction is not None else int(value)

    @property
    def kind(self) -> str:
        """How its counts are written (:func:`epianalysis.text.format.value`): ``estimate`` or ``count``."""
        return "count" if self.fraction is None else "estimate"


def health_code_briefing(
    data: DataStore,
    data_date: dt.date,
    press_date: dt.date | str | None = None,
    engine: str | Engine = "duckdb",
    spark_master: str | None = None,
) -> HealthCodeBriefing:
    """Aggregate the log on the engine and compute the health-code metrics up to ``data_date``.

    The log is the store's (:meth:`~epianalysis.data.store.DataStore.log`: the file or partitioned
    folder delivered on ``data_date``, checked against its contract first; a :class:`DataError` names
    file, row, column and rule of every error), with its sampling
    (:meth:`~epianalysis.data.store.DataStore.sampling`). The county-day counts and the days-to-green
    episodes are computed by ``engine`` (``"duckdb"``, ``"spark"`` with ``spark_master``, or an engine
    object, left open), which returns only small tables: the person rows never reach pandas. The
    published share green is the one known on ``press_date`` (default: the day after ``data_date``).

    ``require_complete=False`` for the sums to prefecture and province: codes were issued in
    Hangzhou first (from 2020-02-11) and elsewhere from 2020-02-14, so a county without a row
    simply had no code holder yet.
    """
    path = data.log(LOG_TABLE, data_date)
    day = pd.Timestamp(data_date)
    eng = get_engine(engine, spark_master) if isinstance(engine, str) else engine
    try:
        counts = aggregate_health_codes(path, engine=eng, checked=True)  # the store checked it
        days = median_days_to_green(path, day.date(), engine=eng, checked=True)
    finally:
        if eng is not engine:
            eng.close()
    counts = counts[counts["date"] <= day].reset_index(drop=True)
    if not (counts["date"] == day).any():
        raise DataError(
            f"health codes: no log row on {day.date()}",
            [Violation(LOG_TABLE, None, "date", "row_on_data_date", day.date().isoformat())],
        )
    shares = hc.share_green(counts, require_complete=False)
    conv = hc.conversions(counts, require_complete=False)
    press = press_date_of(day.date(), press_date)
    return HealthCodeBriefing(
        day.date(), counts, shares, conv, days, data.sampling(LOG_TABLE), press, reference_on(press)
    )


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
    """Province rows per date: colour counts, shares and the daily conversions, as the briefing shows
    them: the counts are province-scale estimates (count / fraction, floats) when the log is a sample,
    and ``attrs`` say so (``estimated``, ``sampling_fraction``) for the charts drawn from them."""
    shares = view.shares[view.shares["region_code"] == PROVINCE_CODE]
    conv = view.conversions[view.conversions["region_code"] == PROVINCE_CODE]
    columns = ["date", "new_red", "new_yellow", "red_to_green", "yellow_to_green", "to_green", "cum_to_green"]
    series = (
        shares.drop(columns=["region_code", "level"]).merge(conv[columns], on="date", how="left").reset_index(drop=True)
    )
    if view.fraction is not None:
        counts = ["holders", "green", "yellow", "red", *columns[1:]]
        series[counts] = series[counts].astype("Float64") / view.fraction
    series.attrs.update(estimated=view.fraction is not None, sampling_fraction=view.fraction)
    return series


def _int(value):
    return None if value is None or pd.isna(value) else int(value)


def _median(view: HealthCodeBriefing, colour: str):
    row = view.days_to_green[view.days_to_green["colour"] == colour]
    if row.empty or pd.isna(row["median_days"].iloc[0]):
        return None
    return float(row["median_days"].iloc[0])


def summary(view: HealthCodeBriefing) -> dict:
    """The ``health_codes`` section of ``summary.json`` (province, data date; unrounded: every output
    rounds when it writes a value, through :mod:`epianalysis.text.format`).

    When the log is a sample (``estimated`` true), the counts are province-scale estimates (count /
    ``sampling_fraction``) and ``sample`` holds the counts of the log itself; otherwise ``sample`` is
    ``null``. ``published_reference`` is the published share green once it was published (else ``null``).
    """
    row = view.shares[(view.shares["region_code"] == PROVINCE_CODE)]
    conv = view.conversions[view.conversions["region_code"] == PROVINCE_CODE]
    day = pd.Timestamp(view.data_date)
    raw = {**row[row["date"] == day].iloc[0].to_dict(), **conv[conv["date"] == day].iloc[0].to_dict()}
    sample = {key: _int(raw[key]) for key in COUNT_FIELDS}
    finished = view.days_to_green.set_index("colour")["n_finished"]
    episodes = {c: int(finished.get(c, 0)) for c in ("red", "yellow", "all")}
    return {
        "data_date": view.data_date.isoformat(),
        "estimated": view.fraction is not None,
        "sampling_fraction": view.fraction,
        **{key: view.scaled(value) for key, value in sample.items()},
        "share_green": None if pd.isna(raw["share_green"]) else float(raw["share_green"]),
        "median_days_to_green": {c: _median(view, c) for c in ("red", "yellow", "all")},
        "episodes_finished": {c: view.scaled(n) for c, n in episodes.items()},
        "sample": None if view.fraction is None else {**sample, "episodes_finished": episodes},
        "published_reference": None if view.reference is None else dict(view.reference),
    }


def published_text(view: HealthCodeBriefing, lang: str) -> str:
    """The published figure known on the press date: "14,989,000 codes, 94.7% green" /
    "1498.9万张，绿码94.7%" (``"–"`` before it was published)."""
    if view.reference is None:
        return fmt.MISSING
    return label(
        "health_codes.published_value",
        lang,
        codes=fmt.count(view.reference["codes"], lang),
        share=fmt.percent(view.reference["share_green"], lang),
    )


def headline_table(view: HealthCodeBriefing, lang: str) -> pd.DataFrame:
    """Headline numbers of the province on the data date, in ``lang``: counts as estimates when the
    log is a sample (with the row saying from what sample), the published figure once published."""
    s = summary(view)
    days = s["median_days_to_green"]

    def n(key: str) -> str:
        return fmt.value(s[key], view.kind, lang)

    rows = [
        (label("health_codes.holders", lang), n("holders")),
        (label("health_codes.share_green", lang), fmt.percent(s["share_green"], lang)),
        (label("health_codes.yellow", lang), n("yellow")),
        (label("health_codes.red", lang), n("red")),
        (label("health_codes.new_red_yellow", lang), f"{n('new_red')} / {n('new_yellow')}"),
        (label("health_codes.to_green_day", lang), n("to_green")),
        (label("health_codes.to_green_total", lang), n("cum_to_green")),
        (label("health_codes.median_red", lang), fmt.decimal(days["red"], lang)),
        (label("health_codes.median_yellow", lang), fmt.decimal(days["yellow"], lang)),
    ]
    if view.fraction is not None:
        rows.append(
            (
                label("health_codes.estimated_from", lang),
                label("health_codes.sample_value", lang, share=fmt.share(view.fraction, lang)),
            )
        )
    if view.reference is not None:
        rows.append(
            (
                label("health_codes.published", lang, source=reference_text(view.reference, lang)),
                published_text(view, lang),
            )
        )
    rows.append((label("data_date", lang), view.data_date.isoformat()))
    return pd.DataFrame(rows, columns=[label("indicator", lang), label("value", lang)])


def days_to_green_table(view: HealthCodeBriefing, lang: str) -> pd.DataFrame:
    """Median days to green per colour with the episodes behind it (finished, ongoing, left-censored);
    the numbers of episodes are estimates when the log is a sample."""
    t = view.days_to_green.set_index("colour").reindex(["red", "yellow", "all"])

    def n(values: pd.Series) -> list[str]:
        return [fmt.value(view.scaled(v), view.kind, lang) for v in values.fillna(0)]

    return pd.DataFrame(
        {
            label("health_codes.colour", lang): [label(f"health_codes.colour_{c}", lang) for c in t.index],
            label("health_codes.median_days", lang): [fmt.decimal(v, lang) for v in t["median_days"]],
            label("health_codes.finished", lang): n(t["n_finished"]),
            label("health_codes.ongoing", lang): n(t["n_ongoing"]),
            label("health_codes.left_censored", lang): n(t["n_left_censored"]),
        }
    )
