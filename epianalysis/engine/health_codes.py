"""Aggregate a person-day health-code log (Parquet) into the county-day ``health_codes`` table.

The log is never read into pandas: DuckDB scans the Parquet file out of core and returns only the
aggregate (one row per county-day). Definitions, per region and date D:

- ``green``/``yellow``/``red``: persons holding that colour on D.
- ``new_red``: red on D and not red on D-1; ``new_yellow``: yellow on D and not yellow on D-1.
- ``red_to_green``/``yellow_to_green``: green on D and red/yellow on D-1.

"D-1" is the same person's row dated the day before; a person with no row on D-1 (the first day with
a code) counts as new red/yellow when not green. Persistence (red on D-1 and D) is found by joining
each day's rows to the few non-green rows of the day before, so no window over all rows is needed:
``new_red = red - red_on_both_days``. Colour rules: design §4.3 (green passes; yellow up
to 7 days, red 14 days of quarantine).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

HEALTH_CODES_SQL = """
WITH counts AS (
    SELECT
        CAST("date" AS DATE) AS "date",
        CAST(region_code AS VARCHAR) AS region_code,
        count(*) FILTER (WHERE colour = 'green') AS green,
        count(*) FILTER (WHERE colour = 'yellow') AS yellow,
        count(*) FILTER (WHERE colour = 'red') AS red
    FROM read_parquet($log)
    GROUP BY ALL
), trans AS (
    -- today's rows joined to the same person's non-green row of the day before
    SELECT
        CAST(l."date" AS DATE) AS "date",
        CAST(l.region_code AS VARCHAR) AS region_code,
        count(*) FILTER (WHERE l.colour = 'red' AND p.prev_colour = 'red') AS red_stay,
        count(*) FILTER (WHERE l.colour = 'yellow' AND p.prev_colour = 'yellow') AS yellow_stay,
        count(*) FILTER (WHERE l.colour = 'green' AND p.prev_colour = 'red') AS red_to_green,
        count(*) FILTER (WHERE l.colour = 'green' AND p.prev_colour = 'yellow') AS yellow_to_green
    FROM read_parquet($log) AS l
    JOIN (
        SELECT person_id, CAST("date" + 1 AS DATE) AS next_date, colour AS prev_colour
        FROM read_parquet($log)
        WHERE colour <> 'green'
    ) AS p ON l.person_id = p.person_id AND CAST(l."date" AS DATE) = p.next_date
    GROUP BY ALL
)
SELECT
    c."date",
    c.region_code,
    c.green,
    c.yellow,
    c.red,
    c.red - coalesce(t.red_stay, 0) AS new_red,
    c.yellow - coalesce(t.yellow_stay, 0) AS new_yellow,
    coalesce(t.red_to_green, 0) AS red_to_green,
    coalesce(t.yellow_to_green, 0) AS yellow_to_green
FROM counts AS c
LEFT JOIN trans AS t ON c."date" = t."date" AND c.region_code = t.region_code
ORDER BY c."date", c.region_code
"""

COUNT_COLUMNS = ["green", "yellow", "red", "new_red", "new_yellow", "red_to_green",
                 "yellow_to_green"]


def aggregate_health_codes(
    log: Path | str, con: duckdb.DuckDBPyConnection | None = None
) -> pd.DataFrame:
    """County-day colour counts and transitions from a person-day health-code log.

    Parameters
    ----------
    log : Path or str
        Parquet file with columns ``person_id``, ``region_code``, ``date``, ``colour`` (and
        ``reason``, unused here), one row per person and day.
    con : duckdb.DuckDBPyConnection, optional
        Connection to run on (e.g. with memory or thread limits); a new in-memory one by default.

    Returns
    -------
    pandas.DataFrame
        ``date`` (datetime64), ``region_code`` (str) and the Int64 counts ``green``, ``yellow``,
        ``red``, ``new_red``, ``new_yellow``, ``red_to_green``, ``yellow_to_green``, sorted by date
        and region. Formulas: module docstring (:data:`HEALTH_CODES_SQL`).
    """
    path = Path(log)
    if not path.is_file():
        raise FileNotFoundError(f"health-code log not found: {path}")
    own = con is None
    con = duckdb.connect() if own else con
    try:
        df = con.execute(HEALTH_CODES_SQL, {"log": str(path)}).df()
    finally:
        if own:
            con.close()
    df["date"] = pd.to_datetime(df["date"])
    df["region_code"] = df["region_code"].astype(str)
    for col in COUNT_COLUMNS:
        df[col] = df[col].astype("Int64")
    return df.reset_index(drop=True)
