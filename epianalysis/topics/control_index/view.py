"""The control-index briefing: the precision control index of one data date, ready to show.

Computes nothing new: it calls :mod:`epianalysis.topics.control_index.metrics` (combined index, province
averages, ranks, shortfalls) for the data date, and presents the results labelled in the briefing
language (``topics/control_index/labels.toml``), written by :mod:`epianalysis.text.format`, and as
a summary section of plain, unrounded JSON values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from epianalysis.errors import DataError, Violation
from epianalysis.reference.published import press_date_of, published_by, published_figure, reference_text
from epianalysis.reference.regions import load_regions
from epianalysis.text import format as fmt
from epianalysis.text.labels import label
from epianalysis.topics.control_index import metrics as ci

REFERENCE_FILE = Path(__file__).resolve().parent / "reference.toml"


def reference() -> dict:
    """The published province average (``reference.toml``), shown beside ours; not used in any
    computation (docs/methods.md#precision-control-index).

    ``date`` (the day it refers to: data as of 2020-03-01 24:00), ``press_date`` (the press
    conference of 2020-03-02), ``value`` (96.87) and ``source``.
    """
    return published_figure(REFERENCE_FILE, "province_average")


def reference_on(press_date: dt.date | str) -> dict | None:
    """:func:`reference` on the briefing of ``press_date``: ``None`` before it was published (the
    briefing of 2020-03-01 does not show the 96.87 of the press conference of 2020-03-02)."""
    return published_by(REFERENCE_FILE, "province_average", press_date)


@dataclass(frozen=True)
class ControlIndexBriefing:
    """The control index of one data date.

    Attributes
    ----------
    data_date : datetime.date
    counties : DataFrame
        One row per county on the data date: ``region_code``, ``name_zh``, ``name_en``,
        ``parent_code``, ``population``, ``control_index``, ``flow_index``, ``combined_index``,
        ``rank`` (1 = best, missing without an index), ``missing_indicators``, ``complete``.
    province : DataFrame
        :func:`~epianalysis.topics.control_index.metrics.province_average` for every date up to the data date.
    shortfalls : DataFrame
        :func:`~epianalysis.topics.control_index.metrics.shortfalls` (top 3 per county) on the data date.
    registry : Registry
    press_date : datetime.date
        The briefing's press date (by default the day after the data date).
    reference : dict or None
        The published province average as known on the press date (:func:`reference_on`): what the
        tables, the summary and the province chart show beside ours; ``None`` before 2020-03-02.
    """

    data_date: dt.date
    counties: pd.DataFrame
    province: pd.DataFrame
    shortfalls: pd.DataFrame
    registry: ci.Registry
    press_date: dt.date | None = None
    reference: dict | None = None


def control_index_briefing(
    control: pd.DataFrame,
    flow: pd.DataFrame,
    data_date: dt.date,
    regions: pd.DataFrame | None = None,
    registry: ci.Registry | None = None,
    press_date: dt.date | str | None = None,
) -> ControlIndexBriefing:
    """Index, ranks, province averages and shortfalls for ``data_date`` (see the metric functions),
    with the published average known on ``press_date`` (default: the day after ``data_date``).

    Raises
    ------
    DataError
        Neither table has a row on ``data_date``.
    """
    registry = registry or ci.load_registry()
    regions = regions if regions is not None else load_regions()
    day = pd.Timestamp(data_date)
    control = control[pd.to_datetime(control["date"]) <= day]
    flow = flow[pd.to_datetime(flow["date"]) <= day]
    index = ci.combined_index(control, flow, registry)
    province = ci.province_average(index, regions=regions)
    today = ci.rank_counties(index[index["date"] == day])
    if today.empty:
        raise DataError(
            f"control index: no control or flow row on {day.date()}",
            [Violation("control", None, "date", "row_on_data_date", day.date().isoformat())],
        )
    names = regions.set_index(regions["code"].astype(str))[["name_zh", "name_en", "parent_code", "population"]]
    counties = today.drop(columns="date").join(names, on="region_code")
    counties = counties[
        [
            "region_code",
            "name_zh",
            "name_en",
            "parent_code",
            "population",
            "control_index",
            "flow_index",
            "combined_index",
            "rank",
            "missing_indicators",
            "complete",
        ]
    ]
    short = ci.shortfalls(
        control[pd.to_datetime(control["date"]) == day], flow[pd.to_datetime(flow["date"]) == day], registry, top=3
    )
    press = press_date_of(day.date(), press_date)
    return ControlIndexBriefing(
        day.date(), counties.reset_index(drop=True), province, short, registry, press, reference_on(press)
    )


def _float(value) -> float | None:
    return None if fmt.is_missing(value) else float(value)


def _county_item(row: pd.Series) -> dict:
    return {
        "region_code": row["region_code"],
        "name_zh": row["name_zh"],
        "name_en": row["name_en"],
        "combined_index": _float(row["combined_index"]),
        "rank": None if pd.isna(row["rank"]) else int(row["rank"]),
    }


def summary(view: ControlIndexBriefing, n: int = 3) -> dict:
    """The ``control_index`` section of ``summary.json``: averages, best and worst ``n``, missing.

    Values are unrounded (every output rounds when it writes them, through
    :mod:`epianalysis.text.format`); the published 96.87 is given beside ours as a reference from the
    press date of its publication on (``null`` before).
    """
    day = view.province[view.province["date"] == pd.Timestamp(view.data_date)].iloc[0]
    ranked = view.counties.dropna(subset=["rank"]).sort_values(["rank", "region_code"])
    incomplete = view.counties[~view.counties["complete"]]
    return {
        "data_date": view.data_date.isoformat(),
        "registry_version": view.registry.version,
        "province_simple_mean": _float(day["simple_mean"]),
        "province_population_weighted_mean": _float(day["population_weighted_mean"]),
        "control_index_mean": _float(view.counties["control_index"].astype("Float64").mean()),
        "flow_index_mean": _float(view.counties["flow_index"].astype("Float64").mean()),
        "n_counties": int(day["n_counties"]),
        "n_scored": int(day["n_scored"]),
        "best": [_county_item(r) for _, r in ranked.head(n).iterrows()],
        "worst": [_county_item(r) for _, r in ranked.tail(n).iloc[::-1].iterrows()],
        "counties_with_missing_indicators": [
            {"region_code": r["region_code"], "missing": r["missing_indicators"].split(";")}
            for _, r in incomplete.sort_values("region_code").iterrows()
        ],
        "published_reference": None if view.reference is None else dict(view.reference),
    }


def headline_table(view: ControlIndexBriefing, lang: str) -> pd.DataFrame:
    """The headline numbers as a two-column table (indicator, value) in ``lang``."""
    s = summary(view, n=1)
    name = "name_zh" if lang == "zh" else "name_en"

    def ranked(rows: list[dict]) -> str:  # no county scored: say so, do not fail
        return fmt.MISSING if not rows else f"{rows[0][name]} ({fmt.index(rows[0]['combined_index'], lang)})"

    rows = [
        (label("control_index.province_simple", lang), fmt.index(s["province_simple_mean"], lang)),
        (label("control_index.province_weighted", lang), fmt.index(s["province_population_weighted_mean"], lang)),
        (label("control_index.control_mean", lang), fmt.index(s["control_index_mean"], lang)),
        (label("control_index.flow_mean", lang), fmt.index(s["flow_index_mean"], lang)),
        (
            label("control_index.counties_scored", lang),
            f"{fmt.count(s['n_scored'], lang)} / {fmt.count(s['n_counties'], lang)}",
        ),
        (
            label("control_index.counties_incomplete", lang),
            fmt.count(len(s["counties_with_missing_indicators"]), lang),
        ),
        (label("control_index.best", lang), ranked(s["best"])),
        (label("control_index.worst", lang), ranked(s["worst"])),
    ]
    if view.reference is not None:  # only from the press date it was published on
        rows.append(
            (
                label("control_index.published", lang, source=reference_text(view.reference, lang)),
                label("control_index.published_value", lang, value=fmt.index(view.reference["value"], lang)),
            )
        )
    rows.append((label("data_date", lang), view.data_date.isoformat()))
    return pd.DataFrame(rows, columns=[label("indicator", lang), label("value", lang)])


def ranking_table(view: ControlIndexBriefing, lang: str) -> pd.DataFrame:
    """All counties by rank: name, control, flow and combined index, missing indicators."""
    name = "name_zh" if lang == "zh" else "name_en"
    table = view.counties.sort_values(["rank", "region_code"], na_position="last")
    indicator_name = {i.column: (i.name_zh if lang == "zh" else i.name_en) for i in view.registry.indicators}
    return pd.DataFrame(
        {
            label("control_index.rank", lang): [fmt.count(r, lang) for r in table["rank"]],
            label("region", lang): table[name].to_numpy(),
            label("control_index.control", lang): [fmt.index(v, lang) for v in table["control_index"]],
            label("control_index.flow", lang): [fmt.index(v, lang) for v in table["flow_index"]],
            label("control_index.combined", lang): [fmt.index(v, lang) for v in table["combined_index"]],
            label("control_index.missing", lang): table["missing_indicators"]
            .map(lambda m: "; ".join(indicator_name[c] for c in m.split(";") if c))
            .to_numpy(),
        }
    )


def shortfall_table(view: ControlIndexBriefing, lang: str, n: int | None = None) -> pd.DataFrame:
    """The ``n`` lowest-ranked counties with the indicators that pulled them down most (default: as
    many as a ranking names in public, ``[ranking] named`` of ``rules.toml``).

    One row per county: its index and up to three indicators as "name (raw value, −points)", the
    points being the index points lost on that indicator (:func:`~epianalysis.topics.control_index.metrics.shortfalls`).
    """
    name = "name_zh" if lang == "zh" else "name_en"
    n = view.registry.ranking_named if n is None else n
    worst = view.counties.dropna(subset=["rank"]).sort_values(["rank", "region_code"]).tail(n).iloc[::-1]
    short = view.shortfalls
    rows_of = short.groupby("region_code", sort=False).indices  # a county's rows, in table order
    position = short["position"].to_numpy()
    names = short["name_zh" if lang == "zh" else "name_en"].to_numpy()
    raw, points = (short[c].to_numpy(dtype=object) for c in ("raw", "shortfall"))
    rows = []
    for _, county in worst.iterrows():
        mine = rows_of.get(county["region_code"], np.empty(0, dtype=int))
        items = [
            label(
                "control_index.pull_item",
                lang,
                name=names[at],
                raw=fmt.decimal(raw[at], lang),
                points=fmt.index(points[at], lang),
            )
            for at in mine[np.argsort(position[mine], kind="stable")]
        ]
        rows.append(
            (fmt.count(county["rank"], lang), county[name], fmt.index(county["combined_index"], lang), "; ".join(items))
        )
    return pd.DataFrame(
        rows,
        columns=[
            label("control_index.rank", lang),
            label("region", lang),
            label("control_index.combined", lang),
            label("control_index.pulled_down", lang),
        ],
    )


def missing_table(view: ControlIndexBriefing, lang: str) -> pd.DataFrame:
    """Counties with a missing indicator on the data date: which, and the weight still available.

    A missing indicator is never scored as 0: the sub-index uses the other indicators (weights
    renormalised) and the county is listed here.
    """
    name = "name_zh" if lang == "zh" else "name_en"
    indicator_name = {i.column: (i.name_zh if lang == "zh" else i.name_en) for i in view.registry.indicators}
    rows = view.counties[~view.counties["complete"]].sort_values("region_code")
    return pd.DataFrame(
        {
            label("region", lang): rows[name].to_numpy(),
            label("control_index.missing", lang): rows["missing_indicators"]
            .map(lambda m: "; ".join(indicator_name[c] for c in m.split(";") if c))
            .to_numpy(),
            label("control_index.combined", lang): [fmt.index(v, lang) for v in rows["combined_index"]],
        }
    )
