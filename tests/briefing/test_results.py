"""Results a notebook keeps for the notebooks of the same run: read back only for the same dates, data and
code, never published."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from epianalysis.briefing import results
from epianalysis.briefing.context import Briefing
from epianalysis.briefing.params import BriefingParams
from epianalysis.briefing.runner import run_briefing
from epianalysis.summary import SUMMARY_FILE, read_summary


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "cases.csv").write_text("date,region_code,confirmed\n2020-03-01,330000,1205\n")
    return folder


def params(data_dir, out_dir, as_of="2020-03-01") -> BriefingParams:
    return BriefingParams.resolve("2020-03-02", str(data_dir), as_of, "en", "" if out_dir is None else str(out_dir))


def test_a_kept_result_is_read_back_equal_for_the_same_run(data_dir, tmp_path):
    table = pd.DataFrame({"date": pd.to_datetime(["2020-03-01"]), "value": [0.8714]}).astype({"value": "Float64"})
    key = results.run_key(params(data_dir, tmp_path))
    results.keep(tmp_path, "table", key, table)
    found, value = results.read_kept(tmp_path, "table", key)
    assert found
    pd.testing.assert_frame_equal(value, table)  # dtypes too
    assert value.dtypes.to_dict() == table.dtypes.to_dict()


def test_the_run_key_follows_the_dates_the_data_and_the_code(data_dir, tmp_path, monkeypatch):
    key = results.run_key(params(data_dir, tmp_path))
    assert results.run_key(params(data_dir, tmp_path)) == key
    assert results.run_key(params(data_dir, tmp_path, as_of="2020-02-29")) != key
    table = data_dir / "cases.csv"
    stat = table.stat()
    os.utime(table, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    changed = results.run_key(params(data_dir, tmp_path))
    assert changed != key
    (data_dir / "flow.csv").write_text("x\n")
    assert results.run_key(params(data_dir, tmp_path)) != changed
    monkeypatch.setattr(results, "code_fingerprint", lambda: "other code")
    assert results.run_key(params(data_dir, tmp_path)) != changed


def test_a_result_kept_for_another_run_is_not_read(data_dir, tmp_path):
    class Unreadable:
        def __reduce__(self):
            return (pytest.fail, ("the value of another run was unpickled",))

    results.keep(tmp_path, "zoning", "key of another run", Unreadable())
    assert results.read_kept(tmp_path, "zoning", "key of this run") == (False, None)
    assert results.read_kept(tmp_path, "absent", "key of this run") == (False, None)


def test_a_briefing_reuses_what_its_run_kept_and_computes_what_it_did_not(data_dir, tmp_path):
    out = tmp_path / "out"
    topic = Briefing(params(data_dir, out))
    assert topic.keep("control_index", {"simple_mean": 96.91}) == {"simple_mean": 96.91}
    front = Briefing(params(data_dir, out))

    def must_not_run():
        raise AssertionError("computed although kept")

    assert front.reuse("control_index", must_not_run) == {"simple_mean": 96.91}
    assert front.reuse("capacity", lambda: "computed here") == "computed here"
    assert front.reused == {"control_index": "kept", "capacity": "computed"}
    other_day = Briefing(params(data_dir, out, as_of="2020-02-29"))
    assert other_day.reuse("control_index", lambda: "computed again") == "computed again"


def test_without_an_output_folder_nothing_is_kept(data_dir, tmp_path):
    b = Briefing(params(data_dir, None))
    assert b.keep("zoning", 1) == 1
    assert b.reuse("zoning", lambda: 2) == 2
    assert not list(tmp_path.rglob("*.pickle"))


def test_a_result_name_is_a_plain_word(tmp_path):
    with pytest.raises(ValueError, match="name"):
        results.result_path(tmp_path, "../zoning")


def test_the_front_page_of_a_whole_run_equals_the_front_page_made_alone(day_report, tmp_path):
    """The day's report (the front page read the topics' sections and kept results) and a report of the
    front page alone (it computed them): the same sections, KPIs, paragraph and chart bytes."""
    alone = run_briefing(BriefingParams.resolve("2020-03-02", lang="both"), tmp_path, only=["front_page"]).report_dir
    whole, single = read_summary(day_report), read_summary(alone)
    assert set(whole["front_page"]["sections"].values()) == {SUMMARY_FILE}
    assert set(single["front_page"]["sections"].values()) == {"computed"}
    for name in whole["front_page"]["sections"]:
        assert single[name] == whole[name], name
    assert {k: v for k, v in single["front_page"].items() if k != "sections"} == {
        k: v for k, v in whole["front_page"].items() if k != "sections"
    }
    for lang in ("en", "zh"):
        folder = day_report / lang / "charts"
        charts = sorted([*folder.glob("kpi_cards*"), *folder.glob("front_page_*")])
        assert len(charts) >= 4 * 3  # KPI cards, map, ranking, capacity: PNG, SVG, PDF
        for chart in charts:
            assert (alone / lang / "charts" / chart.name).read_bytes() == chart.read_bytes(), chart.name
    assert not list(day_report.rglob(results.RESULTS_DIR)) and not list(alone.rglob(results.RESULTS_DIR))
