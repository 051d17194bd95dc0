"""The briefing topics: one folder, one notebook, one summary section and one name each.

A topic ``NAME`` lives in ``epianalysis/topics/NAME/`` (its metric functions, its view: tables,
sentences and summary section, its charts, its ``labels.toml``, its rules and reference figures),
is briefed by ``notebooks/briefings/NAME.ipynb``, writes the section ``NAME`` of ``summary.json``
(declared in ``topics/NAME/summary.schema.json``), names its texts ``NAME.<key>`` and is picked with
``epianalysis brief --only NAME``. :data:`TOPICS` is the one list of them: the runner, the CLI's
``--only`` help and ``docs/topics.md`` read it. Adding a topic is one folder, one notebook and one
line here (``docs/adding.md#a-new-topic``).

Each topic also says when it applies (docs/topics.md#the-registry): the tables it needs (``needs``; a
topic whose table is absent from the data folder is not briefed, and said so) and the first data date
it has anything to say about (``applies.toml`` beside this module, e.g. health codes from their first
issue). The runner reads both before starting a notebook (:meth:`Topic.not_applicable`); a topic may
still find, from the data, that it does not apply (raising :class:`~epianalysis.errors.NotApplicable`).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TOPICS_DIR = Path(__file__).resolve().parent
APPLIES_FILE = TOPICS_DIR / "applies.toml"


@cache
def _applies_from() -> dict[str, dict]:
    """``applies.toml``: per topic, the first data date it applies to and why (``from``, ``because``)."""
    return tomllib.loads(APPLIES_FILE.read_text("utf-8"))


@dataclass(frozen=True)
class Topic:
    """One briefing topic.

    Attributes
    ----------
    name : str
        Folder, notebook, summary section, label namespace and ``--only`` value.
    title_en, title_zh : str
        What the topic is, as a reader would call it.
    applies : str
        On which dates the topic applies (in words). A topic that does not apply to a date raises
        :class:`~epianalysis.errors.NotApplicable` and is listed under ``not_applicable`` in the summary.
    needs : tuple of str
        The contract tables the topic reads; when one of them is absent from the data folder (as
        known on the data date) the topic does not apply.
    last : bool
        Runs after every other topic of the day (the front page reads their sections).
    """

    name: str
    title_en: str
    title_zh: str
    applies: str = "every date with data"
    needs: tuple[str, ...] = ("cases",)
    last: bool = False

    @property
    def first_date(self) -> dt.date | None:
        """The first data date the topic applies to (``applies.toml``), ``None``: no such limit."""
        entry = _applies_from().get(self.name)
        return None if entry is None else entry["from"]

    def not_applicable(self, as_of: dt.date, tables: Collection[str]) -> str | None:
        """Why the topic does not apply to the data date ``as_of`` with the tables ``tables`` present
        (a reason of :func:`epianalysis.topics.reasons.reason`: English text and its code), or ``None``
        when it applies (as far as the registry can tell)."""
        from epianalysis.topics.reasons import reason

        missing = [table for table in self.needs if table not in tables]
        if missing:
            return reason("na_missing_tables", tables=", ".join(missing))
        first = self.first_date
        if first is not None and as_of < first:
            return reason("na_starts_later", topic=self.name, first=first.isoformat())
        return None

    @property
    def folder(self) -> Path:
        """``epianalysis/topics/<name>``."""
        return TOPICS_DIR / self.name

    @property
    def section(self) -> str:
        """The topic's section of ``summary.json`` (its name)."""
        return self.name

    @property
    def notebook(self) -> str:
        """The notebook's path inside the notebooks folder: ``briefings/<name>.ipynb``."""
        return f"briefings/{self.name}.ipynb"


TOPICS: tuple[Topic, ...] = (
    Topic("recovery", "Recovery: cases, discharges and the discharge rate", "确诊与出院"),
    Topic(
        "transmission",
        "Transmission: the reproduction number Rt",
        "传播：实时再生数Rt",
        applies="from the ninth day of data (one 7-day window after the first); too few cases: suppressed",
    ),
    Topic(
        "zoning",
        "County risk zoning (the five-colour map)",
        "县域风险五色图",
        applies="from the first evaluation of the rule set on or before the data date (zhejiang-2020: 2020-02-09)",
    ),
    Topic("control_index", "Precision control index", "精密智控指数", needs=("control", "flow")),
    Topic("capacity", "Capacity recovery of enterprises", "企业复工复产", needs=("enterprises", "enterprise_daily")),
    Topic(
        "health_codes",
        "Health codes",
        "健康码",
        applies="from the first issue of health codes (data date 2020-02-11)",
        needs=("health_code_log", "health_codes"),
    ),
    Topic(
        "front_page",
        "Front page: KPIs and the press paragraph",
        "首页：关键指标与新闻稿",
        last=True,
    ),
)
"""Every briefing topic, in the order the runner starts them (``last`` ones after the others)."""


def topic_names() -> list[str]:
    """The names of :data:`TOPICS`, in order."""
    return [topic.name for topic in TOPICS]


def get_topic(name: str) -> Topic:
    """The topic called ``name``.

    Raises
    ------
    ValueError
        No such topic (the message lists them).
    """
    for topic in TOPICS:
        if topic.name == name:
            return topic
    raise ValueError(f"unknown briefing {name!r}; available: {', '.join(topic_names())}")
