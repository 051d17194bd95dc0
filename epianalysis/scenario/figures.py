"""Official and published figures the embedded scenario is calibrated to, each with its source.

The published figures are data: ``figures.toml`` beside this module holds each one with the date it
refers to and the id of its source, and the citation of every source under ``[sources]``. This
module reads that file once (:func:`load_figures`, which checks that every source id is cited) and
gives the figures the names the scenario code uses. Counts are "as of D 24:00" (the bulletin
convention) unless the file says otherwise.

Values marked ``ASSUMPTION`` below are choices of the scenario, not published numbers; they stay here.
"""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from pathlib import Path

from epianalysis.errors import DataError, Violation

FIGURES_FILE = Path(__file__).resolve().parent / "figures.toml"

#: Sources of facts that need no citation in ``source.toml`` (dates of the calendar).
UNCITED_SOURCES = ("calendar",)

D = date.fromisoformat


@cache
def load_figures(path: Path = FIGURES_FILE) -> dict:
    """The published figures of ``figures.toml`` as read by :mod:`tomllib` (dates as :class:`date`).

    Raises
    ------
    DataError
        A figure names a source that ``[sources]`` does not cite (file, key and id named).
    """
    raw = tomllib.loads(Path(path).read_text("utf-8"))
    cited = raw.get("sources", {})
    unknown = [
        Violation(Path(path).name, None, key, "known_source", str(source))
        for key, source in _source_ids(raw)
        if source not in cited
    ]
    if unknown:
        raise DataError(f"{Path(path).name}: figures citing unknown sources", unknown)
    return raw


def _source_ids(node, key: str = "") -> list[tuple[str, str]]:
    """Every ``source`` value under ``node`` with its key path (``province.confirmed[3].source``)."""
    if isinstance(node, dict):
        found = []
        for name, value in node.items():
            path = f"{key}.{name}" if key else name
            if name == "source" and key != "sources":
                found.append((path, value))
            elif name != "sources" or key:
                found += _source_ids(value, path)
        return found
    if isinstance(node, list):
        return [item for i, value in enumerate(node) for item in _source_ids(value, f"{key}[{i}]")]
    return []


def _series(entries: list[dict]) -> dict[date, tuple[int, str]]:
    """``{date: (value, source)}`` of a list of dated figures, in file order."""
    return {e["date"]: (e["value"], e["source"]) for e in entries}


def _value(entry: dict) -> int | float:
    return entry["value"]


_F = load_figures()

# --------------------------------------------------------------------------------------------------
# Sources (key -> citation). ``citation_text()`` joins them for ``source.toml``.
SOURCES: dict[str, str] = dict(_F["sources"])

# --------------------------------------------------------------------------------------------------
# Province, all cases (local + imported, including the prison cluster): cumulative confirmed.
PROVINCE_CONFIRMED: dict[date, tuple[int, str]] = _series(_F["province"]["confirmed"])
# Imported (Italy and other) cases, cumulative; none before March.
PROVINCE_IMPORTED: dict[date, tuple[int, str]] = _series(_F["province"]["imported"])
IMPORTED_FIRST_COUNTY: str = _F["imported_first"]["region_code"]  # 青田县: all 8 imported cases of 2020-03-02
PROVINCE_DISCHARGED: dict[date, tuple[int, str]] = _series(_F["province"]["discharged"])
IMPORTED_DISCHARGED_0402: tuple[int, str] = _series(_F["province"]["imported_discharged"])[D("2020-04-02")]

FIRST_DEATH: tuple[date, str, str] = tuple(_F["first_death"][k] for k in ("date", "region_code", "source"))

# (severe, critical) currently in hospital.
PROVINCE_SEVERE_CRITICAL: dict[date, tuple[int, int, str]] = {
    e["date"]: (e["severe"], e["critical"], e["source"]) for e in _F["province"]["severe_critical"]
}

# --------------------------------------------------------------------------------------------------
# Prefecture cumulative local confirmed, values in the order of CITY_CODES.
CITY_CODES: list[str] = list(_F["city"]["codes"])
CITY_CONFIRMED: dict[date, tuple[list[int], str]] = {
    e["date"]: (list(e["values"]), e["source"]) for e in _F["city"]["confirmed"]
}
CITY_DISCHARGED_0301: tuple[list[int], str] = next(
    (list(e["values"]), e["source"]) for e in _F["city"]["discharged"] if e["date"] == D("2020-03-01")
)

# The 衢州 revision: confirmed revised down by 7 on 2020-02-20 (21 -> 14).
REVISION: tuple[date, str, int, str] = tuple(_F["revision"][k] for k in ("date", "region_code", "down_by", "source"))

