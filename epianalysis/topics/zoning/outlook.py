"""The outlook in the zoning briefing: why each county has its colour, when it can change if no new case
is reported, what would move it up, and whether its population matters (docs/rulesets.md#the-outlook).

The outlook is computed by :func:`epianalysis.rulesets.outlook.outlook` and the population check by
:func:`epianalysis.rulesets.sensitivity.population_sensitivity` (:func:`compute`, called by
:func:`epianalysis.topics.zoning.view.zoning_for_briefing`); this module presents them: the county table
(data and page), the counties that can change at the next evaluation, the outlook chart, the map's
tooltips and the ``outlook`` part of the ``zoning`` section of ``summary.json``. Words come from the rule
set's file (:mod:`epianalysis.topics.zoning.reasons`) and ``topics/zoning/labels.toml``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from epianalysis.charts.style import data_date_subtitle
from epianalysis.reference.regions import counties
from epianalysis.rulesets import RuleSet
from epianalysis.rulesets.outlook import HORIZON_DAYS, Outlook, outlook
from epianalysis.rulesets.sensitivity import POPULATION_SHARE, population_sensitivity
from epianalysis.text import format as fmt
from epianalysis.text.labels import label
from epianalysis.topics.zoning.charts import zoning_trend
from epianalysis.topics.zoning.reasons import county_name, reason_sentence, short_name_zh, why_text
from epianalysis.topics.zoning.rows import county_rows

if TYPE_CHECKING:  # pragma: no cover
    from epianalysis.topics.zoning.view import ZoningBriefing

MAX_NAMED = 15
"""A group of counties turning to the same level is named when it has at most this many."""


@dataclass(frozen=True)
class ZoningOutlook:
    """What the briefing adds to the evaluation in force.

    Attributes
    ----------
    outlook : Outlook
        The outlook on the data date (:func:`epianalysis.rulesets.outlook.outlook`).
    sensitivity : DataFrame
        :func:`epianalysis.rulesets.sensitivity.population_sensitivity` on the evaluation date.
    populations : DataFrame
        ``region_code``, ``population``, ``population_source``, ``population_is_estimate`` of the counties.
    """

    outlook: Outlook
    sensitivity: pd.DataFrame
    populations: pd.DataFrame


def compute(
    cases: pd.DataFrame,
    ruleset: RuleSet,
    as_of: pd.Timestamp,
    current: pd.DataFrame,
    regions: list[str] | None = None,
    population: Mapping[str, float] | pd.Series | None = None,
) -> ZoningOutlook:
    """The outlook on ``as_of`` and the population check on the evaluation in force (``current``: its
    levels table), from the cases known on ``as_of``."""
    result = outlook(cases, ruleset, as_of, regions, population, current=current)
    day = pd.Timestamp(current["date"].iloc[0]) if len(current) else as_of
    sensitivity = population_sensitivity(cases, ruleset, day, list(result.table["region_code"]), population)
    ref = counties()[["code", "population", "population_source", "population_is_estimate"]]
    ref = ref.rename(columns={"code": "region_code"}).astype({"region_code": str})
    return ZoningOutlook(result, sensitivity, ref)


# ------------------------------------------------------------------------------------- cells


def _day(value: object, lang: str) -> str:
    return fmt.date(value, lang, "day_month")


def step_text(rs: RuleSet, status: str, when: object, level: str | None, lang: str) -> str:
    """A step down or the lowest level in a table cell: ``"green on 21 Feb"`` / ``"2月21日转为绿色"``,
    or why there is no date (already lowest, not within the horizon, unknown)."""
    if status in ("steps_down", "reaches"):
        return label("zoning.step_on", lang, level=rs.level(str(level)).name(lang), date=_day(when, lang))
    if status == "at_lowest":
        return label("zoning.step_at_lowest", lang)
    if status == "not_within_horizon":
        return label("zoning.step_not_within", lang, days=fmt.count(HORIZON_DAYS, lang))
    return label("zoning.step_unknown", lang)


def up_text(rs: RuleSet, row: Mapping[str, Any], lang: str) -> str:
    """What would move a county up, in a table cell: ``"1 case by 21 Feb → yellow"`` /
    ``"2月21日前新增1例即转为黄色"``."""
    status = row["up_status"]
    if status == "cases":
        cases = fmt.with_unit(fmt.count(row["up_cases"], lang), "cases", lang)
        level = rs.level(str(row["up_level"])).name(lang)
        return label("zoning.up_cases", lang, cases=cases, date=_day(row["next_evaluation"], lang), level=level)
    if status == "at_highest":
        return label("zoning.up_at_highest", lang)
    if status == "not_within_max":
        return label("zoning.up_not_by_cases", lang)
    if status == "no_next_evaluation":
        return label("zoning.no_next_evaluation", lang)
    return label("zoning.step_unknown", lang)


# ------------------------------------------------------------------------------------ tables


def reason(zoning: ZoningBriefing, row: Mapping[str, Any], lang: str) -> str:
    """The county's :func:`~epianalysis.topics.zoning.reasons.reason_sentence` with its next step."""
    step = row.get("step_down_rule") if row.get("step_down_status") == "steps_down" else None
    return reason_sentence(zoning.ruleset, row, lang, step, row.get("step_down_level") if step else None)


