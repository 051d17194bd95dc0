"""What a briefing notebook works with: resolved parameters, the data as of the data date, and the
calls that show a result in the notebook *and* record it for the published pages.

A notebook opens a :class:`Briefing` for its topic in the cell after its ``parameters`` cell and calls
library functions for everything else. The numbers are computed once; the presentation (charts,
tables, sentences, headings) is made once per language of ``lang`` (``"en"``, ``"zh"`` or
``"en,zh"``): :meth:`Briefing.chart`, :meth:`Briefing.table` and :meth:`Briefing.text` call their
function with ``lang=`` each language, write the results under ``out_dir/<lang>/`` and record a
block of the topic's page in that language (:mod:`epianalysis.briefing.page`); they return the first
language's result for the notebook to show. With ``out_dir`` empty (JupyterLab, nbval) nothing is
written.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from functools import cached_property, partial
from pathlib import Path
from typing import Any

import pandas as pd

from epianalysis import SYNTHETIC_LABEL, summary
from epianalysis.briefing import chart_cache, page, results
from epianalysis.briefing.page import Localized, PageRecord, resolve
from epianalysis.briefing.params import BriefingParams
from epianalysis.briefing.timing import Stopwatch
from epianalysis.charts import export, fonts, style
from epianalysis.data import store
from epianalysis.fileio import atomic_write_text
from epianalysis.reference import regions
from epianalysis.text import format as fmt
from epianalysis.text import labels
from epianalysis.topics import get_topic

CHART_FORMATS = ("png", "svg", "pdf")
DATA_DIR = "data"
"""Where :meth:`Briefing.save_table` writes the language-independent data behind charts and tables."""


def _display(markdown: str) -> None:
    """Show Markdown in a notebook (nothing outside IPython)."""
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display
    except ImportError:  # pragma: no cover
        return
    if get_ipython() is not None:
        display(Markdown(markdown))


class _TimedStore(store.DataStore):
    """The data store, its reading timed as ``load`` (:mod:`epianalysis.briefing.timing`)."""

    def __init__(self, path: Path, stopwatch: Stopwatch):
        super().__init__(path)
        self._stopwatch = stopwatch

    def load(self, *args: Any, **kwargs: Any) -> pd.DataFrame:
        with self._stopwatch.timing("load"):
            return super().load(*args, **kwargs)

    def log(self, *args: Any, **kwargs: Any) -> Path:
        with self._stopwatch.timing("load"):
            return super().log(*args, **kwargs)


class Briefing:
    """One briefing's context. Build it with :func:`open_briefing`."""

    def __init__(self, params: BriefingParams, topic: str | None = None):
        self.params = params
        self.topic = None if topic is None else get_topic(topic).name
        self.stopwatch = Stopwatch()
        fonts.use_language(params.lang)
        export.show_figures_in_notebooks()
        self.pages: dict[str, PageRecord] = {}
        if self.topic is not None:
            for lang in self.languages:
                title = labels.label(f"{self.topic}.page_title", lang)
                intro = labels.label(f"{self.topic}.page_intro", lang)
                self.pages[lang] = PageRecord(self.topic, lang, title, intro)
            self._save_pages()

    # ------------------------------------------------------------------ data
    @property
    def languages(self) -> tuple[str, ...]:
        """The languages of the presentation; the first is the one the notebook shows."""
        return self.params.languages

    @property
    def lang(self) -> str:
        """The language the notebook shows (the first of :attr:`languages`)."""
        return self.params.lang

    @cached_property
    def data(self) -> store.DataStore:
        """The data store of ``params.data_dir`` (its reading timed, see :mod:`epianalysis.briefing.timing`)."""
        return _TimedStore(self.params.data_dir, self.stopwatch)

    @cached_property
    def metadata(self) -> dict[str, Any]:
        """The data directory's ``source.toml`` (empty when absent)."""
        return self.data.metadata()

    @property
    def synthetic(self) -> bool:
        """Whether the data are the synthetic scenario (every output then says so)."""
        return bool(self.metadata.get("synthetic", False))

    @property
    def source(self) -> str:
        """The data source's name, for the summary."""
        return summary.source_name(self.metadata, self.params.data_dir)

    def source_for(self, lang: str) -> str:
        """The data source's name as a page or chart in ``lang`` writes it (``source_zh`` in Chinese)."""
        return summary.source_name(self.metadata, self.params.data_dir, lang)

    def load(self, table: str) -> pd.DataFrame:
        """A validated table as known on ``as_of`` (see :func:`epianalysis.data.store.load`)."""
        return self.data.load(table, as_of=self.params.as_of)

    def load_optional(self, table: str) -> pd.DataFrame | None:
        """:meth:`load`, or ``None`` when the data directory has no such table (e.g. ``cases_unplaced``)."""
        return self.load(table) if table in self.data.tables() else None

    # --------------------------------------------------------------- results
    @cached_property
    def run_key(self) -> str:
        """What the results this run keeps depend on (:func:`epianalysis.briefing.results.run_key`)."""
        return results.run_key(self.params)

    @cached_property
    def reused(self) -> dict[str, str]:
        """Where each result :meth:`reuse` returned came from: ``"kept"`` (by a notebook of this run) or
        ``"computed"`` (here)."""
        return {}

    def keep(self, name: str, value: Any) -> Any:
        """Keep ``value`` as the result ``name`` of this run, for the notebooks that run after this one
        (the front page; :mod:`epianalysis.briefing.results`), and return it; with ``out_dir`` empty
        nothing is written."""
        if self.params.out_dir is not None:
            results.keep(self.params.out_dir, name, self.run_key, value)
        return value

    def reuse(self, name: str, compute: Callable[[], Any]) -> Any:
        """The result ``name`` a notebook of this run kept (:meth:`keep`) for the same data, dates and
        code, else ``compute()``."""
        if self.params.out_dir is not None:
            found, value = results.read_kept(self.params.out_dir, name, self.run_key)
            if found:
                self.reused[name] = "kept"
                return value
        self.reused[name] = "computed"
        return compute()

    @cached_property
    def regions(self) -> pd.DataFrame:
        """The 102 regions (province, 11 prefectures, 90 counties)."""
        return regions.load_regions()

    # ------------------------------------------------------------ text bits
    def label(self, key: str, **values: Any) -> str:
        """A label in the notebook's language (``labels.toml``; a topic's keys are ``<topic>.<key>``)."""
        return labels.label(key, self.lang, **values)

    def labels(self, key: str, **values: Any) -> Localized:
        """A label in every language of the briefing, e.g. a chart title for :meth:`chart`."""
        return Localized({lang: labels.label(key, lang, **values) for lang in self.languages})

    def each(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Localized:
        """``function(*args, lang=L, **kwargs)`` for each language ``L``, e.g. the cards of a chart."""
        return Localized({lang: function(*args, lang=lang, **kwargs) for lang in self.languages})

    def subtitle_for(self, lang: str) -> str:
        """Chart subtitle: the data date ("Data as of 1 Mar 2020, 24:00")."""
        return style.data_date_subtitle(self.params.as_of, lang)

    @property
    def subtitle(self) -> str:
        """:meth:`subtitle_for` the notebook's language."""
        return self.subtitle_for(self.lang)

    def chart_kwargs(self, lang: str | None = None) -> dict[str, Any]:
        """The keyword arguments every chart function takes, in ``lang`` (default: the notebook's)."""
        lang = lang or self.lang
        return {
            "lang": lang,
            "subtitle": self.subtitle_for(lang),
            "source": self.source_for(lang),
            "synthetic": self.synthetic,
        }

    # ------------------------------------------------------------- the page
    def _language_dir(self, lang: str) -> Path | None:
        return None if self.params.out_dir is None else self.params.out_dir / lang

    def _save_pages(self) -> None:
        for lang, record in self.pages.items():
            folder = self._language_dir(lang)
            if folder is not None:
                record.save(folder)
        if self.params.out_dir is not None and self.topic is not None:
            self.stopwatch.save(self.params.out_dir, self.topic)

    def _record(self, blocks: Mapping[str, dict[str, Any]]) -> None:
        """Append a block to each language's page; a table or figure notes the section it is in."""
        for lang, block in blocks.items():
            record = self.pages.get(lang)
            if record is None:
                continue
            if block["kind"] in ("table", "figure"):
                headings = [b["text"] for b in record.blocks if b["kind"] == "heading"]
                block["section"] = headings[-1] if headings else ""
            record.blocks.append(block)
        self._save_pages()

    def _key(self, key: str) -> str:
        return key if "." in key or self.topic is None else f"{self.topic}.{key}"

    def section(self, key: str, **values: Any) -> None:
        """A section heading: label ``key`` (``<topic>.<key>``; the topic's own keys may omit the topic)."""
        texts = {lang: labels.label(self._key(key), lang, **values) for lang in self.languages}
        self._record({lang: page.heading(text) for lang, text in texts.items()})
        _display(f"## {texts[self.lang]}")

    def text(self, source: Callable[..., str] | Mapping[str, str] | str, *args: Any, lead: bool = False, **kwargs):
        """A sentence or paragraph for the reader.

        ``source`` is a function called as ``source(*args, lang=L, **kwargs)`` for each language, a
        mapping of language to text (e.g. the press paragraph), or a label key (``kwargs`` fill it).
        ``lead=True`` marks the page's lead paragraph. An empty text records nothing.
        """
        texts: dict[str, str] = {}
        for lang in self.languages:
            if callable(source):
                texts[lang] = source(*args, lang=lang, **kwargs)
            elif isinstance(source, Mapping):
                texts[lang] = source[lang]
            else:
                texts[lang] = labels.label(self._key(source), lang, **kwargs)
        if not any(text.strip() for text in texts.values()):
            return  # nothing to say (e.g. a note that does not apply)
        style_ = "lead" if lead else "text"
        self._record({lang: page.paragraph(text, style_) for lang, text in texts.items()})
        _display(texts[self.lang])

    def table(
        self, function: Callable[..., pd.DataFrame], name: str, *args: Any, hide: tuple[str, ...] = (), **kwargs: Any
    ) -> pd.DataFrame:
        """A table for the reader, made by ``function(*args, lang=L, **kwargs)`` in each language.

        Writes ``out_dir/<L>/tables/<name>.csv`` (all columns) and records the table on the page
        without its index; ``hide`` names label keys of columns kept in the CSV but not shown on the
        page. Returns the first language's table for the notebook to show.
        """
        first = None
        blocks = {}
        for lang in self.languages:
            call_kwargs = {k: resolve(v, lang) for k, v in kwargs.items()}
            frame = function(*(resolve(a, lang) for a in args), lang=lang, **call_kwargs)
            first = frame if first is None else first
            folder = self._language_dir(lang)
            csv = None
            if folder is not None:
                path = folder / "tables" / f"{name}.csv"
                atomic_write_text(path, frame.to_csv(index=False, lineterminator="\n"))
                csv = f"tables/{name}.csv"
            hidden = [labels.label(self._key(key), lang) for key in hide]
            blocks[lang] = page.table(frame, name, lang, csv, hidden)
        self._record(blocks)
        return first

    def chart(self, function: Callable[..., Any], name: str, *args: Any, **kwargs: Any):
        """Draw a chart with ``function`` in each language, with its subtitle and source line, and save it.

        ``args`` and ``kwargs`` may hold :class:`~epianalysis.briefing.page.Localized` values
        (:meth:`labels`, :meth:`each`), given to each language its own. Saves
        ``out_dir/<L>/charts/<name>.png`` (16:9), ``.svg`` and ``.pdf`` (TrueType text) and, when
        ``function`` takes a ``size`` argument, ``<name>_square.png`` for social media; records the
        figure on the page with its title and message as alt text. Returns the first language's figure
        (a :class:`~epianalysis.briefing.chart_cache.KeptFigure` of its PNG when it was drawn before).
        """
        with self.stopwatch.timing("charts"):
            first, blocks = self._draw(function, name, args, kwargs)
        self._record(blocks)
        return first

    def _draw(self, function: Callable[..., Any], name: str, args: tuple, kwargs: dict) -> tuple[Any, dict]:
        """The figures of :meth:`chart` in each language, saved; the first figure and the page blocks.

        With an output folder a chart is drawn through :func:`epianalysis.briefing.chart_cache.draw`:
        a chart drawn before from the same inputs is not drawn again, its kept files are written."""
        first = None
        blocks = {}
        square = "size" in inspect.signature(function).parameters
        for lang in self.languages:
            call_args = [resolve(a, lang) for a in args]
            call_kwargs = {**self.chart_kwargs(lang), **{k: resolve(v, lang) for k, v in kwargs.items()}}
            folder = self._language_dir(lang)
            if folder is None:
                fig = function(*call_args, **call_kwargs)
                texts, files = page.figure_texts(fig), []
            else:
                drawing = chart_cache.draw(function, call_args, call_kwargs, CHART_FORMATS, square)
                drawing.write(folder / "charts", name)
                fig = drawing.shown(partial(function, *call_args, **call_kwargs))
                texts = drawing.texts
                files = [{"label": ext.upper(), "href": f"charts/{name}.{ext}"} for ext in CHART_FORMATS]
                if square:
                    href = f"charts/{name}{chart_cache.SQUARE_SUFFIX}"
                    files.append({"label": labels.label("briefing.square", lang), "href": href})
            first = fig if first is None else first
            blocks[lang] = page.figure(texts, name, lang, files)
        return first, blocks

    # --------------------------------------------------------------- outputs
    def save_table(self, table: pd.DataFrame, name: str) -> Path | None:
        """Write a language-independent table (the data behind a chart or table, column names as in the
        data) as UTF-8 CSV into ``out_dir/data/<name>.csv``; nothing when ``out_dir`` is empty."""
        if self.params.out_dir is None:
            return None
        path = self.params.out_dir / DATA_DIR / f"{name}.csv"
        atomic_write_text(path, table.to_csv(index=False, lineterminator="\n"))
        return path

    def summary_base(self) -> dict[str, Any]:
        """The top-level keys of ``summary.json``: ``date``, ``data_as_of``, ``languages``, ``source``,
        ``synthetic``."""
        return summary.base(self.params, self.metadata)

    def update_summary(self, values: dict[str, Any], section: str) -> dict[str, Any]:
        """Write ``values`` as the section ``section`` (a topic's name) of ``out_dir/summary.json``.

        The section is checked against the topic's schema first (:func:`epianalysis.summary.write_section`);
        the top-level keys of :meth:`summary_base` are written with it. Returns the merged summary; with
        ``out_dir`` empty nothing is written.
        """
        return summary.write_section(self.params.out_dir, self.summary_base(), section, values)

    # ------------------------------------------------------------ notebook
    def _repr_markdown_(self) -> str:
        lang = self.lang
        lines = []
        if self.topic is not None:
            record = self.pages[lang]
            lines += [f"**{record.title}**", "", record.intro, ""]
        data = labels.label("synthetic", lang) if self.synthetic else self.source_for(lang)
        press = labels.label("briefing.press_date", lang, date=fmt.date(self.params.date, lang))
        lines.append(f"*{press} · {style.data_date_subtitle(self.params.as_of, lang)} · {data}*")
        return "\n".join(lines)

    def __repr__(self) -> str:
        data = SYNTHETIC_LABEL if self.synthetic else self.source
        return (
            f"Briefing({self.topic or '-'}, {self.params.date}, data as of {self.params.as_of} 24:00, "
            f"{self.params.lang_parameter}, {data})"
        )


def open_briefing(
    topic: str | None,
    date: str,
    data_dir: str = "",
    as_of: str = "",
    lang: str = "en",
    out_dir: str = "",
    engine: str = "duckdb",
    spark_master: str = "",
) -> Briefing:
    """Open the briefing of ``topic`` from the notebook's parameters (empty strings mean the defaults).

    Parameters
    ----------
    topic : str or None
        The briefing topic (:data:`epianalysis.topics.TOPICS`) whose page the notebook makes; ``None``
        for an exploration notebook (no page).
    date : str
        Press date ``YYYY-MM-DD``.
    data_dir : str
        Data directory; empty for the embedded scenario.
    as_of : str
        Data date; empty for the day before ``date``.
    lang : str
        ``"en"``, ``"zh"``, ``"en,zh"`` or ``"both"``: the languages of the presentation.
    out_dir : str
        Where outputs go; empty to write nothing.
    engine : str
        ``"duckdb"`` (default) or ``"spark"``: where a person-level log is aggregated
        (:attr:`BriefingParams.engine`; the numbers are the same on both).
    spark_master : str
        Spark master for ``engine="spark"``; empty for ``local[*]``.
    """
    return Briefing(BriefingParams.resolve(date, data_dir, as_of, lang, out_dir, engine, spark_master), topic)
