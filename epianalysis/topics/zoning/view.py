"""The county risk map as the briefing shows it: the evaluation in force, counts per colour, changes.

The zoning shown for a press date uses the latest evaluation that the data known up to the data date
``as_of`` can make: on or before ``as_of`` plus the rule set's ``data_lag_days`` (the evaluation of
``E`` reads the data as of ``E − data_lag_days``; docs/rulesets.md#the-data-an-evaluation-reads; for
``zhejiang-2020``: the 3-day schedule from 2020-02-09), computed only from data known up to ``as_of``.
This module picks that evaluation (:func:`zoning_for_briefing`) and presents it: map inputs, tables
labelled in the briefing language, the ``zoning`` section of ``summary.json``. It computes no levels
itself (see :mod:`epianalysis.rulesets`). Texts: ``topics/zoning/labels.toml``. The published counts
(``reference.toml``: all 90 counties low-risk, press conference of 2020-03-02) are shown beside ours
from their press date on (docs/methods.md#published-references).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from epianalysis.charts.maps import choropleth
from epianalysis.charts.style import data_date_subtitle
from epianalysis.charts.tilegrid import tile_map
from epianalysis.errors import NotApplicable
from epianalysis.reference.published import press_date_of, published_by, published_row
from epianalysis.reference.regions import counties as county_table
from epianalysis.rulesets import RuleSet, ZoningResult, evaluate
from epianalysis.rulesets.evaluate import resolve_ruleset
from epianalysis.text import findings
from epianalysis.text import format as fmt
from epianalysis.text.labels import label
from epianalysis.topics.reasons import reason
from epianalysis.topics.zoning import outlook as zoning_outlook
from epianalysis.topics.zoning.charts import zoning_trend
from epianalysis.topics.zoning.reasons import change_sentence, short_name_zh, why_text  # noqa: F401 (re-exported)

BRIEFING_RULESET = "zhejiang-2020"
"""The rule set of the briefing's map (the Zhejiang five-colour map)."""
REFERENCE_FILE = Path(__file__).resolve().parent / "reference.toml"
"""The published counts ``[low_risk]`` (all 90 counties low-risk, press conference of 2020-03-02)."""


@dataclass(frozen=True)
class ZoningBriefing:
    """The evaluation a briefing shows.

    Attributes
    ----------
    ruleset : RuleSet
    result : ZoningResult
        Every evaluation from the first one up to ``evaluation_date`` (data known on ``as_of`` only).
    evaluation_date : Timestamp
        The latest evaluation date on or before ``as_of`` plus the rule set's ``data_lag_days``.
    previous_date : Timestamp or None
        The evaluation before it (``None`` for the first one).
    as_of : date
        The data date of the briefing.
    press_date, reference : date, dict or None
        The press date (default: the day after ``as_of``) and the published counts known on it.
    outlook : ZoningOutlook or None
        The outlook on ``as_of`` and the population check (:mod:`epianalysis.topics.zoning.outlook`).
    """

    ruleset: RuleSet
    result: ZoningResult
    evaluation_date: pd.Timestamp
    previous_date: pd.Timestamp | None
    as_of: dt.date
    press_date: dt.date | None = None
    reference: dict | None = None
    outlook: zoning_outlook.ZoningOutlook | None = None

    @property
    def current(self) -> pd.DataFrame:
        """One row per county: the levels table of :func:`evaluate` on ``evaluation_date``."""
        levels = self.result.levels
        return levels[levels["date"] == self.evaluation_date].reset_index(drop=True)

    @property
    def changes(self) -> pd.DataFrame:
        """The changes of :func:`evaluate` on ``evaluation_date`` (since ``previous_date``)."""
        changes = self.result.changes
        return changes[changes["date"] == self.evaluation_date].reset_index(drop=True)

    @property
    def trend(self) -> pd.DataFrame:
        """Counts per level of every evaluation up to ``evaluation_date`` (``date`` + one column per level)."""
        return self.result.counts.reset_index(drop=True)


def latest_evaluation(dates: pd.DatetimeIndex | pd.Series, as_of: dt.date | str) -> pd.Timestamp:
    """The latest of ``dates`` on or before ``as_of``.

    Raises
    ------
    NotApplicable
        No evaluation on or before ``as_of`` (the message names the first one).
    """
    dates = pd.DatetimeIndex(pd.to_datetime(pd.Series(dates))).sort_values()
    cut = pd.Timestamp(as_of)
    before = dates[dates <= cut]
    if before.empty:
        if not len(dates):
            raise NotApplicable(reason("zoning.na_no_evaluation_at_all", date=cut.date().isoformat()))
        first = dates[0].date().isoformat()
        raise NotApplicable(reason("zoning.na_no_evaluation", date=cut.date().isoformat(), first=first))
    return before[-1]


