"""The briefing topics: one folder, one notebook, one summary section and one name each.

A topic ``NAME`` lives in ``epianalysis/topics/NAME/`` (its metric functions, its view: tables,
sentences and summary section, its charts, its ``labels.toml``, its rules and reference figures),
is briefed by ``notebooks/briefings/NAME.ipynb``, writes the section ``NAME`` of ``summary.json``
(declared in ``topics/NAME/summary.schema.json``), names its texts ``NAME.<key>`` and is picked with
``epianalysis brief --only NAME``. :data:`TOPICS` is the one list of them: the runner, the CLI's
``--only`` help and ``docs/topics.md`` read it. Adding a topic is one folder, one notebook and one
line here (``docs/adding.md#a-new-topic``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TOPICS_DIR = Path(__file__).resolve().parent


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
    last : bool
        Runs after every other topic of the day (the front page reads their sections).
    """

    name: str
    title_en: str
    title_zh: str
    applies: str = "every date with data"
    last: bool = False

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
    Topic("control_index", "Precision control index", "精密智控指数"),
    Topic("capacity", "Capacity recovery of enterprises", "企业复工复产"),
    Topic("health_codes", "Health codes", "健康码"),
    Topic("front_page", "Front page: KPIs and the press paragraph", "首页：关键指标与新闻稿", last=True),
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
