"""The index pages of the reports, rendered with the page templates (:mod:`epianalysis.briefing.render`):
``reports/<date>/index.html`` links the day's pages in both languages side by side with their charts
and tables, and the files for programs; ``reports/index.html`` lists the days with their headline
numbers.

Numbers and dates are written by :mod:`epianalysis.text.format`, the same text as in the tables,
charts and paragraph.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from epianalysis.briefing.page import records
from epianalysis.briefing.render import (
    HTML_LANG,
    banners,
    page_order,
    read_summary,
    render,
    source_line,
    texts,
    topic_title,
)
from epianalysis.fileio import atomic_write_text
from epianalysis.text import format as fmt
from epianalysis.text.labels import LANGUAGES, label
from epianalysis.topics.reasons import reason_text

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _language(report_dir: Path, lang: str, summary: dict[str, Any], date: str) -> dict[str, Any]:
    """What the day index shows of one language: its pages, charts and tables."""
    t = texts(lang)
    folder = report_dir / lang
    recorded = records(folder)
    pages, charts, tables = [], [], []
    for topic in page_order(recorded):
        if not (folder / f"{topic}.html").is_file():
            continue
        record = recorded[topic]
        pages.append({"href": f"{lang}/{topic}.html", "title": record.title})
        for block in record.blocks:
            where = " · ".join(p for p in (record.title, block.get("section", "")) if p)
            if block["kind"] == "figure" and (folder / block["src"]).is_file():
                files = [{"label": f["label"], "href": f"{lang}/{f['href']}"} for f in block["files"]]
                charts.append({"title": where, "message": block["title"], "files": files})
            elif block["kind"] == "table" and block.get("csv"):
                tables.append({"title": where, "href": f"{lang}/{block['csv']}"})
    return {
        "code": lang,
        "html_lang": HTML_LANG[lang],
        "name": t("language_name"),
        "site": t("site"),
        "title": t("day_title", date=fmt.date(date, lang)),
        "data_as_of": fmt.data_as_of(summary["data_as_of"], lang) if summary.get("data_as_of") else "",
        "reports_index_link": t("reports_index_link"),
        "source_line": source_line(summary, lang),
        "t": t,
        "pages": pages,
        "charts": charts,
        "tables": tables,
    }


def _files(report_dir: Path) -> list[dict[str, Any]]:
    groups = [
        ("summary_json", [p for p in (report_dir / "summary.json", report_dir / "summary.schema.json") if p.exists()]),
        ("paragraph_files", sorted(report_dir.glob("paragraph_*.txt"))),
        ("data_tables", sorted((report_dir / "data").glob("*.csv"))),
        ("notebooks", sorted((report_dir / "notebooks").glob("*.ipynb"))),
    ]
    return [
        {"key": key, "files": [p.relative_to(report_dir).as_posix() for p in paths]} for key, paths in groups if paths
    ]


def day_index(report_dir: Path, date: str) -> Path:
    """Write ``report_dir/index.html``: the day's pages, charts and tables in each language side by
    side, the topics that did not apply with the reason in each language
    (:func:`epianalysis.topics.reasons.reason_text`), and the files for programs (summary, data, notebooks)."""
    report_dir = Path(report_dir)
    summary = read_summary(report_dir)
    languages = [_language(report_dir, lang, summary, date) for lang in LANGUAGES]
    not_applicable = [
        {
            lang: label(
                "briefing.not_applicable_item", lang, topic=topic_title(topic, lang), reason=reason_text(why, lang)
            )
            for lang in LANGUAGES
        }
        for topic, why in summary.get("not_applicable", {}).items()
    ]
    html = render(
        "day_index.html.j2",
        html_lang="en",
        head_title=" · ".join(lang["title"] for lang in languages),
        banners=banners(summary, LANGUAGES),
        reports_index=True,
        languages=languages,
        not_applicable=not_applicable,
        files=_files(report_dir),
    )
    return atomic_write_text(report_dir / "index.html", html)


def _both(key: str, **values: Any) -> list[dict[str, str]]:
    return [{"html_lang": HTML_LANG[lang], "text": label(key, lang, **values)} for lang in LANGUAGES]


def _first_page(day: Path, lang: str) -> str | None:
    for topic in page_order(records(day / lang)):
        if (day / lang / f"{topic}.html").is_file():
            return f"{day.name}/{lang}/{topic}.html"
    return None


def reports_index(reports: Path) -> Path:
    """Write ``reports/index.html`` listing every day folder (newest first) with its headline numbers and
    links to its front page in each language."""
    reports = Path(reports)
    days = []
    synthetic = False
    for day in sorted((p for p in reports.iterdir() if p.is_dir() and _DAY.match(p.name)), reverse=True):
        summary = read_summary(day)
        synthetic = synthetic or bool(summary.get("synthetic"))
        recovery = summary.get("recovery", {})
        data = (
            _both("synthetic") if summary.get("synthetic") else [{"html_lang": "en", "text": summary.get("source", "")}]
        )
        pages = []
        for lang in LANGUAGES:
            href = _first_page(day, lang)
            if href:
                pages.append(
                    {"href": href, "html_lang": HTML_LANG[lang], "text": label("briefing.language_name", lang)}
                )
        days.append(
            {
                "href": f"{day.name}/index.html",
                "date": day.name,
                "data_as_of": summary.get("data_as_of", fmt.MISSING),
                "confirmed": fmt.count(recovery.get("confirmed"), "en"),
                "discharge_rate": fmt.percent(recovery.get("discharge_rate"), "en"),
                "data": data,
                "pages": pages,
            }
        )
    columns = [
        {"texts": _both(f"briefing.col_{key}"), "numeric": key in ("confirmed", "discharge_rate")}
        for key in ("press_date", "data_as_of", "confirmed", "discharge_rate", "data", "pages")
    ]
    html = render(
        "reports_index.html.j2",
        html_lang="en",
        head_title=" · ".join(texts(lang)("reports_title") for lang in LANGUAGES),
        banners=banners({"synthetic": synthetic}, LANGUAGES),
        languages=[
            {"html_lang": HTML_LANG[lang], "site": texts(lang)("site"), "title": texts(lang)("reports_title")}
            for lang in LANGUAGES
        ],
        columns=columns,
        days=days,
    )
    return atomic_write_text(reports / "index.html", html)
