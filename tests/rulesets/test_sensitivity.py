"""Sensitivity of a county's level to its population (docs/rulesets.md#sensitivity-to-population)."""

from support import county_series

from epianalysis.rulesets.sensitivity import population_sensitivity

DAY = "2020-02-18"


def seven_days(code: str, cases: int) -> object:
    """``cases`` new cases spread over the 7 days to DAY (none before)."""
    confirmed = [0] * 14 + [round(cases * (i + 1) / 7) for i in range(7)]
    return county_series(code, "2020-01-29", confirmed)


def test_a_county_on_a_cut_off_is_sensitive_and_one_far_from_it_is_not():
    import pandas as pd

    # covid-act-now: 7 cases in 7 days, 100 000 people: mean 1.0 per 100k -> low (<= 1); with 90 000
    # people 1.11 -> medium; with 110 000 0.91 -> low. 70 cases: mean 10 -> medium either way? 10/0.9 = 11.1
    # -> high, so the far county has 35 cases: 5.0, 5.6, 4.5 -> medium throughout.
    frame = pd.concat([seven_days("330782", 7), seven_days("330783", 35)], ignore_index=True)
    pop = {"330782": 100_000.0, "330783": 100_000.0}
    out = population_sensitivity(frame, "covid-act-now", DAY, ["330782", "330783"], pop).set_index("region_code")
    assert out.loc["330782", ["level", "level_lower", "level_higher"]].tolist() == ["low", "medium", "low"]
    assert bool(out.loc["330782", "sensitive"])
    assert out.loc["330783", ["level", "level_lower", "level_higher"]].tolist() == ["medium"] * 3
    assert not bool(out.loc["330783", "sensitive"])


def test_rule_sets_that_read_no_population_are_never_sensitive():
    frame = seven_days("330782", 7)
    out = population_sensitivity(frame, "zhejiang-2020", DAY, ["330782"], {"330782": 100_000.0})
    assert out["level"].tolist() == ["blue"]  # 7 local cases, last on DAY: score 20 -> blue
    assert not out["sensitive"].any()
