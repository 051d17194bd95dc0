"""Person-day health-code log of the scenario (``health_code_log.parquet``).

A sample of ``round(population * scale)`` residents per county. Codes are issued from 2020-02-11 in
杭州 and from 2020-02-14 elsewhere, on a deterministic schedule calibrated so that the province holds
14.989 M x scale codes on 2020-02-17 (source "health-code" in :mod:`.figures`), rising to most residents
by April. Each holder's colour follows the published rules (docs/methods.md#colour-rules): an episode
(reason contact, arrival or symptoms) makes the code red for 14 days or yellow for 7; the day it ends
the code turns green with reason
``released``; any other green day has reason ``checkin``. Episode probabilities fall over February and
rise with the county's cases. Rows are written sorted by date, region_code, person_id, one Parquet
row group per day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from epianalysis.scenario import figures as F

COLOURS = ["green", "yellow", "red"]
REASONS = ["contact", "arrival", "symptoms", "checkin", "released"]
RED_DAYS, YELLOW_DAYS = 14, 7
HANGZHOU = "330100"
# Cumulative share of residents holding a code (ASSUMPTION except the 2020-02-17 calibration).
_ISSUE_HANGZHOU = {
    date(2020, 2, 10): 0.0,
    date(2020, 2, 11): 0.05,
    date(2020, 2, 14): 0.25,
    date(2020, 2, 17): 0.45,
    date(2020, 3, 1): 0.75,
    date(2020, 4, 30): 0.92,
}
_ISSUE_OTHER = {date(2020, 2, 13): 0.0, date(2020, 2, 14): 0.05, date(2020, 3, 1): 0.60, date(2020, 4, 30): 0.90}
# Share of codes red/yellow at issue on 2020-02-14, before the case adjustment (ASSUMPTION,
# calibrated to the 94.7 % green of 2020-02-17); halving every 12 days after.
P_RED_AT_ISSUE, P_YELLOW_AT_ISSUE, HALF_LIFE_DAYS = 0.0103, 0.0344, 12.0
P_DAILY_EPISODE = 0.0012  # daily chance of a new episode for a green holder on 2020-02-14
REASON_P = {"red": [0.55, 0.15, 0.30], "yellow": [0.35, 0.55, 0.10]}  # contact, arrival, symptoms
PARQUET_OPTIONS = dict(
    compression="zstd", compression_level=3, use_dictionary=True, write_statistics=True, store_schema=False
)


def _other_share_0217(pop_hz: int, pop_total: int) -> float:
    """Share of non-Hangzhou residents with a code on 2020-02-17 so the province total matches."""
    target = F.HEALTH_CODES_ISSUED_0217 / F.PROVINCE_POPULATION * pop_total
    return (target - _ISSUE_HANGZHOU[date(2020, 2, 17)] * pop_hz) / (pop_total - pop_hz)


def _share_curve(anchors: dict[date, float], dates: list[date]) -> np.ndarray:
    x = np.array([(d - dates[0]).days for d in sorted(anchors)], dtype=float)
    y = np.array([anchors[d] for d in sorted(anchors)])
    return np.interp(np.arange(len(dates)), x, y, left=0.0, right=y[-1])


def _persons(counties: pd.DataFrame, scale: float) -> pd.DataFrame:
    n = np.rint(counties["population"].to_numpy(dtype=float) * scale).astype(np.int64)
    return pd.DataFrame(
        {
            "region_code": np.repeat(counties["code"].to_numpy(), n),
            "parent_code": np.repeat(counties["parent_code"].to_numpy(), n),
            "rank": np.concatenate([np.arange(k) for k in n]) if len(n) else np.array([], dtype=np.int64),
            "n": np.repeat(n, n),
        }
    )


def simulate(
    counties: pd.DataFrame,
    cases_per_100k: pd.Series,
    scale: float,
    rng: np.random.Generator,
    start: date = F.SCENARIO_START,
    end: date = F.SCENARIO_END,
) -> tuple[pd.DataFrame, list[date], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Persons, dates, issue day and up to two episodes per person (start day, colour, reason)."""
    dates = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    persons = _persons(counties, scale)
    pop = counties.set_index("code")["population"]
    pop_hz = int(pop[counties["parent_code"].eq(HANGZHOU).to_numpy()].sum())
    other = dict(_ISSUE_OTHER)
    other[date(2020, 2, 17)] = _other_share_0217(pop_hz, int(pop.sum()))
    curves = {True: _share_curve(_ISSUE_HANGZHOU, dates), False: _share_curve(other, dates)}
    in_hz = persons["parent_code"].eq(HANGZHOU).to_numpy()
    # person of rank i gets a code on the first day the county's issued count exceeds i
    frac = (persons["rank"].to_numpy() + 0.5) / persons["n"].to_numpy()
    issue = np.where(
        in_hz, np.searchsorted(curves[True], frac, side="right"), np.searchsorted(curves[False], frac, side="right")
    )
    issue = issue.astype(np.int32)
    n_days = len(dates)
    risk = cases_per_100k.reindex(persons["region_code"]).fillna(0).to_numpy()
    mult = 0.5 + np.minimum(risk / 2.0, 2.5)  # more cases -> more red/yellow
    t_ref = (date(2020, 2, 14) - start).days
    decay = 0.5 ** (np.maximum(issue - t_ref, 0) / HALF_LIFE_DAYS)
    n = len(persons)
    u = rng.random(n)
    p_red = P_RED_AT_ISSUE * mult * decay
    p_yel = P_YELLOW_AT_ISSUE * mult * decay
    colour0 = np.where(u < p_red, 2, np.where(u < p_red + p_yel, 1, 0)).astype(np.int8)
    # a later episode: exponential waiting time with a falling hazard, approximated by a draw of
    # the day from the remaining window weighted by the decaying hazard
    days = np.arange(n_days)
    hazard = P_DAILY_EPISODE * 0.5 ** (np.maximum(days - t_ref, 0) / HALF_LIFE_DAYS)
    chance = np.clip(hazard.sum() * mult, 0, 0.9)
    has2 = rng.random(n) < chance
    cdf = np.cumsum(hazard) / hazard.sum()
    start2 = np.searchsorted(cdf, rng.random(n)).astype(np.int32)
    start2 = np.where(has2 & (start2 > issue + RED_DAYS), start2, n_days + 100)
    colour2 = np.where(rng.random(n) < 0.3 * np.minimum(mult, 1.5), 2, 1).astype(np.int8)
    reason = np.empty((n, 2), dtype=np.int8)
    for k, col in enumerate([colour0, colour2]):
        r = rng.random(n)
        pr, py = np.cumsum(REASON_P["red"]), np.cumsum(REASON_P["yellow"])
        reason[:, k] = np.where(col == 2, np.searchsorted(pr, r), np.searchsorted(py, r))
    starts = np.stack([np.where(colour0 > 0, issue, n_days + 100), start2], axis=1)
    colours = np.stack([colour0, colour2], axis=1)
    return persons, dates, issue, starts, colours, reason


