"""The scenario's logs at province scale: partitioned Parquet, streamed with bounded memory.

At ``scale=1.0`` the health-code log covers Zhejiang's 64.6 M residents (about 58 M code holders a
day by late April), too many to simulate as one table (the single-file writer of
:mod:`.health_codes` holds several 8-byte arrays per person). This writer follows the same rules
(:func:`.health_codes.day_state`, the same issue curves, episode probabilities and reasons) but:

- simulates county by county, each county with its own random stream (``rng.spawn``), keeping only
  10 bytes per person (issue day int16, two episode starts int16, two colours and two reasons int8);
  so its rows differ from the single-file writer's at the same seed, and are deterministic;
- writes one folder per day, Hive-style, ``health_code_log/date=YYYY-MM-DD/part-00000.parquet``
  (the date is the partition value, not a column of the file), one row group per block of about
  ``BLOCK_PERSONS`` persons, rows sorted by region_code and person_id;
- can write a window of days only (``log_dates``); the transitions of the window's first day then
  have no day before (every non-green code counts as new), as at the start of the log.

``enterprise_daily`` is written the same way (``enterprise_daily/date=YYYY-MM-DD/part-00000.parquet``).
Peak memory at scale 1.0 stays under 2 GB (measured: README "Running at scale").
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
from epianalysis.scenario import health_codes as H

PART_FILE = "part-00000.parquet"
BLOCK_PERSONS = 4_000_000  # persons per row group (bounds the per-day working memory)


def partition_dir(root: Path, day: date) -> Path:
    """The folder of one day: ``root/date=YYYY-MM-DD``."""
    return Path(root) / f"date={day.isoformat()}"


def _county_state(
    n: int, curve: np.ndarray, mult: float, rng: np.random.Generator, n_days: int, t_ref: int, hazard: np.ndarray
) -> tuple[np.ndarray, ...]:
    """Issue day, episode starts, colours and reasons of one county's ``n`` persons (compact)."""
    frac = (np.arange(n) + 0.5) / n
    issue = np.searchsorted(curve, frac, side="right").astype(np.int16)
    decay = 0.5 ** (np.maximum(issue - t_ref, 0) / H.HALF_LIFE_DAYS)
    u = rng.random(n)
    p_red = H.P_RED_AT_ISSUE * mult * decay
    p_yel = H.P_YELLOW_AT_ISSUE * mult * decay
    colour0 = np.where(u < p_red, 2, np.where(u < p_red + p_yel, 1, 0)).astype(np.int8)
    del u, p_red, p_yel, decay
    chance = min(max(hazard.sum() * mult, 0.0), 0.9)
    has2 = rng.random(n) < chance
    cdf = np.cumsum(hazard) / hazard.sum()
    start2 = np.searchsorted(cdf, rng.random(n)).astype(np.int16)
    start2 = np.where(has2 & (start2 > issue + H.RED_DAYS), start2, n_days + 100).astype(np.int16)
    colour2 = np.where(rng.random(n) < 0.3 * min(mult, 1.5), 2, 1).astype(np.int8)
    reasons = np.empty((n, 2), dtype=np.int8)
    pr, py = np.cumsum(H.REASON_P["red"]), np.cumsum(H.REASON_P["yellow"])
    for k, col in enumerate([colour0, colour2]):
        r = rng.random(n)
        reasons[:, k] = np.where(col == 2, np.searchsorted(pr, r), np.searchsorted(py, r))
    starts = np.stack([np.where(colour0 > 0, issue, n_days + 100).astype(np.int16), start2], axis=1)
    colours = np.stack([colour0, colour2], axis=1)
    return issue, starts, colours, reasons


def simulate_compact(
    counties: pd.DataFrame,
    cases_per_100k: pd.Series,
    scale: float,
    rng: np.random.Generator,
    start: date = F.SCENARIO_START,
    end: date = F.SCENARIO_END,
    tick: Callable[[], None] | None = None,
) -> dict:
    """Every person's state, county by county (rules of :func:`.health_codes.simulate`)."""
    dates = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    n_days = len(dates)
    pop = counties["population"].to_numpy(dtype=float)
    in_hz = counties["parent_code"].eq(H.HANGZHOU).to_numpy()
    pop_hz = int(pop[in_hz].sum())
    other = dict(H._ISSUE_OTHER)
    other[date(2020, 2, 17)] = H._other_share_0217(pop_hz, int(pop.sum()))
    curves = {True: H._share_curve(H._ISSUE_HANGZHOU, dates), False: H._share_curve(other, dates)}
    t_ref = (date(2020, 2, 14) - start).days
    days = np.arange(n_days)
    hazard = H.P_DAILY_EPISODE * 0.5 ** (np.maximum(days - t_ref, 0) / H.HALF_LIFE_DAYS)
    sizes = np.rint(pop * scale).astype(np.int64)
    total = int(sizes.sum())
    state = {
        "issue": np.empty(total, np.int16),
        "starts": np.empty((total, 2), np.int16),
        "colours": np.empty((total, 2), np.int8),
        "reasons": np.empty((total, 2), np.int8),
        "region_idx": np.repeat(np.arange(len(counties), dtype=np.int32), sizes),
        "offsets": np.concatenate([[0], np.cumsum(sizes)]),
        "dates": dates,
    }
    risk = cases_per_100k.reindex(counties["code"]).fillna(0).to_numpy()
    for i, (n, child) in enumerate(zip(sizes, rng.spawn(len(counties)))):
        if n == 0:
            continue
        mult = 0.5 + min(risk[i] / 2.0, 2.5)
        lo, hi = state["offsets"][i], state["offsets"][i + 1]
        issue, starts, colours, reasons = _county_state(
            int(n), curves[bool(in_hz[i])], mult, child, n_days, t_ref, hazard
        )
        state["issue"][lo:hi], state["starts"][lo:hi] = issue, starts
        state["colours"][lo:hi], state["reasons"][lo:hi] = colours, reasons
        if tick:
            tick()
    return state


