"""The page model: what a briefing notebook records for its published page, one page per language.

A notebook does not become a page by being exported. While it runs, the calls of
:class:`~epianalysis.briefing.context.Briefing` that show something to the reader (a section heading,
a sentence, a table, a chart) also append a *block* to the topic's page in each language. The blocks
are plain JSON (texts, table cells already written as text, image paths with their alt text), saved as
``<out_dir>/<lang>/.pages/<topic>.json`` after every block; the runner renders them into
``<out_dir>/<lang>/<topic>.html`` with the templates of :mod:`epianalysis.briefing.render`. Nothing
of the notebook itself (code, reprs, prose for analysts) reaches a page.

Blocks (``kind``):

- ``heading``: ``text``;
- ``text``: ``text`` and ``style`` (``"text"``, or ``"lead"`` for the press paragraph);
- ``table``: ``name``, ``columns`` (``text``, ``numeric``), ``rows`` (cells as text), ``csv`` (the
  table's file, relative to the page);
- ``figure``: ``name``, ``src``, ``alt`` (the chart's title and its message), ``title``, ``subtitle``,
  ``files`` (``label``, ``href``: the chart's downloads).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.text import Text

from epianalysis.fileio import atomic_write_text
from epianalysis.text import format as fmt
from epianalysis.text.labels import label

PAGES_DIR = ".pages"
"""The folder of a language's page records (``<out_dir>/<lang>/.pages/<topic>.json``)."""

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMERIC = re.compile(r"^[+\-\u2212\u00b1]?\d[\d,.\s]*(?:%|万|亿|‰)?(?:\s*[\w\u4e00-\u9fff]{0,3})?$")


class Localized(dict):
    """One value per language (``{"en": ..., "zh": ...}``): an argument of a chart, table or text
    call that differs by language. :meth:`Briefing.chart` and friends pass each language its own."""

    def __repr__(self) -> str:
        return f"Localized({dict.__repr__(self)})"


def resolve(value: Any, lang: str) -> Any:
    """``value[lang]`` for a :class:`Localized` value, else ``value`` unchanged."""
    return value[lang] if isinstance(value, Localized) else value


@dataclass
class PageRecord:
    """One topic's page in one language: its title, introduction and blocks, in order."""

    topic: str
    lang: str
    title: str
    intro: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def save(self, language_dir: Path) -> Path:
        """Write the record as ``language_dir/.pages/<topic>.json`` (atomically)."""
        text = json.dumps(asdict(self), ensure_ascii=False, indent=1) + "\n"
        return atomic_write_text(Path(language_dir) / PAGES_DIR / f"{self.topic}.json", text)

    @classmethod
    def load(cls, path: Path) -> PageRecord:
        return cls(**json.loads(Path(path).read_text("utf-8")))


def records(language_dir: Path) -> dict[str, PageRecord]:
    """The page records of one language folder, by topic."""
    folder = Path(language_dir) / PAGES_DIR
    return {path.stem: PageRecord.load(path) for path in sorted(folder.glob("*.json"))}


# ------------------------------------------------------------------------------------- blocks


def heading(text: str) -> dict[str, Any]:
    return {"kind": "heading", "text": text}


def paragraph(text: str, style: str = "text") -> dict[str, Any]:
    if style not in ("text", "lead"):
        raise ValueError(f"style must be 'text' or 'lead', got {style!r}")
    return {"kind": "text", "text": str(text).strip(), "style": style}


def cell(value: Any, lang: str) -> str:
    """A table cell as the page shows it: texts as they are (an ISO date as a date), numbers and dates
    written by :mod:`epianalysis.text.format`, a missing value as :data:`~epianalysis.text.format.MISSING`."""
    if isinstance(value, str):
        return fmt.date(value, lang) if _ISO_DATE.match(value) else value
    if isinstance(value, bool):
        return label("briefing.yes" if value else "briefing.no", lang)
    if fmt.is_missing(value):
        return fmt.MISSING
    if isinstance(value, Integral):
        return fmt.count(value, lang)
    if isinstance(value, Real):
        return fmt.count(value, lang) if float(value).is_integer() else fmt.decimal(value, lang, 2)
    if isinstance(value, dt.date | pd.Timestamp):
        return fmt.date(value, lang)
    if isinstance(value, Iterable):
        return fmt.join([cell(v, lang) for v in value], lang)
    return str(value)


def is_numeric(text: str) -> bool:
    """Whether a cell reads as a number (it is then right-aligned)."""
    return text == fmt.MISSING or bool(_NUMERIC.match(text.strip()))


def table(frame: pd.DataFrame, name: str, lang: str, csv: str | None, hide: Iterable[str] = ()) -> dict[str, Any]:
    """A table block from a presentation table (localised headers); the index is never shown.

    ``hide`` names columns kept in the CSV but not shown on the page (e.g. a rule's identifier); a
    column with nothing in it (e.g. flags on a day without any) is left out too.
    """
    hidden = set(hide)
    columns = [c for c in frame.columns if c not in hidden]
    rows = [[cell(value, lang) for value in row] for row in frame[columns].itertuples(index=False, name=None)]
    empty = {k for k in range(len(columns)) if rows and all(not row[k].strip() for row in rows)}
    columns = [c for k, c in enumerate(columns) if k not in empty]
    rows = [[v for k, v in enumerate(row) if k not in empty] for row in rows]
    numeric = [bool(rows) and all(is_numeric(row[k]) for row in rows) for k in range(len(columns))]
    return {
        "kind": "table",
        "name": name,
        "columns": [{"text": str(c), "numeric": n} for c, n in zip(columns, numeric, strict=True)],
        "rows": rows,
        "csv": csv,
    }


def figure_texts(fig: Figure) -> dict[str, str]:
    """The chart's title and subtitle: the texts of the figure's artists with gid ``title`` and
    ``subtitle`` (:func:`epianalysis.charts.style.add_frame`); empty strings when absent."""
    found = {"title": "", "subtitle": ""}
    for artist in fig.findobj(match=Text):
        gid = artist.get_gid()
        if gid in found and not found[gid] and artist.get_text().strip():
            found[gid] = " ".join(artist.get_text().split())
    return found


def alt_text(texts: Mapping[str, str], lang: str, fallback: str) -> str:
    """The alt text of a chart: its title and its message (subtitle), else ``fallback``."""
    title, subtitle = texts.get("title", ""), texts.get("subtitle", "")
    parts = [p for p in (title, subtitle) if p]
    if not parts:
        return fallback
    stop = "。" if lang == "zh" else ". "
    return stop.join(p.rstrip("。.") for p in parts) + ("。" if lang == "zh" else ".")


def figure(texts: Mapping[str, str], name: str, lang: str, files: list[dict[str, str]]) -> dict[str, Any]:
    """A figure block: the chart's PNG with its alt text (from the figure's ``texts``,
    :func:`figure_texts`) and downloads."""
    fallback = label("briefing.figure_fallback", lang)
    return {
        "kind": "figure",
        "name": name,
        "src": f"charts/{name}.png",
        "alt": alt_text(texts, lang, fallback),
        "title": texts["title"],
        "subtitle": texts["subtitle"],
        "files": files,
    }
