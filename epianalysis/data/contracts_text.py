"""The data contracts in words, as ``epianalysis contracts [TABLE]`` prints them.

Everything is read from :data:`epianalysis.data.contracts.CONTRACTS` (columns, kinds, ranges,
allowed values, key, region level, cumulative columns), so the text cannot drift from the checks;
only the one-line description of each table and of a few columns is written here. The same
contracts are described with their reasons in docs/data.md#data-contracts.
"""

from __future__ import annotations

import math

from epianalysis.data.contracts import CONTRACTS, UNPLACED_SUFFIX, ColumnSpec, TableSpec, table_spec

TABLES = {
    "cases": "case counts per region and day, as of that day 24:00 (the official bulletin convention)",
    "health_codes": "residents holding each colour of health code, per county and day",
    "health_code_log": "one row per person and day from the day the person's code was issued",
    "enterprises": "the register of enterprises (no date)",
    "enterprise_daily": "daily electricity meter readings and staff on site, per enterprise",
    "control": "indicators of the control sub-index of the precision control index, per county and day",
    "flow": "indicators of the flow sub-index (percent, or percent of normal), per county and day",
}

COLUMNS = {
    "date": "counts as of that day 24:00",
    "confirmed_local": "local cases",
    "confirmed_imported": "imported cases",
    "severe": "severe cases at that time",
    "critical": "critical cases at that time",
    "clusters_new": "cluster outbreaks reported that day",
    "employees": "at least 1",
    "enterprise_id": "must be in enterprises (for enterprise_daily)",
}

KINDS = {"date": "date", "code": "region", "count": "count", "int": "integer", "float": "number", "string": "text"}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def column_rule(spec: TableSpec, col: ColumnSpec) -> str:
    """What a cell of ``col`` must hold, in words."""
    if col.kind == "date":
        text = "YYYY-MM-DD"
    elif col.kind == "code":
        level = "a county-level division" if spec.region_level == "county" else "a region of any level"
        text = (
            f"6-digit code of {level} of 2020 (2019 codes: 330100, also 330100.0); "
            "import tidy also reads names: 杭州, 杭州市, 溫州, Hangzhou"
        )
    elif col.kind in ("count", "int"):
        text = "whole number (12 or 12.0)"
    elif col.kind == "float":
        text = "number (12, 12.5)"
    else:
        text = "text"
    if col.low is not None:
        high = col.high if col.high is not None else math.inf
        if math.isinf(high):
            text += f", at least {_number(col.low)}"
        else:
            text += f", {_number(col.low)} to {_number(high)}"
    if col.allowed is not None:
        text += ", one of: " + ", ".join(col.allowed)
    text += "; a value in every row" if not col.nullable else "; may be empty"
    if col.name in spec.cumulative:
        text += "; cumulative"
    if col.name in COLUMNS:
        text += f"; {COLUMNS[col.name]}"
    return text


def describe(table: str) -> str:
    """One table's contract as text: what it holds, its key and region level, and every column."""
    spec = table_spec(table)
    lines = [f"{spec.name}: {TABLES.get(spec.name, '')}".rstrip(": ")]
    facts = [f"key: {', '.join(spec.key)}" + ("" if spec.unique_key else " (not unique)")]
    if any(c.kind == "code" for c in spec.columns):
        facts.append("county codes only" if spec.region_level == "county" else "regions of any level")
    facts.append(f"file: {spec.name}.{spec.storage}")
    if spec.region_level is None and "region_code" in spec.key:
        facts.append(f"rows of no region: {spec.name}{UNPLACED_SUFFIX}.csv")
    lines.append("  " + " · ".join(facts))
    rows = [("column", "type", "required", "rule")]
    rows += [(c.name, KINDS[c.kind], "yes" if c.required else "no", column_rule(spec, c)) for c in spec.columns]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for row in rows:
        cells = [row[i].ljust(widths[i]) for i in range(3)]
        lines.append("  " + "  ".join([*cells, row[3]]))
    return "\n".join(lines)


def describe_all(table: str | None = None) -> str:
    """Every table's contract (or only ``table``'s), with how to read the columns."""
    names = [table] if table else list(CONTRACTS)
    intro = (
        "Data contracts: one file per table in a data directory (UTF-8, comma-separated, one header line).\n"
        "'required' columns must be in the file; an optional column that is absent means 'not reported'.\n"
        "A column of another name is mapped with 'epianalysis import tidy --rename OLD=NEW'. "
        "More in docs/data.md#data-contracts."
    )
    return "\n\n".join([intro, *(describe(n) for n in names)])
