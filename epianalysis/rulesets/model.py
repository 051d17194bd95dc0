"""What a rule set is, as the engine uses it: levels, conditions, rules, downgrades and derived
scores, immutable and already checked (:mod:`epianalysis.rulesets.load` reads them from TOML)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Level:
    """One risk level: key, colour (hex) and labels."""

    key: str
    colour: str
    label_zh: str
    label_en: str
    short_zh: str
    name_en: str = ""
    name_zh: str = ""

    def name(self, lang: str) -> str:
        """The level as a sentence names it ("blue" / "蓝色"): ``name_<lang>``, else the key (en) or
        ``short_zh`` (zh)."""
        given = self.name_zh if lang == "zh" else self.name_en
        return given or (self.short_zh if lang == "zh" else self.key)


@dataclass(frozen=True)
class Condition:
    """``indicator op value``, e.g. ``cumulative_confirmed > 50``."""

    indicator: str
    op: str
    value: float


@dataclass(frozen=True)
class Wording:
    """How a rule or downgrade is said (templates in the rule-set file, en and zh; empty: the generic
    wording of :mod:`epianalysis.topics.zoning.reasons`).

    ``reason_*`` says why a county is at the level now, with its indicator values (placeholders are
    indicator names, e.g. ``{days_since_last_case}``); ``next_*`` says what it takes to get there
    (placeholders ``{value}``, the threshold of the first condition, and ``{level}``, the level it gives).
    """

    reason_en: str = ""
    reason_zh: str = ""
    next_en: str = ""
    next_zh: str = ""

    def reason(self, lang: str) -> str:
        """``reason_<lang>``."""
        return self.reason_zh if lang == "zh" else self.reason_en

    def next(self, lang: str) -> str:
        """``next_<lang>``."""
        return self.next_zh if lang == "zh" else self.next_en


@dataclass(frozen=True)
class Rule:
    """An ordered rule: when all conditions hold, the county gets ``level``."""

    id: str
    level: str
    conditions: tuple[Condition, ...]
    downgrade: bool = False
    wording: Wording = Wording()


@dataclass(frozen=True)
class Downgrade:
    """Lower a level by ``steps`` (or to ``to_level``) when ``condition`` holds, on evaluation dates on or
    after ``effective_from`` (ISO date; always when ``None``); a ``steps`` downgrade never goes below
    ``min_level`` (when given)."""

    id: str
    condition: Condition
    steps: int = 0
    to_level: str | None = None
    effective_from: str | None = None
    min_level: str | None = None
    wording: Wording = Wording()


@dataclass(frozen=True)
class Component:
    """One term of a weighted points score: ``weight · points[bucket(indicator)]``."""

    indicator: str
    weight: float
    breaks: tuple[float, ...]
    points: tuple[float, ...]


@dataclass(frozen=True)
class Derived:
    """A derived indicator: ``Σ weight_i · points_i`` over components (NaN if any input is NaN)."""

    name: str
    label_zh: str
    label_en: str
    computed: str
    components: tuple[Component, ...]


@dataclass(frozen=True)
class RuleSet:
    """A validated rule set (see the module docstring for the file format).

    ``data_lag_days`` (``[schedule] data_lag_days``): the evaluation of date ``E`` reads the data as of
    ``E − data_lag_days`` 24:00 (docs/rulesets.md#the-data-an-evaluation-reads).
    """

    name: str
    version: str
    title_zh: str
    title_en: str
    citation: str
    description: str
    levels: tuple[Level, ...]
    unknown: Level
    indicators: tuple[dict, ...]
    rules: tuple[Rule, ...]
    downgrades: tuple[Downgrade, ...] = ()
    derived: tuple[Derived, ...] = ()
    schedule_start: str | None = None
    schedule_every_days: int = 1
    data_lag_days: int = 0
    assumptions: tuple[str, ...] = ()
    source: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    def data_date(self, evaluation: pd.Timestamp | str) -> pd.Timestamp:
        """The data date the evaluation of ``evaluation`` reads: ``evaluation − data_lag_days``."""
        return pd.Timestamp(evaluation) - pd.Timedelta(days=self.data_lag_days)

    def last_evaluation_date(self, as_of: pd.Timestamp | str) -> pd.Timestamp:
        """The latest date whose evaluation the data as of ``as_of`` can make: ``as_of + data_lag_days``
        (an evaluation date only if it is on the schedule)."""
        return pd.Timestamp(as_of) + pd.Timedelta(days=self.data_lag_days)

    @property
    def level_keys(self) -> list[str]:
        """Level keys from the lowest to the highest risk."""
        return [level.key for level in self.levels]

    def level(self, key: str) -> Level:
        """The :class:`Level` with this key (the unknown level included)."""
        for level in (*self.levels, self.unknown):
            if level.key == key:
                return level
        raise KeyError(key)

    @property
    def indicator_names(self) -> list[str]:
        """Indicators the rules read (derived ones and their inputs included), in first-use order."""
        names: list[str] = [d["name"] for d in self.indicators]
        for derived in self.derived:
            names += [c.indicator for c in derived.components] + [derived.name]
        for rule in self.rules:
            names += [c.indicator for c in rule.conditions]
        names += [d.condition.indicator for d in self.downgrades]
        return list(dict.fromkeys(names))
