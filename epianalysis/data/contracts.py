"""The data contracts of the store's tables, described once, declaratively.

:data:`CONTRACTS` holds, per table (``cases``, ``health_codes``, ``health_code_log``, ``enterprises``,
``enterprise_daily``, ``control``, ``flow``): its columns (kind, nullability, allowed range or values,
whether the column must be present), its key, the region level its codes must have, and its
cumulative columns. :mod:`epianalysis.data.schema` builds the pandera schemas from it and
:mod:`epianalysis.data.parquet` the DuckDB checks of big Parquet files (docs/data.md#data-contracts).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

UNPLACED_SUFFIX = "_unplaced"
CODE_PATTERN = r"^\d{6}$"
ISO_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"

#: pandas dtype of each column kind.
KIND_DTYPES = {
    "date": "datetime64[ns]",
    "code": "str",
    "string": "str",
    "count": "Int64",
    "int": "int64",
    "float": "float64",
}


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a contract.

    ``kind`` is one of :data:`KIND_DTYPES`; ``low``/``high`` bound the values (inclusive);
    ``allowed`` lists the allowed values of a text column; ``required`` says whether the column
    must be present in a file (an optional column that is absent means "not reported": all NA).
    """

    name: str
    kind: str
    nullable: bool = True
    required: bool = False
    low: float | None = None
    high: float | None = None
    allowed: tuple[str, ...] | None = None

    @property
    def dtype(self) -> str:
        return KIND_DTYPES[self.kind]


@dataclass(frozen=True)
class TableSpec:
    """One table of the contracts (docs/data.md#data-contracts)."""

    name: str
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...]
    region_level: str | None = None  # None: any level; "county": county-level codes only
    cumulative: tuple[str, ...] = ()
    storage: str = "csv"  # default file format when the store writes the table
    large: bool = False  # validate files with DuckDB, never whole in pandas
    unique_key: bool = True

    def column(self, name: str) -> ColumnSpec:
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _counts(*names: str, required: tuple[str, ...] = ()) -> tuple[ColumnSpec, ...]:
    return tuple(ColumnSpec(n, "count", required=n in required, low=0, high=np.inf) for n in names)


def _pcts(*names: str, high: float = np.inf) -> tuple[ColumnSpec, ...]:
    return tuple(ColumnSpec(n, "float", low=0, high=high) for n in names)


_DATE = ColumnSpec("date", "date", nullable=False, required=True)
_REGION = ColumnSpec("region_code", "code", nullable=False, required=True)
_ENTERPRISE = ColumnSpec("enterprise_id", "string", nullable=False, required=True)
_CASE_COUNTS = ("confirmed", "confirmed_local", "confirmed_imported", "discharged", "deaths")

CONTRACTS: dict[str, TableSpec] = {
    "cases": TableSpec(
        "cases",
        (
            _DATE,
            _REGION,
            *_counts(
                *_CASE_COUNTS, "severe", "critical", "clusters_new", required=("confirmed", "discharged", "deaths")
            ),
        ),
        key=("date", "region_code"),
        cumulative=_CASE_COUNTS,
    ),
    "health_codes": TableSpec(
        "health_codes",
        (
            _DATE,
            _REGION,
            *_counts(
                "green",
                "yellow",
                "red",
                "new_red",
                "new_yellow",
                "red_to_green",
                "yellow_to_green",
                required=("green", "yellow", "red"),
            ),
        ),
        key=("date", "region_code"),
        region_level="county",
    ),
    "health_code_log": TableSpec(
        "health_code_log",
        (
            ColumnSpec("person_id", "int", nullable=False, required=True),
            _REGION,
            _DATE,
            ColumnSpec("colour", "string", nullable=False, required=True, allowed=("green", "yellow", "red")),
            ColumnSpec(
                "reason", "string", required=True, allowed=("contact", "arrival", "symptoms", "checkin", "released")
            ),
        ),
        key=("person_id", "date"),
        region_level="county",
        storage="parquet",
        large=True,
    ),
    "enterprises": TableSpec(
        "enterprises",
        (
            _ENTERPRISE,
            _REGION,
            ColumnSpec("sector", "string", nullable=False, required=True),
            ColumnSpec(
                "size_class", "string", nullable=False, required=True, allowed=("leading", "above_scale", "small")
            ),
            ColumnSpec("employees", "count", nullable=False, required=True, low=1, high=np.inf),
        ),
        key=("enterprise_id",),
        region_level="county",
    ),
    "enterprise_daily": TableSpec(
        "enterprise_daily",
        (
            _DATE,
            _ENTERPRISE,
            ColumnSpec("kwh", "float", required=True, low=0, high=np.inf),
            *_counts("employees_on_site"),
        ),
        key=("date", "enterprise_id"),
        storage="parquet",
        large=True,
    ),
    "control": TableSpec(
        "control",
        (
            _DATE,
            _REGION,
            *_pcts("new_local_cases_14d", "active_cases_per_100k"),
            *_pcts("contact_tracing_rate", "quarantine_completion_rate", "green_code_share", high=100),
        ),
        key=("date", "region_code"),
        region_level="county",
    ),
    "flow": TableSpec(
        "flow",
        (
            _DATE,
            _REGION,
            *_pcts(
                "bus_service_rate",
                "highway_flow_ratio",
                "checkpoint_open_rate",
                "enterprise_resumption_rate",
                "worker_return_rate",
                "retail_open_rate",
                "logistics_flow_ratio",
            ),
        ),
        key=("date", "region_code"),
        region_level="county",
    ),
}


def table_spec(table: str) -> TableSpec:
    """The contract of ``table``; ``<base>_unplaced`` gets the base contract without regions.

    Raises
    ------
    KeyError
        If the table is not part of the contracts.
    """
    if table in CONTRACTS:
        return CONTRACTS[table]
    if table.endswith(UNPLACED_SUFFIX) and table[: -len(UNPLACED_SUFFIX)] in CONTRACTS:
        base = CONTRACTS[table[: -len(UNPLACED_SUFFIX)]]
        columns = tuple(replace(c, nullable=True) if c.name == "region_code" else c for c in base.columns)
        return replace(base, name=table, columns=columns, region_level=None, unique_key=False, cumulative=())
    raise KeyError(f"unknown table {table!r}; known: {', '.join(sorted(CONTRACTS))}")


def is_unplaced(table: str) -> bool:
    return table.endswith(UNPLACED_SUFFIX)
