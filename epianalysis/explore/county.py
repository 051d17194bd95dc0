"""One county's whole story: cases and incidence, zoning history, health codes, control index and
the capacity recovery of its firms, as known on a data date (``notebooks/explore/county.ipynb``).

Computes nothing new: it selects one county from the metric functions' outputs
(:mod:`epianalysis.topics.recovery.metrics`, :mod:`epianalysis.rulesets`,
:mod:`epianalysis.topics.health_codes.metrics`, :mod:`epianalysis.topics.control_index.metrics`,
:mod:`epianalysis.topics.capacity.metrics`). Incidence = new cases over the last 7 days (D−6..D) per
100 000 residents (docs/methods.md#rates-per-100-000).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from epianalysis.errors import DataError, Violation
from epianalysis.rulesets import evaluate
from epianalysis.rulesets.evaluate import resolve_ruleset
from epianalysis.text import format as fmt
from epianalysis.text.labels import label
from epianalysis.topics.capacity import metrics as capacity
from epianalysis.topics.control_index import metrics as ci
from epianalysis.topics.recovery import metrics as recovery
from epianalysis.topics.zoning.view import BRIEFING_RULESET

SERIES_START = pd.Timestamp("2020-02-01")


@dataclass(frozen=True)
class CountyStory:
    """Everything the county notebook shows (each frame one row per date up to ``as_of``)."""

    region_code: str
    name_zh: str
    name_en: str
    population: float | None
    as_of: dt.date
    headline: recovery.Headline
    curve: pd.DataFrame  # recovery.epidemic_curve_data
    incidence_7d_per_100k: float | None
    zoning: pd.DataFrame  # date, data_date, level, rule, changed (from the previous evaluation)
    health_codes: pd.DataFrame  # date, green, yellow, red, share_green
    control: pd.DataFrame  # date, control_index, flow_index, combined_index
    indicators: pd.DataFrame  # indicator, group, value on as_of
    capacity: pd.DataFrame  # capacity.recovery of the county's firms (size_group "all")


def county_row(regions: pd.DataFrame, code: str) -> pd.Series:
    """The regions row of county ``code``.

    Raises
    ------
    DataError
        ``code`` is not one of the 90 counties.
    """
    rows = regions[(regions["code"].astype(str) == str(code)) & (regions["level"] == "county")]
    if rows.empty:
        raise DataError(
            f"county story: {code!r} is not a county code",
            [Violation("regions", None, "code", "county_code", str(code))],
        )
    return rows.iloc[0]


def incidence_7d(curve: pd.DataFrame, population: float | None, as_of: dt.date) -> float | None:
    """Σ new cases (local + imported) of D−6..D per 100 000 residents; None without population or
    with a missing day in the window (nothing imputed)."""
    if population is None or pd.isna(population) or population <= 0:
        return None
    day = pd.Timestamp(as_of)
    window = curve[(curve["date"] > day - pd.Timedelta(days=7)) & (curve["date"] <= day)]
    new = window["new_local"].astype("Float64") + window["new_imported"].astype("Float64").fillna(0)
    if len(window) < 7 or new.isna().any():
        return None
    return float(new.sum()) / float(population) * 100_000


def zoning_history(cases: pd.DataFrame, code: str, as_of: dt.date) -> pd.DataFrame:
    """The county's level on every ``zhejiang-2020`` evaluation the data up to ``as_of`` can make (up to
    ``as_of`` plus the rule set's ``data_lag_days``; docs/rulesets.md#the-data-an-evaluation-reads) and
    whether it changed."""
    known = cases[pd.to_datetime(cases["date"]) <= pd.Timestamp(as_of)]
    ruleset = resolve_ruleset(BRIEFING_RULESET)
    levels = evaluate(known, ruleset, end=ruleset.last_evaluation_date(as_of)).levels
    mine = levels[levels["region_code"] == str(code)].sort_values("date")[["date", "data_date", "level", "rule"]]
    mine = mine.reset_index(drop=True)
    mine["previous"] = mine["level"].shift(1)
    mine["changed"] = mine["previous"].notna() & (mine["previous"] != mine["level"])
    return mine


def county_story(
    cases: pd.DataFrame,
    health_codes: pd.DataFrame,
    control: pd.DataFrame,
    flow: pd.DataFrame,
    enterprises: pd.DataFrame,
    enterprise_daily: pd.DataFrame,
    code: str,
    as_of: dt.date,
    regions: pd.DataFrame,
) -> CountyStory:
    """One county's story from the tables as known on ``as_of`` (rows after ``as_of`` are not used)."""
    row = county_row(regions, code)
    code, day = str(code), pd.Timestamp(as_of)
    population = None if pd.isna(row["population"]) else float(row["population"])
    head = recovery.headline(cases, code, day)
    curve = recovery.epidemic_curve_data(cases, code, day)
    hc = health_codes[(health_codes["region_code"] == code) & (pd.to_datetime(health_codes["date"]) <= day)]
    hc = hc[["date", "green", "yellow", "red"]].sort_values("date").reset_index(drop=True)
    holders = hc[["green", "yellow", "red"]].astype("Float64").sum(axis=1)
    hc["share_green"] = hc["green"].astype("Float64") / holders.where(holders > 0)
    ctl = control[(control["region_code"] == code) & (pd.to_datetime(control["date"]) <= day)]
    flw = flow[(flow["region_code"] == code) & (pd.to_datetime(flow["date"]) <= day)]
    registry = ci.load_registry()
    index = ci.combined_index(ctl, flw, registry)
    index = index[["date", "control_index", "flow_index", "combined_index"]].sort_values("date").reset_index(drop=True)
    today = pd.concat(
        [
            ctl[pd.to_datetime(ctl["date"]) == day].drop(columns=["date", "region_code"]),
            flw[pd.to_datetime(flw["date"]) == day].drop(columns=["date", "region_code"]),
        ],
        axis=1,
    )
    indicators = pd.DataFrame(
        {
            "indicator": [i.column for i in registry.indicators],
            "group": [i.group for i in registry.indicators],
            "value": [
                float(today[i.column].iloc[0])
                if len(today) and i.column in today and pd.notna(today[i.column].iloc[0])
                else None
                for i in registry.indicators
            ],
        }
    )
    firms = enterprises[enterprises["region_code"] == code]
    daily = enterprise_daily[
        enterprise_daily["enterprise_id"].isin(firms["enterprise_id"])
        & (pd.to_datetime(enterprise_daily["date"]) <= day)
    ]
    based = capacity.with_baseline(daily)
    cap = capacity.recovery(firms, based[based["date"] >= SERIES_START], by="county", regions=regions)
    cap = cap.rename(columns={"county": "region_code"}).assign(size_group="all")
    return CountyStory(
        code,
        str(row["name_zh"]),
        str(row["name_en"]),
        population,
        day.date(),
        head,
        curve,
        incidence_7d(curve, population, day.date()),
        zoning_history(cases, code, day.date()),
        hc,
        index,
        indicators,
        cap.reset_index(drop=True),
    )


