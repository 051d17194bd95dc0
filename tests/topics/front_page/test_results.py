"""The front page takes the topic results its run kept, and computes each of them once when it runs alone;
both ways give the same front page."""

from __future__ import annotations

import json

import pytest

from epianalysis.briefing import open_briefing
from epianalysis.paths import notebooks_dir, sample_dir
from epianalysis.topics.front_page import results as fr
from epianalysis.topics.front_page import view as fp
from epianalysis.topics.front_page.kpis import kpi_summary
from epianalysis.topics.zoning import view as zoning_view

SAMPLE = sample_dir()
needs_sample = pytest.mark.skipif(
    not (SAMPLE / ".complete").is_file(), reason=f"embedded scenario not generated at {SAMPLE} (run `make sample`)"
)
KEPT_BY = {"headline_pair": "recovery", "zoning": "zoning", "control_index": "control_index", "capacity": "capacity"}


def test_every_result_the_front_page_reads_is_kept_by_its_topic_notebook():
    assert set(KEPT_BY) == set(fr.RESULTS)
    for name, topic in KEPT_BY.items():
        cells = json.loads((notebooks_dir() / "briefings" / f"{topic}.ipynb").read_text("utf-8"))["cells"]
        code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        assert f'b.keep("{name}", ' in code, f"{topic}.ipynb keeps no {name!r} for the front page"


def counting_loads(b) -> list[str]:
    loads: list[str] = []
    load = b.load

    def counted(table):
        loads.append(table)
        return load(table)

    b.load = counted
    return loads


def described(page: fp.FrontPage) -> dict:
    """What the front page shows, as plain values."""
    return {
        "kpis": kpi_summary(page.kpis),
        "zoning": zoning_view.summary(page.zoning),
        "zoning_map": zoning_view.map_values(page.zoning).to_dict("list"),
        "ranking": page.control_index.counties.to_dict("list"),
        "capacity": page.capacity.size_groups.to_dict("list"),
        "target": page.capacity.target,
    }


@needs_sample
def test_alone_it_computes_each_result_loading_each_table_once_and_with_kept_results_it_loads_none(tmp_path):
    alone = open_briefing("front_page", "2020-03-02", out_dir=str(tmp_path / "alone"))
    loads = counting_loads(alone)
    page = fp.open_front_page(alone)
    assert alone.reused == dict.fromkeys(fr.RESULTS, "computed")
    assert sorted(loads) == sorted(set(loads)) == ["cases", "control", "enterprise_daily", "enterprises", "flow"]

    run = tmp_path / "run"
    topic = open_briefing(None, "2020-03-02", out_dir=str(run))
    kept = {  # what the topic notebooks keep
        "headline_pair": (page.headline, page.previous),
        "zoning": page.zoning,
        "control_index": page.control_index,
        "capacity": page.capacity,
    }
    for name, value in kept.items():
        topic.keep(name, value)
    front = open_briefing("front_page", "2020-03-02", out_dir=str(run))
    loads = counting_loads(front)
    read = fp.open_front_page(front)
    assert front.reused == dict.fromkeys(fr.RESULTS, "kept")
    assert loads == []
    assert described(read) == described(page)
