"""Health-code analytics: share green, conversions to green, and days to turn green (docs/methods.md#health-codes).

Inputs are the ``health_codes`` county-day table (counts of residents holding each colour and the
transitions into each day) and a person-day log with ``person_id``, ``date``, ``colour`` (the
``health_code_log`` contract, or the output of :func:`replay_colours`).

Published check: by 2020-02-17 Zhejiang had issued 14.989 M health codes, 94.7 % of them green
(provincial press conference of 2020-02-18).

The colour rules and the replay of declarations and check-ins are in
:mod:`epianalysis.topics.health_codes.code_rules` and re-exported here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from epianalysis.errors import DataError, Violation
from epianalysis.reference.regions import aggregate_up, load_regions
from epianalysis.topics.health_codes.code_rules import (  # noqa: F401  (re-exported)
    COLOURS,
    REASONS,
    HealthCodeRules,
    load_rules,
    replay_colours,
)

COLOUR_COUNTS = ["green", "yellow", "red"]
TRANSITIONS = ["new_red", "new_yellow", "red_to_green", "yellow_to_green"]


def _require(df: pd.DataFrame, columns: list[str], source: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(f"{source}: missing columns", [Violation(source, None, c, "column_present") for c in missing])


def _with_levels(df: pd.DataFrame, value_columns: list[str], require_complete: bool) -> pd.DataFrame:
    frame = df[["date", "region_code", *value_columns]].copy()
    frame["date"] = pd.to_datetime(frame["date"])
    for column in value_columns:
        frame[column] = frame[column].astype("Int64")
    out = aggregate_up(frame, value_columns, require_complete=require_complete)
    levels = load_regions().set_index("code")["level"]
    out["level"] = out["region_code"].astype(str).map(levels)
    return out


def share_green(health_codes: pd.DataFrame, require_complete: bool = True) -> pd.DataFrame:
    """Share of residents holding a green (yellow, red) code per county, prefecture and province.

    Formula: ``share_green = green / (green + yellow + red)`` per region-day; prefecture and province
    counts are sums of their counties (:func:`epianalysis.reference.regions.aggregate_up`: a sum over a missing
    count, or over a county without a row when ``require_complete``, is missing, not a partial sum).
    Published check: 94.7 % green of 14.989 M codes on 2020-02-17 (press conference of 2020-02-18).

    Parameters
    ----------
    health_codes : pandas.DataFrame
        The ``health_codes`` table (county rows: ``date``, ``region_code``, ``green``, ``yellow``,
        ``red``).
    require_complete : bool
        Passed to :func:`~epianalysis.reference.regions.aggregate_up`.

    Returns
    -------
    pandas.DataFrame
        ``date``, ``region_code``, ``level``, ``green``, ``yellow``, ``red``, ``holders`` (the sum),
        ``share_green``, ``share_yellow``, ``share_red`` (fractions; missing when ``holders`` is 0 or
        missing), sorted by date and region code.
    """
    _require(health_codes, ["date", "region_code", *COLOUR_COUNTS], "health_codes")
    out = _with_levels(health_codes, COLOUR_COUNTS, require_complete)
    out["holders"] = out["green"] + out["yellow"] + out["red"]
    holders = out["holders"].astype("Float64")
    holders = holders.where(holders > 0)
    for colour in COLOUR_COUNTS:
        out[f"share_{colour}"] = out[colour].astype("Float64") / holders
    columns = ["date", "region_code", "level", *COLOUR_COUNTS, "holders", *(f"share_{c}" for c in COLOUR_COUNTS)]
    return out[columns].sort_values(["date", "region_code"]).reset_index(drop=True)


def conversions(health_codes: pd.DataFrame, require_complete: bool = True) -> pd.DataFrame:
    """Daily and cumulative transitions (new red, new yellow, red → green, yellow → green) per region.

    Formula: daily values are the table's transition counts into each day (county rows, summed to
    prefecture and province as in :func:`share_green`). ``cum_X(c, d) = sum of X(c, d') over d' <= d``
    per region row given (a county's first row is the day it started issuing codes); prefecture and
    province cumulative values are sums of their counties' cumulative values
    (:func:`~epianalysis.reference.regions.aggregate_up`, missing while a county has no row when
    ``require_complete``). A missing daily value makes the region's cumulative value missing from
    that day on (it is not treated as 0); ``cum_complete`` is False where a cumulative is missing.

    Returns
    -------
    pandas.DataFrame
        ``date``, ``region_code``, ``level``, the four daily columns, ``to_green`` (red → green +
        yellow → green), ``cum_<column>`` for those five, ``cum_complete``.
    """
    _require(health_codes, ["date", "region_code", *TRANSITIONS], "health_codes")
    daily_cols = [*TRANSITIONS, "to_green"]
    cum_cols = [f"cum_{c}" for c in daily_cols]
    given = health_codes[["date", "region_code", *TRANSITIONS]].copy()
    given["date"] = pd.to_datetime(given["date"])
    given["region_code"] = given["region_code"].astype(str)
    for column in TRANSITIONS:
        given[column] = given[column].astype("Int64")
    given["to_green"] = given["red_to_green"] + given["yellow_to_green"]
    given = given.sort_values(["region_code", "date"]).reset_index(drop=True)
    region = given["region_code"]
    any_na = given[TRANSITIONS].isna().any(axis=1).groupby(region, sort=False).cummax()
    running = given[daily_cols].fillna(0).groupby(region, sort=False).cumsum().astype("Int64")
    for column in daily_cols:
        given[f"cum_{column}"] = running[column].mask(any_na)
    # one sum to prefecture and province for the daily and the cumulative columns: aggregate_up sums
    # column by column, with the same parent rows for all columns
    out = _with_levels(given, [*daily_cols, *cum_cols], require_complete)
    out["region_code"] = out["region_code"].astype(str)
    out["cum_complete"] = out[cum_cols].notna().all(axis=1)
    columns = ["date", "region_code", "level", *daily_cols, *cum_cols, "cum_complete"]
    return out[columns].sort_values(["date", "region_code"]).reset_index(drop=True)


def episodes(log: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """The yellow/red episodes of each person in a person-day log, with the days they took to turn green.

    An episode is a run of consecutive rows (by date) of one person whose colour is not green. Its
    ``colour`` is the most severe colour held in the run (red if any red day). ``days_to_green`` =
    date of the first green row after the run − date of the run's first row (calendar days), so a
    yellow given on D and released on D+7 took 7 days.

    Episodes not finished by the person's last row are ``ongoing`` (no days_to_green: right-censored).
    Episodes whose first row is the log's first date are ``left_censored`` (they may have started
    earlier; their days_to_green is a lower bound). Both are kept and flagged.

    Parameters
    ----------
    log : pandas.DataFrame
        ``person_id``, ``date``, ``colour`` in {green, yellow, red} (plus the ``by`` columns).
    by : list of str, optional
        Columns to carry from the episode's first row (e.g. ``["region_code"]``).

    Returns
    -------
    pandas.DataFrame
        ``person_id``, the ``by`` columns, ``start``, ``end`` (first green date, missing if ongoing),
        ``colour``, ``days_to_green`` (Int64), ``ongoing``, ``left_censored``.
    """
    by = list(by or [])
    _require(log, ["person_id", "date", "colour", *by], "health_code_log")
    frame = log[["person_id", "date", "colour", *by]].copy()
    frame["date"] = pd.to_datetime(frame["date"])
    severity = pd.Categorical(frame["colour"], categories=list(COLOURS)).codes
    if (severity < 0).any():
        bad = np.flatnonzero(severity < 0)
        raise DataError(
            "health_code_log: unknown colours",
            [
                Violation(
                    "health_code_log",
                    int(i) + 1,
                    "colour",
                    "allowed_values(green, yellow, red)",
                    str(frame["colour"].iloc[i]),
                )
                for i in bad[:20]
            ],
        )
    frame["sev"] = severity.astype("int8")
    frame = frame.sort_values(["person_id", "date"], kind="stable").reset_index(drop=True)
    pid = frame["person_id"].to_numpy()
    sev = frame["sev"].to_numpy()
    new_person = np.r_[True, pid[1:] != pid[:-1]]
    non_green = sev > 0
    starts = non_green & (new_person | np.r_[True, ~non_green[:-1]])
    episode = np.cumsum(starts)
    frame["episode"] = np.where(non_green, episode, 0)
    # the row after a run's last row, if it is the same person's, is the run's first green row
    run_end = non_green & np.r_[new_person[1:] | ~non_green[1:], True]
    next_same = np.r_[~new_person[1:], False]
    released_row = np.flatnonzero(run_end & next_same) + 1

    runs = frame[non_green].groupby("episode", sort=True)
    result = runs.agg(
        person_id=("person_id", "first"), start=("date", "first"), sev=("sev", "max"), **{c: (c, "first") for c in by}
    ).reset_index()
    ends = pd.Series(frame["date"].to_numpy()[released_row], index=episode[released_row - 1])
    result["end"] = ends.reindex(result["episode"].to_numpy()).to_numpy()  # NaT (datetime) when none ended
    result["colour"] = np.array(COLOURS, dtype=object)[result["sev"].to_numpy()]
    result["colour"] = result["colour"].astype("str")
    result["days_to_green"] = (result["end"] - result["start"]).dt.days.astype("Int64")
    result["ongoing"] = result["end"].isna()
    result["left_censored"] = result["start"] == frame["date"].min()
    return result[
        ["person_id", *by, "start", "end", "colour", "days_to_green", "ongoing", "left_censored"]
    ].reset_index(drop=True)


def median_days_to_green(
    log: pd.DataFrame, by: list[str] | None = None, include_left_censored: bool = False
) -> pd.DataFrame:
    """Median days from a yellow or red code to green, per episode colour (and ``by`` group).

    Formula: median of ``days_to_green`` (see :func:`episodes`) over finished episodes; rows for
    ``red``, ``yellow`` and ``all``. With the published rules a yellow code needs at least 7 days and
    a red one 14 (docs/methods.md#days-to-green). Ongoing episodes are not in the median (their
    duration is not known) but are counted in ``n_ongoing``; left-censored ones are counted in
    ``n_left_censored`` and left out of the median unless ``include_left_censored``.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``colour``, ``n_finished``, ``median_days`` (Float64, missing without a
        finished episode), ``n_ongoing``, ``n_left_censored``.
    """
    by = list(by or [])
    eps = episodes(log, by)
    eps = pd.concat([eps, eps.assign(colour="all")], ignore_index=True)
    eps["used"] = ~eps["ongoing"] & (include_left_censored | ~eps["left_censored"])
    eps["days_used"] = eps["days_to_green"].astype("Float64").where(eps["used"])
    keys = [*by, "colour"]
    grouped = eps.groupby(keys, sort=True, dropna=False)
    out = grouped.agg(
        n_finished=("used", "sum"),
        median_days=("days_used", "median"),
        n_ongoing=("ongoing", "sum"),
        n_left_censored=("left_censored", "sum"),
    )
    out = out.reset_index()
    for column in ["n_finished", "n_ongoing", "n_left_censored"]:
        out[column] = out[column].astype("int64")
    out["median_days"] = out["median_days"].astype("Float64")
    return out
