"""Ctrl-C, SIGTERM and kill -9 on a real `brief` over a range: it stops within seconds, publishes nothing
more, leaves no temporary folder and no process behind, and says which days were done."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import psutil
import pytest

from epianalysis.briefing import publish

STOP_WITHIN_S = 10.0


def _start(data, out):
    argv = ["brief", "--from", "2020-02-21", "--to", "2020-02-29", "--only", "recovery", "--lang", "en"]
    argv += ["--jobs", "2", "--data", str(data), "--out", str(out)]
    return subprocess.Popen(
        [sys.executable, "-m", "epianalysis.cli", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _command_line(process: psutil.Process) -> str:
    """The process's command line; empty when it ended since it was listed (a zombie too: a short-lived
    child of a kernel or worker is one until its parent collects it)."""
    try:
        return " ".join(process.cmdline())
    except psutil.NoSuchProcess:
        return ""


def _wait_for_kernels(
    process: subprocess.Popen, out, timeout: float = 90.0, kernel: bool = True
) -> list[psutil.Process]:
    """Wait until a work folder exists and (with ``kernel``) a worker runs a notebook kernel; the descendants."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        family = psutil.Process(process.pid).children(recursive=True)
        kernels = [p for p in family if "ipykernel" in _command_line(p)]
        if (kernels or not kernel) and out.is_dir() and any(p.name.startswith(".2020-") for p in out.iterdir()):
            return family
        time.sleep(0.2)
    process.kill()
    pytest.fail("no kernel started in time")


def _stopped(process: subprocess.Popen, family: list[psutil.Process], signum: int) -> tuple[int, float, str]:
    started = time.monotonic()
    process.send_signal(signum)
    _, err = process.communicate(timeout=30)
    seconds = time.monotonic() - started
    _, alive = psutil.wait_procs(family, timeout=1)
    assert alive == [], f"processes left: {alive}"
    return process.returncode, seconds, err


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_range_stops_within_seconds(cases_only, tmp_path, signum, code):
    out = tmp_path / "reports"
    process = _start(cases_only, out)
    family = _wait_for_kernels(process, out, kernel=signum == signal.SIGINT)  # SIGTERM: while kernels start
    returncode, seconds, err = _stopped(process, family, signum)
    assert returncode == code and seconds < STOP_WITHIN_S, (seconds, err)
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"interrupted ({signal.Signals(signum).name}):") and "not briefed" in last
    assert "Traceback" not in err
    assert not [p for p in out.iterdir() if p.name.startswith(".2020-")], "a temporary folder was left"
    for day in out.iterdir():  # what was published is whole
        if day.name.startswith("2020-"):
            assert (day / "summary.json").is_file() and (day / publish.REPORT_MARKER).is_file()


def test_workers_die_with_a_killed_command_and_the_next_run_cleans_up(cases_only, tmp_path):
    out = tmp_path / "reports"
    process = _start(cases_only, out)
    family = _wait_for_kernels(process, out)
    process.kill()  # kill -9: the command cannot clean up
    process.communicate(timeout=30)
    _, alive = psutil.wait_procs(family, timeout=STOP_WITHIN_S)
    assert alive == [], f"processes left: {alive}"
    published = sorted(p.name for p in out.iterdir() if p.name.startswith("2020-"))
    time.sleep(1.0)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith("2020-")) == published, "published after death"
    publish.remove_leftovers(out)  # what the next run does first
    assert not [p for p in out.iterdir() if p.name.startswith(".2020-")]


def test_no_kernel_starts_once_a_worker_stops_its_children(tmp_path):
    """A kernel started after the children were listed would outlive the worker; one that died while they
    were stopped is not replaced (in a process of its own: the stop is for good)."""
    code = (
        "import sys, psutil\n"
        "from epianalysis.briefing import stop\n"
        "from epianalysis.briefing.kernels import KernelError, KernelPool\n"
        "from epianalysis.briefing.runner import ipc_kernel_manager\n"
        "stop.stop_children()\n"
        "pool = KernelPool(1, sys.argv[1], ipc_kernel_manager())\n"
        "try:\n"
        "    with pool.kernel() as kernel:\n"
        "        kernel.run(lambda km: None)\n"
        "except KernelError as error:\n"
        "    print('refused:', error)\n"
        "print('children:', len(psutil.Process().children(recursive=True)))\n"
        "pool.shutdown()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.splitlines() == ["refused: the run is stopping: no kernel is started", "children: 0"]


def test_a_notebook_stopped_with_its_process_is_not_written_into_the_folder_being_removed(tmp_path):
    """Once a worker stops, its kernels are killed and its work folder removed: the notebook whose kernel
    it killed must not be written into that folder as it goes (a file written there during the removal
    would leave the folder behind). In a process of its own: the stop is for good."""
    code = (
        "import sys, nbformat, papermill\n"
        "from pathlib import Path\n"
        "from epianalysis.briefing import stop\n"
        "from epianalysis.briefing.kernels import FRESH_ENGINE\n"
        "from epianalysis.briefing.runner import ipc_kernel_manager\n"
        "folder = Path(sys.argv[1])\n"
        "cell = nbformat.v4.new_code_cell('import os, signal\\nos.kill(os.getpid(), signal.SIGKILL)')\n"
        "nb = nbformat.v4.new_notebook(cells=[cell])\n"
        "nb.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}\n"
        "nbformat.write(nb, folder / 'dies.ipynb')\n"
        "out = folder / 'dies.out.ipynb'\n"
        "stop.stop_children()\n"
        "try:\n"
        "    papermill.execute_notebook(str(folder / 'dies.ipynb'), str(out), engine_name=FRESH_ENGINE,\n"
        "        kernel_manager_class=ipc_kernel_manager(), kernel_name='python3', progress_bar=False,\n"
        "        request_save_on_cell_execute=False, kept_on_failure=str(out))\n"
        "except Exception as error:\n"
        "    print('failed:', type(error).__name__)\n"
        "print('written:', out.exists())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.splitlines() == ["failed: DeadKernelError", "written: False"], done.stderr
