"""Official and published figures the embedded scenario is calibrated to, each with its source.

Counts are "as of D 24:00" (the bulletin convention) unless a comment says otherwise. Values marked
``ASSUMPTION`` are choices of the scenario, not published numbers. Everything here is typed in by hand
from the sources named in :data:`SOURCES`; nothing is read from data files at run time.
"""

from __future__ import annotations

from datetime import date

D = date.fromisoformat

# --------------------------------------------------------------------------------------------------
# Sources (key -> citation). ``citation_text()`` joins them for ``source.toml``.
SOURCES: dict[str, str] = {
    "zjwjw": "Zhejiang Health Commission daily bulletins (浙江省卫健委疫情通报), zjwjw.gov.cn, e.g. "
    "http://www.zjwjw.gov.cn/art/2020/2/7/art_1202101_41884591.html (as of 2020-02-06 24:00), "
    "as transcribed by canghailan/Wuhan-2019-nCoV (MIT)",
    "bulletin-0217": "bulletin as of 2020-02-17 24:00, quoted by a local news page "
    "('2.18疫情通报!金华连续5天0新增!东阳、义乌、永康各出院2例!', URL not recorded)",
    "bulletin-0220": "bulletin as of 2020-02-20 24:00 (first death, 温州; 衢州 revised down by 7; "
    "省十里丰监狱 34 cases), aggregator copy of 浙江发布: https://kuaida1.com/life/156166.html",
    "bulletin-0221": "bulletin as of 2020-02-21 24:00, 文汇报: http://wenhui.whb.cn/zhuzhan/jjl/20200222/327186.html",
    "press-0224": "28th provincial press conference (2020-02-24), data as of 2020-02-23 24:00, 杭州网: "
    "https://ori.hangzhou.com.cn/ornews/content/2020-02/24/content_7682376_0.htm",
    "press-0228": "30th provincial press conference (2020-02-28), data as of 2020-02-27 24:00, "
    "discharge rate 78.26 %, copy of 浙江之声: https://bbs.hqdoor.com/read-htm-tid-1253019-fpage-305.html",
    "bulletin-0301": "bulletin as of 2020-03-01 24:00 (local cases), copy of 中新网: "
    "https://cn.apdnews.com/article/fe7b51b",
    "bulletin-0302": "bulletin as of 2020-03-02 24:00 (1213 incl. 8 imported Italy cases in 青田县), "
    "copy of 中新网: https://ptzyk.com/hqhr/2020/03-03/247557.shtml",
    "bulletin-0402": "bulletin as of 2020-04-02 24:00 (local 1218/1216, imported 42/12), 杭州网 (健康浙江): "
    "https://py.hangzhou.com.cn/yqpy/content/content_7707820.htm",
    "jhu": "JHU CSSE COVID-19 Data (CC BY 4.0), https://github.com/CSSEGISandData/COVID-19, row "
    "Zhejiang; column date D is read as the official total of D-1 24:00",
    "taizhou-0201": "台州 county counts as of 2020-02-01, mirror of 浙江在线台州频道: "
    "http://hanfengnongye.com/tzxw/202002/t20200202_11626556.shtml",
    "taizhou-0208": "台州 county counts as of 2020-02-08, city press conference transcript (中国台州网): "
    "http://taizhou.com.cn/xwfbt/col/2020-02/09/content_6320420.htm",
    "wenzhou-0217": "温州 county counts as of 2020-02-17 (14 units) from 温州市卫健委 bulletins",
    "jinhua-0217": "金华 county counts as of 2020-02-17 from 金华市卫健委 (URL not recorded)",
    "five-colour": "Zhejiang county five-colour risk map, 18th provincial press conference (2020-02-13) and "
    "later maps; He et al., Sci Rep 11:11317 (2021); county counts 2020-02-09 1/12/12/53/12, "
    "2020-02-12 1/11/13/17/48, 2020-02-27 0/0/0/2/88",
    "health-code": "Zhejiang provincial press conference, 2020-02-18: 14.989 M health codes issued by "
    "2020-02-17, 94.7 % green; codes issued in Hangzhou from 2020-02-11, province-wide from 2020-02-14",
    "resumption-0225": "Zhejiang provincial press conference on work resumption (as of 2020-02-25): "
    "44,370 above-scale industrial firms, 99.8 % resumed, 60.1 % of workers back, capacity "
    "recovery above 50 %; the 905 leading firms 72 %; capacity recovery index 76.75 at end of February",
    "cctv-0326": "CCTV 新闻联播 (2020-03-31), enterprise capacity recovery 90.6 % as of 2020-03-26, copy: "
    "http://industrysalt.com/aspcms/news/2020-4-1/876.html",
    "census-2020": "2020 census (七普) province population 64,567,588 (浙江省第七次人口普查主要数据公报)",
}

