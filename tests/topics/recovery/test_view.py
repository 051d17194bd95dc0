"""The recovery briefing's published reference: 87.1 % discharged, shown from its press date on."""

import pytest

from epianalysis import summary
from epianalysis.topics.recovery import view
from epianalysis.topics.recovery.metrics import Headline


def _head(data_as_of: str) -> Headline:
    # the bulletin as of 1 March 2020 24:00: 1205 confirmed, 1050 discharged, 1 death
    return Headline("330000", data_as_of, 1205, 1205, 0, 1050, 1, 154, 1050 / 1205, 10, 4, 9)


def test_the_reference_is_the_press_conference_figure():
    ref = view.reference()
    assert (ref["discharge_rate"], ref["discharged"], ref["confirmed"]) == (0.871, 1050, 1205)
    assert (ref["date"], ref["press_date"]) == ("2020-03-01", "2020-03-02")


@pytest.mark.parametrize(
    ("data_date", "press_date", "shown"),
    [
        ("2020-02-29", None, False),  # briefing of 1 March
        ("2020-03-01", None, True),  # briefing of 2 March: the press conference that gave 87.1 %
        ("2020-03-01", "2020-03-01", False),  # briefed on the data date itself: not yet published
    ],
)
def test_shown_from_its_press_date_on(data_date, press_date, shown):
    head = _head(data_date)
    section = view.summary(head, data_date, press_date)
    summary.check_section("recovery", section)
    assert (section["published_reference"] is not None) is shown
    en = view.headline_table(head, "en", press_date=press_date)
    assert ("87.1% discharged (1,050 of 1,205)" in en.iloc[:, 1].tolist()) is shown
    zh = view.headline_table(head, "zh", press_date=press_date)
    assert ("治愈出院率87.1%（1205例中出院1050例）" in zh.iloc[:, 1].tolist()) is shown
