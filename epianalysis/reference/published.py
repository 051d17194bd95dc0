"""Published figures shown beside ours, read from a topic's ``reference.toml``.

A topic that shows a published figure next to its own numbers keeps the figure as data in its
folder, with the day it refers to, the day it was published and where::

    [province_average]                # one table per figure
    value = 96.87
    date = 2020-03-01                 # the day the figure refers to (data "as of D 24:00")
    press_date = 2020-03-02           # the press conference (or publication) that gave it
    source = "Zhejiang provincial press conference of 2020-03-02"

:func:`published_figure` reads one figure, checks it and returns it as plain JSON values (dates as
ISO text), ready for a summary section. Published figures are shown, never used in a computation.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

from epianalysis.errors import DataError, Violation

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