def open_county_story(b, code: str) -> CountyStory:
    """:func:`county_story` on the tables of briefing ``b`` (``epianalysis.briefing.open_briefing``)."""
    return county_story(
        b.load("cases"),
        b.load("health_codes"),
        b.load("control"),
        b.load("flow"),
        b.load("enterprises"),
        b.load("enterprise_daily"),
        code,
        b.params.as_of,
        b.regions,
    )


def _last(frame: pd.DataFrame, column: str):
    rows = frame[pd.to_datetime(frame["date"]) == frame["date"].max()] if len(frame) else frame
    return None if rows.empty or pd.isna(rows[column].iloc[0]) else rows[column].iloc[0]


def story_table(story: CountyStory, lang: str) -> pd.DataFrame:
    """The county's numbers on the data date as a two-column table in ``lang``."""
    h = story.headline
    changes = story.zoning[story.zoning["changed"]]
    level = _last(story.zoning, "level")
    rows = [
        (label("region", lang), story.name_zh if lang == "zh" else story.name_en),
        (label("recovery.confirmed", lang), fmt.count(h.confirmed, lang)),
        (label("recovery.discharged", lang), fmt.count(h.discharged, lang)),
        (label("recovery.discharge_rate", lang), fmt.percent(h.discharge_rate, lang)),
        (label("recovery.active", lang), fmt.count(h.active, lang)),
        (label("recovery.days_since_last_local_case", lang), fmt.days(h.days_since_last_local_case, lang)),
        (label("explore.county_incidence", lang), fmt.per_100k(story.incidence_7d_per_100k, lang)),
        (label("explore.county_level", lang), fmt.MISSING if level is None else label(f"map_level_{level}", lang)),
        (label("explore.county_level_changes", lang), fmt.count(len(changes), lang)),
        (label("explore.county_share_green", lang), fmt.percent(_last(story.health_codes, "share_green"), lang)),
        (label("control_index.combined", lang), fmt.index(_last(story.control, "combined_index"), lang)),
        (label("capacity.index", lang), fmt.percent_value(_last(story.capacity, "capacity_recovery_index"), lang)),
        (label("data_date", lang), story.as_of.isoformat()),
    ]
    return pd.DataFrame(rows, columns=[label("indicator", lang), label("value", lang)])


