"""Risk-zoning rule sets: TOML files loaded into a validated, immutable :class:`RuleSet`.

The package ships its rule sets in ``epianalysis/rulesets/<name>.toml``; a user adds one by writing
a TOML file of the same shape and passing its path to :func:`load_ruleset` (or to ``evaluate``).

Shape of a rule-set file (every key is checked; see the shipped files for complete examples)::

    name = "national-2020"            # identifier
    version = "1"
    title_zh = "..."; title_en = "..."
    citation = "..."                  # where the rules come from
    description = "..."
    assumptions = ["..."]             # optional: what is ours, not published

    [schedule]                        # optional; without it every day is evaluated
    start = "2020-02-09"
    every_days = 3
    data_lag_days = 0                 # optional: the evaluation of E reads the data as of E - lag 24:00

    [[levels]]                        # ordered from the LOWEST to the HIGHEST risk
    key = "low"; colour = "#2E9E44"; label_zh = "低风险"; label_en = "Low risk"; short_zh = "低"
    name_en = "low risk"; name_zh = "低风险"   # optional: the level named in a sentence

    [unknown]                         # optional; the grey level for missing inputs
    key = "unknown"; colour = "#CCCCCC"; label_zh = "未知"; label_en = "Unknown"; short_zh = "未知"

    [[indicators]]                    # the indicators the rules use (built-in names, see indicators.py)
    name = "cumulative_confirmed"; label_zh = "..."; label_en = "..."; computed = "..."

    [[derived]]                       # optional: weighted points score from indicators
    name = "risk_score"; label_zh = "..."; label_en = "..."; computed = "..."
    components = [{indicator = "...", weight = 0.5, breaks = [1, 10], points = [0, 50, 100]}]

    # EITHER a threshold on one indicator ...
    [threshold]
    indicator = "new_cases_7d_mean_per_100k"
    cutoffs = [1, 10, 25, 75]         # len(levels) - 1, increasing
    closed = "upper"                  # "upper": value <= cutoff is the lower level; "lower": value < cutoff

    # ... OR ordered condition rules (first rule whose conditions all hold fires)
    [[rules]]
    id = "no_case"; level = "low"; downgrade = false
    when = [{indicator = "cumulative_confirmed", op = "==", value = 0}]
    reason_en = "no confirmed case so far"; reason_zh = "无确诊病例"   # optional wording (see below)

    [[downgrades]]                    # optional: lower the level of rules with downgrade = true
    id = "casefree_3d"; indicator = "days_since_last_case"; op = ">="; value = 3; steps = 1
    # or: to_level = "green"; optional effective_from = "2020-02-12" (ISO date),
    # min_level = "blue" (a steps downgrade goes no lower)
    # optional wording: reason_en/zh = why a county is at the level now, placeholders are indicator
    # names ("no new case for {days_since_last_case}"); next_en/zh = what it takes to get there,
    # placeholders {value} (the threshold) and {level} ("{level} after {value} case-free days").
    # A [threshold] takes the same four keys for all its levels.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from epianalysis.errors import DataError, Violation
from epianalysis.rulesets.indicators import INDICATORS
from epianalysis.rulesets.model import Component, Condition, Derived, Downgrade, Level, Rule, RuleSet, Wording

RULESETS_DIR = Path(__file__).resolve().parent
OPERATORS = ("==", "!=", "<", "<=", ">", ">=")
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
WORDING_KEYS = ("reason_en", "reason_zh", "next_en", "next_zh")
_PLACEHOLDER = re.compile(r"{([^{}]*)}")
DEFAULT_UNKNOWN = {"key": "unknown", "colour": "#CCCCCC", "label_zh": "未知", "label_en": "Unknown", "short_zh": "未知"}


def available_rulesets() -> list[str]:
    """Names of the rule sets shipped with the package."""
    return sorted(p.stem for p in RULESETS_DIR.glob("*.toml"))


def load_ruleset(name_or_path: str | Path) -> RuleSet:
    """Load and validate a rule set by shipped name (e.g. ``"national-2020"``) or by file path.

    Raises
    ------
    DataError
        Every problem of the file, each naming the file, the key and the rule broken.
    FileNotFoundError
        Neither a shipped name nor an existing file.
    """
    path = Path(name_or_path)
    if not (path.suffix == ".toml" or path.exists()):
        path = RULESETS_DIR / f"{name_or_path}.toml"
        if not path.is_file():
            raise FileNotFoundError(
                f"no rule set {name_or_path!r}: shipped ones are {', '.join(available_rulesets())}; "
                "or pass the path of a TOML file"
            )
    with open(path, "rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            raise DataError(
                f"rule set {path.name}: not valid TOML", [Violation(path.name, None, None, "toml_syntax", str(exc))]
            ) from exc
    return parse_ruleset(data, source=path.name)


def _condition(raw, where: str, problems: list[Violation], src: str, known: set[str]) -> Condition | None:
    if not isinstance(raw, dict):
        problems.append(Violation(src, None, where, "condition_is_table", str(raw)))
        return None
    indicator, op, value = raw.get("indicator"), raw.get("op"), raw.get("value")
    ok = True
    if indicator not in known:
        problems.append(Violation(src, None, f"{where}.indicator", "known_indicator", str(indicator)))
        ok = False
    if op not in OPERATORS:
        problems.append(Violation(src, None, f"{where}.op", f"operator_in_{'|'.join(OPERATORS)}", str(op)))
        ok = False
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(Violation(src, None, f"{where}.value", "number", str(value)))
        ok = False
    return Condition(indicator, op, float(value)) if ok else None


def _wording(raw: dict, where: str, problems: list[Violation], src: str, known: set[str]) -> Wording:
    """The optional ``reason_*``/``next_*`` templates of a rule, downgrade or threshold, their
    placeholders checked (indicator names in a reason; ``value`` and ``level`` in a next)."""
    texts = {}
    for key in WORDING_KEYS:
        text = raw.get(key, "")
        if not isinstance(text, str):
            problems.append(Violation(src, None, f"{where}.{key}", "text", str(text)))
            continue
        allowed = known if key.startswith("reason") else {"value", "level"}
        for name in _PLACEHOLDER.findall(text):
            if name not in allowed:
                problems.append(Violation(src, None, f"{where}.{key}", "known_placeholder", name))
        texts[key] = text
    return Wording(**texts)


def _level(raw, where: str, problems: list[Violation], src: str) -> Level | None:
    if not isinstance(raw, dict):
        problems.append(Violation(src, None, where, "level_is_table", str(raw)))
        return None
    missing = [k for k in ("key", "colour", "label_zh", "label_en") if not raw.get(k)]
    for k in missing:
        problems.append(Violation(src, None, f"{where}.{k}", "required"))
    if raw.get("colour") and not _HEX.match(str(raw["colour"])):
        problems.append(Violation(src, None, f"{where}.colour", "hex_colour_#RRGGBB", str(raw["colour"])))
        return None
    if missing:
        return None
    return Level(
        str(raw["key"]),
        str(raw["colour"]).upper(),
        str(raw["label_zh"]),
        str(raw["label_en"]),
        str(raw.get("short_zh", raw["label_zh"])),
        str(raw.get("name_en", "")),
        str(raw.get("name_zh", "")),
    )


def _threshold_rules(
    raw: dict, levels: list[Level], problems: list[Violation], src: str, known: set[str]
) -> list[Rule]:
    indicator, cutoffs, closed = raw.get("indicator"), raw.get("cutoffs"), raw.get("closed", "upper")
    if indicator not in known:
        problems.append(Violation(src, None, "threshold.indicator", "known_indicator", str(indicator)))
    if closed not in ("upper", "lower"):
        problems.append(Violation(src, None, "threshold.closed", "upper_or_lower", str(closed)))
    if (
        not isinstance(cutoffs, list)
        or len(cutoffs) != len(levels) - 1
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in cutoffs)
    ):
        problems.append(Violation(src, None, "threshold.cutoffs", "numbers_one_fewer_than_levels", str(cutoffs)))
        return []
    if any(b <= a for a, b in zip(cutoffs, cutoffs[1:])):
        problems.append(Violation(src, None, "threshold.cutoffs", "strictly_increasing", str(cutoffs)))
    below = "<=" if closed == "upper" else "<"
    wording = _wording(raw, "threshold", problems, src, known)
    rules = [
        Rule(f"{indicator} {below} {c:g}", level.key, (Condition(indicator, below, float(c)),), wording=wording)
        for level, c in zip(levels, cutoffs)
    ]
    top = ">" if closed == "upper" else ">="
    rules.append(
        Rule(
            f"{indicator} {top} {cutoffs[-1]:g}",
            levels[-1].key,
            (Condition(indicator, top, float(cutoffs[-1])),),
            wording=wording,
        )
    )
    return rules


def parse_ruleset(data: dict, source: str = "<rule set>") -> RuleSet:
    """Validate the parsed TOML ``data`` of a rule set and build a :class:`RuleSet` (see module doc)."""
    src = source
    problems: list[Violation] = []
    for key in ("name", "version", "citation", "description", "levels", "indicators"):
        if key not in data:
            problems.append(Violation(src, None, key, "required"))
    levels = [lv for i, raw in enumerate(data.get("levels", [])) if (lv := _level(raw, f"levels[{i}]", problems, src))]
    keys = [lv.key for lv in levels]
    for key in {k for k in keys if keys.count(k) > 1}:
        problems.append(Violation(src, None, "levels.key", "unique", key))
    if "levels" in data and len(levels) < 2:
        problems.append(Violation(src, None, "levels", "at_least_two_levels", str(len(levels))))
    unknown = _level({**DEFAULT_UNKNOWN, **data.get("unknown", {})}, "unknown", problems, src)
    if unknown and unknown.key in keys:
        problems.append(Violation(src, None, "unknown.key", "distinct_from_levels", unknown.key))

    indicators = list(data.get("indicators", []))
    for i, ind in enumerate(indicators):
        if not isinstance(ind, dict) or ind.get("name") not in INDICATORS:
            problems.append(
                Violation(
                    src,
                    None,
                    f"indicators[{i}].name",
                    "known_indicator",
                    str(ind.get("name") if isinstance(ind, dict) else ind),
                )
            )
            continue
        for k in ("label_zh", "label_en", "computed"):
            if not ind.get(k):
                problems.append(Violation(src, None, f"indicators[{i}].{k}", "required"))
    known = set(INDICATORS)

    derived: list[Derived] = []
    for i, raw in enumerate(data.get("derived", [])):
        where = f"derived[{i}]"
        components = []
        for j, comp in enumerate(raw.get("components", [])):
            cw = f"{where}.components[{j}]"
            breaks, points = comp.get("breaks", []), comp.get("points", [])
            if comp.get("indicator") not in known:
                problems.append(Violation(src, None, f"{cw}.indicator", "known_indicator", str(comp.get("indicator"))))
            elif len(points) != len(breaks) + 1 or any(b <= a for a, b in zip(breaks, breaks[1:])):
                problems.append(
                    Violation(
                        src, None, cw, "points_one_more_than_increasing_breaks", f"breaks={breaks} points={points}"
                    )
                )
            elif not isinstance(comp.get("weight"), int | float):
                problems.append(Violation(src, None, f"{cw}.weight", "number", str(comp.get("weight"))))
            else:
                components.append(
                    Component(
                        comp["indicator"], float(comp["weight"]), tuple(map(float, breaks)), tuple(map(float, points))
                    )
                )
        if not raw.get("name") or not components:
            problems.append(Violation(src, None, where, "name_and_components_required"))
            continue
        derived.append(
            Derived(
                raw["name"],
                raw.get("label_zh", raw["name"]),
                raw.get("label_en", raw["name"]),
                raw.get("computed", ""),
                tuple(components),
            )
        )
        known.add(raw["name"])

    rules: list[Rule] = []
    if ("threshold" in data) == ("rules" in data):
        problems.append(Violation(src, None, "threshold|rules", "exactly_one_of_threshold_or_rules"))
    elif "threshold" in data:
        rules = _threshold_rules(data["threshold"], levels, problems, src, known)
    else:
        for i, raw in enumerate(data["rules"]):
            where = f"rules[{i}]"
            if raw.get("level") not in keys:
                problems.append(Violation(src, None, f"{where}.level", "known_level", str(raw.get("level"))))
            when = raw.get("when", [])
            if not when:
                problems.append(Violation(src, None, f"{where}.when", "at_least_one_condition"))
            conds = [_condition(c, f"{where}.when[{j}]", problems, src, known) for j, c in enumerate(when)]
            if all(conds) and raw.get("level") in keys:
                rules.append(
                    Rule(
                        str(raw.get("id", f"rule_{i + 1}")),
                        raw["level"],
                        tuple(conds),
                        bool(raw.get("downgrade", False)),
                        _wording(raw, where, problems, src, known),
                    )
                )
    downgrades: list[Downgrade] = []
    for i, raw in enumerate(data.get("downgrades", [])):
        where = f"downgrades[{i}]"
        cond = _condition(raw, where, problems, src, known)
        steps, to_level = int(raw.get("steps", 0)), raw.get("to_level")
        if (steps > 0) == (to_level is not None):
            problems.append(Violation(src, None, where, "exactly_one_of_steps_or_to_level"))
        elif to_level is not None and to_level not in keys:
            problems.append(Violation(src, None, f"{where}.to_level", "known_level", str(to_level)))
        elif raw.get("min_level") is not None and raw["min_level"] not in keys:
            problems.append(Violation(src, None, f"{where}.min_level", "known_level", str(raw["min_level"])))
        elif cond:
            effective = raw.get("effective_from")
            if effective is not None and not re.match(r"^\d{4}-\d{2}-\d{2}$", str(effective)):
                problems.append(Violation(src, None, f"{where}.effective_from", "iso_date", str(effective)))
            downgrades.append(
                Downgrade(
                    str(raw.get("id", f"downgrade_{i + 1}")),
                    cond,
                    steps,
                    to_level,
                    None if effective is None else str(effective),
                    raw.get("min_level"),
                    _wording(raw, where, problems, src, known),
                )
            )
    schedule = data.get("schedule", {})
    every = schedule.get("every_days", 1)
    if not isinstance(every, int) or every < 1:
        problems.append(Violation(src, None, "schedule.every_days", "positive_integer", str(every)))
    lag = schedule.get("data_lag_days", 0)
    if isinstance(lag, bool) or not isinstance(lag, int) or lag < 0:
        problems.append(Violation(src, None, "schedule.data_lag_days", "non_negative_integer", str(lag)))
    start = schedule.get("start")
    if start is not None:
        start = str(start)
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", start):
            problems.append(Violation(src, None, "schedule.start", "iso_date", start))
    if problems:
        raise DataError(f"rule set {src}: {len(problems)} problem(s)", problems)
    return RuleSet(
        name=str(data["name"]),
        version=str(data["version"]),
        title_zh=str(data.get("title_zh", data["name"])),
        title_en=str(data.get("title_en", data["name"])),
        citation=str(data["citation"]),
        description=str(data["description"]),
        levels=tuple(levels),
        unknown=unknown,
        indicators=tuple(indicators),
        rules=tuple(rules),
        downgrades=tuple(downgrades),
        derived=tuple(derived),
        schedule_start=start,
        schedule_every_days=int(every),
        data_lag_days=int(lag),
        assumptions=tuple(data.get("assumptions", [])),
        source=src,
        raw=data,
    )
