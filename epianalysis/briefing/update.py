"""Briefing some topics (``brief --only``) into a day that already has a report.

The report is updated, never silently shrunk (docs/output.md#updating-some-topics): the topics asked
for are briefed again, and the report's other topics are kept as they are, but only when its manifest
shows them made from the same inputs as they would be now (code, ``source.toml``, data date, their
notebooks and the rows of their tables). Otherwise the run is refused (:class:`StaleTopics`), since the
report would mix numbers made from different data. The run is made in every language of the report
as well as those asked for, so that each kept page has its topics in the same languages.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from epianalysis import summary
from epianalysis.briefing.manifest import MANIFEST_FILE, day_manifest, read_manifest, same_inputs
from epianalysis.briefing.page import PAGES_DIR
from epianalysis.briefing.params import LANGUAGES, BriefingParams
from epianalysis.briefing.publish import LOCKS_DIR, REPORT_MARKER, WORK_MARKER
from epianalysis.fileio import atomic_write_text
from epianalysis.paths import notebooks_dir
from epianalysis.topics import TOPICS, get_topic


class StaleTopics(OSError):
    """``--only`` would keep topics of an existing report that were made from other inputs."""


@dataclass(frozen=True)
class Plan:
    """How a run treats the existing report: the topics it keeps, the languages it is made in, the
    kept topics' ``not_applicable`` reasons and the existing manifest."""

    kept: list[str] = field(default_factory=list)
    languages: tuple[str, ...] = ()
    not_applicable: dict[str, str] = field(default_factory=dict)
    old: dict[str, Any] | None = None


def report_topics(final: Path, old: dict[str, Any] | None) -> list[str]:
    """The topics a published report holds (briefed or not applicable)."""
    if old is not None:
        return list(old.get("topics", {}))
    existing = summary.read_summary(final)
    names = [topic.name for topic in TOPICS]
    return [name for name in names if name in existing or name in existing.get("not_applicable", {})]


def plan(final: Path, params: BriefingParams, selected: list[str], manifest: dict[str, Any]) -> Plan:
    """What to do with the existing report ``final`` when the topics ``selected`` are briefed.

    Raises
    ------
    StaleTopics
        The report holds other topics, made from inputs that differ from today's (or it has no
        manifest to tell).
    """
    if not final.is_dir():
        return Plan(languages=params.languages)
    old = read_manifest(final)
    kept = [name for name in report_topics(final, old) if name not in selected]
    if not kept:
        return Plan(languages=params.languages, old=old)
    notebooks = {name: notebooks_dir() / get_topic(name).notebook for name in kept}
    current = day_manifest(params.date, params.as_of, (), params.data_dir, notebooks, code=manifest["code"])
    if not same_inputs(old, current, languages=False):
        raise StaleTopics(
            f"{final} also holds {', '.join(kept)}, made from other inputs than today's (data, code or data "
            f"date): briefing only {', '.join(selected)} into it would leave them stale; brief the whole day "
            "(without --only), or choose another reports folder with --out"
        )
    languages = tuple(lang for lang in LANGUAGES if lang in params.languages or lang in old.get("languages", []))
    reasons = summary.read_summary(final).get("not_applicable", {})
    return Plan(kept, languages, {name: why for name, why in reasons.items() if name in kept}, old)


def copy_kept(final: Path, work: Path, rerun: list[str]) -> None:
    """Copy the published report into the work folder, without what the topics ``rerun`` made
    (notebooks, page records and pages, summary sections) nor the markers and manifest."""
    skip = {REPORT_MARKER, WORK_MARKER, MANIFEST_FILE, LOCKS_DIR}
    shutil.copytree(final, work, dirs_exist_ok=True, ignore=lambda _, names: [n for n in names if n in skip])
    for name in rerun:
        (work / "notebooks" / f"{name}.ipynb").unlink(missing_ok=True)
        for lang in LANGUAGES:
            (work / lang / PAGES_DIR / f"{name}.json").unlink(missing_ok=True)
            (work / lang / f"{name}.html").unlink(missing_ok=True)
    existing = summary.read_summary(work)
    for name in rerun:
        existing.pop(name, None)
        existing.get("not_applicable", {}).pop(name, None)
    text = json.dumps(existing, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    atomic_write_text(work / summary.SUMMARY_FILE, text)


def merged_manifest(plan: Plan, manifest: dict[str, Any], languages: list[str]) -> dict[str, Any]:
    """The manifest of the published report: this run's topics, and the kept ones as recorded before."""
    merged = {**manifest, "languages": list(languages)}
    if plan.kept and plan.old is not None:
        merged["topics"] = {**{name: plan.old["topics"][name] for name in plan.kept}, **manifest["topics"]}
    return merged
