"""The indicator registry of the precision control index (``rules.toml`` beside this module): which
indicators, their direction, bounds and weights, the weights of the two sub-indices, the minimum
available weight share and how many counties a ranking names in public. Every value is a documented
assumption (the official ones are unpublished)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from epianalysis.errors import DataError, Violation

REGISTRY_FILE = Path(__file__).resolve().parent / "rules.toml"
GROUPS = ("control", "flow")
DIRECTIONS = ("higher_is_better", "lower_is_better")


@dataclass(frozen=True)
class Indicator:
    """One indicator of the registry (see ``topics/control_index/rules.toml``)."""

    column: str
    group: str
    name_zh: str
    name_en: str
    unit: str
    direction: str
    lower: float
    upper: float
    weight: float
    source: str


@dataclass(frozen=True)
class Registry:
    """The indicator registry: indicators, group weights, the missing-indicator threshold and
    ``ranking_named``, the number of highest and of lowest counties a ranking names in public."""

    name: str
    version: str
    citation: str
    indicators: tuple[Indicator, ...]
    group_weights: dict[str, float]
    min_weight_share: float
    ranking_named: int = 10

    def group(self, group: str) -> list[Indicator]:
        """The indicators of ``group`` (``control`` or ``flow``), in registry order."""
        return [i for i in self.indicators if i.group == group]

    def indicator(self, column: str) -> Indicator:
        """The indicator of a column."""
        return next(i for i in self.indicators if i.column == column)


def load_registry(path: str | Path | None = None) -> Registry:
    """Read and check the indicator registry (default: the package's ``topics/control_index/rules.toml``).

    Raises
    ------
    DataError
        An unknown group or direction, bounds with ``lower >= upper``, a weight <= 0, a missing
        ``source``, a duplicate column, or a ``[ranking] named`` that is not a positive integer
        (file and key named).
    """
    path = Path(path) if path is not None else REGISTRY_FILE
    raw = tomllib.loads(path.read_text("utf-8"))
    problems: list[Violation] = []
    indicators = []
    for n, item in enumerate(raw.get("indicators", []), start=1):
        where = f"indicators[{n}]"
        try:
            ind = Indicator(
                column=item["column"],
                group=item["group"],
                name_zh=item["name_zh"],
                name_en=item["name_en"],
                unit=item.get("unit", ""),
                direction=item["direction"],
                lower=float(item["lower"]),
                upper=float(item["upper"]),
                weight=float(item["weight"]),
                source=str(item["source"]),
            )
        except KeyError as err:
            problems.append(Violation(path.name, n, f"{where}.{err.args[0]}", "key_present"))
            continue
        checks = [
            (ind.group in GROUPS, "group", "group_in(control, flow)", ind.group),
            (ind.direction in DIRECTIONS, "direction", "direction_in(higher/lower_is_better)", ind.direction),
            (ind.lower < ind.upper, "lower", "lower_below_upper", f"{ind.lower}..{ind.upper}"),
            (ind.weight > 0, "weight", "positive_weight", str(ind.weight)),
            (ind.source.strip() != "", "source", "source_or_assumption", ""),
        ]
        problems += [
            Violation(path.name, n, f"{where}.{key}", rule, value) for ok, key, rule, value in checks if not ok
        ]
        indicators.append(ind)
    columns = [i.column for i in indicators]
    problems += [
        Violation(path.name, None, "indicators", "unique_column", c)
        for c in sorted({c for c in columns if columns.count(c) > 1})
    ]
    weights = {g: float(w) for g, w in raw.get("group_weights", {}).items()}
    if set(weights) != set(GROUPS) or any(w <= 0 for w in weights.values()):
        problems.append(Violation(path.name, None, "group_weights", "positive_weight_per_group", str(weights)))
    share = float(raw.get("min_weight_share", 1.0))
    if not 0 < share <= 1:
        problems.append(Violation(path.name, None, "min_weight_share", "in_range(0, 1]", str(share)))
    named = raw.get("ranking", {}).get("named", 10)
    if isinstance(named, bool) or not isinstance(named, int) or named < 1:
        problems.append(Violation(path.name, None, "ranking.named", "positive_integer", str(named)))
    if problems:
        raise DataError(f"invalid indicator registry {path.name}", problems)
    return Registry(
        name=str(raw.get("name", "")),
        version=str(raw.get("version", "")),
        citation=str(raw.get("citation", "")),
        indicators=tuple(indicators),
        group_weights=weights,
        min_weight_share=share,
        ranking_named=named if isinstance(named, int) and not isinstance(named, bool) else 10,
    )
