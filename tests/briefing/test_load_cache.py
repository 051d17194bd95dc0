"""A briefing made with the load cache (epianalysis.data.cache) and one made without it: the same
summary sections and the same chart bytes."""

from __future__ import annotations

from epianalysis.briefing.params import BriefingParams
from epianalysis.briefing.runner import run_briefing
from epianalysis.data import cache
from epianalysis.paths import cache_dir
from epianalysis.summary import read_summary


def test_a_report_without_the_cache_equals_the_report_with_it(day_report, tmp_path, monkeypatch):
    """The day's report ran with the session's cache (its notebooks kept the tables they loaded and read
    them back); the front page alone, without the cache, loads every table from its files and computes
    every topic result again: the same sections, KPIs, paragraph and chart bytes."""
    kept = sorted(p.name for p in (cache_dir() / cache.TABLES_DIR).glob("*.parquet"))
    for table in ("cases", "control", "flow", "health_codes", "enterprises"):
        assert any(name.startswith(f"{table}-") for name in kept), (table, kept)
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    params = BriefingParams.resolve("2020-03-02", lang="both")
    alone = run_briefing(params, tmp_path, only=["front_page"]).report_dir
    whole, single = read_summary(day_report), read_summary(alone)
    for name in whole["front_page"]["sections"]:
        assert single[name] == whole[name], name
    assert {k: v for k, v in single["front_page"].items() if k != "sections"} == {
        k: v for k, v in whole["front_page"].items() if k != "sections"
    }
    for lang in ("en", "zh"):
        charts = sorted((alone / lang / "charts").iterdir())
        assert len(charts) >= 4 * 3  # KPI cards, map, ranking, capacity: PNG, SVG, PDF
        for chart in charts:
            assert chart.read_bytes() == (day_report / lang / "charts" / chart.name).read_bytes(), chart.name