def day_state(d: int, starts: np.ndarray, colours: np.ndarray, reasons: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Colour (0 green, 1 yellow, 2 red) and reason code of every person on day index ``d``."""
    length = np.where(colours == 2, RED_DAYS, YELLOW_DAYS)
    active = (starts <= d) & (d < starts + length)
    ended = active.any(axis=1) == False  # noqa: E712
    colour = np.where(active, colours, 0).max(axis=1).astype(np.int8)
    pick = np.argmax(np.where(active, colours, -1), axis=1)
    reason = reasons[np.arange(len(colour)), pick].astype(np.int8)
    released = (((starts + length) == d) & (colours > 0)).any(axis=1)
    reason = np.where(colour > 0, reason, np.where(released & ended, 4, 3)).astype(np.int8)
    return colour, reason


def write_log(
    path: Path,
    counties: pd.DataFrame,
    cases_per_100k: pd.Series,
    scale: float,
    rng: np.random.Generator,
    tick: Callable[[], None] | None = None,
) -> int:
    """Simulate and write the log to ``path`` (one row group per day). Returns the row count."""
    persons, dates, issue, starts, colours, reasons = simulate(counties, cases_per_100k, scale, rng)
    order = np.lexsort((np.arange(len(persons)), persons["region_code"].to_numpy()))
    person_id = (np.arange(len(persons)) + 1).astype(np.int64)  # persons are already in code order
    assert (order == np.arange(len(persons))).all()
    region_codes = counties["code"].to_numpy()
    region_idx = np.searchsorted(region_codes, persons["region_code"].to_numpy()).astype(np.int32)
    schema = pa.schema(
        [
            ("person_id", pa.int64()),
            ("region_code", pa.dictionary(pa.int32(), pa.string())),
            ("date", pa.date32()),
            ("colour", pa.dictionary(pa.int8(), pa.string())),
            ("reason", pa.dictionary(pa.int8(), pa.string())),
        ]
    )
    regions_arr = pa.array(region_codes.tolist(), pa.string())
    colours_arr, reasons_arr = pa.array(COLOURS, pa.string()), pa.array(REASONS, pa.string())
    rows = 0
    with pq.ParquetWriter(path, schema, **PARQUET_OPTIONS) as writer:
        for d, day in enumerate(dates):
            holders = np.flatnonzero(issue <= d)
            if len(holders):
                colour, reason = day_state(d, starts[holders], colours[holders], reasons[holders])
                table = pa.Table.from_arrays(
                    [
                        pa.array(person_id[holders]),
                        pa.DictionaryArray.from_arrays(pa.array(region_idx[holders]), regions_arr),
                        pa.array(np.full(len(holders), (day - date(1970, 1, 1)).days, np.int32), pa.int32()).cast(
                            pa.date32()
                        ),
                        pa.DictionaryArray.from_arrays(pa.array(colour), colours_arr),
                        pa.DictionaryArray.from_arrays(pa.array(reason), reasons_arr),
                    ],
                    schema=schema,
                )
                writer.write_table(table, row_group_size=len(holders))
                rows += len(holders)
            if tick:
                tick()
    return rows