def data_table(zoning: ZoningBriefing) -> pd.DataFrame:
    """The outlook of every county for programs (``data/zoning_outlook.csv``): codes, names, level,
    rule, the reason in both languages, the outlook's dates and levels, populations and flags."""
    return _data_table(zoning, county_rows(zoning))


def _data_table(zoning: ZoningBriefing, rows: pd.DataFrame) -> pd.DataFrame:
    """:func:`data_table` from the :func:`county_rows` of ``zoning``."""
    records = rows.to_dict("records")
    out = rows[["region_code", "name_zh", "name_en", "level", "rule"]].copy()
    out["reason_en"] = [reason(zoning, r, "en") for r in records]
    out["reason_zh"] = [reason(zoning, r, "zh") for r in records]
    keep = [
        "next_evaluation",
        "step_down_status",
        "step_down_date",
        "step_down_level",
        "lowest_status",
        "lowest_date",
        "up_status",
        "up_cases",
        "up_level",
        "population",
        "population_is_estimate",
        "population_source",
        "population_sensitive",
    ]
    return pd.concat([out, rows[keep]], axis=1)


def reasons_table(zoning: ZoningBriefing, lang: str) -> pd.DataFrame:
    """Every county not at the lowest level (unknown included) and every county sensitive to population,
    in ``lang``: the reason (a sentence that names the county), step down, lowest level, what would move
    it up, population."""
    rs = zoning.ruleset
    table = county_rows(zoning)
    shown = [lv != rs.level_keys[0] or bool(s) for lv, s in zip(table["level"], table["population_sensitive"])]
    rows = table[np.array(shown, dtype=bool)].to_dict("records")
    return pd.DataFrame(
        {
            label("zoning.reason", lang): [reason(zoning, r, lang) for r in rows],
            label("zoning.step_down", lang): [
                step_text(rs, r["step_down_status"], r["step_down_date"], r["step_down_level"], lang) for r in rows
            ],
            label("zoning.lowest", lang, level=rs.levels[0].name(lang)): [
                step_text(rs, r["lowest_status"], r["lowest_date"], rs.level_keys[0], lang) for r in rows
            ],
            label("zoning.move_up", lang): [up_text(rs, r, lang) for r in rows],
            label("zoning.population", lang): [population_text(r, lang) for r in rows],
        },
        columns=None,
    )


def population_text(row: Mapping[str, Any], lang: str) -> str:
    """``"1,859,400 (census)"`` or ``"472,817 (estimate)"``, and "sensitive to population" when so."""
    key = "zoning.population_estimate" if bool(row.get("population_is_estimate")) else "zoning.population_census"
    text = label(key, lang, population=fmt.count(row.get("population"), lang))
    if bool(row.get("population_sensitive")):
        text = label("zoning.population_sensitive_cell", lang, text=text)
    return text


def can_change(zoning: ZoningBriefing) -> list[dict[str, Any]]:
    """The counties that can step down at the next evaluation if no new case is reported, by code."""
    return _can_change(zoning, county_rows(zoning))


def _can_change(zoning: ZoningBriefing, rows: pd.DataFrame) -> list[dict[str, Any]]:
    """:func:`can_change` from the :func:`county_rows` of ``zoning``."""
    nxt = zoning.outlook.outlook.dates[0] if len(zoning.outlook.outlook.dates) else None
    if nxt is None:
        return []
    hit = (rows["step_down_status"] == "steps_down") & (rows["step_down_date"] == nxt)
    hit = rows.loc[hit, ["region_code", "name_zh", "name_en", "level", "step_down_level"]]  # the columns read
    return [
        {
            "region_code": str(r["region_code"]),
            "name_zh": None if fmt.is_missing(r["name_zh"]) else str(r["name_zh"]),
            "name_en": None if fmt.is_missing(r["name_en"]) else str(r["name_en"]),
            "level": str(r["level"]),
            "to_level": str(r["step_down_level"]),
        }
        for r in hit.sort_values("region_code").to_dict("records")
    ]


