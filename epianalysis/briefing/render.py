"""The published pages, rendered with the Jinja2 templates in ``epianalysis/briefing/templates/``.

A topic page (``reports/<date>/<lang>/<topic>.html``) is made from the page record the topic's notebook
wrote (:mod:`epianalysis.briefing.page`): its title, introduction and blocks, with the parts every
page has: the "synthetic scenario" banner when the data are synthetic, the press date and data date,
links to the other pages of the day, a switch to the same page in the other language, the source line,
and print CSS for A4. The index pages (:mod:`epianalysis.briefing.index`) use the same templates.

Plain, self-contained HTML: no scripts, no external assets, so that a page opens from a file share.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from epianalysis.briefing.page import PAGES_DIR, PageRecord, records
from epianalysis.fileio import atomic_write_text
from epianalysis.summary import SUMMARY_FILE
from epianalysis.text import format as fmt
from epianalysis.text.labels import LANGUAGES, label
from epianalysis.topics import TOPICS

TEMPLATES = Path(__file__).resolve().parent / "templates"
HTML_LANG = {"en": "en", "zh": "zh-CN"}
"""The HTML ``lang`` of each language."""


@cache
def environment() -> Environment:
    """The Jinja2 environment of the page templates (autoescaped HTML; an undefined name is an error)."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(template: str, **context: Any) -> str:
    """Render one of the templates with ``context``."""
    return environment().get_template(template).render(**context)


def texts(lang: str) -> Callable[..., str]:
    """The page texts of ``lang``: ``t("key")`` is the label ``briefing.<key>``."""

    def t(key: str, **values: Any) -> str:
        return label(f"briefing.{key}", lang, **values)

    return t


def read_summary(report_dir: Path) -> dict[str, Any]:
    """``summary.json`` of a report folder (empty without one)."""
    path = Path(report_dir) / SUMMARY_FILE
    return json.loads(path.read_text("utf-8")) if path.is_file() else {}


def page_order(topics: Iterable[str]) -> list[str]:
    """Topic names as pages are listed: the front page first, then the registry's order."""
    names = set(topics)
    ordered = [t.name for t in TOPICS if t.last] + [t.name for t in TOPICS if not t.last]
    return [name for name in ordered if name in names]


def topic_title(topic: str, lang: str) -> str:
    """A topic's page title (label ``<topic>.page_title``)."""
    return label(f"{topic}.page_title", lang)


def banners(summary: Mapping[str, Any], langs: Iterable[str]) -> list[dict[str, str]]:
    """The synthetic-scenario banner in each of ``langs`` (none when the data are not synthetic)."""
    if not summary.get("synthetic"):
        return []
    return [
        {
            "html_lang": HTML_LANG[lang],
            "title": texts(lang)("synthetic_banner"),
            "detail": texts(lang)("synthetic_banner_detail"),
        }
        for lang in langs
    ]


def dateline(summary: Mapping[str, Any], lang: str) -> str:
    """ "Press conference of 2 Mar 2020 · Data as of 1 Mar 2020, 24:00" in ``lang``."""
    parts = []
    if summary.get("date"):
        parts.append(texts(lang)("press_date", date=fmt.date(summary["date"], lang)))
    if summary.get("data_as_of"):
        parts.append(fmt.data_as_of(summary["data_as_of"], lang))
    return " · ".join(parts)


def source_line(summary: Mapping[str, Any], lang: str) -> str:
    """ "Source: ..." in ``lang`` (the Chinese name of the source on a Chinese page, when there is one)."""
    source = summary.get("source_zh" if lang == "zh" else "source") or summary.get("source")
    return label("source", lang, source=source) if source else label("source_unknown", lang)


def png_size(path: Path) -> tuple[int, int] | None:
    """Width and height of a PNG file from its header (``None`` when it is not one)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(24)
    except OSError:
        return None
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def _blocks(record: PageRecord, folder: Path) -> list[dict[str, Any]]:
    shown = []
    for block in record.blocks:
        block = dict(block)
        if block["kind"] == "figure":
            size = png_size(folder / block["src"])
            block["width"], block["height"] = size if size else (None, None)
        shown.append(block)
    return shown


def render_page(report_dir: Path, lang: str, record: PageRecord, summary: Mapping[str, Any]) -> Path:
    """Write ``report_dir/<lang>/<topic>.html`` from its page record."""
    folder = Path(report_dir) / lang
    t = texts(lang)
    present = page_order(records(folder))
    nav = [
        {"href": f"{topic}.html", "title": topic_title(topic, lang), "current": topic == record.topic}
        for topic in present
    ]
    switch = None
    for other in LANGUAGES:
        if other != lang and (Path(report_dir) / other / PAGES_DIR / f"{record.topic}.json").is_file():
            switch = {
                "href": f"../{other}/{record.topic}.html",
                "html_lang": HTML_LANG[other],
                "text": t("other_language"),
            }
            break
    html = render(
        "page.html.j2",
        html_lang=HTML_LANG[lang],
        head_title=f"{record.title} · {dateline(summary, lang)}",
        banners=banners(summary, [lang]),
        t=t,
        reports_index=True,
        switch=switch,
        title=record.title,
        dateline=dateline(summary, lang),
        intro=record.intro,
        nav=nav,
        blocks=_blocks(record, folder),
        source_line=source_line(summary, lang),
        synthetic=bool(summary.get("synthetic")),
        synthetic_label=label("synthetic", lang),
    )
    return atomic_write_text(folder / f"{record.topic}.html", html)


def render_pages(report_dir: Path) -> list[Path]:
    """Render every page recorded in the report's language folders (``<lang>/.pages/*.json``)."""
    summary = read_summary(report_dir)
    written = []
    for lang in LANGUAGES:
        recorded = records(Path(report_dir) / lang)
        for topic in page_order(recorded):
            written.append(render_page(report_dir, lang, recorded[topic], summary))
    return written
