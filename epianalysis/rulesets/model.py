"""What a rule set is, as the engine uses it: levels, conditions, rules, downgrades and derived
scores, immutable and already checked (:mod:`epianalysis.rulesets.load` reads them from TOML)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Level:
    """One risk level: key, colour (hex) and labels."""

    key: str
    colour: str
    label_zh: str
    label_en: str
    short_zh: str


@dataclass(frozen=True)
class Condition:
    """``indicator op value``, e.g. ``cumulative_confirmed > 50``."""

    indicator: str
    op: str
    value: float


@dataclass(frozen=True)
class Rule:
    """An ordered rule: when all conditions hold, the county gets ``level``."""

    id: str
    level: str
    conditions: tuple[Condition, ...]
    downgrade: bool = False


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
    """A validated rule set (see the module docstring for the file format)."""

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
    assumptions: tuple[str, ...] = ()
    source: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)

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