# --------------------------------------------------------------------------------------------------
# Province, all cases (local + imported, including the prison cluster): cumulative confirmed.
PROVINCE_CONFIRMED: dict[date, tuple[int, str]] = {
    D("2020-01-21"): (5, "zjwjw"),
    D("2020-01-23"): (43, "zjwjw"),
    D("2020-01-25"): (104, "zjwjw"),
    D("2020-01-27"): (173, "zjwjw"),
    D("2020-01-29"): (428, "zjwjw"),
    D("2020-01-31"): (599, "zjwjw"),
    D("2020-02-01"): (661, "zjwjw"),
    D("2020-02-02"): (724, "zjwjw"),
    D("2020-02-04"): (895, "zjwjw"),
    D("2020-02-06"): (1006, "zjwjw"),
    D("2020-02-09"): (1092, "jhu"),
    D("2020-02-12"): (1145, "jhu"),
    D("2020-02-14"): (1162, "jhu"),
    D("2020-02-17"): (1172, "bulletin-0217"),
    D("2020-02-18"): (1174, "jhu"),
    D("2020-02-20"): (1203, "bulletin-0220"),
    D("2020-02-21"): (1205, "bulletin-0221"),
    D("2020-02-23"): (1205, "press-0224"),
    D("2020-02-27"): (1205, "press-0228"),
    D("2020-03-01"): (1205, "bulletin-0301"),
    D("2020-03-02"): (1213, "bulletin-0302"),
    D("2020-04-02"): (1260, "bulletin-0402"),
    D("2020-04-29"): (1268, "jhu"),
}

# Imported (Italy and other) cases, cumulative; none before March.
PROVINCE_IMPORTED: dict[date, tuple[int, str]] = {
    D("2020-03-01"): (0, "bulletin-0301"),
    D("2020-03-02"): (8, "bulletin-0302"),
    D("2020-04-02"): (42, "bulletin-0402"),
    D("2020-04-29"): (50, "jhu"),  # 1268 - 1218 local (local assumed unchanged after 04-02)
}
IMPORTED_FIRST_COUNTY = "331121"  # 青田县: all 8 imported cases of 2020-03-02 (bulletin-0302)

PROVINCE_DISCHARGED: dict[date, tuple[int, str]] = {
    D("2020-01-23"): (1, "zjwjw"),
    D("2020-01-27"): (1, "zjwjw"),
    D("2020-01-29"): (4, "zjwjw"),
    D("2020-01-31"): (15, "zjwjw"),
    D("2020-02-02"): (36, "zjwjw"),
    D("2020-02-04"): (63, "zjwjw"),
    D("2020-02-06"): (98, "zjwjw"),
    D("2020-02-17"): (514, "bulletin-0217"),
    D("2020-02-20"): (647, "bulletin-0220"),
    D("2020-02-21"): (694, "bulletin-0221"),
    D("2020-02-23"): (765, "press-0224"),
    D("2020-02-27"): (943, "press-0228"),
    D("2020-03-01"): (1050, "bulletin-0301"),
    D("2020-03-02"): (1086, "bulletin-0302"),
    D("2020-04-02"): (1228, "bulletin-0402"),
    D("2020-04-29"): (1263, "jhu"),  # intra-day aggregator figure, used as an approximate anchor
}
IMPORTED_DISCHARGED_0402 = (12, "bulletin-0402")

