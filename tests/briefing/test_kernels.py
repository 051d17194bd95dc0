"""Warm kernels: nothing leaks from one notebook to the next, a dead kernel is replaced, and a range of
days briefed in warm kernels gives the same notebooks, numbers and chart bytes as fresh kernels."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal

import nbformat
import papermill
import pytest

from epianalysis.briefing.batch import run_batch
from epianalysis.briefing.kernels import ENGINE, FRESH_ENGINE, KernelPool
from epianalysis.briefing.params import BriefingParams
from epianalysis.briefing.runner import ipc_kernel_manager
from epianalysis.charts.style import DPI
from epianalysis.paths import sample_dir


def _notebook(folder, name, source):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in source])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / f"{name}.ipynb")


def _run(kernel, folder, name):
    def execute(km, kc):
        return papermill.execute_notebook(
            str(folder / f"{name}.ipynb"),
            str(folder / f"{name}.out.ipynb"),
            engine_name=ENGINE,
            km=km,
            kc=kc,
            kernel_name="python3",
            progress_bar=False,
        )

    out = kernel.run(execute)
    return [(c.execution_count, [o.get("data", {}).get("text/plain") for o in c.outputs]) for c in out.cells]


#: How a notebook shows tables and what it logs: pandas' rows shown, NumPy's print precision and its
#: reaction to a division by zero, the root logger's level and handlers, the time zone, pyplot's backend.
_SETTINGS = (
    "import logging, numpy, pandas, time, matplotlib.pyplot\n"
    "(pandas.get_option('display.max_rows'), numpy.get_printoptions()['precision'], "
    "numpy.geterr()['divide'], logging.getLogger().level, len(logging.getLogger().handlers), time.timezone, "
    "matplotlib.pyplot.get_backend())"
)


def test_nothing_set_by_one_notebook_is_seen_by_the_next_in_the_same_kernel(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    _notebook(
        tmp_path,
        "first",
        [
            _SETTINGS,
            "leaked = 41 + 1\nimport os, sys, matplotlib\n"
            "matplotlib.rcParams['lines.linewidth'] = 9\nos.environ['EPIANALYSIS_LEAK'] = 'yes'\n"
            "sys.path.append('/nowhere')\nos.chdir('elsewhere')\n"
            "import logging, numpy, pandas\npandas.set_option('display.max_rows', 3)\n"
            "get_ipython().run_line_magic('precision', '3')\nmatplotlib.pyplot.switch_backend('agg')\n"
            "numpy.set_printoptions(precision=2)\nnumpy.seterr(all='raise')\n"
            "logging.basicConfig(level=logging.DEBUG, force=True)\n"
            "plain = get_ipython().display_formatter.formatters['text/plain']\n"
            "plain.for_type(float, lambda value, printer, cycle: printer.text('LEAK'))\n"
            "import time\nos.environ['TZ'] = 'UTC-11'\ntime.tzset()\n"
            "import epianalysis.charts.style as style, epianalysis.topics.recovery.view as view\n"
            "style.DPI, view.summary, view.added = 1, None, 'new'\nleaked",
            # a module of the package that prepare did not import, patched by the notebook importing it
            "import sys\nfirst_import = 'epianalysis.explore.county' not in sys.modules\n"
            "import epianalysis.explore.county as names\nnames.added = 'new'\nfirst_import",
            _SETTINGS,
        ],
    )
    _notebook(
        tmp_path,
        "second",
        [
            "import os, sys, matplotlib\n"
            "('leaked' in globals(), matplotlib.rcParams['lines.linewidth'], "
            "'EPIANALYSIS_LEAK' in os.environ, '/nowhere' in sys.path, os.path.basename(os.getcwd()))",
            _SETTINGS,
            "import epianalysis.charts.style as style, epianalysis.topics.recovery.view as view\n"
            "(style.DPI, callable(view.summary), hasattr(view, 'added'))",
            "import epianalysis.explore.county as names\nhasattr(names, 'added')",
            # the kernel's inline backend shows a pyplot figure after the cell (the Agg backend would not)
            "import matplotlib.pyplot as plt\nplt.plot([1, 2]);",
        ],
    )
    pool = KernelPool(1, tmp_path, ipc_kernel_manager()).start()
    try:
        with pool.kernel() as kernel:
            first = _run(kernel, tmp_path, "first")
        with pool.kernel() as again:
            assert again is kernel  # one kernel: the same process ran both
            second = _run(again, tmp_path, "second")
    finally:
        pool.shutdown()
    # pandas shows 60 rows, NumPy 8 digits and warns on division by zero, logging warns (level 30)
    fresh = first[0][1][0]
    assert fresh.startswith("(60, 8, 'warn', 30, ") and not fresh.endswith("'agg')")
    # the first notebook changed them all (POSIX TZ "UTC-11" is 11 hours east: 39,600 s)
    assert first[1:] == [(2, ["42"]), (3, ["True"]), (4, ["(3, 2, 'raise', 10, 1, -39600, 'agg')"])]
    # matplotlib's default line width is 1.5, printed as itself (with %precision 3 left: 1.500); the
    # folder is the kernel's first one
    assert second[:2] == [(1, [f"(False, 1.5, False, False, '{tmp_path.name}')"]), (2, [fresh])]
    # the package's constant, function and namespaces as imported
    assert second[2:4] == [(3, [f"({DPI}, True, False)"]), (4, ["False"])]
    assert second[4][1][0].startswith("<Figure size")


def test_a_kernel_that_died_is_replaced(tmp_path):
    _notebook(tmp_path, "pid", ["import os\nos.getpid()"])
    pool = KernelPool(1, tmp_path, ipc_kernel_manager()).start()
    try:
        with pool.kernel() as kernel:
            first = _run(kernel, tmp_path, "pid")[0][1][0]
            os.kill(int(first), signal.SIGKILL)
            second = _run(kernel, tmp_path, "pid")[0][1][0]
        assert second != first
    finally:
        pool.shutdown()


@pytest.mark.parametrize("warm", [True, False], ids=["warm", "fresh"])
def test_a_notebook_whose_kernel_dies_is_kept_with_the_cells_run_so_far(tmp_path, warm):
    # written once at the end rather than after every cell, the executed notebook of a run that stops
    # without a cell error is still written, as far as it went
    _notebook(tmp_path, "dies", ["print('before')", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)", "2"])
    kept = tmp_path / "dies.out.ipynb"
    options = dict(kernel_name="python3", progress_bar=False, request_save_on_cell_execute=False)

    def execute(**engine):
        papermill.execute_notebook(
            str(tmp_path / "dies.ipynb"), str(kept), kept_on_failure=str(kept), **options, **engine
        )

    with pytest.raises(Exception, match="(?i)dead|died"):
        if not warm:
            execute(engine_name=FRESH_ENGINE, kernel_manager_class=ipc_kernel_manager(), cwd=str(tmp_path))
        else:
            pool = KernelPool(1, tmp_path, ipc_kernel_manager()).start()
            try:
                with pool.kernel() as kernel:
                    kernel.run(lambda km, kc: execute(engine_name=ENGINE, km=km, kc=kc))
            finally:
                pool.shutdown()
    cells = nbformat.read(kept, as_version=4).cells
    assert [o.get("text") for o in cells[0].outputs] == ["before\n"]
    assert cells[2].outputs == []


def _one_after_the_other(folder, names):
    """The cells' outputs (:func:`_run`) of the notebooks ``names``, run in turn in one warm kernel."""
    pool = KernelPool(1, folder, ipc_kernel_manager()).start()
    try:
        with pool.kernel() as kernel:
            return [_run(kernel, folder, name) for name in names]
    finally:
        pool.shutdown()


