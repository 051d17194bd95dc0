"""Health-code colour rules, replay and analytics, checked by hand (docs/methods.md#health-codes)."""

import pandas as pd
import pytest

from epianalysis.errors import DataError
from epianalysis.reference.regions import counties
from epianalysis.topics.health_codes import metrics as hc

D = pd.Timestamp("2020-02-10")


def day(k: int) -> pd.Timestamp:
    return D + pd.Timedelta(days=k)


def events(rows):
    """rows: (person_id, day offset, event, detail)."""
    return pd.DataFrame([(p, day(k), e, d) for p, k, e, d in rows], columns=["person_id", "date", "event", "detail"])


def checkins(person, days, detail="normal"):
    return [(person, k, "checkin", detail) for k in days]


def colours_of(log, person):
    rows = log[log["person_id"] == person]
    return list(rows["colour"]), [None if pd.isna(r) else r for r in rows["reason"]]


def test_rules_from_the_package_toml():
    rules = hc.load_rules()
    assert rules.checkins_to_green == {"green": 0, "yellow": 7, "red": 14}
    assert rules.triggers["contact"] == "red"
    assert rules.triggers["none"] == "green"


def test_yellow_turns_green_after_exactly_seven_normal_checkins():
    log = hc.replay_colours(events([(1, 0, "declare", "arrival"), *checkins(1, range(1, 9))]))
    colours, reasons = colours_of(log, 1)
    # declared on day 0; check-ins on days 1..7 -> 7th on day 7: green that day
    assert colours == ["yellow"] * 7 + ["green", "green"]
    assert reasons == ["arrival"] * 7 + ["released", None]
    assert list(log["date"]) == [day(k) for k in range(9)]


def test_six_normal_checkins_are_not_enough():
    log = hc.replay_colours(events([(1, 0, "declare", "symptoms"), *checkins(1, range(1, 7))]), end=day(7))
    colours, _ = colours_of(log, 1)
    assert colours == ["yellow"] * 8  # day 7 has no check-in: missed, still yellow


def test_a_missed_checkin_restarts_the_count():
    # normal on days 1-3, nothing on day 4 (missed), normal on days 5-11: 7 in a row on day 11
    rows = [(1, 0, "declare", "arrival"), *checkins(1, [1, 2, 3]), *checkins(1, range(5, 13))]
    colours, _ = colours_of(hc.replay_colours(events(rows)), 1)
    assert colours == ["yellow"] * 11 + ["green", "green"]
    # an explicit "missed" row does the same
    rows2 = [*rows, (1, 4, "checkin", "missed")]
    assert colours_of(hc.replay_colours(events(rows2)), 1)[0] == colours


def test_missed_checkin_does_not_restart_when_the_rule_says_so():
    rules = hc.load_rules().replace(missed_restarts=False)
    rows = [(1, 0, "declare", "arrival"), *checkins(1, [1, 2, 3]), *checkins(1, range(5, 13))]
    colours, _ = colours_of(hc.replay_colours(events(rows), rules), 1)
    # 3 + 4 normal check-ins: the 7th is on day 8
    assert colours == ["yellow"] * 8 + ["green"] * 5


def test_red_after_contact_for_fourteen_days():
    log = hc.replay_colours(events([(7, 0, "declare", "contact"), *checkins(7, range(1, 16))]))
    colours, reasons = colours_of(log, 7)
    assert colours == ["red"] * 14 + ["green", "green"]
    assert reasons[0] == "contact" and reasons[14] == "released"


def test_red_overrides_yellow_and_restarts_the_count():
    rows = [
        (1, 0, "declare", "arrival"),
        *checkins(1, [1, 2]),
        (1, 3, "declare", "contact"),
        *checkins(1, range(3, 18)),
    ]
    colours, reasons = colours_of(hc.replay_colours(events(rows)), 1)
    # red from day 3; the check-in of day 3 does not count; 14 normal on days 4..17 -> green day 17
    assert colours == ["yellow"] * 3 + ["red"] * 14 + ["green"]
    assert reasons[3] == "contact"


def test_a_yellow_trigger_never_lowers_red():
    rows = [(1, 0, "declare", "contact"), (1, 2, "declare", "arrival"), *checkins(1, range(1, 18))]
    colours, reasons = colours_of(hc.replay_colours(events(rows), end=day(17)), 1)
    # count restarts on day 2 (new exposure) but red stays: 14 normal check-ins on days 3..16
    assert colours == ["red"] * 16 + ["green", "green"]
    assert reasons[2] == "contact"