def zoning_for_briefing(
    cases: pd.DataFrame,
    as_of: dt.date | str,
    ruleset: RuleSet | str = BRIEFING_RULESET,
    regions: list[str] | None = None,
    population: Mapping[str, float] | pd.Series | None = None,
    press_date: dt.date | str | None = None,
    with_outlook: bool = True,
) -> ZoningBriefing:
    """Evaluate ``ruleset`` on the cases known up to ``as_of`` and pick the evaluation in force, the
    latest on or before ``as_of`` plus the rule set's ``data_lag_days`` (with the published counts known
    on ``press_date``, by default the day after ``as_of``).

    Rows dated after ``as_of`` are not used (a briefing never sees the future); a county without
    data up to ``as_of`` is *unknown*, never guessed.

    Raises
    ------
    NotApplicable
        No evaluation that the data up to ``as_of`` can make, or no county rows at all (province or
        city figures only); the runner leaves the briefing out.
    """
    rs = resolve_ruleset(ruleset)
    cut = pd.Timestamp(as_of)
    reach = rs.last_evaluation_date(cut)
    known = cases[pd.to_datetime(cases["date"]) <= cut]
    if known.empty:
        raise NotApplicable(reason("zoning.na_no_cases", date=cut.date().isoformat()))
    counties = regions if regions is not None else list(county_table()["code"].astype(str))
    if not known["region_code"].astype(str).isin(counties).any():
        raise NotApplicable(reason("zoning.na_no_county_rows"))
    result = evaluate(known, rs, end=reach, regions=regions, population=population)
    if result.counts.empty:
        date = reach.date().isoformat()
        if rs.schedule_start:
            found = reason("zoning.na_no_evaluation_of_ruleset", date=date, ruleset=rs.name, first=rs.schedule_start)
        else:
            found = reason("zoning.na_no_evaluation_from_data", date=date, ruleset=rs.name)
        raise NotApplicable(found)
    when = latest_evaluation(result.counts["date"], reach)
    dates = pd.DatetimeIndex(result.counts["date"])
    previous = dates[dates < when]
    press = press_date_of(cut.date(), press_date)
    before = previous[-1] if len(previous) else None
    published = published_by(REFERENCE_FILE, "low_risk", press)
    current = result.levels[result.levels["date"] == when]
    extra = zoning_outlook.compute(known, rs, cut, current, regions, population) if with_outlook else None
    return ZoningBriefing(rs, result, when, before, cut.date(), press, published, extra)


# ------------------------------------------------------------------------------------ map inputs


def map_levels(ruleset: RuleSet | str) -> list[dict[str, str]]:
    """Level specs of a rule set for :func:`epianalysis.charts.maps.choropleth` and friends: highest risk
    first, then the rule set's *unknown* level (labels from the rule-set file)."""
    rs = resolve_ruleset(ruleset)
    return [
        {"key": lv.key, "colour": lv.colour, "label_en": lv.label_en, "label_zh": lv.label_zh}
        for lv in (*reversed(rs.levels), rs.unknown)
    ]


def map_values(zoning: ZoningBriefing) -> pd.DataFrame:
    """``region_code`` and ``level`` of every county on the evaluation date (the map's input)."""
    return zoning.current[["region_code", "level"]].copy()


def change_text(ruleset: RuleSet, before: str, after: str, lang: str) -> str:
    """``"yellow → blue"`` (level keys) or ``"黄→蓝"`` (the levels' short Chinese names)."""
    if lang == "zh":
        return label(
            "map_change", lang, from_level=ruleset.level(before).short_zh, to_level=ruleset.level(after).short_zh
        )
    return label("map_change", lang, from_level=before, to_level=after)


def changed_texts(zoning: ZoningBriefing, lang: str) -> dict[str, str]:
    """County code -> change text for the counties that changed on the evaluation date (map marks)."""
    ch = zoning.changes
    return {
        str(code): change_text(zoning.ruleset, before, after, lang)
        for code, before, after in zip(ch["region_code"], ch["from"], ch["to"], strict=True)
    }


def map_subtitle(zoning: ZoningBriefing, lang: str) -> str:
    """ "Evaluation of 1 Mar 2020 · Data as of 1 Mar 2020, 24:00" in ``lang``."""
    return label("separator", lang).join(
        [
            label("zoning.evaluated", lang, date=fmt.date(zoning.evaluation_date, lang)),
            data_date_subtitle(zoning.as_of, lang),
        ]
    )


