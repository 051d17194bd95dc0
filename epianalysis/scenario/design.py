"""The scenario's county design: which counties had how many local cases and when, the cases placed
by hand, the split of imported cases. Every value here is an ASSUMPTION of the synthetic scenario
(except where a published county anchor of :mod:`epianalysis.scenario.figures` fixes a total);
:mod:`epianalysis.scenario.cases` builds the county-day curves from it.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from epianalysis.scenario import figures as F
from epianalysis.scenario.allocate import day_index

START, END = F.SCENARIO_START, F.SCENARIO_END
N_DAYS = (END - START).days + 1

# code: total local confirmed (gross, before the revision) by 2020-03-01, first and last case (MM-DD).
# ASSUMPTION except where a county anchor in figures.COUNTY_CONFIRMED fixes the total.
_DESIGN_TEXT = """
330102 6 01-25 02-05|330103 9 01-23 02-03|330104 21 01-22 02-16|330105 13 01-24 02-10
330106 33 01-21 02-16|330108 5 01-26 02-05|330109 35 01-22 02-14|330110 28 01-22 02-15
330111 9 01-24 02-02|330112 6 01-25 02-04|330122 13 01-23 02-11|330127 0|330182 1 01-27 01-27
330203 20 01-22 02-12|330205 8 01-24 02-05|330206 13 01-24 02-10|330211 6 01-26 02-04
330212 34 01-22 02-16|330213 8 01-25 02-09|330225 13 01-25 02-10|330226 25 01-23 02-15
330281 10 01-24 02-05|330282 20 01-23 02-14
330302 68 01-21 02-15|330303 20 01-23 02-12|330304 36 01-22 02-14|330305 5 01-26 02-04
330324 52 01-22 02-15|330326 30 01-23 02-13|330327 9 01-25 02-08|330328 11 01-25 02-09
330329 20 01-24 02-11|330381 74 01-21 02-16|330382 170 01-21 02-17|330383 9 01-25 02-08
330402 10 01-23 02-14|330411 6 01-25 02-05|330421 4 01-26 02-05|330424 5 01-25 02-05
330481 6 01-24 02-12|330482 4 01-27 02-05|330483 10 01-24 02-19
330502 4 01-25 02-14|330503 0|330521 3 01-28 02-04|330522 3 01-27 02-05|330523 0
330602 13 01-23 02-15|330603 10 01-24 02-14|330604 6 01-24 02-05|330624 4 01-26 02-05
330681 5 01-25 02-05|330683 4 01-26 02-05
330702 1 01-25 01-25|330703 5 01-24 02-05|330723 0|330726 8 01-25 02-10|330727 0
330781 1 01-27 01-27|330782 16 01-23 02-12|330783 19 01-24 02-13|330784 5 01-25 02-05
330802 13 01-23 02-16|330803 3 01-25 02-05|330822 0|330824 0|330825 2 01-27 02-04
330881 3 01-24 02-05
330902 6 01-21 02-15|330903 4 01-23 02-05|330921 0|330922 0
331002 14 01-21 02-12|331003 22 01-22 02-15|331004 13 01-22 01-31|331022 14 01-23 02-10
331023 8 01-24 02-07|331024 14 01-23 02-13|331081 53 01-21 02-17|331082 8 01-24 02-07
331083 0
331102 5 01-25 02-12|331121 3 01-26 02-04|331122 3 01-26 02-05|331123 1 01-28 01-28
331124 2 01-27 02-03|331125 1 01-29 01-29|331126 0|331127 0|331181 2 01-27 02-02
"""

# Cases placed by hand: (date, county, n). Included in the totals of _DESIGN_TEXT. The last cases of
# 义乌, 桐庐 and 海曙 are placed by epianalysis.scenario.cases on the day the real daily figures give
# their city its last new case of February.
FIXED_LOCAL: list[tuple[date, str, int]] = [
    # The 13th case of 拱墅, 北仑 and 象山 on 2020-02-11 (ASSUMPTION, five-colour calibration): three
    # counties cross 13 cases between the maps of 02-09 and 02-12 (yellow on 02-12, as the published
    # count of 13 yellow needs); one case fewer in 西湖, 鄞州 and 宁海 keeps the city totals.
    *((F.FIVE_COLOUR_0211_DAY, code, 1) for code in F.FIVE_COLOUR_0211_COUNTIES),
]
# A city whose real cumulative count falls (a revision) carries the fall in one county (ASSUMPTION),
# with whether the revised cases' discharges stay counted there: 衢州's 7 cases revised away on
# 2020-02-20 were no cases (no discharge); 杭州's 10 of 2020-02-09 were reassigned to other provinces
# and their discharges stayed in 杭州's count (杭州 170 discharged of 169 confirmed on 2020-03-02).
REVISED_COUNTIES: dict[str, tuple[str, bool]] = {"330800": ("330802", False), "330100": ("330106", True)}
# The local cases a city gets after February go to this county (ASSUMPTION): 杭州's 12 of 2020-03-13
# (its reassigned cases counted again) to 西湖, 嘉兴's one of 2020-03-26 to 南湖.
LATE_LOCAL_COUNTIES = {"330100": "330106", "330400": "330402"}
# Imported cases in the city the real figures place them in (until 2020-03-19) go to this county
# (ASSUMPTION; the 8 of 2020-03-02 in 青田县 are published).
IMPORTED_COUNTY = {"331100": "331121", "330100": "330109", "330500": "330502", "330300": "330381"}
# Imported cases without a city in the real figures (from 2020-03-20), by county (ASSUMPTION).
IMPORTED_SPLIT = {
    "331121": 12,
    "330381": 6,
    "330302": 5,
    "330328": 3,
    "330382": 2,
    "330109": 2,
    "330212": 3,
}
ACTIVE_AT_END = {"331121": 2, "330381": 2}  # imported cases still in hospital on 04-30 (ASSUMPTION)
N_CLUSTERS = 38


def county_design(counties: pd.DataFrame) -> pd.DataFrame:
    """The per-county design (``total``, ``first``, ``last`` day index), aligned with ``counties``."""
    rows = {}
    for item in _DESIGN_TEXT.replace("\n", "|").split("|"):
        parts = item.split()
        if not parts:
            continue
        code, total = parts[0], int(parts[1])
        first = day_index(START, date.fromisoformat("2020-" + parts[2])) if total else N_DAYS
        last = day_index(START, date.fromisoformat("2020-" + parts[3])) if total else -1
        rows[code] = (total, first, last)
    missing = set(counties["code"]) ^ set(rows)
    if missing:
        raise ValueError(f"county design and region table differ: {sorted(missing)}")
    design = pd.DataFrame([rows[c] for c in counties["code"]], columns=["total", "first", "last"])
    design.insert(0, "code", counties["code"].to_numpy())
    design.insert(1, "parent_code", counties["parent_code"].to_numpy())
    return design
