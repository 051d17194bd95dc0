"""`brief --only` into an existing report updates those topics and keeps the rest, or refuses: a report
never silently shrinks or mixes data."""

from __future__ import annotations

import json

from faults import run_cli

from epianalysis.briefing.manifest import MANIFEST_FILE


def test_only_updates_its_topics_keeps_the_rest_or_refuses(cases_only, tmp_path):
    out = tmp_path / "reports"
    base = ("brief", "--date", "2020-02-29", "--lang", "en", "--jobs", "2", "--data", str(cases_only))
    base += ("--out", str(out))
    assert run_cli(*base, "--only", "recovery,transmission").returncode == 0
    report = out / "2020-02-29"
    before = json.loads((report / "summary.json").read_text("utf-8"))
    assert "transmission" in before or "transmission" in before.get("not_applicable", {})
    (report / "notebooks" / "recovery.ipynb").unlink()  # so that we see it made again
    forced = run_cli(*base, "--only", "recovery", "--force")
    assert forced.returncode == 0, forced.stderr
    after = json.loads((report / "summary.json").read_text("utf-8"))
    assert (report / "notebooks" / "recovery.ipynb").is_file()
    assert after.get("transmission") == before.get("transmission"), "the other topic is kept as it was"
    assert sorted(json.loads((report / MANIFEST_FILE).read_text("utf-8"))["topics"]) == ["recovery", "transmission"]
    # the rows of 25 February change: transmission (not asked for) would be left stale, so refuse
    cases = cases_only / "cases.csv"
    cases.write_text(cases.read_text("utf-8").replace("2020-02-25,330000,1225", "2020-02-25,330000,1230"), "utf-8")
    refused = run_cli(*base, "--only", "recovery")
    assert refused.returncode == 1 and "transmission" in refused.stderr and "--out" in refused.stderr
    assert json.loads((report / "summary.json").read_text("utf-8")) == after
