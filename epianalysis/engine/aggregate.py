"""Aggregations of person- and meter-level logs on any engine (``engine="duckdb"`` or ``"spark"``).

Each function registers its inputs as views, runs the one SQL text of :mod:`epianalysis.engine.sql`
and returns pandas with the same columns and dtypes whichever engine ran it, so results can be
compared row for row (``tests/engine/test_spark.py``).

Every log passes the same gate as ``validate`` and the store before either engine reads it
(:func:`gate`: the contract checks of :func:`epianalysis.data.parquet.check_parquet`, on DuckDB, over
the file or partitioned folder): a duplicate person-day, a colour other than green, yellow or red,
a wrong type or an unknown county is refused with file, row, column and rule, instead of being
counted twice or silently left out of a ``CASE``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from epianalysis.data.cache import log_errors
from epianalysis.engine import sql as S
from epianalysis.engine.backends import Engine, get_engine
from epianalysis.engine.kept import cached_query
from epianalysis.errors import DataError, Violation
from epianalysis.topics.capacity.metrics import capacity_rates

COUNT_COLUMNS = ["green", "yellow", "red", "new_red", "new_yellow", "red_to_green", "yellow_to_green"]
CAPACITY_COLUMNS = [
    "date",
    "region_code",
    "n_enterprises",
    "n_known",
    "n_resumed",
    "employees",
    "employees_on_site",
    "kwh",
    "baseline_kwh",
    "resumption_rate_pct",
    "worker_return_pct",
    "capacity_recovery_index",
]


def gate(path: Path | str, table: str) -> Path:
    """Check a log file or partitioned folder against the contract of ``table``; return its path.

    Raises
    ------
    DataError
        Every error found (at most the first rows per rule, then a count), naming file, row, column
        and rule; nothing is aggregated.
    FileNotFoundError
        No such file or folder.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"Parquet log not found (no file, no folder of *.parquet): {path}")
    found = log_errors(path, table, path.name)
    if found:
        raise DataError(f"{path.name} breaks the {table} contract: nothing aggregated", found)
    return path


def _engine(engine: str | Engine, spark_master: str | None) -> tuple[Engine, bool]:
    if isinstance(engine, str):
        return get_engine(engine, spark_master), True
    return engine, False


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).astype("datetime64[us]")


def normalise_health_codes(df: pd.DataFrame) -> pd.DataFrame:
    """``date`` as datetime64[us], ``region_code`` str, counts Int64, sorted by date and region."""
    out = df.copy()
    out["date"] = _dates(out["date"])
    out["region_code"] = out["region_code"].astype(str)
    for column in COUNT_COLUMNS:
        out[column] = out[column].astype("int64").astype("Int64")
    return out.sort_values(["date", "region_code"], kind="stable").reset_index(drop=True)


def health_code_counts(
    log: Path | str, engine: str | Engine = "duckdb", spark_master: str | None = None, checked: bool = False
) -> pd.DataFrame:
    """County-day colour counts and transitions of a person-day health-code log.

    Per region and date D (docs/methods.md#county-day-counts-and-transitions): ``green``/``yellow``/
    ``red`` = persons holding that colour on D; ``new_red`` = red on D and not red on D-1,
    ``new_yellow`` likewise;
    ``red_to_green``/``yellow_to_green`` = green on D and red/yellow on D-1 (D-1 = the same
    person's row dated the day before; no row on D-1 counts as "not red/yellow"). SQL:
    :data:`epianalysis.engine.sql.HEALTH_CODES`. The result is kept per content of the log and engine
    (:func:`epianalysis.engine.kept.cached_query`): the same log is aggregated once.

    Parameters
    ----------
    log : Path or str
        A Parquet file, or a folder partitioned as ``date=YYYY-MM-DD/part-*.parquet``, with
        ``person_id``, ``region_code``, ``date``, ``colour``.
    engine : {"duckdb", "spark"} or Engine
        Where to run it; an engine object is reused and left open.
    spark_master : str, optional
        Master URL when ``engine="spark"`` (default ``local[*]``).
    checked : bool
        The log has passed :func:`gate` already (e.g. it came from
        :meth:`epianalysis.data.store.DataStore.log`); otherwise it is checked here first.

    Returns
    -------
    pandas.DataFrame
        ``date`` (datetime64), ``region_code`` (str), the Int64 counts, sorted by date and region.

    Raises
    ------
    DataError
        The log breaks its contract (:func:`gate`).
    """
    if not checked:
        gate(log, "health_code_log")
    eng, own = _engine(engine, spark_master)

    def run() -> pd.DataFrame:
        eng.register_parquet(S.HEALTH_CODE_VIEW, log)
        return normalise_health_codes(eng.query(S.HEALTH_CODES))

    try:
        return cached_query("health_code_counts", eng, Path(log), S.HEALTH_CODES, {}, run)
    finally:
        if own:
            eng.close()


