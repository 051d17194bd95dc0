"""The county rows the outlook of the zoning briefing presents (:mod:`epianalysis.topics.zoning.outlook`):
per county, the evaluation in force joined with its outlook, its population and its sensitivity to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from epianalysis.topics.zoning.view import ZoningBriefing


def county_rows(zoning: ZoningBriefing) -> pd.DataFrame:
    """Per county: the evaluation in force (levels table), its outlook, population and sensitivity."""
    extra = zoning.outlook
    table = extra.outlook.table.drop(columns=["name_zh", "name_en", "level", "rule"])
    sens = extra.sensitivity[["region_code", "sensitive"]].rename(columns={"sensitive": "population_sensitive"})
    current = zoning.current
    current["region_code"] = current["region_code"].astype(str)
    return left_join(current, [table, extra.populations, sens])


def left_join(left: pd.DataFrame, rights: list[pd.DataFrame]) -> pd.DataFrame:
    """``left.merge(right, on="region_code", how="left")`` for each of ``rights`` in turn.

    When every code of ``left`` is in each right table once and no other column name comes twice, the
    rows are taken by position (the same table, without a merge per table); otherwise merged.
    """
    names = [*left.columns, *(c for right in rights for c in right.columns if c != "region_code")]
    unique = [right["region_code"].is_unique for right in rights]
    at = [pd.Index(r["region_code"]).get_indexer(left["region_code"]) if u else None for r, u in zip(rights, unique)]
    if len(set(names)) < len(names) or any(rows is None or (rows < 0).any() for rows in at):
        for right in rights:
            left = left.merge(right, on="region_code", how="left")
        return left
    parts = [right.iloc[rows].reset_index(drop=True) for right, rows in zip(rights, at, strict=True)]
    joined = pd.concat([left.reset_index(drop=True), *parts], axis=1)
    keep = [i for i, name in enumerate(joined.columns) if i < left.shape[1] or name != "region_code"]
    return joined.iloc[:, keep]
