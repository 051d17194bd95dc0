"""Generation as a whole: determinism, metadata, atomic writes, the health-code sample."""

from __future__ import annotations

import tomllib

import pandas as pd
import pytest

from epianalysis.data.layout import check_source_toml
from epianalysis.data.store import DataStore
from epianalysis.scenario import generate, writer

SEED, SMALL_SCALE = 20200117, 0.001  # as in tests/scenario/conftest.py

TABLES = [
    "cases.csv",
    "cases_unplaced.csv",
    "health_code_log.parquet",
    "health_codes.csv",
    "enterprises.csv",
    "enterprise_daily.parquet",
    "control.csv",
    "flow.csv",
    "source.toml",
]


def test_all_tables_and_marker(scenario_dir):
    for name in TABLES:
        assert (scenario_dir / name).is_file(), name
    assert (scenario_dir / ".complete").read_bytes() == b""


def test_deterministic_bytes(scenario_dir, tmp_path):
    again = generate(tmp_path / "again", seed=SEED, scale=SMALL_SCALE, progress=False)
    for name in TABLES:
        assert (again / name).read_bytes() == (scenario_dir / name).read_bytes(), name


def test_source_toml(scenario_dir):
    meta = tomllib.loads((scenario_dir / "source.toml").read_text("utf-8"))
    assert meta["synthetic"] is True
    assert "synthetic scenario" in meta["description"]
    assert meta["source"] == "epianalysis embedded scenario"
    assert (meta["seed"], meta["scale"]) == (SEED, SMALL_SCALE)
    assert meta["date_convention"] == "as of D 24:00" and meta["date_shift_days"] == 0
    assert "zjwjw.gov.cn" in meta["citation"]
    assert any("bus_service_rate" in n for n in meta["notes"])


def test_source_toml_declares_the_samples(scenario_dir):
    # docs/data.md#sampling: the log holds round(population x scale) residents of every county; the register
    # 91 of the 905 leading and 4,346 of the other 43,465 above-scale firms (4,437 = 10 % of 44,370)
    store = DataStore(scenario_dir)
    assert store.sampling("health_code_log").fraction == SMALL_SCALE
    assert store.sampling("health_codes").fraction == SMALL_SCALE
    firms = store.sampling("enterprises")
    assert firms.by == "size_class"
    assert firms.fractions == {"leading": 91 / 905, "above_scale": 4346 / 43465}
    assert firms.fraction_of("small") is None  # the province's small firms are not counted in our sources
    register = store.load("enterprises")
    classes = register["size_class"].value_counts().to_dict()
    assert classes == {"above_scale": 4346, "small": 3000, "leading": 91}
    assert firms.estimate_groups({"leading": 91, "above_scale": 4346}) == pytest.approx(44_370)
    assert not [v for v in check_source_toml(scenario_dir) if v.severity == "error"]


def test_failure_leaves_no_half_written_folder(tmp_path, monkeypatch):
    out = tmp_path / "sample"
    out.mkdir()
    (out / "old.txt").write_text("old")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer.E, "build_daily", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        generate(out, scale=SMALL_SCALE, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sample"]  # no temporary folder left
    assert [p.name for p in out.iterdir()] == ["old.txt"]  # the old folder is untouched


def test_health_code_sample(scenario_dir):
    import duckdb

    con = duckdb.connect()
    log = str(scenario_dir / "health_code_log.parquet")
    per_county = (
        con.execute(
            "SELECT CAST(region_code AS VARCHAR), count(DISTINCT person_id) FROM read_parquet(?) GROUP BY 1", [log]
        )
        .df()
        .set_index("CAST(region_code AS VARCHAR)")
        .iloc[:, 0]
    )
    from epianalysis.reference.regions import counties

    pop = counties().set_index("code")["population"]
    assert len(per_county) == 90
    # the sample is round(population x scale) per county; about 90 % of it holds a code by April
    sample = (pop.astype(float) * SMALL_SCALE).round()
    assert (per_county.reindex(pop.index) >= sample * 0.85).all()
    assert (per_county.reindex(pop.index) <= sample).all()
    hc = pd.read_csv(scenario_dir / "health_codes.csv", parse_dates=["date"])
    day = hc[hc["date"] == "2020-02-17"][["green", "yellow", "red"]].sum()
    holders = day.sum()
    assert holders == pytest.approx(14_989_000 * SMALL_SCALE, rel=0.01)
    assert day["green"] / holders == pytest.approx(0.947, abs=0.006)
    before = hc[hc["date"] < "2020-02-11"]
    assert before.empty  # no codes before Hangzhou's issue date
    first = hc[hc["date"] == "2020-02-11"]["region_code"].astype(str)
    assert first.str.startswith("3301").all()  # Hangzhou first
    reasons = con.execute("SELECT DISTINCT CAST(reason AS VARCHAR) FROM read_parquet(?)", [log]).fetchall()
    assert {r[0] for r in reasons} == {"contact", "arrival", "symptoms", "checkin", "released"}


def test_default_scale_is_at_least_one_percent():
    import inspect

    assert inspect.signature(generate).parameters["scale"].default >= 0.01


def test_indicator_tables(scenario_dir):
    flow = pd.read_csv(scenario_dir / "flow.csv", dtype={"region_code": str}, parse_dates=["date"])
    control = pd.read_csv(scenario_dir / "control.csv", dtype={"region_code": str}, parse_dates=["date"])
    assert len(flow) == len(control) == 90 * 90  # 90 counties x 2020-02-01 .. 04-30
    gap = flow[(flow["region_code"] == "330727") & flow["bus_service_rate"].isna()]
    assert len(gap) == 5
    early = flow[flow["date"] == "2020-02-03"]["bus_service_rate"].mean()
    late = flow[flow["date"] == "2020-03-31"]["bus_service_rate"].mean()
    assert early < 40 < 85 < late
    assert control["contact_tracing_rate"].dropna().between(80, 100).all()
