"""Run briefing notebooks with papermill, render their pages and publish ``reports/<date>/`` atomically.

Each notebook computes its numbers once and records its page in every language of the run
(:mod:`epianalysis.briefing.context`); the runner then renders the pages
``reports/<date>/<lang>/<topic>.html`` and the day index with the templates of
:mod:`epianalysis.briefing.render`. Everything is written into a hidden temporary folder beside the
final one; only when every notebook ran does the folder replace ``reports/<date>/`` in one rename. The
language folders of the existing report that this run does not make (``--lang zh`` after an English
run) are carried over into the new one when they were made from the same data date and source. A
failed briefing leaves no half-written report (the failed, executed notebook is kept under
``reports/.failed/<date>/`` for debugging).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from epianalysis import summary
from epianalysis.briefing.index import day_index, reports_index
from epianalysis.briefing.page import PAGES_DIR, records
from epianalysis.briefing.params import LANGUAGES, BriefingParams
from epianalysis.briefing.render import read_summary, render_pages
from epianalysis.data.store import DataStore
from epianalysis.errors import NotApplicable
from epianalysis.paths import notebooks_dir
from epianalysis.topics import TOPICS, get_topic

KERNEL = "python3"
#: Seconds to wait for a kernel to start; parallel days on a busy 2-core machine can take a while.
KERNEL_START_TIMEOUT = 180


def ipc_kernel_manager():
    """A kernel manager talking to the kernel over IPC sockets (local, nothing on the network).

    Over TCP without encryption keys, ipykernel prints a warning on every start; a briefing's kernel
    is always local, so IPC is the right transport and keeps the output clean.
    """
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.paths import jupyter_runtime_dir
    from traitlets import default

    class IpcKernelManager(AsyncKernelManager):
        @default("transport")
        def _default_transport(self):
            return "ipc"

        @default("ip")
        def _default_ip(self):
            # one socket path per kernel: kernels started in parallel must not share "kernel-ipc-N"
            folder = Path(jupyter_runtime_dir())
            folder.mkdir(parents=True, exist_ok=True)
            return str(folder / f"ipc-{uuid.uuid4().hex}")

    return IpcKernelManager


def briefing_notebooks() -> dict[str, Path]:
    """The briefing notebooks by topic name (``notebooks/briefings/<name>.ipynb``), in the order of
    :data:`epianalysis.topics.TOPICS` (topics marked ``last`` after the others)."""
    ordered = sorted(TOPICS, key=lambda topic: topic.last)
    return {topic.name: notebooks_dir() / topic.notebook for topic in ordered}


@dataclass
class BriefingResult:
    """What one briefing run produced, with the time spent in each part (seconds)."""

    date: dt.date
    report_dir: Path
    notebooks: list[str]
    timings: dict[str, float] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    """The languages of the published report (those of this run and those carried over)."""


class BriefingFailed(RuntimeError):
    """A briefing notebook failed; ``notebook`` is the executed copy with the error."""

    def __init__(self, name: str, notebook: Path, cause: BaseException):
        self.name, self.notebook, self.cause = name, notebook, cause
        super().__init__(f"briefing notebook {name!r} failed: {cause}\n  executed notebook kept at {notebook}")

    @property
    def cell(self) -> str:
        """Where it failed and why, on one line: ``In [3]: DataError: ...``."""
        cause = self.cause
        if hasattr(cause, "exec_count") and hasattr(cause, "ename"):
            first = str(cause.evalue).strip().splitlines()[0] if str(cause.evalue).strip() else ""
            return f"In [{cause.exec_count}]: {cause.ename}: {first}"
        return f"{type(cause).__name__}: {cause}"


def _select(only: list[str] | None) -> dict[str, Path]:
    available = briefing_notebooks()
    if not only:
        return available
    for name in only:
        get_topic(name)  # an unknown name is an error listing the topics
    return {name: path for name, path in available.items() if name in only}


def _record_not_applicable(work: Path, params: BriefingParams, reasons: dict[str, str]) -> None:
    """Write the summary's top-level keys, with the briefings that did not apply to the date and why."""
    top = summary.base(params, DataStore(params.data_dir).metadata())
    summary.write_section(work, {**top, **({"not_applicable": reasons} if reasons else {})}, None, {})