# Provincial prison cluster (省十里丰监狱), not in any county: cumulative confirmed / discharged.
PRISON_NAME_ZH: str = _F["prison"]["name_zh"]
PRISON_NAME_EN: str = _F["prison"]["name_en"]
PRISON_CONFIRMED: dict[date, tuple[int, str]] = _series(_F["prison"]["confirmed"])
# ASSUMPTION: none discharged before 2020-02-28, all 36 by 2020-03-16 (between the published points).
_PRISON_DISCHARGED_ASSUMED = {D("2020-02-28"): (0, "ASSUMPTION"), D("2020-03-16"): (36, "ASSUMPTION")}
PRISON_DISCHARGED: dict[date, tuple[int, str]] = dict(
    sorted((_series(_F["prison"]["discharged"]) | _PRISON_DISCHARGED_ASSUMED).items())
)

# --------------------------------------------------------------------------------------------------
# County anchors (cumulative confirmed). Functional zones without a code are put in the county that
# hosts them: 台州湾集聚区 -> 椒江区; 瓯江口 and 浙南产业集聚区 -> 龙湾区 (ASSUMPTION, in the counts).
COUNTY_CONFIRMED: list[tuple[date, dict[str, int], str]] = [
    (e["date"], dict(e["counts"]), e["source"]) for e in _F["county_confirmed"]
]

# Five-colour map facts the county shapes must allow (source "five-colour").
_MAP = _F["five_colour"]
NEVER_CASE_BY_0209: int = _MAP["never_case_by_0209"]
YIWU: str = _MAP["yiwu"]  # 义乌: gets 金华's last new case of February
LATE_CASE_COUNTIES: list[str] = list(_MAP["late_case_counties"])  # 桐庐, 海曙: their city's last new case
OTHER_LAST_CASE_BY: date = _MAP["other_last_case_by"]
# ASSUMPTION (calibration of the scenario to the 2020-02-12 map, not a published fact): 拱墅, 北仑 and
# 象山 get their 13th case on 2020-02-11.
FIVE_COLOUR_0211_DAY = D("2020-02-11")
FIVE_COLOUR_0211_COUNTIES = ("330105", "330206", "330225")

# --------------------------------------------------------------------------------------------------
# Health code (source "health-code").
HEALTH_CODE_START_HANGZHOU: date = _F["health_code"]["start_hangzhou"]
HEALTH_CODE_START_PROVINCE: date = _F["health_code"]["start_province"]
HEALTH_CODES_ISSUED_0217: int = _value(_F["health_code"]["issued"])
HEALTH_CODE_GREEN_SHARE_0217: float = _value(_F["health_code"]["green_share"])
PROVINCE_POPULATION: int = _value(_F["province"]["population"])  # census-2020

# --------------------------------------------------------------------------------------------------
# Enterprises (source "resumption-0225", "cctv-0326").
_FIRMS = _F["enterprises"]
ABOVE_SCALE_FIRMS: int = _value(_FIRMS["above_scale_firms"])
LEADING_FIRMS: int = _value(_FIRMS["leading_firms"])
ENTERPRISE_SAMPLE_SHARE = 0.10  # ASSUMPTION: the scenario's sample of the province's firms
SMALL_FIRMS_IN_SAMPLE = 3_000  # ASSUMPTION
RESUMED_SHARE_0225: float = _value(_FIRMS["resumed_share"])  # percent of above-scale firms with kWh > 30 % of baseline
WORKER_RETURN_0225: float = _value(_FIRMS["worker_return"])  # percent, above-scale firms
CAPACITY_0225_MIN: float = _value(_FIRMS["capacity_min"])  # "above 50 %", above-scale firms
CAPACITY_LEADING_0225: float = _value(_FIRMS["capacity_leading"])
_CAPACITY = _series(_FIRMS["capacity_index"])
CAPACITY_0229: float = _CAPACITY[D("2020-02-29")][0]
CAPACITY_0326: float = _CAPACITY[D("2020-03-26")][0]
RESUMED_THRESHOLD: float = _value(_FIRMS["resumed_threshold"])
SPRING_FESTIVAL_2019: date = _F["calendar"]["spring_festival"]["2019"]
SPRING_FESTIVAL_2020: date = _F["calendar"]["spring_festival"]["2020"]
EARLIEST_RESUMPTION_2020 = D("2020-02-10")  # ASSUMPTION here: no source recorded

SCENARIO_START = D("2020-01-17")
SCENARIO_END = D("2020-04-30")


def citation_text() -> str:
    """All cited sources, one per line, for ``source.toml`` (the calendar is not cited)."""
    return "\n".join(f"[{key}] {text}" for key, text in SOURCES.items() if key not in UNCITED_SOURCES)
