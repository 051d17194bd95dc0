"""Benchmark: the front page's compute, chart export per format and map drawing, each as ratios measured
side by side in this run (issue 13, items 2 and 4).

1. **Front page compute**: what the front page notebook computes before it draws (its topic results
   and the summary sections of its paragraph). *Alone*: nothing of its run to read, so it loads the
   tables and computes the zoning evaluation, the control index, capacity recovery and the health-code
   section itself (as it did in every run before). *In a run*: the topic notebooks kept their results
   and wrote their sections (made once before the timing), so it reads them.
2. **Chart export per format**: a figure built once per size, then written as PNG, SVG and PDF from
   that one figure (what ``Briefing.chart`` does), against building the figure again for every file.
   Reported per format for the county map and the capacity chart of the day.
3. **Map drawing**: the county map built and drawn to PNG with the projected county geometry derived
   from the outlines (a cold cache: what every kernel paid before, when the map also measured each
   county path segment by segment), read from the cache file (a warm cache), and from the geometry the
   process already holds.

Every time is the median of ``--repeat`` runs after one warm-up run, in this process, on the embedded
scenario (or ``--data-dir``) for the press date ``--date``; the variants compared take turns in every
round, so that the load of the machine touches them alike.

Run: ``.venv/bin/python benchmarks/bench_front_page.py [--repeat 3] [--date 2020-03-02] [--data-dir DIR]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from timing import timed

from epianalysis.briefing import open_briefing
from epianalysis.charts import geometry, maps
from epianalysis.charts.export import FORMATS, render_figure
from epianalysis.topics.capacity import charts as capacity_charts
from epianalysis.topics.capacity import view as capacity_view
from epianalysis.topics.control_index import view as control_index_view
from epianalysis.topics.front_page import view as front_page
from epianalysis.topics.health_codes import view as health_codes_view
from epianalysis.topics.recovery import view as recovery_view
from epianalysis.topics.zoning import view as zoning_view


def interleaved(variants: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Median wall seconds of each variant, the variants taking turns in every round (after one
    warm-up round), so that a change in the machine's load touches them alike."""
    times: dict[str, list[float]] = {name: [] for name in variants}
    for round_ in range(repeat + 1):
        for name, fn in variants.items():
            started = time.perf_counter()
            fn()
            if round_:
                times[name].append(time.perf_counter() - started)
    return {name: statistics.median(found) for name, found in times.items()}


def row(label: str, seconds: float, reference: float | None = None) -> str:
    ratio = "" if reference is None else f"   {seconds / reference:7.3g}x"
    return f"  {label:<52s} {seconds:7.3f} s{ratio}"


# ----------------------------------------------------------------------------- front page compute


def front_page_compute(args, run: Path, alone: Path) -> dict[str, float]:
    """Seconds of the front page's compute alone and reading its run (``run`` prepared here)."""
    topic = open_briefing("front_page", args.date, args.data_dir, "", "en", str(run))
    page = front_page.open_front_page(topic)  # computed once here: what the topic notebooks keep and write
    press = topic.params.date
    kept = {
        "headline_pair": (page.headline, page.previous),
        "zoning": page.zoning,
        "control_index": page.control_index,
        "capacity": page.capacity,
    }
    for name, value in kept.items():
        topic.keep(name, value)
    sections = {
        "recovery": recovery_view.summary(page.headline, page.as_of, press),
        "zoning": zoning_view.summary(page.zoning),
        "control_index": control_index_view.summary(page.control_index),
        "capacity": capacity_view.summary(page.capacity),
        "health_codes": health_codes_view.summary(
            health_codes_view.health_code_briefing(topic.data, topic.params.as_of, press)
        ),
    }
    for name, values in sections.items():
        topic.update_summary(values, section=name)

    def compute(out_dir: Path, expected: str) -> None:
        b = open_briefing("front_page", args.date, args.data_dir, "", "en", str(out_dir))
        gathered = front_page.gather_for(b, front_page.open_front_page(b))
        assert set(b.reused.values()) == {expected}, b.reused
        assert gathered.origin["recovery"] == ("computed" if expected == "computed" else "summary.json")

    variants = {"alone": lambda: compute(alone, "computed"), "run": lambda: compute(run, "kept")}
    return interleaved(variants, args.repeat)