def test_same_day_declaration_and_checkin_do_not_count_the_checkin():
    rows = [(1, 0, "declare", "arrival"), *checkins(1, range(0, 7))]
    colours, _ = colours_of(hc.replay_colours(events(rows)), 1)
    assert colours == ["yellow"] * 7  # only 6 counted check-ins by day 6


def test_abnormal_checkin_turns_green_to_yellow_with_reason_checkin():
    rows = [(2, 0, "declare", "none"), (2, 1, "checkin", "abnormal"), *checkins(2, range(2, 9))]
    colours, reasons = colours_of(hc.replay_colours(events(rows)), 2)
    assert colours == ["green"] + ["yellow"] * 7 + ["green"]
    assert reasons == [None] + ["checkin"] * 7 + ["released"]


def test_persons_start_at_their_first_declaration_and_state_carries_into_the_window():
    rows = [(1, 0, "declare", "contact"), *checkins(1, range(1, 15)), (2, 5, "declare", "none")]
    log = hc.replay_colours(events(rows), start=day(4), end=day(14))
    assert colours_of(log, 1)[0] == ["red"] * 10 + ["green"]  # days 4..13 red, day 14 green
    assert list(log.loc[log["person_id"] == 2, "date"]) == [day(k) for k in range(5, 15)]
    assert set(log.loc[log["person_id"] == 2, "colour"]) == {"green"}


def test_a_rule_change_can_be_replayed():
    rules = hc.load_rules()
    shorter = rules.replace(checkins_to_green={"green": 0, "yellow": 5, "red": 10})
    rows = [(1, 0, "declare", "arrival"), *checkins(1, range(1, 8))]
    assert colours_of(hc.replay_colours(events(rows), shorter), 1)[0] == ["yellow"] * 5 + ["green"] * 3


def test_invalid_rules_are_refused():
    with pytest.raises(DataError, match="invalid health-code rules"):
        hc.load_rules().replace(
            triggers={"contact": "purple", "arrival": "yellow", "symptoms": "yellow", "none": "green"}
        )


def test_bad_events_name_row_column_and_rule():
    bad = events(
        [
            (1, 0, "declare", "arrival"),
            (1, 1, "checkin", "fine"),
            (1, 2, "call", "x"),
            (1, 3, "checkin", "normal"),
            (1, 3, "checkin", "normal"),
        ]
    )
    with pytest.raises(DataError) as info:
        hc.replay_colours(bad, source="declarations.csv")
    text = str(info.value)
    assert "declarations.csv line 2, column 'detail', value 'fine'" in text and "[allowed_detail_for_event]" in text
    assert "declarations.csv line 3, column 'event'" in text
    assert "declarations.csv line 5, column 'person_id'" in text and "[unique_checkin(person_id, date)]" in text


def _county_codes():
    return list(counties()["code"])


def test_share_green_reproduces_the_published_province_share():
    # 14.989 M codes, 94.7 % green on 2020-02-17: 0.947 * 14,989,000 = 14,194,583 green
    codes = _county_codes()
    assert len(codes) == 90
    rows = [("2020-02-17", c, 157_200, 6_000, 2_800) for c in codes[:89]]
    rows.append(("2020-02-17", codes[89], 14_194_583 - 89 * 157_200, 10_000, 1_217))
    table = pd.DataFrame(rows, columns=["date", "region_code", "green", "yellow", "red"])
    out = hc.share_green(table)
    province = out[out["region_code"] == "330000"].iloc[0]
    assert province["holders"] == 14_989_000
    assert province["green"] == 14_194_583
    assert province["share_green"] == pytest.approx(0.947, abs=1e-9)
    county = out[out["region_code"] == codes[0]].iloc[0]
    assert county["share_green"] == pytest.approx(157_200 / 166_000)
    assert county["level"] == "county"


def test_share_green_province_is_missing_when_a_county_is_missing():
    codes = _county_codes()[:89]
    table = pd.DataFrame(
        [("2020-02-17", c, 90, 5, 5) for c in codes], columns=["date", "region_code", "green", "yellow", "red"]
    )
    out = hc.share_green(table)
    assert pd.isna(out.loc[out["region_code"] == "330000", "share_green"].iloc[0])
    assert out.loc[out["region_code"] == codes[0], "share_green"].iloc[0] == pytest.approx(0.9)


