"""Small builders shared by several test modules (importable because pytest puts ``tests`` on the path)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

HAND_A, HAND_B = "330102", "330103"
HAND_LOG = [  # person_id, region_code, date, colour, reason
    (1, HAND_A, "2020-02-14", "green", "checkin"),
    (2, HAND_A, "2020-02-14", "yellow", "arrival"),
    (3, HAND_A, "2020-02-14", "red", "contact"),
    (4, HAND_B, "2020-02-14", "green", "checkin"),
    (1, HAND_A, "2020-02-15", "yellow", "contact"),
    (2, HAND_A, "2020-02-15", "yellow", "arrival"),
    (3, HAND_A, "2020-02-15", "red", "contact"),
    (4, HAND_B, "2020-02-15", "green", "checkin"),
    (1, HAND_A, "2020-02-16", "green", "released"),
    (2, HAND_A, "2020-02-16", "green", "released"),
    (3, HAND_A, "2020-02-16", "green", "released"),
    (4, HAND_B, "2020-02-17", "red", "symptoms"),  # no row on 02-16: counts as new red
]
"""A person-day health-code log small enough to count by hand."""

HAND_COUNT_COLUMNS = ["green", "yellow", "red", "new_red", "new_yellow", "red_to_green", "yellow_to_green"]
HAND_COUNTS = {  # counted by hand from HAND_LOG, per day and county, in HAND_COUNT_COLUMNS order
    ("2020-02-14", HAND_A): [1, 1, 1, 1, 1, 0, 0],
    ("2020-02-14", HAND_B): [1, 0, 0, 0, 0, 0, 0],
    ("2020-02-15", HAND_A): [0, 2, 1, 0, 1, 0, 0],
    ("2020-02-15", HAND_B): [1, 0, 0, 0, 0, 0, 0],
    ("2020-02-16", HAND_A): [3, 0, 0, 0, 0, 1, 2],
    ("2020-02-17", HAND_B): [0, 0, 1, 1, 0, 0, 0],
}


def write_log(path: Path, rows: list[tuple]) -> Path:
    """Write health-code log rows (as :data:`HAND_LOG`) as a Parquet file, dates as dates."""
    df = pd.DataFrame(rows, columns=["person_id", "region_code", "date", "colour", "reason"])
    df["date"] = pd.to_datetime(df["date"]).dt.date
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path)
    return path


def damage_kept(parquet: Path, sidecar: Path, how: str) -> None:
    """Damage a kept frame of the cache (epianalysis.data.cache): ``truncate`` or ``flip`` a byte of its
    Parquet file, write ``junk`` into its sidecar, or ``remove_sidecar``."""
    good = parquet.read_bytes()
    if how == "truncate":
        parquet.write_bytes(good[: len(good) // 2])
    elif how == "flip":
        middle = len(good) // 2
        parquet.write_bytes(good[:middle] + bytes([good[middle] ^ 0x01]) + good[middle + 1 :])
    elif how == "junk":
        sidecar.write_bytes(b"not a pickle")
    else:
        sidecar.unlink()


def county_series(
    code: str,
    start: str,
    confirmed: list[int],
    clusters: list[int | None] | None = None,
    local: list[int] | None = None,
) -> pd.DataFrame:
    """Daily rows of one county from ``start``: cumulative confirmed, clusters_new (default 0)."""
    dates = pd.date_range(start, periods=len(confirmed), freq="D")
    clusters = clusters if clusters is not None else [0] * len(confirmed)
    return pd.DataFrame(
        {
            "date": dates.strftime("%Y-%m-%d"),
            "region_code": code,
            "confirmed": pd.array(confirmed, dtype="Int64"),
            "confirmed_local": pd.array(local if local is not None else confirmed, dtype="Int64"),
            "clusters_new": pd.array(clusters, dtype="Int64"),
        }
    )
