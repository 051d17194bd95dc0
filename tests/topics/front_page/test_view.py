"""The front page: summary sections gathered from a file or computed (KPIs: test_kpis.py)."""

from __future__ import annotations

import datetime as dt
import json

from epianalysis import summary
from epianalysis.topics.front_page import view as fp

AS_OF = dt.date(2020, 3, 1)


def written_summary(**sections) -> dict:
    """A summary.json made from the schema's example (epianalysis.summary.example), checked against the
    schema, with the given sections replaced."""
    s = summary.example()
    s.update(sections)
    summary.check_summary(s)
    return s


def test_gather_takes_sections_from_the_summary_file(tmp_path):
    written = written_summary()
    assert {written[n]["data_date"] for n in fp.SECTIONS} == {AS_OF.isoformat()}
    (tmp_path / "summary.json").write_text(json.dumps(written), "utf-8")
    calls = []
    compute = {n: (lambda n=n: calls.append(n) or {}) for n in fp.SECTIONS}
    got = fp.gather(summary.read_summary(tmp_path), AS_OF, compute)
    assert calls == []
    assert set(got.origin.values()) == {fp.SUMMARY_FILE}
    assert got.summary["control_index"] == written["control_index"]
    assert got.summary["recovery"]["confirmed"] == written["recovery"]["confirmed"]


def test_gather_computes_absent_or_stale_sections(tmp_path):
    example = summary.example()
    written = written_summary(capacity={**example["capacity"], "data_date": "2020-02-28"})
    for name in ("recovery", "control_index", "health_codes"):
        del written[name]
    (tmp_path / "summary.json").write_text(json.dumps(written), "utf-8")
    compute = {n: (lambda n=n: {"computed": n}) for n in fp.SECTIONS}
    got = fp.gather(summary.read_summary(tmp_path), AS_OF, compute)
    assert got.origin == {
        "recovery": "computed",
        "zoning": fp.SUMMARY_FILE,
        "control_index": "computed",
        "capacity": "computed",
        "health_codes": "computed",
    }
    assert got.summary["capacity"] == {"computed": "capacity"}  # stale data date: recomputed
    assert got.summary["zoning"] == example["zoning"]
    assert summary.read_summary(None) == {} and summary.read_summary(tmp_path / "nowhere") == {}


def test_save_paragraphs(tmp_path):
    paths = fp.save_paragraphs(tmp_path, {"en": "One.", "zh": "一。"})
    assert [p.name for p in paths] == ["paragraph_en.txt", "paragraph_zh.txt"]
    assert paths[1].read_text("utf-8") == "一。\n"
    assert fp.save_paragraphs(None, {"en": "x"}) == []
