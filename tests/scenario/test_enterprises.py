"""Enterprise sample and meter readings against the published capacity-recovery points
(docs/methods.md#published-points).

Formulas, written out here independently of the package: baseline = a firm's mean daily kWh in
December 2019; resumed = kWh > 30 % of baseline; capacity recovery = sum kWh / sum baseline x 100
over the group; worker return = sum on site / sum employees x 100.
"""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture(scope="module")
def firms(scenario_dir):
    ent = pd.read_csv(scenario_dir / "enterprises.csv", dtype={"region_code": str})
    daily = pd.read_parquet(scenario_dir / "enterprise_daily.parquet")
    dec = daily[(daily["date"] >= "2019-12-01") & (daily["date"] <= "2019-12-31")]
    base = dec.groupby("enterprise_id")["kwh"].mean().rename("baseline")
    return ent.join(base, on="enterprise_id"), daily


def _day(firms, d, classes):
    ent, daily = firms
    x = daily[daily["date"] == pd.Timestamp(d)].merge(ent, on="enterprise_id")
    return x[x["size_class"].isin(classes)]


ABOVE = ("above_scale", "leading")


def test_sample_sizes(firms):
    ent, daily = firms
    counts = ent["size_class"].value_counts()
    assert counts["above_scale"] + counts["leading"] == pytest.approx(4437, abs=2)
    assert counts["leading"] == pytest.approx(91, abs=1)
    assert counts["small"] == pytest.approx(3000, abs=1)
    assert ent["region_code"].nunique() >= 80 and (ent["employees"] > 0).all()
    dates = set(daily["date"].dt.strftime("%Y-%m-%d"))
    assert {"2019-01-01", "2019-03-31", "2019-12-01", "2020-04-30"} <= dates
    assert "2019-06-01" not in dates
    assert (daily["kwh"] >= 0).all()


def test_published_points_0225(firms):
    x = _day(firms, "2020-02-25", ABOVE)
    resumed = (x["kwh"] > 0.30 * x["baseline"]).mean() * 100
    assert resumed == pytest.approx(99.8, abs=0.3)
    assert x["employees_on_site"].sum() / x["employees"].sum() * 100 == pytest.approx(60.1, abs=0.5)
    assert x["kwh"].sum() / x["baseline"].sum() * 100 > 50
    lead = _day(firms, "2020-02-25", ("leading",))
    assert lead["kwh"].sum() / lead["baseline"].sum() * 100 == pytest.approx(72.0, abs=0.5)


@pytest.mark.parametrize("d, target", [("2020-02-29", 76.75), ("2020-03-26", 90.6)])
def test_capacity_recovery(firms, d, target):
    x = _day(firms, d, ABOVE)
    assert x["kwh"].sum() / x["baseline"].sum() * 100 == pytest.approx(target, abs=0.5)


def test_spring_festival_dips(firms):
    ent, daily = firms
    total = daily.groupby("date")["kwh"].sum()
    assert total.loc["2019-02-05"] < 0.3 * total.loc["2019-01-08"]  # festival 2019
    assert total.loc["2020-02-05"] < 0.3 * total.loc["2019-12-10"]  # extended holiday 2020
    assert total.loc["2020-02-05"] < total.loc["2020-02-20"] < total.loc["2020-03-20"]
