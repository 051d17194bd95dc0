"""One real briefing shared by the tests that look at a whole report: the press date 2020-03-02 on the
embedded scenario, every topic, both languages (made once per test session: about a minute and a half)."""

from __future__ import annotations

import pytest

from epianalysis.briefing.params import BriefingParams
from epianalysis.briefing.runner import run_briefing
from epianalysis.charts import fonts
from epianalysis.paths import sample_dir


@pytest.fixture(scope="session")
def day_report(tmp_path_factory):
    """``reports/2020-03-02`` of a full briefing in English and Chinese (skips without the scenario or a
    CJK font, saying how to get them)."""
    if not (sample_dir() / ".complete").exists():
        pytest.skip("embedded scenario not generated (make sample)")
    if fonts.find_cjk_font() is None:
        pytest.skip("no CJK font installed (make fonts installs fonts-droid-fallback)")
    reports = tmp_path_factory.mktemp("reports")
    return run_briefing(BriefingParams.resolve("2020-03-02", lang="both"), reports, workers=3).report_dir
