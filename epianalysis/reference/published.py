"""Published figures shown beside ours, read from a topic's ``reference.toml``.

A topic that shows a published figure next to its own numbers keeps the figure as data in its
folder, with the day it refers to, the day it was published and where::

    [province_average]                # one table per figure
    value = 96.87
    date = 2020-03-01                 # the day the figure refers to (data "as of D 24:00")
    press_date = 2020-03-02           # the press conference (or publication) that gave it
    source = "Zhejiang provincial press conference"
    source_zh = "浙江省新闻发布会"      # optional: the source in Chinese

:func:`published_figure` reads one figure, checks it and returns it as plain JSON values (dates as
ISO text), ready for a summary section. Published figures are shown, never used in a computation.

A figure is shown only on the briefings of a press date on or after its own ``press_date``
(:func:`published_by`, :func:`known_on`): a briefing never shows what was not yet published when it
was given (docs/methods.md#published-references). :func:`reference_text` says where and when it
was published, in the briefing language.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from epianalysis.errors import DataError, Violation
from epianalysis.text import format as fmt
from epianalysis.text.labels import label

REQUIRED_KEYS = ("date", "press_date", "source")


def published_figure(path: Path | str, name: str) -> dict:
    """The published figure ``[name]`` of the TOML file ``path``.

    Returns
    -------
    dict
        The figure's keys in file order; ``date`` and ``press_date`` as ISO text.

    Raises
    ------
    DataError
        The figure is missing, lacks ``date``, ``press_date`` or ``source``, has a date that is not a
        TOML date, a press date before the date it refers to, or an empty source (file and key named).
    """
    path = Path(path)
    raw = tomllib.loads(path.read_text("utf-8"))
    entry = raw.get(name)
    if not isinstance(entry, dict):
        raise DataError(
            f"{path.name}: no published figure [{name}]", [Violation(path.name, None, name, "figure_present")]
        )
    problems = [Violation(path.name, None, f"{name}.{key}", "key_present") for key in REQUIRED_KEYS if key not in entry]
    for key in ("date", "press_date"):
        if key in entry and not isinstance(entry[key], date):
            problems.append(Violation(path.name, None, f"{name}.{key}", "type(date)", str(entry[key])))
    if not problems and entry["press_date"] < entry["date"]:
        problems.append(
            Violation(path.name, None, f"{name}.press_date", "not_before_date", entry["press_date"].isoformat())
        )
    if "source" in entry and not str(entry["source"]).strip():
        problems.append(Violation(path.name, None, f"{name}.source", "source_given"))
    if problems:
        raise DataError(f"{path.name}: published figure [{name}] is incomplete", problems)
    return {key: value.isoformat() if isinstance(value, date) else value for key, value in entry.items()}


def press_date_of(data_date: date | str, press_date: date | str | None = None) -> date:
    """The press date of a briefing: ``press_date`` when given, else the day after its data date
    ``data_date`` (the bulletin convention: data as of D 24:00 are read out at the press conference of
    D+1, docs/data.md#dates)."""
    if press_date is not None:
        return fmt.as_date(press_date)
    return fmt.as_date(data_date) + timedelta(days=1)


def known_on(figure: Mapping[str, Any], press_date: date | str) -> bool:
    """Whether ``figure`` had been published by the briefing of ``press_date``: its own ``press_date``
    is on or before it."""
    return fmt.as_date(figure["press_date"]) <= fmt.as_date(press_date)


def published_by(path: Path | str, name: str, press_date: date | str) -> dict | None:
    """:func:`published_figure` ``[name]`` of ``path`` when it had been published by ``press_date``,
    else ``None`` (the briefing of an earlier press date does not show it).

    Raises
    ------
    DataError
        As :func:`published_figure` (an incomplete figure is refused whatever the date).
    """
    figure = published_figure(path, name)
    return figure if known_on(figure, press_date) else None


def reference_text(figure: Mapping[str, Any], lang: str) -> str:
    """Where and when ``figure`` was published, in ``lang``: "Zhejiang provincial press conference,
    2 Mar 2020 (data as of 1 Mar, 24:00)" / "浙江省新闻发布会（2020年3月2日；数据截至3月1日24时）"
    (``source_zh`` in Chinese when the figure has one)."""
    source = figure.get("source_zh") if lang == "zh" and figure.get("source_zh") else figure["source"]
    return label(
        "published_reference",
        lang,
        source=source,
        press_date=fmt.date(figure["press_date"], lang),
        date=fmt.date(figure["date"], lang, "day_month"),
    )


def published_row(figure: Mapping[str, Any], topic: str, lang: str, **values: str) -> tuple[str, str]:
    """A table row for ``figure``: ``<topic>.published`` naming where and when it was published
    (:func:`reference_text`), and ``<topic>.published_value`` filled with ``values`` (already written)."""
    where = label(f"{topic}.published", lang, source=reference_text(figure, lang))
    return where, label(f"{topic}.published_value", lang, **values)