def next_table(zoning: ZoningBriefing, lang: str) -> pd.DataFrame:
    """The counties that can change at the next evaluation if no new case is reported, in ``lang``:
    county, now, then, and why."""
    rs = zoning.ruleset
    table = county_rows(zoning)
    items = _can_change(zoning, table)
    codes = {c["region_code"] for c in items}
    rows = {r["region_code"]: r for r in table[table["region_code"].isin(codes)].to_dict("records")}
    return pd.DataFrame(
        {
            label("zoning.county", lang): [county_name(c, lang) for c in items],
            label("zoning.to", lang): [getattr(rs.level(c["level"]), f"label_{lang}") for c in items],
            label("zoning.next_level", lang): [getattr(rs.level(c["to_level"]), f"label_{lang}") for c in items],
            label("zoning.reason", lang): [why_text(rs, rows[c["region_code"]], lang) for c in items],
        }
    )


def changes_text(zoning: ZoningBriefing, lang: str) -> str | None:
    """``"Yiwu, Cixi and Dongyang can turn green; Yinzhou can turn yellow"`` (groups of more than
    :data:`MAX_NAMED` counties are counted, not named); ``None`` when no county can change."""
    return _changes_text(zoning, can_change(zoning), lang)


def _changes_text(zoning: ZoningBriefing, items: list[dict[str, Any]], lang: str) -> str | None:
    """:func:`changes_text` from the :func:`can_change` of ``zoning``."""
    if not items:
        return None
    rs = zoning.ruleset
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        groups.setdefault(item["to_level"], []).append(item)
    parts = []
    for key in sorted(groups, key=rs.level_keys.index):
        group = groups[key]
        names = [county_name(c, lang) for c in group]
        if lang == "zh":
            names = [short_name_zh(n) for n in names]
        who = fmt.join(names, lang) if len(group) <= MAX_NAMED else label("zoning.n_counties", lang, n=len(group))
        parts.append(label("zoning.can_turn", lang, names=who, level=rs.level(key).name(lang)))
    return functools.reduce(
        lambda first, second: label("zoning.can_turn_pair", lang, first=first, second=second), parts
    )


def next_sentence(zoning: ZoningBriefing, lang: str) -> str:
    """One sentence over the next-evaluation table."""
    dates = zoning.outlook.outlook.dates
    if not len(dates):
        return label("zoning.no_next_evaluation", lang)
    date = fmt.date(dates[0], lang)
    text = changes_text(zoning, lang)
    if text is None:
        return label("zoning.next_none", lang, date=date)
    return label("zoning.next_some", lang, date=date, changes=text)


def population_note(zoning: ZoningBriefing, lang: str) -> str:
    """How many county populations are estimates, and which counties are sensitive to them."""
    rows = county_rows(zoning)
    flagged = np.array([bool(s) for s in rows["population_sensitive"]], dtype=bool)
    read = [c for c in ("region_code", f"name_{lang}") if c in rows]  # the columns county_name reads
    sensitive = [county_name(r, lang) for r in rows.loc[flagged, read].to_dict("records")]
    return label(
        "zoning.population_note",
        lang,
        estimated=fmt.count(int(rows["population_is_estimate"].fillna(True).sum()), lang),
        total=fmt.count(len(rows), lang),
        share=fmt.percent(POPULATION_SHARE, lang, decimals=0),
        sensitive=fmt.join(sensitive, lang) if sensitive else label("zoning.none", lang),
    )


# ---------------------------------------------------------------------------------- map, chart


def tooltips(zoning: ZoningBriefing, lang: str) -> dict[str, str]:
    """County code -> the text shown when pointing at the county in the SVG map: the reason, the next
    step if no new case, what would move it up, and the population flags."""
    rs = zoning.ruleset
    out = {}
    for r in county_rows(zoning).to_dict("records"):
        lines = [
            reason(zoning, r, lang),
            label(
                "zoning.tooltip_outlook",
                lang,
                step=step_text(rs, r["step_down_status"], r["step_down_date"], r["step_down_level"], lang),
                up=up_text(rs, r, lang),
            ),
            population_text(r, lang),
        ]
        out[str(r["region_code"])] = "\n".join(lines)
    return out