def map_title(zoning: ZoningBriefing, lang: str) -> str:
    """The rule set's title in ``lang`` (e.g. "Zhejiang five-colour county risk map (2020)")."""
    return zoning.ruleset.title_zh if lang == "zh" else zoning.ruleset.title_en


def tile_title(zoning: ZoningBriefing, lang: str) -> str:
    """The title of the tile-grid map: the rule set's title, one tile per county."""
    return label("zoning.tile_title", lang, ruleset=map_title(zoning, lang))


# --------------------------------------------------------------------------------------- figures


def figure_titles(zoning: ZoningBriefing, neutral: str, lang: str, title: str | None = None) -> tuple[str, str]:
    """Title and subtitle of a map: the finding "All 90 counties low-risk" when every county is green
    (:func:`epianalysis.text.findings.zoning_all_green`, the paragraph's rule) with ``neutral`` before
    :func:`map_subtitle`; else ``neutral`` (or a ``title`` given) over :func:`map_subtitle`."""
    if title:
        return title, map_subtitle(zoning, lang)
    finding = findings.zoning_all_green({"zoning": {"counts": counts(zoning)}}, lang)
    return findings.headline(finding, neutral, map_subtitle(zoning, lang), lang)


def map_figure(
    zoning: ZoningBriefing, lang: str = "en", source: str | None = None, synthetic: bool = False, **_chart: Any
) -> Figure:
    """The choropleth of the evaluation in force, changed counties marked (:func:`epianalysis.charts.maps.choropleth`).

    Takes the keyword arguments of ``Briefing.chart_kwargs()``; title and subtitle are :func:`figure_titles`.
    """
    title, subtitle = figure_titles(zoning, map_title(zoning, lang), lang, _chart.get("title"))
    return choropleth(
        map_values(zoning),
        map_levels(zoning.ruleset),
        lang,
        title=title,
        subtitle=subtitle,
        source=source,
        synthetic=synthetic,
        changed=changed_texts(zoning, lang),
        tooltips=None if zoning.outlook is None else zoning_outlook.tooltips(zoning, lang),
    )


def tile_figure(
    zoning: ZoningBriefing, lang: str = "en", source: str | None = None, synthetic: bool = False, **_chart: Any
) -> Figure:
    """The same map as one tile per county (:func:`epianalysis.charts.tilegrid.tile_map`)."""
    title, subtitle = figure_titles(zoning, tile_title(zoning, lang), lang, _chart.get("title"))
    return tile_map(
        map_values(zoning),
        map_levels(zoning.ruleset),
        lang,
        title=title,
        subtitle=subtitle,
        source=source,
        synthetic=synthetic,
        changed=changed_texts(zoning, lang),
    )


def trend_figure(
    zoning: ZoningBriefing, lang: str = "en", source: str | None = None, synthetic: bool = False, **_chart: Any
) -> Figure:
    """Counties per level on every evaluation up to the one in force
    (:func:`epianalysis.topics.zoning.charts.zoning_trend`, titled by the finding of the latest one)."""
    return zoning_trend(
        zoning.trend, map_levels(zoning.ruleset), lang, title=_chart.get("title"), source=source, synthetic=synthetic
    )


# -------------------------------------------------------------------------------- counts, tables


def counts(zoning: ZoningBriefing) -> dict[str, int]:
    """Counties per level on the evaluation date, highest risk first, then ``unknown``."""
    row = zoning.result.counts.set_index("date").loc[zoning.evaluation_date]
    keys = [*reversed(zoning.ruleset.level_keys), zoning.ruleset.unknown.key]
    return {key: int(row[key]) for key in keys}


def counts_table(zoning: ZoningBriefing, lang: str) -> pd.DataFrame:
    """Counts per level as a two-column table in ``lang`` (level label, counties), highest risk first."""
    rs = zoning.ruleset
    rows = [(getattr(rs.level(key), f"label_{lang}"), fmt.count(n, lang)) for key, n in counts(zoning).items()]
    if (ref := zoning.reference) is not None:  # the published counts, from their press date on
        rows.append(
            published_row(ref, "zoning", lang, low=fmt.count(ref["low_risk"], lang), n=fmt.count(ref["counties"], lang))
        )
    return pd.DataFrame(rows, columns=[label("zoning.level", lang), label("zoning.counties", lang)])


