"""Batch briefings: one failed day does not stop the others; unchanged days are skipped (what counts as
unchanged: tests/briefing/test_manifest.py)."""

import datetime as dt
import re

import pytest

from epianalysis.briefing import batch
from epianalysis.cli import main

CASES = "date,region_code,confirmed,discharged,deaths\n{rows}"


def _data(folder, first_day):
    """Province rows from ``first_day`` on: a briefing whose data date is earlier has no data."""
    folder.mkdir()
    rows = "".join(f"2020-02-{d:02d},330000,{1200 + d},{900 + 10 * d},1\n" for d in range(first_day, 30))
    (folder / "cases.csv").write_text(CASES.format(rows=rows), encoding="utf-8")
    return folder


def test_date_range():
    assert batch.date_range(dt.date(2020, 2, 28), dt.date(2020, 3, 1)) == [
        dt.date(2020, 2, 28),
        dt.date(2020, 2, 29),
        dt.date(2020, 3, 1),
    ]
    with pytest.raises(ValueError, match="before"):
        batch.date_range(dt.date(2020, 3, 2), dt.date(2020, 3, 1))


def test_a_failed_day_does_not_stop_the_others_and_reruns_skip(tmp_path, capsys):
    data = _data(tmp_path / "data", 27)  # 2020-02-27 is the first day with data
    reports = tmp_path / "reports"
    argv = [
        "brief",
        "--from",
        "2020-02-27",
        "--to",
        "2020-02-29",
        "--jobs",
        "2",
        "--only",
        "recovery",
        "--lang",
        "en",
        "--data",
        str(data),
        "--out",
        str(reports),
    ]
    assert main(argv) == 1  # 2020-02-27 briefs data as of 02-26: none, so it fails
    captured = capsys.readouterr()
    assert "2020-02-27: FAILED in recovery: In [" in captured.err and "LookupError" in captured.err
    assert (reports / ".failed" / "2020-02-27" / "recovery.ipynb").is_file()
    assert not (reports / "2020-02-27").exists()
    for day in ["2020-02-28", "2020-02-29"]:
        assert (reports / day / "summary.json").is_file()
    assert "2 done, 0 skipped, 1 failed" in captured.err
    # a second run skips the two complete days and retries the failed one
    assert main(argv) == 1
    assert "0 done, 2 skipped, 1 failed" in capsys.readouterr().err


def test_a_single_day_reports_each_notebook_as_it_ends_and_where_the_report_is(tmp_path, capfd):
    data = _data(tmp_path / "data", 1)
    reports = tmp_path / "reports"
    argv = ["brief", "--date", "2020-02-20", "--only", "recovery,zoning,front_page", "--lang", "en"]
    assert main([*argv, "--data", str(data), "--out", str(reports)]) == 0
    captured = capfd.readouterr()
    # the worker process writes one line per notebook: name, seconds, outcome (a province-only folder
    # has no county rows, so zoning finds it does not apply)
    # and where its time went
    parts = r"  \(kernel \d+\.\d s, load \d+\.\d s, compute \d+\.\d s, charts \d+\.\d s\)"
    assert re.search(rf"^  recovery +\d+\.\d s  ok{parts}$", captured.err, re.MULTILINE), captured.err
    assert re.search(r"^  zoning +\d+\.\d s  not applicable: ", captured.err, re.MULTILINE), captured.err
    # the front page still comes out, without the zoning it cannot show
    assert re.search(rf"^  front_page +\d+\.\d s  ok{parts}$", captured.err, re.MULTILINE), captured.err
    assert f"2020-02-20: report written to {reports / '2020-02-20' / 'index.html'}" in captured.out
    assert f"every briefed day: {reports / 'index.html'}" in captured.err