def test_conversions_daily_and_cumulative_with_a_gap_flagged():
    c = _county_codes()[0]
    table = pd.DataFrame(
        {
            "date": ["2020-02-15", "2020-02-16", "2020-02-17"],
            "region_code": [c] * 3,
            "new_red": [2, 1, 0],
            "new_yellow": [5, 3, 1],
            "red_to_green": [0, 4, None],
            "yellow_to_green": [10, 20, 30],
        }
    )
    out = hc.conversions(table)
    county = out[out["region_code"] == c].reset_index(drop=True)
    assert list(county["cum_yellow_to_green"].iloc[:2]) == [10, 30]
    assert list(county["to_green"].iloc[:2]) == [10, 24]
    assert list(county["cum_to_green"].iloc[:2]) == [10, 34]
    assert pd.isna(county["cum_red_to_green"].iloc[2])  # missing day: not counted as 0
    assert pd.isna(county["cum_yellow_to_green"].iloc[2])
    assert list(county["cum_complete"]) == [True, True, False]


def _log(rows):
    frame = pd.DataFrame(rows, columns=["person_id", "k", "colour"])
    frame["date"] = frame["k"].map(day)
    return frame.drop(columns="k")


def test_episodes_and_median_days_to_green():
    seq = {1: "GGYYYG", 2: "GRRYYG", 3: "YYGGGG", 4: "GGGGRR"}
    names = {"G": "green", "Y": "yellow", "R": "red"}
    log = _log([(p, k, names[ch]) for p, s in seq.items() for k, ch in enumerate(s)])
    eps = hc.episodes(log)
    assert list(eps["person_id"]) == [1, 2, 3, 4]
    assert list(eps["colour"]) == ["yellow", "red", "yellow", "red"]
    assert list(eps["days_to_green"].iloc[:3]) == [3, 4, 2]
    assert list(eps["ongoing"]) == [False, False, False, True]
    assert list(eps["left_censored"]) == [False, False, True, False]
    med = hc.median_days_to_green(log).set_index("colour")
    assert med.loc["all", "median_days"] == 3.5  # (3 + 4) / 2; person 3 left-censored, 4 ongoing
    assert med.loc["red", "median_days"] == 4
    assert med.loc["red", "n_ongoing"] == 1
    assert med.loc["yellow", "n_left_censored"] == 1
    with_censored = hc.median_days_to_green(log, include_left_censored=True).set_index("colour")
    assert with_censored.loc["yellow", "median_days"] == 2.5  # (3 + 2) / 2


def test_replayed_codes_take_seven_and_fourteen_days():
    rows = [
        (0, 0, "declare", "none"),
        (1, 1, "declare", "arrival"),
        *checkins(1, range(2, 20)),
        (2, 1, "declare", "contact"),
        *checkins(2, range(2, 20)),
    ]
    med = hc.median_days_to_green(hc.replay_colours(events(rows))).set_index("colour")
    assert med.loc["yellow", "median_days"] == 7
    assert med.loc["red", "median_days"] == 14


def test_province_cumulative_conversions_include_counties_that_started_earlier():
    codes = _county_codes()
    day1 = [("2020-02-11", codes[0], 1, 2, 3, 4)]  # only one county issues codes on day 1
    day2 = [("2020-02-12", c, 0, 1, 1, 1) for c in codes]
    table = pd.DataFrame(
        day1 + day2, columns=["date", "region_code", "new_red", "new_yellow", "red_to_green", "yellow_to_green"]
    )
    out = hc.conversions(table)
    province = out[out["region_code"] == "330000"].set_index("date")
    assert pd.isna(province.loc[pd.Timestamp("2020-02-11"), "cum_to_green"])  # 89 counties without a row
    assert pd.isna(province.loc[pd.Timestamp("2020-02-11"), "to_green"])
    # day 2: 90 counties x (1 + 1) conversions, plus the first county's 3 + 4 of day 1
    assert province.loc[pd.Timestamp("2020-02-12"), "to_green"] == 180
    assert province.loc[pd.Timestamp("2020-02-12"), "cum_to_green"] == 187
    assert bool(province.loc[pd.Timestamp("2020-02-12"), "cum_complete"])
