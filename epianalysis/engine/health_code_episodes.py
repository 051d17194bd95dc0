"""The person-day rows needed for days-to-green, selected from a health-code log by DuckDB.

Median days to green (:func:`epianalysis.topics.health_codes.metrics.median_days_to_green`) needs every row
of the persons who held a yellow or red code, and no row of anyone else. DuckDB scans the Parquet log
out of core and returns only those rows (a few percent of the log), so the log itself is never read
into pandas.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from epianalysis.fileio import duckdb_connection

EPISODE_ROWS_SQL = """
WITH flagged AS (
    SELECT DISTINCT person_id FROM read_parquet($log)
    WHERE colour <> 'green' AND CAST("date" AS DATE) <= $until
)
SELECT l.person_id, CAST(l.region_code AS VARCHAR) AS region_code, CAST(l."date" AS DATE) AS "date",
       CAST(l.colour AS VARCHAR) AS colour
FROM read_parquet($log) AS l
SEMI JOIN flagged AS f ON l.person_id = f.person_id
WHERE CAST(l."date" AS DATE) <= $until
ORDER BY l.person_id, "date"
"""


def episode_rows(log: Path | str, until: dt.date, con: duckdb.DuckDBPyConnection | None = None) -> pd.DataFrame:
    """All rows dated on or before ``until`` of the persons with a yellow or red row by then.

    Parameters
    ----------
    log : Path or str
        Parquet person-day log (``person_id``, ``region_code``, ``date``, ``colour``).
    until : datetime.date
        Last date used (the data date: later rows are not known yet).
    con : duckdb.DuckDBPyConnection, optional
        Connection to run on; a new in-memory one by default.

    Returns
    -------
    pandas.DataFrame
        ``person_id`` (int64), ``region_code`` (str), ``date`` (datetime64), ``colour`` (str),
        sorted by person and date; the input of :func:`epianalysis.topics.health_codes.metrics.episodes`.
    """
    path = Path(log)
    if not path.is_file():
        raise FileNotFoundError(f"health-code log not found: {path}")
    own = con is None
    con = duckdb_connection() if own else con
    try:
        df = con.execute(EPISODE_ROWS_SQL, {"log": str(path), "until": until}).df()
    finally:
        if own:
            con.close()
    df["date"] = pd.to_datetime(df["date"])
    df["region_code"] = df["region_code"].astype(str)
    df["colour"] = df["colour"].astype(str)
    df["person_id"] = df["person_id"].astype("int64")
    return df.reset_index(drop=True)