def chart_counts(zoning: ZoningBriefing) -> pd.DataFrame:
    """The projected counts per level on the next evaluations, up to the first one after which they
    no longer change (at least one)."""
    counts = zoning.outlook.outlook.counts.reset_index(drop=True)
    values = counts.drop(columns="date")
    for i in range(1, len(counts)):
        if values.iloc[i:].eq(values.iloc[i - 1]).all(axis=None):
            return counts.iloc[:i].copy()
    return counts


def outlook_figure(
    zoning: ZoningBriefing, lang: str = "en", source: str | None = None, synthetic: bool = False, **_chart: Any
) -> Figure:
    """Counties expected at each level on each of the next evaluations if no new case is reported
    (:func:`epianalysis.topics.zoning.charts.zoning_trend` on :func:`chart_counts`), titled by the
    finding "All 90 counties can be green by 27 Feb if no new case is reported" when they all can."""
    counts = chart_counts(zoning)
    rs = zoning.ruleset
    lowest = rs.level_keys[0]
    total = int(counts.drop(columns="date").iloc[-1].sum())
    neutral = label("zoning.outlook_title", lang)
    subtitle = label("separator", lang).join([neutral, data_date_subtitle(zoning.as_of, lang)])
    if int(counts[lowest].iloc[-1]) == total and total > 0:
        title = label(
            "zoning.outlook_finding",
            lang,
            total=fmt.count(total, lang),
            level=rs.levels[0].name(lang),
            date=fmt.date(counts["date"].iloc[-1], lang, "day_month"),
        )
    else:
        title, subtitle = neutral, data_date_subtitle(zoning.as_of, lang)
    levels = [
        {"key": lv.key, "colour": lv.colour, "label_en": lv.label_en, "label_zh": lv.label_zh}
        for lv in (*reversed(rs.levels), rs.unknown)
    ]  # as the map's levels (view.map_levels)
    return zoning_trend(counts, levels, lang, title=title, subtitle=subtitle, source=source, synthetic=synthetic)


# ----------------------------------------------------------------------------------- summary


def _iso(value: object) -> str | None:
    return None if value is None or fmt.is_missing(value) else pd.Timestamp(value).date().isoformat()


def summary_part(zoning: ZoningBriefing) -> dict[str, Any]:
    """The ``outlook`` key of the ``zoning`` section of ``summary.json`` (summary.schema.json)."""
    dates = zoning.outlook.outlook.dates
    rows = county_rows(zoning)
    items = _can_change(zoning, rows)
    table = _data_table(zoning, rows)
    counties_out = []
    for r in table.to_dict("records"):
        counties_out.append(
            {
                "region_code": str(r["region_code"]),
                "name_zh": None if fmt.is_missing(r["name_zh"]) else str(r["name_zh"]),
                "name_en": None if fmt.is_missing(r["name_en"]) else str(r["name_en"]),
                "level": str(r["level"]),
                "rule": str(r["rule"]),
                "reason_en": r["reason_en"],
                "reason_zh": r["reason_zh"],
                "step_down_status": str(r["step_down_status"]),
                "step_down_date": _iso(r["step_down_date"]),
                "step_down_level": None if fmt.is_missing(r["step_down_level"]) else str(r["step_down_level"]),
                "lowest_status": str(r["lowest_status"]),
                "lowest_date": _iso(r["lowest_date"]),
                "up_status": str(r["up_status"]),
                "up_cases": None if fmt.is_missing(r["up_cases"]) else int(r["up_cases"]),
                "up_level": None if fmt.is_missing(r["up_level"]) else str(r["up_level"]),
                "population_estimated": bool(r["population_is_estimate"]),
                "population_sensitive": bool(r["population_sensitive"]),
            }
        )
    return {
        "next_evaluation_date": _iso(dates[0]) if len(dates) else None,
        "if_no_new_case": True,
        "can_change": items,
        "can_change_count": len(items),
        "can_change_text_en": _changes_text(zoning, items, "en"),
        "can_change_text_zh": _changes_text(zoning, items, "zh"),
        "population_sensitive": [c["region_code"] for c in counties_out if c["population_sensitive"]],
        "population_estimated_count": sum(c["population_estimated"] for c in counties_out),
        "counties": counties_out,
    }