def test_a_thread_a_notebook_leaves_running_never_writes_into_the_next(tmp_path, capsys):
    # the thread prints while the next notebook runs: in the same kernel it would land in that notebook
    late = "import os, threading\nthreading.Timer(1.0, print, args=('late',)).start()\nos.getpid()"
    _notebook(tmp_path, "first", [late])
    _notebook(tmp_path, "second", ["import os, time\ntime.sleep(2.0)\nos.getpid()"])
    first, second = _one_after_the_other(tmp_path, ["first", "second"])
    shown = nbformat.read(tmp_path / "second.out.ipynb", as_version=4).cells[0].outputs
    assert [o.get("output_type") for o in shown] == ["execute_result"]  # no stream with "late"
    assert first[0][1] != second[0][1]  # the kernel was replaced: another process
    assert "could not be reset (ReplaceKernel: a notebook left 1 thread(s) running" in capsys.readouterr().err


def test_the_kernels_own_threads_do_not_get_it_replaced(tmp_path, capsys):
    # an output over pyzmq's copy threshold (64 KB) starts pyzmq's collector thread in the kernel
    collector = "import threading\nany(type(t).__name__ == 'GarbageCollectorThread' for t in threading.enumerate())"
    _notebook(tmp_path, "large", ["import os\nprint('x' * 300_000)\nos.getpid()", collector])
    _notebook(tmp_path, "pid", ["import os\nos.getpid()"])
    large, after = _one_after_the_other(tmp_path, ["large", "pid"])
    assert large[1] == (2, ["True"])  # the collector runs
    assert large[0][1][-1] == after[0][1][0]  # the same process ran both (the stream has no text/plain)
    assert "replaces" not in capsys.readouterr().err


