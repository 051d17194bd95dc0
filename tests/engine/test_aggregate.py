"""The engine-agnostic aggregations against the pandas metric functions (DuckDB engine)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from epianalysis.engine import capacity_by_county, health_code_counts
from epianalysis.scenario.partitioned import write_daily_partitioned
from epianalysis.topics.capacity.metrics import recovery, with_baseline


def _daily():
    # firm A (county 330102): December baseline mean (100 + 300) / 2 = 200; firm B (330103): 50
    rows = [
        ("2019-12-01", "A", 100.0, 10),
        ("2019-12-02", "A", 300.0, 10),
        ("2019-12-01", "B", 50.0, None),
        ("2019-12-02", "B", None, 5),
        ("2020-02-25", "A", 60.0, 4),  # 60 / 200 = 0.30: exactly 30 %, not resumed
        ("2020-02-25", "B", 40.0, 3),  # 40 / 50 = 0.8: resumed
        ("2020-02-26", "A", 61.0, None),
    ]  # resumed, no staff count
    df = pd.DataFrame(rows, columns=["date", "enterprise_id", "kwh", "employees_on_site"])
    df["date"] = pd.to_datetime(df["date"])
    df["employees_on_site"] = df["employees_on_site"].astype("Int64")
    return df


REGISTER = pd.DataFrame(
    {
        "enterprise_id": ["A", "B", "C"],
        "region_code": ["330102", "330103", "330103"],
        "sector": ["manufacturing"] * 3,
        "size_class": ["above_scale"] * 3,
        "employees": [20, 8, 5],
    }
)


@pytest.mark.parametrize("layout", ["file", "partitioned"])
def test_capacity_hand_computed(tmp_path, layout):
    daily = _daily()
    if layout == "file":
        path = tmp_path / "enterprise_daily.parquet"
        daily.to_parquet(path, index=False)
    else:
        path = tmp_path / "enterprise_daily"
        write_daily_partitioned(path, daily)
    got = capacity_by_county(REGISTER, path).set_index(["date", "region_code"])
    a = got.loc[(pd.Timestamp("2020-02-25"), "330102")]
    assert (a["n_enterprises"], a["n_known"], a["n_resumed"]) == (1, 1, 0)
    assert a["kwh"] == 60.0 and a["baseline_kwh"] == 200.0 and a["capacity_recovery_index"] == 30.0
    assert a["worker_return_pct"] == 100 * 4 / 20
    b = got.loc[(pd.Timestamp("2020-02-25"), "330103")]
    assert (b["n_enterprises"], b["n_known"], b["n_resumed"]) == (2, 1, 1)  # C has no reading
    assert b["resumption_rate_pct"] == 100.0 and b["worker_return_pct"] == 100 * 3 / 8
    c = got.loc[(pd.Timestamp("2020-02-26"), "330102")]
    assert c["n_resumed"] == 1 and c["employees"] == 0 and pd.isna(c["worker_return_pct"])


def test_capacity_matches_metrics_recovery(tmp_path):
    rng = np.random.default_rng(3)
    days = pd.date_range("2019-12-01", "2020-03-10")
    ids = [f"E{i:03d}" for i in range(40)]
    register = pd.DataFrame(
        {
            "enterprise_id": ids,
            "region_code": rng.choice(["330102", "330782", "331081"], 40),
            "sector": "manufacturing",
            "size_class": "above_scale",
            "employees": rng.integers(5, 500, 40),
        }
    )
    daily = pd.DataFrame(
        {
            "date": np.repeat(days, 40),
            "enterprise_id": np.tile(ids, len(days)),
            "kwh": np.round(rng.gamma(2.0, 50.0, 40 * len(days)), 1),
        }
    )
    daily.loc[rng.random(len(daily)) < 0.05, "kwh"] = np.nan
    daily["employees_on_site"] = pd.array(rng.integers(0, 5, len(daily)), dtype="Int64")
    path = tmp_path / "daily.parquet"
    daily.to_parquet(path, index=False)
    got = capacity_by_county(register, path)
    ref = recovery(register, with_baseline(daily, "december_2019"), by="county")
    ref = ref.rename(columns={"county": "region_code"})
    assert len(got) == len(ref) == len(days) * 3
    for column in ["n_enterprises", "n_known", "n_resumed", "employees", "employees_on_site"]:
        assert got[column].tolist() == ref[column].astype("int64").tolist(), column
    for column in ["kwh", "baseline_kwh", "resumption_rate_pct", "worker_return_pct", "capacity_recovery_index"]:
        np.testing.assert_allclose(got[column].astype(float), ref[column].astype(float), rtol=1e-12)


def test_partitioned_log_equals_single_file(tmp_path):
    log = pd.DataFrame(
        {
            "person_id": [1, 2, 1, 2, 1],
            "region_code": ["330102"] * 4 + ["330103"],
            "date": pd.to_datetime(["2020-02-14"] * 2 + ["2020-02-15"] * 2 + ["2020-02-16"]).date,
            "colour": ["yellow", "red", "yellow", "green", "green"],
            "reason": [None] * 5,
        }
    )
    single = tmp_path / "log.parquet"
    log.to_parquet(single, index=False)
    for day, part in log.groupby("date"):
        folder = tmp_path / "parts" / f"date={day.isoformat()}"
        folder.mkdir(parents=True)
        part.drop(columns="date").to_parquet(folder / "part-00000.parquet", index=False)
    a, b = health_code_counts(single), health_code_counts(tmp_path / "parts")
    pd.testing.assert_frame_equal(a, b)
    # 02-15: person 2 red -> green, person 1 stays yellow (not new); 02-16 in 330103: yellow -> green
    assert a[["new_yellow", "red_to_green", "yellow_to_green"]].values.tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 1]]


def test_capacity_refuses_readings_it_cannot_join_once(tmp_path):
    import pandas as pd
    import pytest

    from epianalysis.engine import capacity_by_county
    from epianalysis.errors import DataError

    register = pd.DataFrame({"enterprise_id": ["E1"], "region_code": ["330782"], "employees": [10]})
    daily = pd.DataFrame(
        {
            "date": pd.to_datetime(["2019-12-02", "2019-12-02", "2019-12-02"]).date,
            "enterprise_id": ["E1", "E1", "E9"],
            "kwh": [100.0, 100.0, 5.0],
            "employees_on_site": pd.array([10, 10, 1], dtype="Int64"),
        }
    )
    path = tmp_path / "enterprise_daily.parquet"
    daily.to_parquet(path, index=False)
    with pytest.raises(DataError) as refused:
        capacity_by_county(register, path)
    # the contract gate refuses the repeated reading first, naming the row that repeats it
    found = [(v.rule, v.row) for v in refused.value.violations]
    assert found == [("unique_key(date, enterprise_id)", 2)]
    # without the repeat, the reading of a firm missing from the register is refused
    daily.iloc[[0, 2]].to_parquet(path, index=False)
    with pytest.raises(DataError) as refused:
        capacity_by_county(register, path)
    assert [v.rule for v in refused.value.violations] == ["registered_enterprise"]
    assert "E9" in str(refused.value)
