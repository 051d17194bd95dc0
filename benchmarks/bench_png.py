"""Benchmark: our PNG writer against matplotlib's, side by side on the same drawn charts.

:func:`epianalysis.charts.export.png_from_pixels` writes an opaque chart as RGB (no alpha channel).
Measured here, in this one run: the CPU seconds of drawing and writing each chart's PNG both ways
(matplotlib's own PNG at the same zlib level, and ours), alternating, median of ``--repeat`` runs,
and the bytes of each file. The pixels are checked equal before anything is timed. Expected: files
at least 5 % smaller, in no more than 1.1x matplotlib's time (RGB has a quarter fewer bytes to
compress, and dropping the alpha channel costs a pass over the pixels: the times measure about equal,
0.94-1.06x, from run to run).

Run: ``.venv/bin/python benchmarks/bench_png.py [--repeat N]``
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time

import matplotlib
import numpy as np
import pandas as pd
from bench_maps import LEVELS, _values
from PIL import Image
from timing import machine

from epianalysis.charts.export import _SAVE_RC_KEYS, PNG_COMPRESS_LEVEL, png_bytes
from epianalysis.charts.maps import choropleth
from epianalysis.charts.style import DPI, PRESS_RC
from epianalysis.topics.recovery.charts import epidemic_curve

MAX_SIZE_RATIO, MAX_TIME_RATIO = 0.95, 1.1


def _charts():
    values, changed = _values()
    daily = pd.DataFrame(
        {
            "date": pd.date_range("2020-01-22", periods=60, freq="D"),
            "new_local": [(i * 13) % 40 for i in range(60)],
            "new_imported": [i % 3 for i in range(60)],
        }
    )
    return {
        "county map": lambda: choropleth(values, LEVELS, "en", subtitle="12 Feb 2020", source="bench", changed=changed),
        "epidemic curve": lambda: epidemic_curve(daily, "en", source="bench"),
        "epidemic curve, square": lambda: epidemic_curve(daily, "en", source="bench", size="square"),
    }


def _matplotlib_png(fig) -> bytes:
    buffer = io.BytesIO()
    with matplotlib.rc_context({key: PRESS_RC[key] for key in _SAVE_RC_KEYS}):
        options = {"metadata": {"Software": None}, "pil_kwargs": {"compress_level": PNG_COMPRESS_LEVEL}}
        fig.savefig(buffer, format="png", dpi=DPI, **options)
    return buffer.getvalue()


def _cpu(write, fig) -> tuple[float, bytes]:
    started = time.process_time()
    data = write(fig)
    return time.process_time() - started, data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(machine())
    total = {"matplotlib": 0.0, "ours": 0.0}
    ok = True
    for name, build in _charts().items():
        fig = build()
        theirs, ours = _matplotlib_png(fig), png_bytes(fig)  # also draws the figure once (warm-up)
        fig._press_png = None  # noqa: SLF001 (png_bytes would return its saved bytes)
        reference, pixels = (np.asarray(Image.open(io.BytesIO(data))) for data in (theirs, ours))
        if not np.array_equal(reference[..., :3], pixels):
            print(f"{name}: the pixels differ")
            return 1
        times = {"matplotlib": [], "ours": []}
        for _ in range(args.repeat):
            times["matplotlib"].append(_cpu(_matplotlib_png, fig)[0])
            times["ours"].append(_cpu(png_bytes, fig)[0])
            fig._press_png = None  # noqa: SLF001
        medians = {way: statistics.median(t) for way, t in times.items()}
        for way, seconds in medians.items():
            total[way] += seconds
        ratio, size = medians["ours"] / medians["matplotlib"], len(ours) / len(theirs)
        print(
            f"{name:24s} matplotlib {medians['matplotlib']:.3f} s {len(theirs) / 1e3:6.0f} kB   "
            f"ours {medians['ours']:.3f} s {len(ours) / 1e3:6.0f} kB   time {ratio:.2f}x, bytes {size:.2f}x"
        )
        ok &= size <= MAX_SIZE_RATIO
    ratio = total["ours"] / total["matplotlib"]
    print(f"all charts: ours {ratio:.2f}x matplotlib's CPU time (median of {args.repeat} alternating runs)")
    ok &= ratio <= MAX_TIME_RATIO
    print(f"expected: files at most {MAX_SIZE_RATIO}x, time at most {MAX_TIME_RATIO}x -", "ok" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
