"""The front page of the daily briefing: headline KPIs with their day-on-day change
(:mod:`epianalysis.topics.front_page.kpis`), and the summary sections of the topic briefings
gathered for the generated paragraph.

The sections of the other topics (:data:`SECTIONS`: ``recovery``, ``zoning``, ``control_index``,
``capacity``, ``health_codes``) are read from ``out_dir/summary.json`` when the topic notebooks wrote
them for the same data date; otherwise (interactive use, nbval, ``--only front_page``) they are
computed here by calling the topics' own ``summary`` functions. The front page's own section holds the
KPIs, where each section came from and the paragraph (``topics/front_page/summary.schema.json``).
Texts: ``topics/front_page/labels.toml``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from epianalysis import summary
from epianalysis.fileio import atomic_write_text
from epianalysis.summary import SUMMARY_FILE
from epianalysis.text import format as fmt
from epianalysis.text.labels import label
from epianalysis.topics import get_topic
from epianalysis.topics.capacity import view as cap_brief
from epianalysis.topics.control_index import view as ci_brief
from epianalysis.topics.front_page import results as front_results
from epianalysis.topics.front_page.kpis import Kpi, headline_pair, kpi_summary, kpis
from epianalysis.topics.health_codes import view as hc_brief
from epianalysis.topics.recovery import view as recovery_view
from epianalysis.topics.recovery.metrics import Headline
from epianalysis.topics.zoning import view as zoning_brief

if TYPE_CHECKING:  # pragma: no cover
    from epianalysis.briefing.context import Briefing

SECTIONS: tuple[str, ...] = ("recovery", "zoning", "control_index", "capacity", "health_codes")
"""The sections of the other topics the front page reads (and computes itself when they are absent)."""


# ----------------------------------------------------------------------------- the front page


@dataclass(frozen=True)
class FrontPage:
    """What the front page shows for one data date (views of the topic briefings plus KPIs); the view of
    a topic that does not apply (``not_applicable``) is ``None`` and its cards, charts and sentences
    are left out."""

    as_of: dt.date
    headline: Headline
    previous: Headline | None
    zoning: zoning_brief.ZoningBriefing | None
    control_index: ci_brief.ControlIndexBriefing | None
    capacity: cap_brief.CapacityBriefing | None
    kpis: list[Kpi] = field(default_factory=list)
    not_applicable: frozenset[str] = frozenset()

    def applies(self, topic: str) -> bool:
        """Whether the front page shows the cards, charts and sentences of ``topic``."""
        return topic not in self.not_applicable


def front_page(
    cases: pd.DataFrame,
    control: pd.DataFrame,
    flow: pd.DataFrame,
    enterprises: pd.DataFrame,
    enterprise_daily: pd.DataFrame,
    as_of: dt.date,
    regions: pd.DataFrame | None = None,
    press_date: dt.date | None = None,
) -> FrontPage:
    """Compute everything the front page shows from the tables as known on ``as_of``, for the briefing
    of ``press_date`` (default: the day after ``as_of``), which decides the published figures shown."""
    today, before = headline_pair(cases, as_of)
    zb = zoning_brief.zoning_for_briefing(cases, as_of, press_date=press_date)
    ix = ci_brief.control_index_briefing(control, flow, as_of, regions, press_date=press_date)
    cap = cap_brief.capacity_briefing(enterprises, enterprise_daily, as_of, regions, press_date=press_date)
    items = kpis(today, before, ix.province, cap.size_groups, as_of)
    return FrontPage(as_of, today, before, zb, ix, cap, items)


def ruled_out(b: Briefing) -> frozenset[str]:
    """The topics of :data:`SECTIONS` that do not apply to briefing ``b`` as the registry tells (their
    tables absent from the data folder, or the date before their first, docs/topics.md#the-registry)."""
    tables = b.data.tables(as_of=b.params.as_of)
    return frozenset(name for name in SECTIONS if get_topic(name).not_applicable(b.params.as_of, tables))


def open_front_page(b: Briefing) -> FrontPage:
    """What :func:`front_page` computes, for briefing ``b``: from the results the topic notebooks of its
    run kept, or computed once here when it runs alone (:func:`epianalysis.topics.front_page.results.topic_results`);
    the results of the topics that do not apply (:func:`ruled_out`, or found so when computed) are left out."""
    found, declined = front_results.topic_results(b, ruled_out(b))
    skipped = ruled_out(b) | declined
    today, before = found["headline_pair"]
    ix, cap = found["control_index"], found["capacity"]
    province = None if ix is None else ix.province
    items = kpis(today, before, province, None if cap is None else cap.size_groups, b.params.as_of)
    return FrontPage(b.params.as_of, today, before, found["zoning"], ix, cap, items, skipped)


def _usable(section: Any, as_of: dt.date) -> bool:
    """A section written for this data date."""
    return isinstance(section, Mapping) and section.get("data_date") == as_of.isoformat()


@dataclass(frozen=True)
class Gathered:
    """The summary sections the paragraph is made from, and where each came from."""

    summary: dict[str, Any]
    origin: dict[str, str]  # section -> "summary.json" or "computed"


NOT_APPLICABLE = "not_applicable"
"""The origin of a section whose topic does not apply to the date (the section is left out)."""


def gather(
    existing: Mapping[str, Any],
    as_of: dt.date,
    compute: Mapping[str, Callable[[], Any]],
    not_applicable: Collection[str] = (),
) -> Gathered:
    """Take each of :data:`SECTIONS` from ``existing`` (``summary.json``) when it was written for
    ``as_of``, else call ``compute[section]()``; the sections of ``not_applicable`` are left out.

    Parameters
    ----------
    existing : mapping
        The summary written so far (:func:`epianalysis.summary.read_summary`).
    compute : mapping of section -> callable
        How to make a section that is absent (the topic's ``summary`` function).
    not_applicable : collection of str
        Topics that do not apply to the date (the registry's word, docs/topics.md#the-registry).
    """
    summary = dict(existing)
    origin: dict[str, str] = {}
    for name in SECTIONS:
        if name in not_applicable:
            summary.pop(name, None)
            origin[name] = NOT_APPLICABLE
        elif _usable(existing.get(name), as_of):
            origin[name] = SUMMARY_FILE
        else:
            summary[name] = compute[name]()
            origin[name] = "computed"
    return Gathered(summary, origin)


def gather_for(b: Briefing, page: FrontPage) -> Gathered:
    """:func:`gather` for briefing ``b``: its ``summary.json``, else the topic ``summary`` functions
    (health codes are aggregated from the log only when their section is absent)."""
    press = b.params.date
    compute: dict[str, Callable[[], Any]] = {
        "recovery": lambda: recovery_view.summary(page.headline, page.as_of, press),
        "zoning": lambda: zoning_brief.summary(page.zoning),
        "control_index": lambda: ci_brief.summary(page.control_index),
        "capacity": lambda: cap_brief.summary(page.capacity),
        "health_codes": lambda: hc_brief.summary(hc_brief.health_code_briefing(b.data, b.params.as_of, press)),
    }
    gathered = gather(summary.read_summary(b.params.out_dir), b.params.as_of, compute, page.not_applicable)
    return Gathered({**gathered.summary, **b.summary_base()}, gathered.origin)


_ORIGIN_LABELS = {SUMMARY_FILE: "front_page.origin_file", NOT_APPLICABLE: "front_page.origin_not_applicable"}


def origin_table(gathered: Gathered, lang: str) -> pd.DataFrame:
    """Where each section of the paragraph came from, in ``lang``."""
    return pd.DataFrame(
        {
            label("front_page.section", lang): [label(f"front_page.section_{n}", lang) for n in SECTIONS],
            label("front_page.origin", lang): [
                label(_ORIGIN_LABELS.get(gathered.origin[n], "front_page.origin_computed"), lang) for n in SECTIONS
            ],
        }
    )


def section(page: FrontPage, gathered: Gathered, paragraphs: Mapping[str, str]) -> dict[str, Any]:
    """The ``front_page`` section of ``summary.json``: KPIs, where each section came from, the paragraph."""
    return {
        "data_date": page.as_of.isoformat(),
        "kpis": kpi_summary(page.kpis),
        "sections": dict(gathered.origin),
        "paragraph": dict(paragraphs),
    }


def store_summary(b: Briefing, gathered: Gathered, page: FrontPage, paragraphs: Mapping[str, str]) -> dict[str, Any]:
    """Write what the front page computed into ``summary.json``: the sections that were absent and its
    own section (:func:`section`). Returns the summary."""
    for name in SECTIONS:
        if gathered.origin[name] not in (SUMMARY_FILE, NOT_APPLICABLE):
            b.update_summary(gathered.summary[name], section=name)
    return b.update_summary(section(page, gathered, paragraphs), section="front_page")


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


def capacity_target(page: FrontPage) -> Mapping[str, Any] | None:
    """The capacity target the capacity card names, ``None`` when capacity does not apply."""
    return None if page.capacity is None else page.capacity.target


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
        value=fmt.percent_value(value, lang),
        target=fmt.percent_value(target["target"], lang, decimals=0),
        date=fmt.date(target["target_date"], lang, "day_month"),
        at_target=fmt.percent_value(target.get("value"), lang),
    )


def change_note(page: FrontPage, lang: str) -> str:
    """The note under the KPI cards: what the changes are measured against."""
    return label("front_page.kpi_change_note", lang, date=fmt.date(page.as_of - dt.timedelta(days=1), lang))
