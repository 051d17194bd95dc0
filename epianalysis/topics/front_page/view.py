"""The front page of the daily briefing: headline KPIs with their day-on-day change, and the summary
sections of the topic briefings gathered for the generated paragraph.

KPI changes are computed from the data, not from two summary files: each KPI is evaluated on the
data date ``as_of`` and on ``as_of − 1`` from the same tables (the data as known on ``as_of``, so a
revision of yesterday's count is already in yesterday's value). Change = value(as_of) − value(as_of − 1);
for a rate (a fraction) it is given in percentage points, 100 × (r(as_of) − r(as_of − 1)).

Sections (``zoning``, ``control_index``, ``capacity``, ``health_codes`` and the headline numbers at
the top level) are read from ``out_dir/summary.json`` when the topic notebooks wrote them for the same
data date; otherwise (interactive use, nbval, ``--only front_page``) they are computed here by
calling the topic modules' own ``summary`` functions. Texts: ``labels_front_page.toml``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from epianalysis.fileio import atomic_write_text
from epianalysis.reference.regions import PROVINCE_CODE
from epianalysis.text.labels import format_date, format_percent, label
from epianalysis.topics.capacity import view as cap_brief
from epianalysis.topics.control_index import view as ci_brief
from epianalysis.topics.health_codes import view as hc_brief
from epianalysis.topics.recovery.metrics import Headline, headline
from epianalysis.topics.recovery.view import format_count
from epianalysis.topics.zoning import view as zoning_brief

if TYPE_CHECKING:  # pragma: no cover
    from epianalysis.briefing.context import Briefing

SUMMARY_FILE = "summary.json"
SECTIONS: tuple[str, ...] = ("zoning", "control_index", "capacity", "health_codes")
"""Summary sections of the topic briefings, as written by their notebooks."""
HEADLINE_KEYS: tuple[str, ...] = ("confirmed", "discharged", "deaths", "active", "discharge_rate")
"""Top-level summary keys written by the recovery briefing (present means: headline written)."""
CAPACITY_GROUP = "above_scale"


@dataclass(frozen=True)
class KpiSpec:
    """One KPI card: its ``key`` (label key ``kpi_<key>``), ``kind`` (how values and changes are
    written: ``count``, ``rate`` (fraction), ``percent`` (already in %), ``index``, ``days``) and
    ``better`` (``up``/``down``: which direction of change is good news)."""

    key: str
    kind: str
    better: str


KPI_SPECS: tuple[KpiSpec, ...] = (
    KpiSpec("confirmed", "count", "down"),
    KpiSpec("discharged", "count", "up"),
    KpiSpec("discharge_rate", "rate", "up"),
    KpiSpec("active", "count", "down"),
    KpiSpec("deaths", "count", "down"),
    KpiSpec("days_since_last_local_case", "days", "up"),
    KpiSpec("control_index", "index", "up"),
    KpiSpec("capacity_recovery", "percent", "up"),
)
"""The eight KPIs of the front page, in card order."""


@dataclass(frozen=True)
class Kpi:
    """A KPI on the data date and the day before; ``change`` is ``value − previous`` (``None`` when
    either is missing; in percentage points for ``rate``)."""

    key: str
    kind: str
    better: str
    value: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        return kpi_change(self.value, self.previous, self.kind)

    @property
    def tone(self) -> str:
        """``good``, ``bad`` or ``neutral`` (no change, or unknown)."""
        change = self.change
        if change is None or round(change, _DECIMALS[self.kind]) == 0:
            return "neutral"
        return "good" if (change > 0) == (self.better == "up") else "bad"


_DECIMALS = {"count": 0, "days": 0, "rate": 1, "percent": 1, "index": 2}
MINUS = "\N{MINUS SIGN}"


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def kpi_change(value: float | None, previous: float | None, kind: str) -> float | None:
    """``value − previous``; for ``kind="rate"`` (fractions) in percentage points: 100 × (value − previous).

    ``None`` when either value is missing (nothing is assumed for a missing day).

    Examples
    --------
    >>> kpi_change(1205, 1169, "count")
    36.0
    >>> round(kpi_change(0.8714, 0.8600, "rate"), 2)
    1.14
    """
    value, previous = _num(value), _num(previous)
    if value is None or previous is None:
        return None
    diff = value - previous
    return diff * 100 if kind == "rate" else diff


def _signed(number: float, decimals: int) -> str:
    text = f"{abs(number):,.{decimals}f}"
    if float(text.replace(",", "")) == 0:
        return f"±{text}"
    return f"+{text}" if number > 0 else f"{MINUS}{text}"


def format_change(change: float | None, kind: str, lang: str) -> str:
    """A change as printed on a card: ``"+36"``, ``"−2"``, ``"±0"``, ``"+1.2 pts"`` / ``"+1.2个百分点"``
    (rates and percentages), ``"+1.09"`` / ``"+1.09分"`` (index); ``"–"`` when unknown."""
    if change is None:
        return "–"
    text = _signed(change, _DECIMALS[kind])
    if kind in ("rate", "percent"):
        return label("front_page.kpi_points", lang, value=text)
    if kind == "index":
        return label("front_page.kpi_index_points", lang, value=text)
    if kind == "days":
        return label("front_page.kpi_days_change", lang, value=text)
    return text


def format_value(value: float | None, kind: str, lang: str) -> str:
    """A KPI value: counts with separators, a rate as ``87.1%``, a percentage ``77.4%``, an index
    ``95.68``; ``"–"`` when missing (never 0)."""
    if value is None or pd.isna(value):
        return "–"
    if kind == "rate":
        return format_percent(value, lang)
    if kind == "percent":  # rounded to 2 decimals first, as in the summary sections the paragraph reads
        return label("percent", lang, value=f"{round(float(value), 2):.1f}")
    if kind == "index":
        return f"{round(float(value), 2):.2f}"
    return format_count(value)


# ------------------------------------------------------------------------------------ KPI values


def headline_pair(
    cases: pd.DataFrame, as_of: dt.date, region_code: str = PROVINCE_CODE
) -> tuple[Headline, Headline | None]:
    """The headline numbers on ``as_of`` and on ``as_of − 1``.

    ``before`` is ``None`` (no change is shown) when there is no row for exactly the day before, or
    when either day's numbers come from an older row (``stale_data``): a change across a gap in the
    data is not a change since the previous day.
    """
    today = headline(cases, region_code, pd.Timestamp(as_of))
    try:
        before = headline(cases, region_code, pd.Timestamp(as_of) - pd.Timedelta(days=1))
    except LookupError:
        return today, None
    if "stale_data" in today.flags or "stale_data" in before.flags:
        return today, None
    return today, before


def _on(frame: pd.DataFrame, day: pd.Timestamp, column: str, where: Mapping[str, str] | None = None) -> float | None:
    rows = frame[pd.to_datetime(frame["date"]) == day]
    for key, wanted in (where or {}).items():
        rows = rows[rows[key] == wanted]
    return None if rows.empty else _num(rows[column].iloc[0])


def kpis(
    today: Headline,
    before: Headline | None,
    province_index: pd.DataFrame,
    size_groups: pd.DataFrame,
    as_of: dt.date,
    group: str = CAPACITY_GROUP,
) -> list[Kpi]:
    """The eight KPIs of :data:`KPI_SPECS` on ``as_of`` and ``as_of − 1``.

    Parameters
    ----------
    today, before : Headline
        :func:`epianalysis.topics.recovery.metrics.headline` on ``as_of`` and ``as_of − 1`` (``before`` may be None).
    province_index : DataFrame
        :func:`epianalysis.topics.control_index.metrics.province_average` (``date``, ``simple_mean``); the
        control-index KPI is the simple mean over counties.
    size_groups : DataFrame
        :func:`epianalysis.topics.capacity.metrics.recovery` by ``size_group``; the capacity KPI is the
        ``capacity_recovery_index`` (Σ use / Σ baseline × 100, DESIGN §4.5) of ``group``.
    """
    day = pd.Timestamp(as_of)
    yesterday = day - pd.Timedelta(days=1)
    now, prev = today.to_dict(), (before.to_dict() if before is not None else {})
    values = {spec.key: (now.get(spec.key), prev.get(spec.key)) for spec in KPI_SPECS[:6]}
    values["control_index"] = (_on(province_index, day, "simple_mean"), _on(province_index, yesterday, "simple_mean"))
    values["capacity_recovery"] = (
        _on(size_groups, day, "capacity_recovery_index", {"size_group": group}),
        _on(size_groups, yesterday, "capacity_recovery_index", {"size_group": group}),
    )
    return [Kpi(s.key, s.kind, s.better, _num(values[s.key][0]), _num(values[s.key][1])) for s in KPI_SPECS]


def cards(items: list[Kpi], lang: str, target: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """The KPI cards as :func:`epianalysis.topics.front_page.charts.kpi_cards` draws them: ``key``, ``label``,
    ``value_text``, ``change_text``, ``tone`` and ``detail`` (the capacity card names the target)."""
    rows = []
    for item in items:
        detail = ""
        if item.key == "capacity_recovery" and target and target.get("target") is not None:
            detail = label(
                "front_page.kpi_target_detail",
                lang,
                target=f"{float(target['target']):.0f}%",
                date=format_date(target["target_date"], lang, "day_month"),
            )
        rows.append(
            {
                "key": item.key,
                "label": label(f"front_page.kpi_{item.key}", lang),
                "value_text": format_value(item.value, item.kind, lang),
                "change_text": format_change(item.change, item.kind, lang),
                "tone": item.tone,
                "detail": detail,
            }
        )
    return pd.DataFrame(rows, columns=["key", "label", "value_text", "change_text", "tone", "detail"])


def kpi_table(items: list[Kpi], lang: str) -> pd.DataFrame:
    """The KPIs as a table in ``lang``: indicator, value, the day before, change."""
    return pd.DataFrame(
        {
            label("indicator", lang): [label(f"front_page.kpi_{k.key}", lang) for k in items],
            label("value", lang): [format_value(k.value, k.kind, lang) for k in items],
            label("front_page.kpi_previous", lang): [format_value(k.previous, k.kind, lang) for k in items],
            label("front_page.kpi_change", lang): [format_change(k.change, k.kind, lang) for k in items],
        }
    )


def kpi_summary(items: list[Kpi]) -> dict[str, dict[str, float | None]]:
    """``{key: {value, previous, change}}`` (plain JSON values; rates as fractions, changes of
    rates in percentage points), rounded to 4 decimals."""

    def r(v: float | None) -> float | None:
        return None if v is None else round(v, 4)

    return {k.key: {"value": r(k.value), "previous": r(k.previous), "change": r(k.change)} for k in items}


# ----------------------------------------------------------------------------- the front page


@dataclass(frozen=True)
class FrontPage:
    """What the front page shows for one data date (views of the topic briefings plus KPIs)."""

    as_of: dt.date
    headline: Headline
    previous: Headline | None
    zoning: zoning_brief.ZoningBriefing
    control_index: ci_brief.ControlIndexBriefing
    capacity: cap_brief.CapacityBriefing
    kpis: list[Kpi] = field(default_factory=list)


def front_page(
    cases: pd.DataFrame,
    control: pd.DataFrame,
    flow: pd.DataFrame,
    enterprises: pd.DataFrame,
    enterprise_daily: pd.DataFrame,
    as_of: dt.date,
    regions: pd.DataFrame | None = None,
) -> FrontPage:
    """Compute everything the front page shows from the tables as known on ``as_of``."""
    today, before = headline_pair(cases, as_of)
    zb = zoning_brief.zoning_for_briefing(cases, as_of)
    ix = ci_brief.control_index_briefing(control, flow, as_of, regions)
    cap = cap_brief.capacity_briefing(enterprises, enterprise_daily, as_of, regions)
    items = kpis(today, before, ix.province, cap.size_groups, as_of)
    return FrontPage(as_of, today, before, zb, ix, cap, items)


def open_front_page(b: Briefing) -> FrontPage:
    """:func:`front_page` on the tables of briefing ``b`` as known on its data date."""
    return front_page(
        b.load("cases"),
        b.load("control"),
        b.load("flow"),
        b.load("enterprises"),
        b.load("enterprise_daily"),
        b.params.as_of,
        b.regions,
    )


def read_summary(out_dir: Path | None) -> dict[str, Any]:
    """``out_dir/summary.json`` as written so far by the topic notebooks (empty without one)."""
    if out_dir is None:
        return {}
    path = Path(out_dir) / SUMMARY_FILE
    return json.loads(path.read_text("utf-8")) if path.is_file() else {}


def _usable(section: Any, as_of: dt.date) -> bool:
    """A section written for this data date (sections without ``data_date`` are taken as they are)."""
    return isinstance(section, Mapping) and section.get("data_date", as_of.isoformat()) == as_of.isoformat()


@dataclass(frozen=True)
class Gathered:
    """The summary sections the paragraph is made from, and where each came from."""

    summary: dict[str, Any]
    origin: dict[str, str]  # section -> "summary.json" or "computed"


def gather(existing: Mapping[str, Any], as_of: dt.date, compute: Mapping[str, Callable[[], Any]]) -> Gathered:
    """Take each section from ``existing`` (``summary.json``) when it was written for ``as_of``, else
    call ``compute[section]()``. ``"headline"`` stands for the top-level headline keys.

    Parameters
    ----------
    existing : mapping
        The summary written so far (:func:`read_summary`).
    compute : mapping of section -> callable
        How to make a section that is absent ("headline" returns the dict of top-level keys).
    """
    summary = dict(existing)
    origin: dict[str, str] = {}
    headline_there = all(k in existing for k in HEADLINE_KEYS) and existing.get("data_as_of") == as_of.isoformat()
    if headline_there:
        origin["headline"] = SUMMARY_FILE
    else:
        summary.update(compute["headline"]())
        origin["headline"] = "computed"
    for name in SECTIONS:
        if _usable(existing.get(name), as_of):
            origin[name] = SUMMARY_FILE
        else:
            summary[name] = compute[name]()
            origin[name] = "computed"
    return Gathered(summary, origin)


def gather_for(b: Briefing, page: FrontPage) -> Gathered:
    """:func:`gather` for briefing ``b``: its ``summary.json``, else the topic ``summary`` functions
    (health codes are aggregated from the log only when their section is absent)."""
    compute: dict[str, Callable[[], Any]] = {
        "headline": lambda: {**page.headline.to_dict(), "data_as_of": b.params.as_of.isoformat()},
        "zoning": lambda: zoning_brief.summary(page.zoning),
        "control_index": lambda: ci_brief.summary(page.control_index),
        "capacity": lambda: cap_brief.summary(page.capacity),
        "health_codes": lambda: hc_brief.summary(hc_brief.health_code_briefing(b.data, b.params.as_of)),
    }
    base = {
        "date": b.params.date.isoformat(),
        "data_as_of": b.params.as_of.isoformat(),
        "lang": b.params.lang,
        "source": b.source,
        "synthetic": b.synthetic,
    }
    existing = read_summary(b.params.out_dir)
    gathered = gather({**base, **existing} if existing else {}, b.params.as_of, compute)
    return Gathered({**gathered.summary, **base}, gathered.origin)


def origin_table(gathered: Gathered, lang: str) -> pd.DataFrame:
    """Where each section of the paragraph came from, in ``lang``."""
    names = ["headline", *SECTIONS]
    return pd.DataFrame(
        {
            label("front_page.section", lang): [label(f"front_page.section_{n}", lang) for n in names],
            label("front_page.origin", lang): [
                label(
                    "front_page.origin_file" if gathered.origin[n] == SUMMARY_FILE else "front_page.origin_computed",
                    lang,
                )
                for n in names
            ],
        }
    )


def store_summary(b: Briefing, gathered: Gathered, page: FrontPage, paragraphs: Mapping[str, str]) -> dict[str, Any]:
    """Write what the front page computed into ``summary.json``: sections that were absent, the
    ``front_page`` section (KPIs with changes) and ``paragraph`` ``{en, zh}``. Returns the summary."""
    if gathered.origin["headline"] != SUMMARY_FILE:
        b.update_summary({k: gathered.summary[k] for k in page.headline.to_dict()})
    for name in SECTIONS:
        if gathered.origin[name] != SUMMARY_FILE:
            b.update_summary(gathered.summary[name], section=name)
    b.update_summary(
        {"data_date": page.as_of.isoformat(), "kpis": kpi_summary(page.kpis), "sections": dict(gathered.origin)},
        section="front_page",
    )
    return b.update_summary(dict(paragraphs), section="paragraph")


def save_paragraphs(out_dir: Path | None, paragraphs: Mapping[str, str]) -> list[Path]:
    """Write ``paragraph_<lang>.txt`` (UTF-8, one paragraph, newline-terminated) into ``out_dir``,
    atomically; nothing when ``out_dir`` is None."""
    if out_dir is None:
        return []
    written = []
    for lang, text in sorted(paragraphs.items()):
        path = atomic_write_text(Path(out_dir) / f"paragraph_{lang}.txt", text.rstrip("\n") + "\n")
        written.append(path)
    return written


def paragraphs(summary: Mapping[str, Any]) -> dict[str, str]:
    """The generated press paragraph in both languages (:func:`epianalysis.text.narrative.paragraph`)."""
    from epianalysis.text import narrative

    return {lang: narrative.paragraph(summary, lang) for lang in ("en", "zh")}


def capacity_sentence(page: FrontPage, lang: str) -> str:
    """Capacity recovery of above-scale firms against the target, in one sentence."""
    target = page.capacity.target
    value = next(k.value for k in page.kpis if k.key == "capacity_recovery")
    met = target.get("met")
    key = {True: "front_page.capacity_target_met", False: "front_page.capacity_target_not_met"}.get(
        met, "front_page.capacity_target_unknown"
    )
    return label(
        key,
        lang,
        value=format_value(value, "percent", lang),
        target=f"{float(target['target']):.0f}%",
        date=format_date(target["target_date"], lang, "day_month"),
        at_target=format_value(target.get("value"), "percent", lang),
    )


def change_note(page: FrontPage, lang: str) -> str:
    """The note under the KPI cards: what the changes are measured against."""
    return label("front_page.kpi_change_note", lang, date=format_date(page.as_of - dt.timedelta(days=1), lang))
