"""The capacity rules (``rules.toml`` beside this module): the resumed threshold, the baselines, the
Spring Festival dates of the lunar alignment, the size groups and the published target, with their
citation (docs/methods.md#capacity-recovery)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from epianalysis.errors import DataError, Violation

RULES_FILE = Path(__file__).resolve().parent / "rules.toml"
METHODS = ("window_mean", "lunar_aligned", "weekday_median")


@dataclass(frozen=True)
class CapacityRules:
    """Baselines, the resumed threshold, size groups and the target (see ``rules.toml`` beside this module)."""

    name: str
    version: str
    citation: str
    resumed_threshold: float
    default_baseline: str
    spring_festival: dict[int, pd.Timestamp]
    baselines: dict[str, dict] = field(default_factory=dict)
    size_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    target: dict = field(default_factory=dict)

    def lunar_offset_days(self, from_year: int = 2019, to_year: int = 2020) -> int:
        """Days between the Spring Festivals of two years (2020-01-25 − 2019-02-05 = 354)."""
        return (self.spring_festival[to_year] - self.spring_festival[from_year]).days


def load_capacity_rules(path: str | Path | None = None) -> CapacityRules:
    """Read the capacity rules (default: ``rules.toml`` beside this module).

    Raises
    ------
    DataError
        A threshold outside (0, 1), an unknown baseline method, a window with start after end, or a
        default baseline that is not defined (file and key named).
    """
    path = Path(path) if path is not None else RULES_FILE
    raw = tomllib.loads(path.read_text("utf-8"))
    problems: list[Violation] = []
    threshold = float(raw.get("resumed_threshold", -1))
    if not 0 < threshold < 1:
        problems.append(Violation(path.name, None, "resumed_threshold", "in_range(0, 1)", str(threshold)))
    festival = {int(year): pd.Timestamp(day) for year, day in raw.get("spring_festival", {}).items()}
    baselines = {name: dict(spec) for name, spec in raw.get("baselines", {}).items()}
    for name, spec in baselines.items():
        if spec.get("method") not in METHODS:
            problems.append(
                Violation(path.name, None, f"baselines.{name}.method", "known_method", str(spec.get("method")))
            )
        if "start" in spec:
            spec["start"], spec["end"] = pd.Timestamp(spec["start"]), pd.Timestamp(spec["end"])
            if spec["start"] > spec["end"]:
                problems.append(Violation(path.name, None, f"baselines.{name}.start", "start_not_after_end"))
        if spec.get("method") == "lunar_aligned":
            for key in ("from_year", "to_year"):
                if int(spec.get(key, 0)) not in festival:
                    problems.append(
                        Violation(
                            path.name, None, f"baselines.{name}.{key}", "spring_festival_date_given", str(spec.get(key))
                        )
                    )
    default = str(raw.get("default_baseline", ""))
    if default not in baselines:
        problems.append(Violation(path.name, None, "default_baseline", "defined_baseline", default))
    if problems:
        raise DataError(f"invalid capacity rules {path.name}", problems)
    target = dict(raw.get("target", {}))
    if "date" in target:
        target["date"] = pd.Timestamp(target["date"])
    return CapacityRules(
        name=str(raw.get("name", "")),
        version=str(raw.get("version", "")),
        citation=str(raw.get("citation", "")),
        resumed_threshold=threshold,
        default_baseline=default,
        spring_festival=festival,
        baselines=baselines,
        size_groups={g: tuple(v) for g, v in raw.get("size_groups", {}).items()},
        target=target,
    )
