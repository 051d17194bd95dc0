"""Skips by content: a day is rebuilt when the rows it reads change, even with size and time kept, and
only then; its manifest says what it was made from."""

from __future__ import annotations

import datetime as dt
import json
import os

from faults import cases_csv, run_cli

from epianalysis.briefing.manifest import MANIFEST_FILE, day_manifest, is_current
from epianalysis.briefing.runner import briefing_notebooks

PRESS, AS_OF = dt.date(2020, 2, 26), dt.date(2020, 2, 25)


def _manifest(data, names=("recovery",)):
    notebooks = {name: path for name, path in briefing_notebooks().items() if name in names}
    return day_manifest(PRESS, AS_OF, ("en",), data, notebooks)


def _same_size_edit(path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` (same length) and put the file's times back, as ``cp -p`` would."""
    stat = path.stat()
    text = path.read_text("utf-8")
    assert len(old) == len(new) and old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns


def test_the_manifest_follows_the_rows_a_day_reads(cases_only):
    first = _manifest(cases_only)
    cases = cases_only / "cases.csv"
    _same_size_edit(cases, "2020-02-28,330000,1228", "2020-02-28,330000,1229")  # after the data date
    assert _manifest(cases_only) == first, "a row dated after the data date is not read"
    (cases_only / "control.csv").write_text("date,region_code\n", encoding="utf-8")
    assert _manifest(cases_only) == first, "a table the topic does not read"
    _same_size_edit(cases, "2020-02-24,330000,1224", "2020-02-24,330000,1225")  # read by the day
    changed = _manifest(cases_only)
    assert changed["topics"]["recovery"]["tables"]["cases"] != first["topics"]["recovery"]["tables"]["cases"]
    assert changed["topics"]["recovery"]["tables"]["cases"]["rows"] == 25 - 20 + 1


def test_a_same_size_edit_with_kept_times_rebuilds_the_day(cases_only, tmp_path):
    out = tmp_path / "reports"
    argv = ("brief", "--date", PRESS.isoformat(), "--only", "recovery", "--lang", "en")
    argv += ("--data", str(cases_only), "--out", str(out))
    assert run_cli(*argv).returncode == 0
    report = out / PRESS.isoformat()
    recorded = json.loads((report / MANIFEST_FILE).read_text("utf-8"))
    assert recorded["data_as_of"] == AS_OF.isoformat() and recorded["topics"]["recovery"]["tables"]["cases"]
    assert is_current(report, _manifest(cases_only))
    # the bulletin of the 25th corrected from 1225 to 1235 confirmed, copied with its time kept
    _same_size_edit(cases_only / "cases.csv", "2020-02-25,330000,1225", "2020-02-25,330000,1235")
    assert not is_current(report, _manifest(cases_only))
    second = run_cli(*argv)
    assert second.returncode == 0 and "report written" in second.stdout, second.stderr
    summary = json.loads((report / "summary.json").read_text("utf-8"))
    assert summary["recovery"]["confirmed"] == 1235
    third = run_cli(*argv)
    assert "up to date, skipped" in third.stdout


def test_the_data_file_list_alone_does_not_decide(cases_only):
    """Rows of a later day appended (a new delivery) leave earlier days current."""
    first = _manifest(cases_only)
    with open(cases_only / "cases.csv", "a", encoding="utf-8") as handle:
        handle.write("2020-03-01,330000,1230,1200,1\n")
    assert _manifest(cases_only) == first
    assert cases_csv(20, 20).count("\n") == 2  # the builder gives a header and one row per day