FIRST_DEATH = (D("2020-02-20"), "330324", "bulletin-0220")  # 温州 (永嘉县 per 温州 county data 02-27)

# (severe, critical) currently in hospital.
PROVINCE_SEVERE_CRITICAL: dict[date, tuple[int, int, str]] = {
    D("2020-02-01"): (52, 12, "zjwjw"),
    D("2020-02-06"): (72, 21, "zjwjw"),
    D("2020-02-17"): (67, 22, "bulletin-0217"),
    D("2020-02-20"): (49, 18, "bulletin-0220"),
    D("2020-02-21"): (44, 17, "bulletin-0221"),
    D("2020-02-23"): (39, 16, "press-0224"),
    D("2020-02-27"): (21, 11, "press-0228"),
    D("2020-03-01"): (10, 4, "bulletin-0301"),
    D("2020-03-02"): (8, 4, "bulletin-0302"),
}

# --------------------------------------------------------------------------------------------------
# Prefecture cumulative local confirmed (zjwjw for 02-01 and 02-06; bulletin-0217; bulletin-0301 final).
CITY_CODES = [
    "330100",
    "330200",
    "330300",
    "330400",
    "330500",
    "330600",
    "330700",
    "330800",
    "330900",
    "331000",
    "331100",
]
CITY_CONFIRMED: dict[date, tuple[list[int], str]] = {
    D("2020-02-01"): ([110, 66, 265, 19, 6, 27, 34, 13, 7, 100, 14], "zjwjw"),
    D("2020-02-06"): ([156, 136, 421, 35, 9, 34, 48, 15, 7, 129, 16], "zjwjw"),
    D("2020-02-17"): ([168, 156, 504, 43, 10, 42, 55, 21, 10, 146, 17], "bulletin-0217"),
    D("2020-03-01"): ([169, 157, 504, 45, 10, 42, 55, 14, 10, 146, 17], "bulletin-0301"),
}
CITY_DISCHARGED_0301 = ([165, 149, 447, 41, 9, 37, 52, 12, 8, 108, 17], "bulletin-0301")

# The 衢州 revision: confirmed revised down by 7 on 2020-02-20 (21 -> 14), bulletin-0220.
REVISION = (D("2020-02-20"), "330800", 7, "bulletin-0220")

# Provincial prison cluster (省十里丰监狱), not in any county: cumulative confirmed / discharged.
PRISON_NAME_ZH = "省十里丰监狱"
PRISON_NAME_EN = "Shilifeng Prison (provincial prison cluster)"
PRISON_CONFIRMED: dict[date, tuple[int, str]] = {
    D("2020-02-20"): (34, "bulletin-0220"),
    D("2020-02-21"): (36, "bulletin-0221"),
}
PRISON_DISCHARGED: dict[date, tuple[int, str]] = {
    D("2020-02-28"): (0, "ASSUMPTION"),
    D("2020-03-01"): (5, "bulletin-0301"),
    D("2020-03-02"): (15, "bulletin-0302"),
    D("2020-03-16"): (36, "ASSUMPTION"),
}

