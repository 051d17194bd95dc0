"""Violations: values that pandas shares between a frame and what is derived from it."""

from __future__ import annotations

import copy

import pandas as pd

from epianalysis.errors import Violation


def test_a_frames_flags_are_shared_by_derived_frames_not_copied():
    flags = [Violation("cases.csv", line, "confirmed", "cumulative_decrease", "165 -> 155", "flag") for line in (3, 4)]
    frame = pd.DataFrame({"confirmed": [155, 170]})
    frame.attrs["flags"] = flags
    derived = frame[frame["confirmed"] > 160].assign(doubled=lambda f: f["confirmed"] * 2)
    assert derived.attrs["flags"] == flags
    assert all(kept is flag for kept, flag in zip(derived.attrs["flags"], flags, strict=True))
    assert copy.deepcopy(flags[0]) is flags[0]
    assert str(derived.attrs["flags"][0]).startswith("flag: cases.csv line 3, column 'confirmed', value '165 -> 155'")
