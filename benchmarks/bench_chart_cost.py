"""Benchmark: where a day's chart time goes, by chart and by export format.

The six topic notebooks' code of one press date runs in this one process (cells in order, the run's
values set after the parameters cell, as papermill injects them), in English and Chinese, with
every chart drawn (``EPIANALYSIS_NO_CACHE=1``, an empty cache folder of its own). Printed: the CPU
seconds of each chart (both languages: building the figures and exporting every file) and of the
PNG, SVG and PDF exports over all charts, against the CPU seconds of the whole run. No target: it
says which part of the charts a change would have to make cheaper (issue 13; docs/output.md#timings).
The front page is left out: it reads the topic notebooks' results from a briefing's folder.

Run: ``.venv/bin/python benchmarks/bench_chart_cost.py [--date YYYY-MM-DD]``
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time

import nbformat
from timing import machine

TOPICS = ("recovery", "zoning", "control_index", "capacity", "health_codes", "transmission")


def _cpu(totals: collections.Counter, key: str, call):
    """Call ``call()`` and add its CPU seconds to ``totals[key]``."""
    started = time.process_time()
    try:
        return call()
    finally:
        totals[key] += time.process_time() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--date", default="2020-03-02", help="press date (default 2020-03-02)")
    args = parser.parse_args(argv)
    os.environ["EPIANALYSIS_NO_CACHE"] = "1"
    os.environ["EPIANALYSIS_CACHE_DIR"] = tempfile.mkdtemp(prefix="bench-chart-cost-")

    from epianalysis.briefing.context import Briefing
    from epianalysis.charts import export
    from epianalysis.paths import notebooks_dir

    charts, formats = collections.Counter(), collections.Counter()
    draw, render = Briefing._draw, export._render
    Briefing._draw = lambda self, function, name, *rest: _cpu(charts, name, lambda: draw(self, function, name, *rest))
    export._render = lambda fig, fmt: _cpu(formats, fmt, lambda: render(fig, fmt))

    print(machine())
    started = time.process_time()
    with tempfile.TemporaryDirectory(prefix="bench-chart-cost-") as out:
        for topic in TOPICS:
            nb = nbformat.read(notebooks_dir() / "briefings" / f"{topic}.ipynb", as_version=4)
            namespace: dict = {}
            for cell in (c for c in nb.cells if c.cell_type == "code"):
                exec(compile(cell.source, f"{topic}.ipynb", "exec"), namespace)  # noqa: S102 - our notebooks
                if "parameters" in cell.metadata.get("tags", []):
                    namespace.update(date=args.date, lang="en,zh", out_dir=os.path.join(out, topic))
    total = time.process_time() - started

    print(f"{len(TOPICS)} topic notebooks of {args.date}, en and zh, in one process: {total:.1f} CPU-s")
    print(f"  charts (build and export): {sum(charts.values()):5.1f} CPU-s")
    for name, seconds in charts.most_common():
        print(f"    {name:28s} {seconds:5.2f}")
    print(f"  exports: {sum(formats.values()):5.1f} CPU-s")
    for fmt, seconds in formats.most_common():
        print(f"    {fmt:28s} {seconds:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