# --------------------------------------------------------------------------------------------------
# County anchors (cumulative confirmed). Functional zones without a code are put in the county that
# hosts them: 台州湾集聚区 -> 椒江区; 瓯江口 and 浙南产业集聚区 -> 龙湾区 (ASSUMPTION).
COUNTY_CONFIRMED: list[tuple[date, dict[str, int], str]] = [
    (
        D("2020-02-01"),
        {
            "331002": 8,
            "331003": 15,
            "331004": 13,
            "331082": 5,
            "331081": 35,
            "331023": 5,
            "331024": 8,
            "331022": 11,
            "331083": 0,
        },
        "taizhou-0201",
    ),
    (
        D("2020-02-08"),
        {
            "331002": 13,
            "331003": 20,
            "331004": 13,
            "331082": 8,
            "331081": 49,
            "331023": 8,
            "331024": 13,
            "331022": 14,
            "331083": 0,
        },
        "taizhou-0208",
    ),
    (
        D("2020-02-17"),
        {
            "330302": 68,
            "330303": 20,
            "330304": 36,
            "330305": 5,
            "330382": 170,
            "330381": 74,
            "330324": 52,
            "330328": 11,
            "330326": 30,
            "330329": 20,
            "330327": 9,
            "330383": 9,
        },
        "wenzhou-0217",
    ),
    (
        D("2020-02-17"),
        {
            "330702": 1,
            "330703": 5,
            "330781": 1,
            "330783": 19,
            "330782": 16,
            "330784": 5,
            "330726": 8,
            "330723": 0,
            "330727": 0,
        },
        "jinhua-0217",
    ),
]

# Five-colour map facts the county shapes must allow (source "five-colour").
NEVER_CASE_BY_0209 = 12
YIWU_LAST_CASE = ("330782", D("2020-02-14"))
LATE_CASE_COUNTIES = {"330122": D("2020-02-21"), "330203": D("2020-02-21")}  # 桐庐, 海曙
# The published 2020-02-20 total (1203) is matched less these 2 cases (scenario total 1201).
LATE_CASE_SHIFTED_ANCHOR = D("2020-02-20")
LATE_CASE_WINDOW = (D("2020-02-21"), D("2020-02-24"))
OTHER_LAST_CASE_BY = D("2020-02-19")
# ASSUMPTION (calibration of the scenario to the 2020-02-12 map, not a published fact): 拱墅, 北仑 and
# 象山 get their 13th case on 2020-02-11.
FIVE_COLOUR_0211_DAY = D("2020-02-11")
FIVE_COLOUR_0211_COUNTIES = ("330105", "330206", "330225")

# --------------------------------------------------------------------------------------------------
# Health code (source "health-code").
HEALTH_CODE_START_HANGZHOU = D("2020-02-11")
HEALTH_CODE_START_PROVINCE = D("2020-02-14")
HEALTH_CODES_ISSUED_0217 = 14_989_000
HEALTH_CODE_GREEN_SHARE_0217 = 0.947
PROVINCE_POPULATION = 64_567_588  # census-2020

# --------------------------------------------------------------------------------------------------
# Enterprises (source "resumption-0225", "cctv-0326").
ABOVE_SCALE_FIRMS = 44_370
LEADING_FIRMS = 905
ENTERPRISE_SAMPLE_SHARE = 0.10
SMALL_FIRMS_IN_SAMPLE = 3_000  # ASSUMPTION
RESUMED_SHARE_0225 = 99.8  # percent of above-scale firms with kWh > 30 % of baseline
WORKER_RETURN_0225 = 60.1  # percent, above-scale firms
CAPACITY_0225_MIN = 50.0  # "above 50 %", above-scale firms
CAPACITY_LEADING_0225 = 72.0
CAPACITY_0229 = 76.75
CAPACITY_0326 = 90.6
RESUMED_THRESHOLD = 0.30
SPRING_FESTIVAL_2019 = D("2019-02-05")
SPRING_FESTIVAL_2020 = D("2020-01-25")
EARLIEST_RESUMPTION_2020 = D("2020-02-10")

SCENARIO_START = D("2020-01-17")
SCENARIO_END = D("2020-04-30")


def citation_text() -> str:
    """All sources, one per line, for ``source.toml``."""
    return "\n".join(f"[{key}] {text}" for key, text in SOURCES.items())
