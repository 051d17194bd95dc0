"""The capacity briefing's summary section on a hand-made register (every figure worked by hand)."""

import datetime as dt

import pandas as pd
import pytest

from epianalysis import summary
from epianalysis.topics.capacity import view as cap_brief

REGISTER = pd.DataFrame(
    {
        "enterprise_id": ["E1", "E2", "E3"],
        "region_code": ["330782", "330782", "330102"],
        "sector": ["manufacturing"] * 3,
        "size_class": ["above_scale", "leading", "small"],
        "employees": [10, 10, 10],
    }
)


def _daily():
    december = pd.date_range("2019-12-01", "2019-12-31")
    rows = [(day, firm, 100.0, 10) for day in december for firm in ["E1", "E2", "E3"]]  # baseline 100 kWh
    day = pd.Timestamp("2020-02-25")
    rows += [(day, "E1", 50.0, 5), (day, "E2", 30.0, 10), (day, "E3", 10.0, 0)]
    frame = pd.DataFrame(rows, columns=["date", "enterprise_id", "kwh", "employees_on_site"])
    frame["employees_on_site"] = frame["employees_on_site"].astype("Int64")
    return frame


def test_summary_by_hand():
    view = cap_brief.capacity_briefing(REGISTER, _daily(), dt.date(2020, 2, 25))
    s = cap_brief.summary(view)
    above, leading = s["above_scale"], s["leading"]
    # above-scale group = above_scale + leading firms (E1, E2); E2 at exactly 30 % of its baseline has
    # NOT resumed (> 30 % needed): 1 of 2 resumed
    assert above["n_enterprises"] == 2
    assert above["resumption_rate_pct"] == pytest.approx(50.0)
    assert above["worker_return_pct"] == pytest.approx(100 * (5 + 10) / 20)  # 75.0
    assert above["capacity_recovery_index"] == pytest.approx(100 * (50 + 30) / 200)  # 40.0
    assert (leading["n_enterprises"], leading["resumption_rate_pct"]) == (1, 0.0)
    assert leading["capacity_recovery_index"] == pytest.approx(30.0)
    assert s["all"]["capacity_recovery_index"] == pytest.approx(100 * 90 / 300)  # 30.0
    assert s["data_date"] == "2020-02-25" and s["baseline"] == "december_2019"
    assert sum(s["resumption_map"].values()) == 90  # every county is on the map
    assert s["resumption_map"]["unknown"] == 88  # no firm reports there: unknown, not left out
    assert (s["resumption_map"]["red"], s["resumption_map"]["yellow"]) == (1, 1)


def test_no_reading_on_the_data_date_is_refused():
    from epianalysis.errors import DataError

    with pytest.raises(DataError, match="no meter reading on 2020-02-26"):
        cap_brief.capacity_briefing(REGISTER, _daily(), dt.date(2020, 2, 26))


SAMPLED = {"sampling": {"enterprises": {"by": "size_class", "fractions": {"leading": 0.5, "above_scale": 0.25}}}}


def _sampled_register():
    register = REGISTER.copy()
    register.attrs["metadata"] = SAMPLED  # as DataStore.load gives it: the source.toml of the data
    return register


def test_a_sampled_register_gives_estimated_firms_by_hand():
    view = cap_brief.capacity_briefing(_sampled_register(), _daily(), dt.date(2020, 2, 25))
    s = cap_brief.summary(view)
    summary.check_section("capacity", s)
    above, leading, everyone = s["above_scale"], s["leading"], s["all"]
    # above-scale group: 1 above_scale firm / 0.25 + 1 leading firm / 0.5 = 4 + 2 = 6 firms in the province
    assert (above["n_enterprises"], above["n_enterprises_sample"], above["estimated"]) == (6.0, 2, True)
    assert above["sampling_fraction"] == pytest.approx(2 / 6)
    assert (leading["n_enterprises"], leading["sampling_fraction"]) == (2.0, 0.5)
    # the small firm's fraction is not given: no estimate for a group holding it, its rates are still shown
    assert (everyone["n_enterprises"], everyone["sampling_fraction"]) == (None, None)
    assert everyone["capacity_recovery_index"] == pytest.approx(30.0)
    # the rates are the sample's: unchanged by the sampling
    assert above["capacity_recovery_index"] == pytest.approx(40.0)
    table = cap_brief.headline_table(view, "en")
    values = dict(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))
    assert values["Above-scale firms"] == "about 6"
    assert cap_brief.headline_table(view, "zh").iloc[0, 1] == "约6"
    # by prefecture: 金华 (E1, E2) 4 + 2 = 6; 杭州 holds only the small firm: no estimate ("–")
    prefectures = cap_brief.group_table(view.prefectures, "prefecture", "en")
    assert dict(zip(prefectures["Region"], prefectures["Firms (estimate)"], strict=True)) == {
        "Jinhua": "about 6",
        "Hangzhou": "–",
    }
    # by sector: the one sector holds the small firm, so no group has an estimate: rates only
    sectors = cap_brief.group_table(view.sectors, "sector", "en")
    assert "Firms" not in sectors.columns and "Firms (estimate)" not in sectors.columns


def test_a_complete_register_counts_firms():
    view = cap_brief.capacity_briefing(REGISTER, _daily(), dt.date(2020, 2, 25))
    above = cap_brief.summary(view)["above_scale"]
    assert (above["n_enterprises"], above["estimated"], above["sampling_fraction"]) == (2, False, None)
    assert cap_brief.group_table(view.sectors, "sector", "en")["Firms"].tolist() == ["3"]


@pytest.mark.parametrize(
    ("data_date", "resumption", "index"),
    [
        ("2020-02-24", False, False),  # briefing of 25 February: nothing published yet
        ("2020-02-25", True, False),  # briefing of 26 February: 99.8 % / 60.1 % (as of 25 February)
    ],
)
def test_published_figures_from_their_press_date_on(data_date, resumption, index):
    daily = _daily()
    daily.loc[daily["date"] == "2020-02-25", "date"] = pd.Timestamp(data_date)
    view = cap_brief.capacity_briefing(REGISTER, daily, pd.Timestamp(data_date).date())
    s = cap_brief.summary(view)
    assert (s["published_reference"] is not None) is resumption
    assert (s["target"]["published_reference"] is not None) is index
    assert ("99.8%" in cap_brief.headline_table(view, "en").to_string()) is resumption


def test_the_capacity_index_of_the_end_of_february_is_shown_from_2_march():
    # 76.75 at the end of February (data as of 29 February): no day of publication is recorded; the
    # first provincial press conference after it is that of 2 March (topics/capacity/reference.toml)
    view = cap_brief.capacity_briefing(REGISTER, _daily(), dt.date(2020, 2, 25), press_date=dt.date(2020, 3, 1))
    assert view.target["published_reference"] is None
    view = cap_brief.capacity_briefing(REGISTER, _daily(), dt.date(2020, 2, 25), press_date=dt.date(2020, 3, 2))
    assert view.target["published_reference"]["value"] == 76.75
    assert "76.75%" in cap_brief.headline_table(view, "en").to_string()
