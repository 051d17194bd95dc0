"""The capacity-recovery briefing: resumption, worker return and capacity recovery on one data date.

Computes nothing new: it calls :mod:`epianalysis.topics.capacity.metrics` (baselines, rates by group),
:mod:`epianalysis.topics.capacity.curves` (the normal lunar-aligned year, days behind, gap to the
75 %-by-29-February target) and :mod:`epianalysis.topics.capacity.resumption_map` (the resumption
five-colour map), and presents the results labelled in the briefing language
(``topics/capacity/labels.toml``), written by :mod:`epianalysis.text.format`, and as a summary
section of unrounded values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from epianalysis.errors import DataError, Violation
from epianalysis.reference.regions import load_regions
from epianalysis.text import format as fmt
from epianalysis.text.labels import label, load_labels
from epianalysis.topics.capacity import curves as capacity_curves
from epianalysis.topics.capacity import metrics as capacity
from epianalysis.topics.capacity import resumption_map as capacity_zoning

RATES = ["resumption_rate_pct", "worker_return_pct", "capacity_recovery_index"]
SERIES_START = pd.Timestamp("2020-02-01")


@dataclass(frozen=True)
class CapacityBriefing:
    """Capacity recovery as known on one data date.

    Attributes
    ----------
    data_date : datetime.date
    baseline : str
        Baseline used (``topics/capacity/rules.toml``; default mean daily use in December 2019).
    size_groups : DataFrame
        :func:`~epianalysis.topics.capacity.metrics.recovery` by ``size_group`` from 2020-02-01 to the data date.
    prefectures, sectors : DataFrame
        The same by prefecture and by sector (all firms), on the data date.
    counties : DataFrame
        County rows on the data date with the resumption band
        (:func:`~epianalysis.topics.capacity.resumption_map.resumption_zones`).
    curves : DataFrame
        :func:`~epianalysis.topics.capacity.curves.lunar_curves` of the above-scale firms (2020
        values after the data date removed).
    behind : DataFrame
        :func:`~epianalysis.topics.capacity.curves.days_behind` of 2020 against 2019.
    target : dict
        :func:`~epianalysis.topics.capacity.curves.gap_to_target` of the above-scale firms.
    zoning : ZoningRules
    """

    data_date: dt.date
    baseline: str
    size_groups: pd.DataFrame
    prefectures: pd.DataFrame
    sectors: pd.DataFrame
    counties: pd.DataFrame
    curves: pd.DataFrame
    behind: pd.DataFrame
    target: dict
    zoning: capacity_zoning.ZoningRules


def capacity_briefing(
    enterprises: pd.DataFrame,
    enterprise_daily: pd.DataFrame,
    data_date: dt.date,
    regions: pd.DataFrame | None = None,
    baseline: str = "december_2019",
    rules: capacity.CapacityRules | None = None,
    zoning: capacity_zoning.ZoningRules | None = None,
) -> CapacityBriefing:
    """Everything the capacity briefing shows, for ``data_date`` (readings after it are not used).

    Raises
    ------
    DataError
        No meter reading on ``data_date``.
    """
    rules = rules or capacity.load_capacity_rules()
    zoning = zoning or capacity_zoning.load_zoning_rules()
    regions = regions if regions is not None else load_regions()
    day = pd.Timestamp(data_date)
    daily = enterprise_daily[pd.to_datetime(enterprise_daily["date"]) <= day]
    if not (pd.to_datetime(daily["date"]) == day).any():
        raise DataError(
            f"capacity: no meter reading on {day.date()}",
            [Violation("enterprise_daily", None, "date", "row_on_data_date", day.date().isoformat())],
        )
    based = capacity.with_baseline(daily, baseline, rules)
    recent = based[based["date"] >= SERIES_START]
    on_day = based[based["date"] == day]
    groups = capacity.recovery(enterprises, recent, by="size_group", rules=rules, regions=regions)
    prefectures = capacity.recovery(enterprises, on_day, by="prefecture", rules=rules, regions=regions)
    sectors = capacity.recovery(enterprises, on_day, by="sector", rules=rules, regions=regions)
    counties = capacity.recovery(enterprises, on_day, by="county", rules=rules, regions=regions)
    # every county is on the map: one without reporting firms is unknown, not left out
    codes = regions.loc[regions["level"] == "county", "code"].astype(str)
    counties = (
        counties.rename(columns={"county": "region_code"})
        .set_index("region_code")
        .reindex(codes)
        .rename_axis("region_code")
        .reset_index()
    )
    counties = capacity_zoning.resumption_zones(counties, zoning)
    group = str(rules.target.get("group", "above_scale"))
    curves = capacity_curves.lunar_curves(enterprises, daily, group=group, baseline=baseline, rules=rules)
    curves["index_2020"] = curves["index_2020"].where(curves["date_2020"] <= day)
    behind = capacity_curves.days_behind(
        curves.set_index("lunar_day")["index_2020"], curves.set_index("lunar_day")["index_2019"]
    )
    target = capacity_curves.gap_to_target(groups[groups["size_group"] == group], rules=rules)
    return CapacityBriefing(
        day.date(), baseline, groups, prefectures, sectors, counties, curves, behind, target, zoning
    )


def _float(value) -> float | None:
    return None if fmt.is_missing(value) else float(value)


def _group_values(view: CapacityBriefing, group: str) -> dict:
    rows = view.size_groups[
        (view.size_groups["size_group"] == group) & (view.size_groups["date"] == pd.Timestamp(view.data_date))
    ]
    if rows.empty:
        return {"n_enterprises": 0, **{r: None for r in RATES}}
    row = rows.iloc[0]
    return {"n_enterprises": int(row["n_enterprises"]), **{r: _float(row[r]) for r in RATES}}


def days_behind_on_data_date(view: CapacityBriefing) -> int | None:
    """Days the 2020 curve was behind the normal year on the data date (None when not comparable)."""
    lunar = capacity_curves.festival_day_of(view.curves, view.data_date)
    rows = view.behind[view.behind["lunar_day"] == lunar]
    if rows.empty or pd.isna(rows["days_behind"].iloc[0]):
        return None
    return int(rows["days_behind"].iloc[0])


def summary(view: CapacityBriefing) -> dict:
    """The ``capacity`` section of ``summary.json`` (rates in percent, unrounded: every output rounds
    when it writes a value, through :mod:`epianalysis.text.format`)."""
    bands = view.counties["band"].value_counts()
    target = {k: (_float(v) if isinstance(v, float) else v) for k, v in view.target.items()}
    return {
        "data_date": view.data_date.isoformat(),
        "baseline": view.baseline,
        "above_scale": _group_values(view, "above_scale"),
        "leading": _group_values(view, "leading"),
        "all": _group_values(view, "all"),
        "target": target,
        "days_behind_normal_year": days_behind_on_data_date(view),
        "resumption_map": {b.band: int(bands.get(b.band, 0)) for b in [*view.zoning.bands, view.zoning.unknown]},
    }


def headline_table(view: CapacityBriefing, lang: str) -> pd.DataFrame:
    """Headline numbers (above-scale and leading firms, target, days behind) in ``lang``."""
    s = summary(view)
    above, leading = s["above_scale"], s["leading"]
    target = s["target"]
    behind = s["days_behind_normal_year"]
    met = {True: label("capacity.target_met", lang), False: label("capacity.target_not_met", lang), None: "–"}[
        target["met"]
    ]
    rows = [
        (label("capacity.above_scale_firms", lang), fmt.count(above["n_enterprises"], lang)),
        (label("capacity.resumption_above_scale", lang), fmt.percent_value(above["resumption_rate_pct"], lang)),
        (label("capacity.workers_above_scale", lang), fmt.percent_value(above["worker_return_pct"], lang)),
        (label("capacity.index_above_scale", lang), fmt.percent_value(above["capacity_recovery_index"], lang)),
        (label("capacity.index_leading", lang), fmt.percent_value(leading["capacity_recovery_index"], lang)),
        (
            label(
                "capacity.target_row",
                lang,
                date=fmt.date(target["target_date"], lang, "day_month"),
                target=fmt.percent_value(target["target"], lang, decimals=0),
            ),
            f"{fmt.percent_value(target['value'], lang)} ({met})",
        ),
        (label("capacity.days_behind_row", lang), fmt.days(behind, lang)),
        (label("data_date", lang), view.data_date.isoformat()),
    ]
    return pd.DataFrame(rows, columns=[label("indicator", lang), label("value", lang)])


def group_table(table: pd.DataFrame, by: str, lang: str, regions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rates by prefecture or sector on the data date, labelled, sorted by capacity."""
    regions = regions if regions is not None else load_regions()
    rows = table.sort_values(["capacity_recovery_index", by], ascending=[False, True])
    if by == "prefecture":
        names = regions.set_index(regions["code"].astype(str))["name_zh" if lang == "zh" else "name_en"]
        first = rows[by].map(names)
        head = label("region", lang)
    else:
        known = load_labels()
        first = rows[by].map(lambda s: label(f"capacity.sector_{s}", lang) if f"capacity.sector_{s}" in known else s)
        head = label("capacity.sector", lang)
    return pd.DataFrame(
        {
            head: first.to_numpy(),
            label("capacity.firms", lang): [fmt.count(n, lang) for n in rows["n_enterprises"]],
            label("capacity.resumption", lang): [fmt.percent_value(v, lang) for v in rows["resumption_rate_pct"]],
            label("capacity.workers", lang): [fmt.percent_value(v, lang) for v in rows["worker_return_pct"]],
            label("capacity.index", lang): [fmt.percent_value(v, lang) for v in rows["capacity_recovery_index"]],
        }
    )


def band_table(view: CapacityBriefing, lang: str) -> pd.DataFrame:
    """Counties per band of the resumption map (bands of ``topics/capacity/resumption_map.toml``)."""
    counts = view.counties["band"].value_counts()
    bands = [*view.zoning.bands, view.zoning.unknown]
    return pd.DataFrame(
        {
            label("capacity.band", lang): [b.label_zh if lang == "zh" else b.label_en for b in bands],
            label("capacity.counties", lang): [fmt.count(int(counts.get(b.band, 0)), lang) for b in bands],
        }
    )
