"""Aggregation engines for person- and meter-level logs: embedded DuckDB (default) or Spark.

Every aggregation is written once, as SQL both engines run (:mod:`.sql`); :func:`get_engine` picks
where it runs (:mod:`.backends`); :mod:`.aggregate` holds the functions with an ``engine=`` argument.
"""

from epianalysis.engine.aggregate import capacity_by_county, health_code_counts
from epianalysis.engine.backends import ENGINES, EngineUnavailable, get_engine
from epianalysis.engine.health_codes import HEALTH_CODES_SQL, aggregate_health_codes

__all__ = [
    "ENGINES",
    "EngineUnavailable",
    "HEALTH_CODES_SQL",
    "aggregate_health_codes",
    "capacity_by_county",
    "get_engine",
    "health_code_counts",
]
