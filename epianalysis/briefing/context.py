"""What a briefing notebook works with: resolved parameters, the data as of the data date, and the
places its charts, tables and summary go.

A notebook opens a :class:`Briefing` in the cell after its ``parameters`` cell and calls library
functions for everything else. With ``out_dir`` empty (JupyterLab, nbval) nothing is written.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from epianalysis import SYNTHETIC_LABEL, summary
from epianalysis.briefing.params import BriefingParams
from epianalysis.charts import export, fonts, style
from epianalysis.data import store
from epianalysis.fileio import atomic_write_text
from epianalysis.reference import regions
from epianalysis.text import labels

CHART_FORMATS = ("png", "svg", "pdf")


class Briefing:
    """One briefing's context. Build it with :func:`open_briefing`."""

    def __init__(self, params: BriefingParams):
        self.params = params
        fonts.use_language(params.lang)
        export.show_figures_in_notebooks()

    # ------------------------------------------------------------------ data
    @cached_property
    def data(self) -> store.DataStore:
        """The data store of ``params.data_dir``."""
        return store.DataStore(self.params.data_dir)

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
        """The data source's name, for chart source lines and the summary."""
        return summary.source_name(self.metadata, self.params.data_dir)

    def load(self, table: str) -> pd.DataFrame:
        """A validated table as known on ``as_of`` (see :func:`epianalysis.data.store.load`)."""
        return self.data.load(table, as_of=self.params.as_of)

    @cached_property
    def regions(self) -> pd.DataFrame:
        """The 102 regions (province, 11 prefectures, 90 counties)."""
        return regions.load_regions()

    # ------------------------------------------------------------ text bits
    def label(self, key: str, **values: Any) -> str:
        """A label in the briefing language (``epianalysis/charts/labels.toml``)."""
        return labels.label(key, self.params.lang, **values)

    @property
    def subtitle(self) -> str:
        """Chart subtitle: the data date ("Data as of 1 Mar 2020, 24:00")."""
        return style.data_date_subtitle(self.params.as_of, self.params.lang)

    def chart_kwargs(self) -> dict[str, Any]:
        """The keyword arguments every chart function of :mod:`epianalysis.charts` takes."""
        return {"lang": self.params.lang, "subtitle": self.subtitle, "source": self.source, "synthetic": self.synthetic}

    # --------------------------------------------------------------- outputs
    def save_chart(self, fig, name: str) -> list[Path]:
        """Write a chart as PNG (16:9 for screens), SVG and PDF (TrueType text) into ``out_dir/charts``.

        Nothing is written when ``out_dir`` is empty. The figure stays displayable in the notebook
        afterwards (it is not managed by pyplot).
        """
        if self.params.out_dir is None:
            return []
        return export.save_figure(fig, self.params.out_dir / "charts", name, formats=CHART_FORMATS)

    def chart(self, function: Callable[..., Any], name: str, *args: Any, **kwargs: Any):
        """Draw a chart with ``function`` in the briefing's language, subtitle and source line, and save it.

        Saves PNG/SVG/PDF (see :meth:`save_chart`) and, when ``function`` takes a ``size`` argument, a square
        PNG for social media as ``<name>_square.png``. Returns the wide figure for the notebook to show.
        """
        kwargs = {**self.chart_kwargs(), **kwargs}
        fig = function(*args, **kwargs)
        self.save_chart(fig, name)
        if self.params.out_dir is not None and "size" in inspect.signature(function).parameters:
            square = function(*args, **{**kwargs, "size": "square"})
            export.save_figure(square, self.params.out_dir / "charts", f"{name}_square", formats=("png",))
        return fig

    def save_table(self, table: pd.DataFrame, name: str) -> Path | None:
        """Write a table as UTF-8 CSV into ``out_dir/tables`` (nothing when ``out_dir`` is empty)."""
        if self.params.out_dir is None:
            return None
        path = self.params.out_dir / "tables" / f"{name}.csv"
        atomic_write_text(path, table.to_csv(index=False, lineterminator="\n"))
        return path

    def summary_base(self) -> dict[str, Any]:
        """The top-level keys of ``summary.json``: ``date``, ``data_as_of``, ``lang``, ``source``, ``synthetic``."""
        return summary.base(self.params, self.metadata)

    def update_summary(self, values: dict[str, Any], section: str) -> dict[str, Any]:
        """Write ``values`` as the section ``section`` (a topic's name) of ``out_dir/summary.json``.

        The section is checked against the topic's schema first (:func:`epianalysis.summary.write_section`);
        the top-level keys of :meth:`summary_base` are written with it. Returns the merged summary; with
        ``out_dir`` empty nothing is written.
        """
        return summary.write_section(self.params.out_dir, self.summary_base(), section, values)

    def __repr__(self) -> str:
        data = SYNTHETIC_LABEL if self.synthetic else self.source
        return (
            f"Briefing(date={self.params.date}, data as of {self.params.as_of} 24:00, "
            f"lang={self.params.lang}, data: {data})"
        )


def open_briefing(date: str, data_dir: str = "", as_of: str = "", lang: str = "en", out_dir: str = "") -> Briefing:
    """Open a briefing from the notebook's parameters (empty strings mean the defaults).

    Parameters
    ----------
    date : str
        Press date ``YYYY-MM-DD``.
    data_dir : str
        Data directory; empty for the embedded scenario.
    as_of : str
        Data date; empty for the day before ``date``.
    lang : str
        ``"en"`` or ``"zh"``.
    out_dir : str
        Where outputs go; empty to write nothing.
    """
    return Briefing(BriefingParams.resolve(date, data_dir, as_of, lang, out_dir))
