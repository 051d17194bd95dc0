"""Briefing parameters: the press-date / data-date convention (docs/data.md#dates)."""

import datetime as dt

import pytest

from epianalysis.briefing.params import BriefingParams
from epianalysis.paths import sample_dir


def test_default_data_date_is_the_day_before_the_press_date():
    params = BriefingParams.resolve("2020-03-02")
    assert params.as_of == dt.date(2020, 3, 1)
    assert params.data_dir == sample_dir()
    assert params.out_dir is None


def test_explicit_as_of_and_output():
    params = BriefingParams.resolve("2020-02-28", "", "2020-02-27", "zh", "out")
    assert params.as_of == dt.date(2020, 2, 27) and params.lang == "zh"
    assert params.out_dir.name == "out"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"date": "2020-3-2"}, "ISO date"),
        ({"date": "2020-03-02", "as_of": "2020-03-05"}, "after the press date"),
        ({"date": "2020-03-02", "lang": "fr"}, "lang must be one of"),
    ],
)
def test_bad_parameters_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        BriefingParams.resolve(**kwargs)