def changes_table(zoning: ZoningBriefing, lang: str) -> pd.DataFrame:
    """The counties that changed level on the evaluation date, in ``lang``: code, county, before,
    now, the rule that fired and why in words, with the county's values
    (:func:`~epianalysis.topics.zoning.reasons.why_text`); an empty table with the
    same columns when nothing changed. Pages show the words, the CSV keeps both."""
    rs = zoning.ruleset
    changes = zoning.changes
    current = zoning.current
    changed = current["region_code"].astype(str).isin({str(c) for c in changes["region_code"]})
    rows = {str(r["region_code"]): r for r in current[changed].to_dict("records")}  # the changed counties'
    name = "name_zh" if lang == "zh" else "name_en"
    rules = [rows.get(str(c), {}).get("rule", "") for c in changes["region_code"]]
    return pd.DataFrame(
        {
            label("zoning.code", lang): changes["region_code"].to_numpy(dtype=object),
            label("zoning.county", lang): changes[name].fillna(changes["region_code"]).to_numpy(dtype=object),
            label("zoning.from", lang): [getattr(rs.level(k), f"label_{lang}") for k in changes["from"]],
            label("zoning.to", lang): [getattr(rs.level(k), f"label_{lang}") for k in changes["to"]],
            label("zoning.rule", lang): rules,
            label("zoning.reason", lang): [why_text(rs, rows.get(str(c), {}), lang) for c in changes["region_code"]],
        }
    )


def changes_sentence(zoning: ZoningBriefing, lang: str) -> str:
    """One sentence on the changes: how many counties changed since the previous evaluation."""
    if zoning.previous_date is None:
        return label("zoning.first_evaluation", lang)
    date = fmt.date(zoning.previous_date, lang)
    n = len(zoning.changes)
    if n == 0:
        return label("zoning.no_changes", lang, date=date)
    if n == 1:
        return label("zoning.one_change_since", lang, date=date)
    return label("zoning.changes_since", lang, count=fmt.count(n, lang), date=date)


def summary(zoning: ZoningBriefing) -> dict[str, Any]:
    """The ``zoning`` section of ``summary.json`` (plain JSON values).

    Keys: ``ruleset``, ``ruleset_version``, ``data_date`` (the data date it was made for),
    ``evaluation_date``, ``previous_evaluation_date`` (ISO or ``None``), ``counts`` (level -> counties,
    with ``unknown``) and ``changes``: one dict per changed county with ``region_code``, ``name_zh``,
    ``name_en``, ``from``, ``to``, ``text_en``, ``text_zh`` ("Yiwu: yellow → blue", "义乌由黄转蓝"),
    sorted by region code; ``counties``: every county not at the lowest level (unknown included) with
    ``region_code``, ``name_zh``, ``name_en``, ``level``, so that a text can name them; ``outlook``:
    :func:`epianalysis.topics.zoning.outlook.summary_part` (``None`` without an outlook).
    """
    changes = [
        {
            "region_code": str(row["region_code"]),
            "name_zh": _text(row["name_zh"]),
            "name_en": _text(row["name_en"]),
            "from": str(row["from"]),
            "to": str(row["to"]),
            "text_en": change_sentence(zoning.ruleset, row, "en"),
            "text_zh": change_sentence(zoning.ruleset, row, "zh"),
        }
        for _, row in zoning.changes.sort_values("region_code", kind="stable").iterrows()
    ]
    return {
        "ruleset": zoning.ruleset.name,
        "ruleset_version": zoning.ruleset.version,
        "data_date": zoning.as_of.isoformat(),
        "evaluation_date": zoning.evaluation_date.date().isoformat(),
        "previous_evaluation_date": None if zoning.previous_date is None else zoning.previous_date.date().isoformat(),
        "counts": counts(zoning),
        "changes": changes,
        "counties": _not_lowest(zoning),
        "published_reference": None if zoning.reference is None else dict(zoning.reference),
        "outlook": None if zoning.outlook is None else zoning_outlook.summary_part(zoning),
    }


def _not_lowest(zoning: ZoningBriefing) -> list[dict[str, Any]]:
    lowest = zoning.ruleset.levels[0].key
    current = zoning.current.sort_values("region_code", kind="stable")
    current = current.loc[[str(level) != lowest for level in current["level"]]]
    return [
        {
            "region_code": str(row.region_code),
            "name_zh": _text(row.name_zh),
            "name_en": _text(row.name_en),
            "level": str(row.level),
        }
        for row in current.itertuples(index=False)
    ]


def _text(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)
