"""A published figure appears in a briefing only from the press date it was given on: the precision
control index of 96.87 was given at the press conference of 2 March 2020 (data as of 1 March 24:00),
so the briefing of 1 March shows it nowhere and the briefing of 2 March shows it in its summary, its
headline table and its province chart (docs/methods.md#published-references).

The briefings run end to end (papermill) on the embedded synthetic scenario. "96.87" is looked for as
the published reference: a county of the scenario may itself score 96.87 in the ranking.
"""

from __future__ import annotations

import json
import re

import pytest

from epianalysis.briefing.params import BriefingParams
from epianalysis.briefing.runner import run_briefing
from epianalysis.paths import sample_dir

SAMPLE = sample_dir()
pytestmark = pytest.mark.skipif(
    not (SAMPLE / "control.csv").is_file(),
    reason=f"embedded scenario not generated at {SAMPLE} (run `make sample`)",
)
COMMENT = re.compile(r"<!--(.*?)-->", re.S)  # matplotlib writes each text of an SVG chart as a comment


def _brief(date: str, tmp_path):
    params = BriefingParams.resolve(date, SAMPLE, "", "en,zh")
    return run_briefing(params, tmp_path / "reports", only=["control_index"]).report_dir


def _shown(report, name: str) -> str:
    """Everything the readers see in ``name`` files of every language (texts of SVG charts)."""
    texts = []
    for path in sorted(report.rglob(name)):
        text = path.read_text("utf-8")
        texts.append(" ".join(COMMENT.findall(text)) if path.suffix == ".svg" else text)
    return "\n".join(texts)


def test_the_briefing_of_1_march_shows_no_96_87(tmp_path):
    report = _brief("2020-03-01", tmp_path)
    summary = json.loads((report / "summary.json").read_text("utf-8"))
    assert summary["control_index"]["published_reference"] is None
    assert "96.87" not in json.dumps(summary)
    assert "96.87" not in _shown(report, "control_index_headline.csv")
    assert "96.87" not in _shown(report, "control_index_province.svg")
    pages = _shown(report, "control_index.html")
    assert pages and "Published province average" not in pages and "公布的全省平均" not in pages


def test_the_briefing_of_2_march_shows_it_with_its_date_and_source(day_report):
    report = day_report  # the full briefing of 2020-03-02 (tests/briefing/conftest.py)
    summary = json.loads((report / "summary.json").read_text("utf-8"))
    reference = summary["control_index"]["published_reference"]
    assert (reference["value"], reference["date"], reference["press_date"]) == (96.87, "2020-03-01", "2020-03-02")
    headline = _shown(report, "control_index_headline.csv")
    assert "96.87" in headline and "2 Mar 2020 (data as of 1 Mar, 24:00)" in headline
    assert "2020年3月2日；数据截至3月1日24时" in headline
    assert "96.87" in _shown(report, "control_index_province.svg")
    # the scenario is calibrated to the published figure to one decimal (96.9), not to its hundredths
    assert round(summary["control_index"]["province_simple_mean"], 1) == 96.9
