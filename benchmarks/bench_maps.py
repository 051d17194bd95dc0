"""Benchmark: render the county risk map (choropleth and tile grid) for the 90 counties.

Target (issue 3): each map renders in under 2 s. Measured: building the figure and drawing it to a
PNG in memory (the work of a briefing), median of 5 runs after one warm-up run (which loads the
boundaries and fonts once per process), in English and Chinese.

Run: ``.venv/bin/python benchmarks/bench_maps.py [--repeat N]``
"""

from __future__ import annotations

import argparse
import io
import sys

import pandas as pd
from timing import timed

from epianalysis.charts.maps import choropleth
from epianalysis.charts.style import DPI
from epianalysis.charts.tilegrid import tile_map
from epianalysis.reference.regions import counties

TARGET_SECONDS = 2.0
KEYS = ["red", "orange", "yellow", "blue", "green"]
LEVELS = [
    {"key": k, "colour": c, "label_en": k.title(), "label_zh": z}
    for k, c, z in zip(
        KEYS,
        ["#C62828", "#EF7D00", "#F5C400", "#2F7CC0", "#3FA66B"],
        ["红色", "橙色", "黄色", "蓝色", "绿色"],
        strict=True,
    )
]


def _values() -> tuple[pd.DataFrame, dict[str, str]]:
    codes = sorted(counties()["code"].astype(str))
    # Every county but the last two gets a level (those two are unknown); 12 counties changed.
    levels = [KEYS[i % 5] for i in range(len(codes) - 2)]
    changed = {code: "yellow → blue" for code in codes[::8]}
    return pd.DataFrame({"region_code": codes[:-2], "level": levels}), changed


def _render(draw, lang: str) -> None:
    values, changed = _values()
    fig = draw(values, LEVELS, lang, subtitle="12 Feb 2020", source="bench", synthetic=True, changed=changed)
    fig.savefig(io.BytesIO(), format="png", dpi=DPI)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    failed = 0
    for draw in (choropleth, tile_map):
        for lang in ("en", "zh"):
            seconds = timed(lambda draw=draw, lang=lang: _render(draw, lang), args.repeat)
            ok = seconds < TARGET_SECONDS
            failed += not ok
            print(
                f"{draw.__name__:10s} {lang}: {seconds:.3f} s (median of {args.repeat}; "
                f"target < {TARGET_SECONDS:.0f} s) {'ok' if ok else 'SLOW'}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