def zoning_changes_table(story: CountyStory, lang: str) -> pd.DataFrame:
    """The evaluations on which the county changed colour: the data date each read, before, after, rule."""
    ch = story.zoning[story.zoning["changed"]]
    return pd.DataFrame(
        {
            label("data_date", lang): pd.to_datetime(ch["data_date"]).dt.strftime("%Y-%m-%d").to_numpy(),
            label("zoning.from", lang): [label(f"map_level_{v}", lang) for v in ch["previous"]],
            label("zoning.to", lang): [label(f"map_level_{v}", lang) for v in ch["level"]],
            label("zoning.rule", lang): ch["rule"].to_numpy(),
        }
    )


def indicator_table(story: CountyStory, lang: str) -> pd.DataFrame:
    """The control and flow indicators of the county on the data date (missing shown as "–")."""
    registry = ci.load_registry()
    names = {i.column: (i.name_zh if lang == "zh" else i.name_en) for i in registry.indicators}
    return pd.DataFrame(
        {
            label("indicator", lang): [names[c] for c in story.indicators["indicator"]],
            label("value", lang): [fmt.decimal(v, lang) for v in story.indicators["value"]],
        }
    )


def counties_for_picker(regions: pd.DataFrame, lang: str) -> list[tuple[str, str]]:
    """``(label, code)`` pairs of the 90 counties for a dropdown, by code."""
    rows = regions[regions["level"] == "county"].sort_values("code")
    name = "name_zh" if lang == "zh" else "name_en"
    return [(f"{r[name]} ({r['code']})", str(r["code"])) for _, r in rows.iterrows()]


def story_widget(data_dir: str = "", lang: str = "en", code: str = "330782", date: str = "2020-03-02"):
    """Widgets to pick a county and a press date in JupyterLab; shows :func:`story_table` and the
    zoning changes of the choice (``ipywidgets.interactive``)."""
    import ipywidgets as widgets
    from IPython.display import display

    from epianalysis.briefing.context import open_briefing

    base = open_briefing(None, date, data_dir, "", lang, "")

    def show(county: str, press_date: dt.date) -> None:
        b = open_briefing(None, press_date.isoformat(), data_dir, "", lang, "")
        story = open_county_story(b, county)
        display(story_table(story, lang), zoning_changes_table(story, lang))

    return widgets.interactive(
        show,
        {"manual": True},
        county=widgets.Dropdown(options=counties_for_picker(base.regions, lang), value=code),
        press_date=widgets.DatePicker(value=dt.date.fromisoformat(date)),
    )