def write_log_partitioned(
    root: Path,
    counties: pd.DataFrame,
    cases_per_100k: pd.Series,
    scale: float,
    rng: np.random.Generator,
    log_dates: tuple[date, date] | None = None,
    tick: Callable[[], None] | None = None,
) -> int:
    """Simulate and write the log as ``root/date=YYYY-MM-DD/part-00000.parquet``. Returns the row count.

    Parameters
    ----------
    root : Path
        Folder to create (``.../health_code_log``).
    counties : pandas.DataFrame
        County rows of the regions table, sorted by code (``code``, ``parent_code``, ``population``).
    cases_per_100k : pandas.Series
        Local cases per 100 k by county code on 2020-02-17 (raises red/yellow probabilities).
    scale : float
        Share of residents (1.0 = every resident).
    rng : numpy.random.Generator
        Parent stream; one child per county.
    log_dates : (date, date), optional
        First and last day to write (default: the whole scenario).
    """
    state = simulate_compact(counties, cases_per_100k, scale, rng)
    dates = state["dates"]
    first, last = log_dates or (dates[0], dates[-1])
    schema = pa.schema(
        [
            ("person_id", pa.int64()),
            ("region_code", pa.dictionary(pa.int32(), pa.string())),
            ("colour", pa.dictionary(pa.int8(), pa.string())),
            ("reason", pa.dictionary(pa.int8(), pa.string())),
        ]
    )
    regions_arr = pa.array(counties["code"].astype(str).tolist(), pa.string())
    colours_arr, reasons_arr = pa.array(H.COLOURS, pa.string()), pa.array(H.REASONS, pa.string())
    total = len(state["issue"])
    blocks = range(0, total, BLOCK_PERSONS)
    rows = 0
    Path(root).mkdir(parents=True, exist_ok=True)
    for d, day in enumerate(dates):
        if not first <= day <= last:
            continue
        folder = partition_dir(root, day)
        folder.mkdir()
        with pq.ParquetWriter(folder / PART_FILE, schema, **H.PARQUET_OPTIONS) as writer:
            for lo in blocks:
                hi = min(lo + BLOCK_PERSONS, total)
                holders = lo + np.flatnonzero(state["issue"][lo:hi] <= d)
                if not len(holders):
                    continue
                colour, reason = H.day_state(
                    d, state["starts"][holders], state["colours"][holders], state["reasons"][holders]
                )
                writer.write_table(
                    pa.Table.from_arrays(
                        [
                            pa.array(holders.astype(np.int64) + 1),
                            pa.DictionaryArray.from_arrays(pa.array(state["region_idx"][holders]), regions_arr),
                            pa.DictionaryArray.from_arrays(pa.array(colour), colours_arr),
                            pa.DictionaryArray.from_arrays(pa.array(reason), reasons_arr),
                        ],
                        schema=schema,
                    ),
                    row_group_size=len(holders),
                )
                rows += len(holders)
        if tick:
            tick()
    return rows


def write_daily_partitioned(root: Path, daily: pd.DataFrame) -> int:
    """Write ``enterprise_daily`` as ``root/date=YYYY-MM-DD/part-00000.parquet`` (date not in the files)."""
    Path(root).mkdir(parents=True, exist_ok=True)
    days = pd.to_datetime(daily["date"])
    for day, part in daily.drop(columns="date").groupby(days.dt.strftime("%Y-%m-%d"), sort=True):
        folder = Path(root) / f"date={day}"
        folder.mkdir()
        table = pa.Table.from_pandas(part.reset_index(drop=True), preserve_index=False)
        pq.write_table(
            table.replace_schema_metadata(None),
            folder / PART_FILE,
            compression="zstd",
            compression_level=3,
            store_schema=False,
        )
    return len(daily)