def _refuse_unmatched_readings(eng: Engine) -> None:
    """Raise a DataError for readings of unregistered firms or repeated (firm, day) readings."""
    violations = [
        Violation(
            "enterprise_daily",
            None,
            "enterprise_id",
            "registered_enterprise",
            f"{row.enterprise_id} ({row.n} readings)",
        )
        for row in eng.query(S.CAPACITY_UNREGISTERED).itertuples(index=False)
    ] + [
        Violation(
            "enterprise_daily",
            None,
            "date, enterprise_id",
            "unique_key(date, enterprise_id)",
            f"{row.enterprise_id} on {pd.Timestamp(row.day).date()} ({row.n} readings)",
        )
        for row in eng.query(S.CAPACITY_DUPLICATE_READINGS).itertuples(index=False)
    ]
    if violations:
        raise DataError("meter readings that cannot be joined to the register once", violations)


def capacity_by_county(
    enterprises: pd.DataFrame,
    daily: Path | str,
    engine: str | Engine = "duckdb",
    spark_master: str | None = None,
    rules=None,
    checked: bool = False,
) -> pd.DataFrame:
    """Capacity recovery per county-day from meter readings, on any engine.

    Baseline: each enterprise's mean daily kWh over the rules' ``december_2019`` window (days with a
    reading). Per county and date: ``n_known`` = readings with kWh and a positive baseline;
    ``n_resumed`` = those with ``kwh / baseline > resumed_threshold`` (0.30, strictly);
    ``employees_on_site`` = Σ on-site staff; ``employees`` = Σ register employees of the firms
    reporting on-site staff; ``kwh``/``baseline_kwh`` = Σ over the known readings; then the rates of
    :func:`capacity_rates`. Same figures as ``metrics.capacity.recovery(by="county")`` with the
    ``december_2019`` baseline (docs/methods.md#the-three-rates). SQL:
    :data:`epianalysis.engine.sql.CAPACITY_BY_COUNTY`.

    Parameters
    ----------
    enterprises : pandas.DataFrame
        The register (``enterprise_id``, ``region_code``, ``employees``).
    daily : Path or str
        ``enterprise_daily`` as a Parquet file or a ``date=``-partitioned folder.
    engine, spark_master
        As in :func:`health_code_counts`.
    rules : CapacityRules, optional
        Default :func:`epianalysis.topics.capacity.metrics.load_capacity_rules`.
    checked : bool
        ``daily`` has passed :func:`gate` already; otherwise it is checked here first.

    Returns
    -------
    pandas.DataFrame
        :data:`CAPACITY_COLUMNS`: date, region_code, counts (int64), sums (int64 staff, float kWh),
        rates (Float64), sorted by date and region.
    """
    from epianalysis.topics.capacity.metrics import load_capacity_rules

    if not checked:
        gate(daily, "enterprise_daily")
    rules = rules or load_capacity_rules()
    window = rules.baselines["december_2019"]
    text = S.capacity_sql(window["start"].date(), window["end"].date(), rules.resumed_threshold)
    register = pd.DataFrame(
        {
            "enterprise_id": enterprises["enterprise_id"].astype(str),
            "region_code": enterprises["region_code"].astype(str),
            "employees": enterprises["employees"].astype("int64"),
        }
    )
    eng, own = _engine(engine, spark_master)
    try:
        eng.register_parquet(S.DAILY_VIEW, daily)
        eng.register_frame(S.REGISTER_VIEW, register)
        _refuse_unmatched_readings(eng)
        df = eng.query(text)
    finally:
        if own:
            eng.close()
    df["date"] = _dates(df["date"])
    df["region_code"] = df["region_code"].astype(str)
    for column in ["n_enterprises", "n_known", "n_resumed", "employees", "employees_on_site"]:
        df[column] = df[column].astype("int64")
    for column in ["kwh", "baseline_kwh"]:
        df[column] = df[column].astype("float64")
    df = capacity_rates(df)
    return df[CAPACITY_COLUMNS].sort_values(["date", "region_code"], kind="stable").reset_index(drop=True)
