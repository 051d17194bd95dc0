"""The briefing runner end to end (papermill) on the real bulletins, and what a failure leaves behind."""

import json
import shutil

import pytest
from jsonschema import Draft202012Validator

from epianalysis.briefing.params import BriefingParams
from epianalysis.briefing.publish import REPORT_MARKER
from epianalysis.briefing.runner import BriefingFailed, run_briefing
from epianalysis.data.store import load
from epianalysis.sources.tidy import import_tidy
from epianalysis.topics.recovery import metrics as recovery

RENAMES = {"as_of_date": "date", "unit_code": "region_code"}


@pytest.fixture(scope="module")
def bulletins(real_data_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("bulletins")
    import_tidy(real_data_dir / "zhejiang_official_bulletins.csv", RENAMES, out)
    return out


def test_recovery_briefing_on_the_official_bulletins(bulletins, tmp_path):
    params = BriefingParams.resolve("2020-03-02", bulletins, "", "en")
    result = run_briefing(params, tmp_path / "reports", only=["recovery"])
    report = tmp_path / "reports" / "2020-03-02"
    assert result.report_dir == report
    summary = json.loads((report / "summary.json").read_text("utf-8"))
    # press conference of 2 March 2020: data as of 1 March 24:00, 1050 / 1205 = 87.1 %
    assert summary["date"] == "2020-03-02" and summary["data_as_of"] == "2020-03-01"
    headline = summary["recovery"]
    assert headline["region_code"] == "330000"
    assert (headline["confirmed"], headline["discharged"], headline["deaths"]) == (1205, 1050, 1)
    assert headline["active"] == 1205 - 1050 - 1
    assert round(headline["discharge_rate"], 3) == 0.871
    assert summary["synthetic"] is False
    # the declared output: the schema beside the report, and the summary valid against it with a
    # plain JSON Schema validator (what a downstream user would run)
    schema = json.loads((report / "summary.schema.json").read_text("utf-8"))
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(summary)
    assert summary["languages"] == ["en"]
    for part in [
        "index.html",
        "en/recovery.html",
        "notebooks/recovery.ipynb",
        "en/charts/epidemic_curve.png",
        "en/charts/epidemic_curve.svg",
        "en/charts/discharge_rate.png",
        "en/tables/prefectures.csv",
        "data/prefectures.csv",
    ]:
        assert (report / part).is_file(), part
    html = (report / "en" / "recovery.html").read_text("utf-8")
    assert "open_briefing" not in html, "the HTML page shows no code"
    assert "1,205" in html and "87.1%" in html
    assert 'class="banner"' not in html, "the official bulletins are not synthetic"
    assert not [p for p in (tmp_path / "reports").iterdir() if p.name.startswith(".2020")], "no temp folder left"


def test_briefing_of_28_february_gives_the_published_rate(bulletins):
    # press conference of 28 February 2020: 943 / 1205 = 78.26 % (data as of 27 February 24:00)
    params = BriefingParams.resolve("2020-02-28", bulletins)
    head = recovery.headline(load(bulletins, "cases", as_of=params.as_of), "330000", params.as_of)
    assert f"{100 * head.discharge_rate:.2f}" == "78.26"


def test_a_failed_briefing_publishes_nothing_and_keeps_the_failed_notebook(tmp_path):
    data = tmp_path / "bad"
    data.mkdir()
    (data / "cases.csv").write_text("date,region_code,confirmed\n2020-03-01,330000,abc\n", encoding="utf-8")
    reports = tmp_path / "reports"
    (reports / "2020-03-02").mkdir(parents=True)
    (reports / "2020-03-02" / "summary.json").write_text('{"old": true}', encoding="utf-8")
    (reports / "2020-03-02" / REPORT_MARKER).write_text("", encoding="utf-8")  # an earlier report of ours
    params = BriefingParams.resolve("2020-03-02", data)
    with pytest.raises(BriefingFailed) as failure:
        run_briefing(params, reports, only=["recovery"])
    assert failure.value.name == "recovery"
    assert failure.value.notebook.is_file()
    assert "abc" in failure.value.notebook.read_text("utf-8")  # the error names the bad value
    # the earlier report is untouched, and no half-written folder is left
    assert json.loads((reports / "2020-03-02" / "summary.json").read_text("utf-8")) == {"old": True}
    assert sorted(p.name for p in reports.iterdir()) == [".failed", "2020-03-02"]
    assert sorted(p.name for p in (reports / "2020-03-02").iterdir()) == [REPORT_MARKER, "summary.json"]
    shutil.rmtree(reports)


def test_unknown_briefing_name_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown briefing"):
        run_briefing(BriefingParams.resolve("2020-03-02"), tmp_path, only=["nope"])


def test_a_briefing_that_does_not_apply_is_left_out_and_said(tmp_path):
    from epianalysis.paths import sample_dir

    if not (sample_dir() / ".complete").exists():
        pytest.skip("embedded scenario not generated (make sample)")
    # the first risk-zoning evaluation is on 2020-02-09: a briefing on 5 February has none yet
    params = BriefingParams.resolve("2020-02-05")
    result = run_briefing(params, tmp_path, only=["recovery", "zoning"])
    summary = json.loads((result.report_dir / "summary.json").read_text("utf-8"))
    assert "zoning" in summary["not_applicable"]
    assert "2020-02-09" in summary["not_applicable"]["zoning"]
    assert "zoning" not in summary
    assert (result.report_dir / "en" / "recovery.html").is_file()
    assert not (result.report_dir / "en" / "zoning.html").exists()
    assert not (result.report_dir / "en" / ".pages" / "zoning.json").exists()


def test_topic_briefings_in_parallel_all_land_in_the_summary(tmp_path):
    from epianalysis.paths import sample_dir

    if not (sample_dir() / ".complete").exists():
        pytest.skip("embedded scenario not generated (make sample)")
    result = run_briefing(BriefingParams.resolve("2020-03-02"), tmp_path, only=["recovery", "zoning"], workers=2)
    summary = json.loads((result.report_dir / "summary.json").read_text("utf-8"))
    assert summary["recovery"]["confirmed"] == 1205 and summary["zoning"]["counts"]["green"] == 90
    assert not (result.report_dir / ".summary.json.lock").exists()
