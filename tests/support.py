"""Small builders shared by several test modules (importable because pytest puts ``tests`` on the path)."""

from __future__ import annotations

import pandas as pd


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