def test_a_kernel_whose_reset_fails_is_replaced(tmp_path, capsys):
    # the record the reset restores from is spoilt: the next reset fails in this kernel
    spoil = "import os, epianalysis.briefing.warm as warm\nwarm._FRESH['pandas'] = None\nos.getpid()"
    _notebook(tmp_path, "spoil", [spoil])
    _notebook(tmp_path, "pid", ["import os\nos.getpid()"])
    spoil, after = _one_after_the_other(tmp_path, ["spoil", "pid"])
    assert spoil[0][1][0] != after[0][1][0]  # another process ran the second notebook
    assert "a new kernel replaces one that could not be reset (AttributeError:" in capsys.readouterr().err


def _outputs(report):
    """What a report shows: summary.json, every chart and table file's bytes, each notebook's cell outputs."""
    found = {"summary": json.loads((report / "summary.json").read_text("utf-8"))}
    for path in sorted(report.rglob("*")):
        if path.suffix in {".png", ".svg", ".pdf", ".csv"}:
            found[path.relative_to(report).as_posix()] = path.read_bytes()
    for path in sorted((report / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        found[path.name] = [(c.get("execution_count"), c.get("outputs")) for c in nb.cells if c.cell_type == "code"]
    return found


def test_a_range_in_warm_kernels_gives_what_fresh_kernels_give(tmp_path):
    if not (sample_dir() / ".complete").exists():
        pytest.skip("embedded scenario not generated (make sample)")
    base = BriefingParams.resolve("2020-02-20", lang="en")
    days = [dt.date(2020, 2, 20), dt.date(2020, 2, 21)]
    only = ["transmission"]
    # one worker: its one warm kernel runs the notebook of both days in turn (charts, tables, summary)
    warm = run_batch(base, days, tmp_path / "warm", only=only, jobs=1, progress=False)
    fresh = run_batch(base, days, tmp_path / "fresh", only=only, jobs=1, progress=False, fresh_kernels=True)
    assert [o.status for o in warm.outcomes] == [o.status for o in fresh.outcomes] == ["done", "done"]
    for day in days:
        a, b = _outputs(tmp_path / "warm" / day.isoformat()), _outputs(tmp_path / "fresh" / day.isoformat())
        assert a.keys() == b.keys() and len(a) > 5
        for key in a:
            assert a[key] == b[key], key
