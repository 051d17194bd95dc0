"""Embedded aggregation engines for person- and meter-level logs (DuckDB by default)."""

from .health_codes import HEALTH_CODES_SQL, aggregate_health_codes

__all__ = ["HEALTH_CODES_SQL", "aggregate_health_codes"]