def _execute(name: str, notebook: Path, params: BriefingParams, work: Path) -> tuple[str, float, str | None]:
    """Run one notebook into ``work/notebooks``; it records its pages under ``work/<lang>/.pages/``.

    Returns the name, the seconds spent, and the reason when the notebook does not apply
    (:class:`~epianalysis.errors.NotApplicable`); any other error propagates.
    """
    import papermill

    executed = work / "notebooks" / f"{name}.ipynb"
    started = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(notebook),
            str(executed),
            parameters={
                "date": params.date.isoformat(),
                "data_dir": str(params.data_dir),
                "as_of": params.as_of.isoformat(),
                "lang": params.lang_parameter,
                "out_dir": str(work),
            },
            kernel_name=KERNEL,
            kernel_manager_class=ipc_kernel_manager(),
            start_timeout=KERNEL_START_TIMEOUT,
            progress_bar=False,
            cwd=str(notebook.parent),
        )
    except Exception as error:  # papermill raises PapermillExecutionError naming the cell
        if getattr(error, "ename", "") != NotApplicable.__name__:
            raise
        executed.unlink(missing_ok=True)
        for lang in params.languages:
            (work / lang / PAGES_DIR / f"{name}.json").unlink(missing_ok=True)
        return name, time.perf_counter() - started, str(getattr(error, "evalue", error))
    return name, time.perf_counter() - started, None


def _carry_over(final: Path, work: Path, params: BriefingParams) -> list[str]:
    """Copy the language folders of the published report ``final`` that this run does not make into
    ``work``, when that report was made from the same data date and source; returns their languages."""
    if not final.is_dir():
        return []
    old, new = read_summary(final), read_summary(work)
    if (old.get("data_as_of"), old.get("source")) != (new.get("data_as_of"), new.get("source")):
        return []
    carried = []
    for lang in LANGUAGES:
        if lang not in params.languages and records(final / lang):
            shutil.copytree(final / lang, work / lang)
            carried.append(lang)
    return carried


def run_briefing(
    params: BriefingParams,
    reports: Path,
    only: list[str] | None = None,
    workers: int = 1,
) -> BriefingResult:
    """Execute the briefing notebooks for ``params.date`` and publish ``reports/<date>/``.

    Parameters
    ----------
    params : BriefingParams
        Resolved parameters; ``params.out_dir`` is ignored (the runner chooses the folder).
    reports : Path
        The reports root; the briefing lands in ``reports/<date>/``.
    only : list of str, optional
        Names of briefing notebooks to run (default: all of ``notebooks/briefings``).
    workers : int
        Topic notebooks executed at the same time, each in its own kernel; the front page
        (topics marked ``last`` in :data:`epianalysis.topics.TOPICS`) always runs last, on its own.

    A notebook that raises :class:`epianalysis.errors.NotApplicable` (e.g. risk zoning before the
    first evaluation) is left out of the report and listed under ``not_applicable`` in summary.json.
    The pages of every language of ``params.languages`` are rendered into ``reports/<date>/<lang>/``;
    the other language folders of an existing report for the same data date and source are kept.

    Raises
    ------
    BriefingFailed
        A notebook raised; nothing is published and the executed notebook is kept for debugging.
    """
    selected = _select(only)
    topics = [(name, path) for name, path in selected.items() if not get_topic(name).last]
    last = [(name, path) for name, path in selected.items() if get_topic(name).last]
    reports.mkdir(parents=True, exist_ok=True)
    final = reports / params.date.isoformat()
    work = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=reports))
    (work / "notebooks").mkdir()
    timings: dict[str, float] = {}
    not_applicable: dict[str, str] = {}
    try:
        for group, width in ((topics, max(1, workers)), (last, 1)):
            with ThreadPoolExecutor(max_workers=width) as pool:
                futures = {pool.submit(_execute, name, path, params, work): name for name, path in group}
                for future in as_completed(futures):
                    name = futures[future]
                    try:
                        _, seconds, reason = future.result()
                    except Exception as error:
                        for other in futures:
                            other.cancel()
                        kept = reports / ".failed" / final.name / f"{name}.ipynb"
                        kept.parent.mkdir(parents=True, exist_ok=True)
                        executed = work / "notebooks" / f"{name}.ipynb"
                        if executed.exists():
                            shutil.copyfile(executed, kept)
                        raise BriefingFailed(name, kept, error) from error
                    timings[f"notebook:{name}"] = seconds
                    if reason is not None:
                        not_applicable[name] = reason
        _record_not_applicable(work, params, not_applicable)
        started = time.perf_counter()
        carried = _carry_over(final, work, params)
        languages = [lang for lang in LANGUAGES if lang in params.languages or lang in carried]
        summary.write_section(work, {"languages": languages}, None, {})
        summary.finish(work)  # complete and valid against the schema, which is written beside it
        render_pages(work)
        day_index(work, final.name)
        timings["pages"] = time.perf_counter() - started
        os.chmod(work, 0o755)
        if final.exists():
            trash = Path(tempfile.mkdtemp(prefix=f".{final.name}.old.", dir=reports))
            os.replace(final, trash / final.name)
            os.replace(work, final)
            shutil.rmtree(trash)
        else:
            os.replace(work, final)
    finally:
        if work.exists():
            shutil.rmtree(work)
    reports_index(reports)
    return BriefingResult(params.date, final, list(selected), timings, languages)
