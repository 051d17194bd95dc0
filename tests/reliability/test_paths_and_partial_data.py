"""A data folder whose name holds quotes, semicolons and SQL is read as the folder it is, and nothing is
written outside --out; a folder with only some tables is briefed for what applies, its front page included."""

from __future__ import annotations

import json
import shutil

import pytest
from faults import CLEAN_LOG, cases_csv, health_code_log, run_cli

HOSTILE = "we'ird\"; COPY (SELECT 42) TO 'pwned.csv'; --"


def _listing(root, but):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if but not in p.parents and p != but)


def test_a_hostile_folder_name_is_briefed_and_nothing_lands_outside_out(tmp_path):
    data = tmp_path / HOSTILE
    data.mkdir()
    (data / "cases.csv").write_text(cases_csv(), encoding="utf-8")
    health_code_log(CLEAN_LOG).to_parquet(data / "health_code_log.parquet", index=False)
    out = tmp_path / "reports"
    before = _listing(tmp_path, out)
    argv = ("brief", "--date", "2020-02-26", "--only", "recovery,control_index,health_codes", "--lang", "en")
    result = run_cli(*argv, "--data", str(data), "--out", str(out))
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "2020-02-26" / "summary.json").read_text("utf-8"))
    assert summary["recovery"]["confirmed"] == 1225
    # a topic whose tables are absent is not a failure: it is listed, with the reason
    reasons = summary["not_applicable"]
    assert sorted(reasons) == ["control_index", "health_codes"]
    assert "control, flow" in reasons["control_index"] and "health_codes" in reasons["health_codes"]
    # the log in the same folder is aggregated through a DuckDB relation, not SQL text with its path
    counts = tmp_path / "counts.csv"
    aggregated = run_cli("aggregate", "--log", str(data / "health_code_log.parquet"), "--out", str(counts))
    assert aggregated.returncode == 0, aggregated.stderr
    assert _listing(tmp_path, out) == sorted([*before, "counts.csv"])
    assert not list(tmp_path.rglob("pwned.csv")) and not (tmp_path / "pwned.csv").exists()


def test_brief_fails_only_when_nothing_applies(cases_only, tmp_path):
    out = tmp_path / "reports"
    argv = ("brief", "--date", "2020-02-26", "--only", "capacity,health_codes", "--data", str(cases_only))
    result = run_cli(*argv, "--out", str(out))
    assert result.returncode == 1
    assert "no briefing applies to 2020-02-26" in result.stderr and "enterprises" in result.stderr
    assert not (out / "2020-02-26").exists()


def test_health_codes_apply_from_their_first_issue():
    from datetime import date

    from epianalysis.topics import get_topic

    topic = get_topic("health_codes")
    tables = ["health_code_log", "health_codes"]
    assert topic.not_applicable(date(2020, 2, 11), tables) is None
    assert "2020-02-11" in topic.not_applicable(date(2020, 2, 10), tables)
    assert "health_codes" in topic.not_applicable(date(2020, 3, 1), ["health_code_log"])


def test_a_cases_only_folder_gets_its_front_page_without_the_topics_that_do_not_apply(tmp_path):
    from epianalysis.paths import sample_dir
    from epianalysis.text.labels import label

    cases = sample_dir() / "cases.csv"
    if not cases.is_file():
        pytest.skip("embedded scenario not generated (run `make sample`)")
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(cases, data / "cases.csv")
    out = tmp_path / "reports"
    argv = ("brief", "--date", "2020-03-02", "--data", str(data), "--lang", "en", "--jobs", "2")
    result = run_cli(*argv, "--out", str(out), timeout=600)
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "2020-03-02" / "summary.json").read_text("utf-8"))
    assert sorted(summary["not_applicable"]) == ["capacity", "control_index", "health_codes"]
    front = summary["front_page"]
    assert front["sections"]["capacity"] == front["sections"]["control_index"] == "not_applicable"
    # the recovery KPIs are there; the cards of the topics that do not apply are left out, not zero
    assert front["kpis"]["discharge_rate"]["value"] is not None
    assert not {"control_index", "capacity_recovery"} & set(front["kpis"])
    assert "been discharged" in front["paragraph"]["en"]
    assert "control index" not in front["paragraph"]["en"] and "capacity" not in front["paragraph"]["en"]
    html = (out / "2020-03-02" / "en" / "front_page.html").read_text("utf-8")
    assert label("front_page.kpi_discharge_rate", "en") in html
    assert label("front_page.heading_kpis", "en") in html
    for key in ("kpi_control_index", "kpi_capacity_recovery", "heading_control_index", "heading_capacity"):
        assert label(f"front_page.{key}", "en") not in html, key
