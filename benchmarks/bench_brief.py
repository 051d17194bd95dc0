"""Benchmark: one-date `epianalysis brief --only recovery` end to end, with its parts, and scenario generation.

Target (issue 2): the briefing in under 10 s wall on a 2-core machine; scenario generation under 30 s.
The parts are measured in this process on the same data, side by side with the end-to-end run:
kernel start (a fresh python3 kernel executing one cell), load (store), metrics, charts, export.

Run: ``.venv/bin/python benchmarks/bench_brief.py [--repeat N] [--skip-scenario]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(fn, repeat: int) -> float:
    """Median wall seconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def kernel_start() -> None:
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        client.execute_interactive("1 + 1", timeout=60)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per measurement (median reported)")
    parser.add_argument("--skip-scenario", action="store_true", help="do not time scenario generation")
    args = parser.parse_args()

    import matplotlib.pyplot as plt

    from epianalysis.briefing import open_briefing
    from epianalysis.briefing.context import CHART_FORMATS
    from epianalysis.charts.export import save_figure
    from epianalysis.reference.regions import PROVINCE_CODE
    from epianalysis.topics.recovery import charts as epidemic
    from epianalysis.topics.recovery import metrics as recovery

    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        results["end_to_end_brief_recovery"] = timed(
            lambda: subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "epianalysis.cli",
                    "brief",
                    "--date",
                    "2020-03-02",
                    "--only",
                    "recovery",
                    "--out",
                    str(out / "reports"),
                ],
                check=True,
                capture_output=True,
            ),
            args.repeat,
        )
        from epianalysis.briefing.params import BriefingParams
        from epianalysis.briefing.runner import run_briefing

        run = run_briefing(BriefingParams.resolve("2020-03-02"), out / "inprocess", only=["recovery"])
        for part, seconds in run.timings.items():  # papermill execution and the pages, as the runner saw them
            results[f"runner:{part}"] = seconds
        results["part:kernel_start"] = timed(kernel_start, args.repeat)
        b = open_briefing("recovery", "2020-03-02", out_dir=str(out / "parts"))
        results["part:load"] = timed(lambda: b.load("cases"), args.repeat)
        cases = b.load("cases")

        def metrics():
            recovery.headline(cases, PROVINCE_CODE, b.params.as_of)
            recovery.epidemic_curve_data(cases, PROVINCE_CODE, b.params.as_of)
            recovery.discharge_rate_series(cases, PROVINCE_CODE, b.params.as_of)
            recovery.prefecture_table(cases, b.regions, b.params.as_of)

        results["part:metrics"] = timed(metrics, args.repeat)
        curve = recovery.epidemic_curve_data(cases, PROVINCE_CODE, b.params.as_of)
        rates = recovery.discharge_rate_series(cases, PROVINCE_CODE, b.params.as_of)

        def charts():
            return [
                epidemic.epidemic_curve(curve, **b.chart_kwargs()),
                epidemic.discharge_rate_curve(rates, **b.chart_kwargs()),
            ]

        results["part:charts"] = timed(lambda: [plt.close(f) for f in charts()], args.repeat)

        def export():
            for i, fig in enumerate(charts()):
                save_figure(fig, out / "parts" / "charts", f"chart{i}", formats=CHART_FORMATS)
                plt.close(fig)

        results["part:charts+export"] = timed(export, args.repeat)
        if not args.skip_scenario:
            from epianalysis.scenario import generate

            results["scenario_generation"] = timed(lambda: generate(out / "scenario", progress=False), 1)

    print(f"{'measurement':32s} {'median s':>9s}")
    for name, seconds in results.items():
        print(f"{name:32s} {seconds:9.2f}")
    brief = results["end_to_end_brief_recovery"]
    print(f"\nbrief --only recovery: {brief:.2f} s wall (target < 10 s): {'OK' if brief < 10 else 'OVER'}")
    if "scenario_generation" in results:
        gen = results["scenario_generation"]
        print(f"scenario generation: {gen:.2f} s wall (target < 30 s): {'OK' if gen < 30 else 'OVER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
