"""Rule-set comparison presentation: 7-day incidence by hand, the reading of a backtest table."""

import pandas as pd
import pytest

from epianalysis.explore import rule_sets as R
from epianalysis.reference.regions import load_regions


def test_incidence_values_by_hand():
    days = pd.date_range("2020-02-01", "2020-02-10")
    confirmed = [0, 0, 1, 2, 4, 4, 4, 4, 10, 11]
    cases = pd.DataFrame({"date": days, "region_code": "330782", "confirmed": pd.array(confirmed, dtype="Int64")})
    values = R.incidence_values(cases, "2020-02-10").set_index("region_code")["value"]
    # Yiwu population from the region reference; (11 - 1) / population * 100000 (02-10 vs 02-03), unrounded
    ref = load_regions().set_index("code")
    pop = float(ref.loc["330782", "population"])
    assert values["330782"] == pytest.approx(10 / pop * 100000)
    assert pd.isna(values["330783"])  # no rows: missing, not zero


def _table(means, shares, holds):
    n = len(means)
    return pd.DataFrame(
        {
            "ruleset": "x",
            "level": [f"l{i}" for i in range(n)],
            "label_en": [f"L{i}" for i in range(n)],
            "label_zh": [f"级{i}" for i in range(n)],
            "rank": range(n),
            "n": 10,
            "n_outcome": 10,
            "mean_per_100k": means,
            "share_any_case": shares,
            "order_holds": holds,
        }
    )


def test_reading_holds_fails_and_single_level():
    text = R.comparison_reading(_table([0.1, 2.5], [0.2, 0.75], True), "en")
    assert text.startswith("x: the order of levels holds.")
    assert "(L1) had 2.50 new local cases" in text and "75.0%" in text
    assert "does NOT hold" in R.comparison_reading(_table([2.0, 1.0], [0.5, 0.4], False), "en")
    single = _table([0.49], [0.516], True)
    assert "one level (L0)" in R.comparison_reading(single, "en")
