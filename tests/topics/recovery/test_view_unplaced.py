"""The prefecture table says why its prefectures do not add up to the province (cases in no prefecture)."""

import pandas as pd

from epianalysis.topics.recovery import view

TABLE = pd.DataFrame(
    {
        "region_code": ["330100", "330300", "330000"],
        "confirmed": [169, 1000, 1205],
    }
)
UNPLACED = pd.DataFrame(
    {
        "date": ["2020-02-29", "2020-03-01"],
        "confirmed": [36, 36],
        "unit_en": ["Shilifeng Prison", "Shilifeng Prison"],
        "unit_zh": ["省十里丰监狱", "省十里丰监狱"],
    }
)


def test_the_gap_is_said_and_named():
    assert view.unplaced_note(TABLE, "en", UNPLACED) == (
        "The prefectures add up to 1,169 confirmed cases; the province total of 1,205 also counts 36 cases "
        "that belong to no prefecture: 36 in Shilifeng Prison."
    )
    assert view.unplaced_note(TABLE, "zh", UNPLACED).endswith("另有36例不属于任何设区市：省十里丰监狱36例。")
    assert "no prefecture." in view.unplaced_note(TABLE, "en")


def test_nothing_to_say_when_they_add_up():
    table = TABLE.assign(confirmed=[205, 1000, 1205])
    assert view.unplaced_note(table, "en", UNPLACED) == ""
    assert view.unplaced_note(table.assign(confirmed=[None, 1000, 1205]), "en") == ""
