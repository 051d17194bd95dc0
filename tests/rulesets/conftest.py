"""Fixtures of the zoning tests."""

import pytest

TWO_LEVEL = """
name = "two-level"
version = "0"
citation = "test"
description = "any case = some"
[[levels]]
key = "none"
colour = "#00ff00"
label_zh = "无"
label_en = "None"
[[levels]]
key = "some"
colour = "#ff0000"
label_zh = "有"
label_en = "Some"
[[indicators]]
name = "cumulative_confirmed"
label_zh = "累计确诊"
label_en = "Cumulative confirmed"
computed = "confirmed"
[threshold]
indicator = "cumulative_confirmed"
cutoffs = [1]
closed = "lower"
"""


@pytest.fixture
def two_level_text() -> str:
    """A user rule set: level none if cumulative confirmed < 1, some otherwise."""
    return TWO_LEVEL
