"""Value ticks: whole numbers without decimals, percentages without ".0", one number of decimals per axis."""

from __future__ import annotations

import pytest

from epianalysis.charts.ticks import NumberFormatter, number_formatter, percent_formatter, tick_decimals


@pytest.mark.parametrize(
    ("values", "decimals"),
    [
        ([80.0, 85.0, 90.0, 95.0, 100.0], 0),
        ([80.0, 82.5, 85.0], 1),  # 82.5 needs one decimal, so every tick gets it
        ([0.0, 0.5, 1.0, 1.5], 1),
        ([0.25, 0.5], 2),
        ([1 / 3], 2),  # at most two
    ],
)
def test_tick_decimals(values, decimals):
    assert tick_decimals(values) == decimals


def test_whole_ticks_have_no_decimals_in_either_language():
    assert number_formatter("en").format_ticks([80.0, 85.0, 100.0]) == ["80", "85", "100"]
    assert number_formatter("en").format_ticks([-10.0, 0.0, 10.0]) == ["\u221210", "0", "10"]
    assert number_formatter("zh").format_ticks([0.0, 0.5, 1.0]) == ["0.0", "0.5", "1.0"]
    assert number_formatter("en").format_ticks([1000.0, 2000.0]) == ["1,000", "2,000"]


def test_percent_ticks_are_written_by_the_text_layer():
    assert percent_formatter("en").format_ticks([0.0, 20.0, 100.0]) == ["0%", "20%", "100%"]
    assert percent_formatter("zh").format_ticks([92.5, 95.0]) == ["92.5%", "95.0%"]
    assert NumberFormatter("en", percent=True)(60.0) == "60%"


def test_examples_in_the_docstrings():
    import doctest

    from epianalysis.charts import ticks

    assert doctest.testmod(ticks).failed == 0
