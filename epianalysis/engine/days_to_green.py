"""Median days to green of a person-day health-code log, computed where the log is (DuckDB or Spark).

The pandas reference is :func:`epianalysis.topics.health_codes.metrics.median_days_to_green`, which
needs every row of every person who held a yellow or red code; at province scale that is millions of
rows. Here the engine does that part (:data:`epianalysis.engine.sql.DAYS_TO_GREEN`, one SQL text for
both engines): it finds the episodes (runs of consecutive non-green rows of a person, by date), and
returns only how many episodes there are per colour, first day and first green day, a table of at
most a few thousand rows whatever the size of the log. :func:`medians_from_episode_counts` then reads
the medians off those counts. Definitions (docs/methods.md#days-to-green):

- an episode's ``colour`` is the most severe colour of its run (red if any red day);
- ``days_to_green`` = first green date after the run − the run's first date (calendar days);
- ``ongoing``: no row of the person after the run (right-censored: not in the median);
- ``left_censored``: the run starts on the log's first date (it may have begun earlier: not in the
  median, counted);
- the median is over the finished episodes that are not left-censored (the average of the two middle
  values when their number is even); rows ``red``, ``yellow`` and ``all``, only for colours with an
  episode.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from epianalysis.engine import sql as S
from epianalysis.engine.aggregate import _engine, gate
from epianalysis.engine.backends import Engine
from epianalysis.engine.kept import cached_query

DAYS_COLUMNS = ["colour", "n_finished", "median_days", "n_ongoing", "n_left_censored"]


def episode_counts(
    log: Path | str,
    until: dt.date,
    engine: str | Engine = "duckdb",
    spark_master: str | None = None,
    checked: bool = False,
) -> pd.DataFrame:
    """The yellow/red episodes of a log's rows dated on or before ``until``, counted on the engine.

    Parameters
    ----------
    log : Path or str
        Parquet file or ``date=YYYY-MM-DD/`` partitioned folder (``person_id``, ``date``, ``colour``).
    until : datetime.date
        The last date used (the data date: later rows are not known yet); part of the key under
        which the result is kept (:func:`epianalysis.engine.kept.cached_query`).
    engine, spark_master
        Where it runs, as in :func:`epianalysis.engine.health_code_counts`.
    checked : bool
        The log has passed the contract gate already; otherwise it is checked first.

    Returns
    -------
    pandas.DataFrame
        ``colour`` (red or yellow), ``start`` and ``end`` (first green date; NaT while ongoing),
        ``log_start`` (the log's first date), all datetime64, and ``episodes`` (int64): one row per
        distinct colour, start and end.
    """
    if not checked:
        gate(log, "health_code_log")
    last = dt.date.fromisoformat(str(until)[:10])
    eng, own = _engine(engine, spark_master)

    def run() -> pd.DataFrame:
        eng.register_parquet(S.HEALTH_CODE_VIEW, log)
        eng.register_frame(S.UNTIL_VIEW, pd.DataFrame({"until": [last]}))
        return _episodes(eng.query(S.DAYS_TO_GREEN))

    try:
        return cached_query("days_to_green", eng, Path(log), S.DAYS_TO_GREEN, {"until": last.isoformat()}, run)
    finally:
        if own:
            eng.close()


def _episodes(df: pd.DataFrame) -> pd.DataFrame:
    """The engine's rows of :data:`epianalysis.engine.sql.DAYS_TO_GREEN` in the layout of
    :func:`episode_counts`, sorted by colour, start and end."""
    out = pd.DataFrame(
        {
            "colour": df["colour"].astype(str),
            "start": pd.to_datetime(df["start_day"]),
            "end": pd.to_datetime(df["end_day"]),
            "log_start": pd.to_datetime(df["log_start"]),
            "episodes": df["episodes"].astype("int64"),
        }
    )
    return out.sort_values(["colour", "start", "end"], kind="stable", na_position="last").reset_index(drop=True)


def _median(days: pd.Series, weights: pd.Series) -> float | None:
    """The median of values ``days`` each repeated ``weights`` times (``None`` without any)."""
    order = days.sort_values(kind="stable").index
    values, counts = days[order].to_numpy(), weights[order].to_numpy()
    total = int(counts.sum())
    if total == 0:
        return None
    cumulative = counts.cumsum()
    low = values[(cumulative > (total - 1) // 2).argmax()]  # the ((n-1)//2)-th value (0-based)
    high = values[(cumulative > total // 2).argmax()]  # the (n//2)-th value
    return (float(low) + float(high)) / 2


def medians_from_episode_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Median days to green per colour from :func:`episode_counts` (formulas: module docstring).

    Returns
    -------
    pandas.DataFrame
        As :func:`epianalysis.topics.health_codes.metrics.median_days_to_green` (without ``by``):
        ``colour`` (``all``, ``red``, ``yellow``: those with an episode), ``n_finished``,
        ``median_days`` (Float64, missing without a finished episode), ``n_ongoing``,
        ``n_left_censored`` (int64).
    """
    frame = pd.concat([counts, counts.assign(colour="all")], ignore_index=True)
    ongoing = frame["end"].isna()
    left = frame["start"] == frame["log_start"]
    used = ~ongoing & ~left
    days = (frame["end"] - frame["start"]).dt.days
    rows = []
    for colour in sorted(frame["colour"].unique()):
        mine = frame["colour"] == colour
        n = frame["episodes"]
        rows.append(
            {
                "colour": colour,
                "n_finished": int(n[mine & used].sum()),
                "median_days": _median(days[mine & used], n[mine & used]),
                "n_ongoing": int(n[mine & ongoing].sum()),
                "n_left_censored": int(n[mine & left].sum()),
            }
        )
    out = pd.DataFrame(rows, columns=DAYS_COLUMNS)
    out["colour"] = out["colour"].astype("str")
    for column in ["n_finished", "n_ongoing", "n_left_censored"]:
        out[column] = out[column].astype("int64")
    out["median_days"] = pd.array(out["median_days"].tolist(), dtype="Float64")
    return out


def median_days_to_green(
    log: Path | str,
    until: dt.date,
    engine: str | Engine = "duckdb",
    spark_master: str | None = None,
    checked: bool = False,
) -> pd.DataFrame:
    """Median days from a yellow or red code to green, per colour, over a log's rows dated on or before
    ``until``, computed on the engine (the person rows never reach pandas).

    Same result as :func:`epianalysis.topics.health_codes.metrics.median_days_to_green` on the rows
    of ``log`` dated on or before ``until`` (checked by ``tests/engine/test_days_to_green.py``).
    Parameters as :func:`episode_counts`; result as :func:`medians_from_episode_counts`.
    """
    return medians_from_episode_counts(episode_counts(log, until, engine, spark_master, checked))
