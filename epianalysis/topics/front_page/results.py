"""The topic results the front page shows, read from its run or computed here once.

The front page shows numbers and charts of other topics: the headline pair of ``recovery`` (the data
date and the day before, for the KPI changes), the zoning evaluation in force, the control index and
capacity recovery. In a briefing run the topic notebooks have computed them already and kept them
(:meth:`epianalysis.briefing.context.Briefing.keep`, under the names of :data:`RESULTS`); the front
page reads them (:meth:`~epianalysis.briefing.context.Briefing.reuse`) and loads no table. Run alone
(``--only front_page``, JupyterLab, nbval) it computes each result here with the very call the topic
notebook makes, loading each table once. Either way the values are the same
(``docs/architecture.md#caches``).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from epianalysis.errors import NotApplicable
from epianalysis.topics.capacity import view as capacity_view
from epianalysis.topics.control_index import view as control_index_view
from epianalysis.topics.recovery.metrics import headline_pair
from epianalysis.topics.zoning import view as zoning_view

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable, Collection

    from epianalysis.briefing.context import Briefing

RESULTS: tuple[str, ...] = ("headline_pair", "zoning", "control_index", "capacity")
"""The results the front page takes from the topic notebooks of its run (the names they keep them under)."""


def computations(b: Briefing) -> dict[str, Callable[[], Any]]:
    """How each of :data:`RESULTS` is computed for briefing ``b`` (as the topic notebooks compute it),
    each table loaded at most once however many results need it."""
    load = cache(b.load)
    as_of, press = b.params.as_of, b.params.date
    return {
        "headline_pair": lambda: headline_pair(load("cases"), as_of),
        "zoning": lambda: zoning_view.zoning_for_briefing(load("cases"), as_of, press_date=press),
        "control_index": lambda: control_index_view.control_index_briefing(
            load("control"), load("flow"), as_of, b.regions, press_date=press
        ),
        "capacity": lambda: capacity_view.capacity_briefing(
            load("enterprises"), load("enterprise_daily"), as_of, b.regions, press_date=press
        ),
    }


def topic_results(b: Briefing, not_applicable: Collection[str] = ()) -> tuple[dict[str, Any], frozenset[str]]:
    """Each of :data:`RESULTS`: kept by a notebook of ``b``'s run, else computed here
    (``b.reused`` says which); ``None`` for the result of a topic of ``not_applicable`` (its tables
    are absent or it does not apply to the date, docs/topics.md#the-registry: nothing is loaded).

    Also returns the topics whose computation found that they do not apply (it raised
    :class:`~epianalysis.errors.NotApplicable`, e.g. risk zoning on data without county rows); their
    result is ``None`` too."""
    compute = computations(b)
    found: dict[str, Any] = {}
    declined: set[str] = set()
    for name in RESULTS:
        if name in not_applicable:
            found[name] = None
            continue
        try:
            found[name] = b.reuse(name, compute[name])
        except NotApplicable:
            found[name] = None
            declined.add(name)
    return found, frozenset(declined)