# ------------------------------------------------------------------------------------ chart export


def render(fig, fmt: str) -> bytes:
    return render_figure(fig, [fmt])[fmt]


def chart_export(name: str, build: Callable[[], object], repeat: int) -> list[str]:
    """Lines: building the figure, each format from it, and all formats from one figure against a figure per file."""
    figure = build()
    seconds = {"build": timed(build, repeat)}
    for fmt in FORMATS:
        seconds[fmt] = timed(lambda fmt=fmt: render(figure, fmt), repeat)

    def once() -> None:
        fig = build()
        for fmt in FORMATS:
            render(fig, fmt)

    def per_file() -> None:
        for fmt in FORMATS:
            render(build(), fmt)

    both = interleaved({"once": once, "per_file": per_file}, repeat)
    together, apart = both["once"], both["per_file"]
    return [
        f"chart export: {name}",
        row("build the figure (wide)", seconds["build"]),
        *[row(f"{fmt.upper()} from it", seconds[fmt], seconds["build"]) for fmt in FORMATS],
        row("a figure built for each of PNG, SVG, PDF (per file)", apart),
        row("built once, PNG, SVG and PDF from it", together, apart),
    ]


# ------------------------------------------------------------------------------------- map drawing


def map_drawing(zoning, repeat: int) -> list[str]:
    """Lines: the county map built (and drawn to PNG) with the geometry derived and each path measured
    as before, with a cold cache, a warm cache file, and the geometry the process holds."""
    drawn_with = maps.add_path

    def build(found: geometry.MapGeometry):
        maps.map_geometry = lambda: found
        return zoning_view.map_figure(zoning, lang="en", source="bench", synthetic=True)

    def before():
        maps.add_path = lambda ax, patch, bounds: ax.add_patch(patch)  # each path measured segment by segment
        try:
            return build(geometry.from_arrays(geometry.compute_arrays()))  # derived in every kernel
        finally:
            maps.add_path = drawn_with

    def cold():
        with tempfile.TemporaryDirectory() as empty:
            return build(geometry.load_geometry(Path(empty))[0])

    with tempfile.TemporaryDirectory() as folder:
        held = geometry.load_geometry(Path(folder))[0]

        def warm():
            found, read = geometry.load_geometry(Path(folder))
            assert read
            return build(found)

        variants = {"before": before, "cold": cold, "warm": warm, "held": lambda: build(held)}
        built = interleaved(variants, repeat)
        drawn = interleaved({k: (lambda fn=fn: render(fn(), "png")) for k, fn in variants.items()}, repeat)
    maps.map_geometry = geometry.map_geometry
    labels = {
        "before": "geometry derived, each path measured (before)",
        "cold": "cold cache: geometry derived and written",
        "warm": "warm cache: geometry read from the file",
        "held": "geometry already held by the process",
    }
    lines = ["map drawing: the county risk map built (ratio to before)"]
    lines += [row(labels[k], built[k], built["before"]) for k in variants]
    lines += ["map drawing: built and drawn to PNG (ratio to before)"]
    lines += [row(labels[k], drawn[k], drawn["before"]) for k in variants]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--date", default="2020-03-02", help="press date")
    parser.add_argument("--data-dir", default="", help="data directory (default: the embedded scenario)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        seconds = front_page_compute(args, Path(tmp) / "run", Path(tmp) / "alone")
    print(f"front page compute ({args.date}; median of {args.repeat}; ratio to alone)")
    print(row("alone: loads the tables, computes the topic results", seconds["alone"]))
    print(row("in a run: reads the kept results and the sections", seconds["run"], seconds["alone"]))

    b = open_briefing("front_page", args.date, args.data_dir, "", "en", "")
    page = front_page.open_front_page(b)
    kwargs = b.chart_kwargs("en")
    builds = {
        "county risk map": lambda: zoning_view.map_figure(page.zoning, **kwargs),
        "capacity rates": lambda: capacity_charts.rates_chart(
            page.capacity.size_groups, target=page.capacity.target, **kwargs
        ),
    }
    for name, build in builds.items():
        print("\n".join(chart_export(name, build, args.repeat)))
    print("\n".join(map_drawing(page.zoning, args.repeat)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
