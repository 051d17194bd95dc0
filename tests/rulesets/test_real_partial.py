"""The engine on the real partial county data (温州, 台州, 金华 on a few dates): it runs, and every
county whose inputs are missing is *unknown* (the file has no daily series, no local split and no
cluster counts), never a guessed level."""

import pandas as pd
import pytest

from epianalysis.rulesets import available_rulesets, evaluate


@pytest.fixture
def partial_cases(real_data_dir):
    raw = pd.read_csv(real_data_dir / "zhejiang_county_cases_partial.csv", dtype={"county_code": str})
    # functional zones (台州湾集聚区, 瓯江口/浙南产业集聚区) have no county code: not one of the 90 units
    raw = raw[raw["county_code"].notna()]
    return pd.DataFrame(
        {
            "date": raw["as_of_date"],
            "region_code": raw["county_code"],
            "confirmed": raw["confirmed"].astype("Int64"),
            "discharged": raw["discharged"].astype("Int64"),
            "deaths": raw["deaths"].astype("Int64"),
        }
    )


@pytest.mark.parametrize(
    ("name", "day"), [("national-2020", "2020-02-17"), ("zhejiang-2020", "2020-02-18"), ("covid-act-now", "2020-02-17")]
)
def test_runs_and_gives_unknown_on_missing_inputs(partial_cases, name, day):
    result = evaluate(partial_cases, name, start=day, end=day)
    levels = result.levels.set_index("region_code")
    assert len(levels) == 90
    # 义乌 (16 cases on 02-17) has no history, no local split, no clusters: unknown, with the reason
    yiwu = levels.loc["330782"]
    assert yiwu["level"] == "unknown"
    assert yiwu["missing_inputs"] != ""
    # a Hangzhou county has no row at all
    assert levels.loc["330102", "level"] == "unknown"
    assert result.counts["unknown"].tolist() == [90]


def test_reasons_name_the_missing_inputs(partial_cases):
    national = evaluate(partial_cases, "national-2020", start="2020-02-17", end="2020-02-17")
    yiwu = national.levels.set_index("region_code").loc["330782"]
    assert yiwu["cumulative_confirmed"] == 16
    assert yiwu["missing_inputs"] == "days_since_last_case"
    zhejiang = evaluate(partial_cases, "zhejiang-2020", start="2020-02-09", end="2020-02-27")
    z = zhejiang.levels.set_index(["region_code", zhejiang.levels["date"].dt.strftime("%m-%d")])
    assert z.loc[("330782", "02-18"), "level"] == "unknown"  # no row that day
    assert z.loc[("330782", "02-18"), "missing_inputs"] == "cumulative_confirmed"
    # 鹿城区 on 02-27: 68 cases, but no local split and no cluster counts
    assert set(z.loc[("330302", "02-27"), "missing_inputs"].split(";")) == {"local_share", "clusters_cumulative"}


def test_every_shipped_rule_set_runs_over_the_whole_period(partial_cases):
    for name in available_rulesets():
        result = evaluate(partial_cases, name)
        assert (result.counts.drop(columns="date").sum(axis=1) == 90).all()
