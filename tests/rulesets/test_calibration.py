"""zhejiang-2020 on the embedded scenario against the published five-colour counts
(docs/rulesets.md#calibration-not-evidence).

Published counts (red/orange/yellow/blue/green): 2020-02-09 1/12/12/53/12, 2020-02-12 1/11/13/17/48,
2020-02-27 0/0/0/2/88 (the two blue: 桐庐县, 海曙区); 义乌 yellow → blue on 2020-02-18, green on
2020-02-21 (press reports). This checks the CALIBRATION of the synthetic scenario and of our assumed
weights and cut-offs: agreement here is not evidence about the real method.
"""

import pandas as pd
import pytest

from epianalysis.data import store
from epianalysis.paths import sample_dir
from epianalysis.rulesets import evaluate

PUBLISHED = {
    "2020-02-09": {"red": 1, "orange": 12, "yellow": 12, "blue": 53, "green": 12},
    "2020-02-12": {"red": 1, "orange": 11, "yellow": 13, "blue": 17, "green": 48},
    "2020-02-27": {"red": 0, "orange": 0, "yellow": 0, "blue": 2, "green": 88},
}
TOLERANCE = 3  # counties per colour


@pytest.fixture(scope="module")
def zoning():
    folder = sample_dir()
    if not (folder / "cases.csv").exists() and not (folder / "cases.parquet").exists():
        pytest.skip(f"embedded scenario not found at {folder} (generate it with `epianalysis.scenario.generate`)")
    return evaluate(store.load(folder, "cases"), "zhejiang-2020")


@pytest.mark.parametrize("day", sorted(PUBLISHED))
def test_counts_per_colour_within_three_of_published(zoning, day):
    counts = zoning.counts.set_index(zoning.counts["date"].dt.strftime("%Y-%m-%d")).loc[day]
    assert counts["unknown"] == 0
    for colour, published in PUBLISHED[day].items():
        assert abs(int(counts[colour]) - published) <= TOLERANCE, (day, colour, int(counts[colour]), published)


def test_the_two_blue_counties_of_0227_are_tonglu_and_haishu(zoning):
    levels = zoning.levels
    blue = levels[(levels["date"] == pd.Timestamp("2020-02-27")) & (levels["level"] == "blue")]
    assert sorted(blue["region_code"]) == ["330122", "330203"]


def test_yiwu_yellow_then_blue_0218_then_green_0221(zoning):
    yiwu = zoning.levels[zoning.levels["region_code"] == "330782"].set_index("date")["level"]
    assert yiwu[pd.Timestamp("2020-02-15")] == "yellow"
    assert yiwu[pd.Timestamp("2020-02-18")] == "blue"
    assert yiwu[pd.Timestamp("2020-02-21")] == "green"
    changes = zoning.changes[zoning.changes["region_code"] == "330782"]
    late = changes[changes["date"] >= pd.Timestamp("2020-02-15")]
    assert late[["from", "to"]].values.tolist() == [["yellow", "blue"], ["blue", "green"]]
    assert late["date"].dt.strftime("%m-%d").tolist() == ["02-18", "02-21"]
