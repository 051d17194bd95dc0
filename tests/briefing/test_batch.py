"""Batch briefings: one failed day does not stop the others; unchanged days are skipped."""

import datetime as dt

import pytest

from epianalysis.briefing import batch
from epianalysis.briefing.params import BriefingParams
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


def test_fingerprint_changes_with_data_and_parameters(tmp_path):
    data = _data(tmp_path / "d", 20)
    params = BriefingParams.resolve("2020-02-25", data)
    code = batch.code_fingerprint([])
    first = batch.fingerprint(params, None, code, batch.data_fingerprint(data))
    assert first == batch.fingerprint(params, None, code, batch.data_fingerprint(data))
    assert first != batch.fingerprint(
        BriefingParams.resolve("2020-02-25", data, "", "zh"), None, code, batch.data_fingerprint(data)
    )
    (data / "cases.csv").write_text(CASES.format(rows="2020-02-20,330000,1,0,0\n"), encoding="utf-8")
    assert first != batch.fingerprint(params, None, code, batch.data_fingerprint(data))


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
