"""Aggregate a person-day health-code log (Parquet) into the county-day ``health_codes`` table.

The log is never read into pandas: the engine (DuckDB by default, or Spark) scans the Parquet file
or partitioned folder out of core and returns only the aggregate (one row per county-day).
Definitions, per region and date D:

- ``green``/``yellow``/``red``: persons holding that colour on D.
- ``new_red``: red on D and not red on D-1; ``new_yellow``: yellow on D and not yellow on D-1.
- ``red_to_green``/``yellow_to_green``: green on D and red/yellow on D-1.

"D-1" is the same person's row dated the day before; a person with no row on D-1 (the first day with
a code) counts as new red/yellow when not green. Persistence (red on D-1 and D) is found by joining
each day's rows to the few non-green rows of the day before, so no window over all rows is needed:
``new_red = red - red_on_both_days``. Colour rules: docs/methods.md#colour-rules (green passes; yellow up
to 7 days, red 14 days of quarantine). The SQL, shared by both engines, is
:data:`epianalysis.engine.sql.HEALTH_CODES`.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from epianalysis.engine.aggregate import COUNT_COLUMNS, health_code_counts
from epianalysis.engine.backends import DuckDBEngine, Engine
from epianalysis.engine.sql import HEALTH_CODES as HEALTH_CODES_SQL

__all__ = ["COUNT_COLUMNS", "HEALTH_CODES_SQL", "aggregate_health_codes"]


def aggregate_health_codes(
    log: Path | str,
    con: duckdb.DuckDBPyConnection | None = None,
    engine: str | Engine = "duckdb",
    spark_master: str | None = None,
    checked: bool = False,
) -> pd.DataFrame:
    """County-day colour counts and transitions from a person-day health-code log.

    Parameters
    ----------
    log : Path or str
        Parquet file (or ``date=YYYY-MM-DD/`` partitioned folder) with columns ``person_id``,
        ``region_code``, ``date``, ``colour`` (and ``reason``, unused here), one row per person and day.
    con : duckdb.DuckDBPyConnection, optional
        DuckDB connection to run on (e.g. with memory or thread limits); a new in-memory one by default.
    engine : {"duckdb", "spark"} or Engine
        Where to run (default DuckDB); see :func:`epianalysis.engine.get_engine`.
    spark_master : str, optional
        Spark master or Spark Connect URL when ``engine="spark"``.
    checked : bool
        The log has passed the contract gate already (:func:`epianalysis.engine.aggregate.gate`); otherwise
        it is checked first, and a log that breaks its contract raises a ``DataError``.

    Returns
    -------
    pandas.DataFrame
        ``date`` (datetime64), ``region_code`` (str) and the Int64 counts ``green``, ``yellow``,
        ``red``, ``new_red``, ``new_yellow``, ``red_to_green``, ``yellow_to_green``, sorted by date
        and region. Formulas: module docstring.
    """
    path = Path(log)
    if not (path.is_file() or path.is_dir()):
        raise FileNotFoundError(f"health-code log not found: {path}")
    if con is not None:
        engine = DuckDBEngine(con)
    return health_code_counts(path, engine, spark_master, checked=checked)
