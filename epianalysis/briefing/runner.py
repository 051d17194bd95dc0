"""Run briefing notebooks with papermill, render their pages and publish ``reports/<date>/`` atomically.

Before a kernel starts, the registry (:mod:`epianalysis.topics`) says which topics apply to the data
date: a topic whose tables are absent from the data folder, or whose first date is later, is listed
under ``not_applicable`` with the reason; the day fails only when nothing applies
(:class:`NothingApplies`). Each notebook computes its numbers once and records its page in every
language of the run (:mod:`epianalysis.briefing.context`); the runner then renders the pages
``reports/<date>/<lang>/<topic>.html`` and the day index with the templates of
:mod:`epianalysis.briefing.render`. Everything is written into a hidden work folder beside the final
one, with ``manifest.json`` (:mod:`epianalysis.briefing.manifest`); only when every notebook ran is it
published in one step (:mod:`epianalysis.briefing.publish`: ownership marker, a lock per day, an
atomic exchange). A failed briefing leaves no half-written report (the failed, executed notebook is
kept under ``reports/.failed/<date>/`` for debugging).

Briefing some topics (``only``) into an existing report updates those topics and keeps the others
when the report's manifest shows them made from the same inputs (:mod:`epianalysis.briefing.update`);
otherwise the run is refused, so a report never silently shrinks or mixes data. The language folders
of an existing report that a run does not make (``--lang zh`` after an English run) are carried over
when they were made from the same inputs.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

from epianalysis import summary
from epianalysis.briefing import timing, update
from epianalysis.briefing.index import day_index, reports_index
from epianalysis.briefing.kernels import ENGINE, FRESH_ENGINE, KernelPool
from epianalysis.briefing.manifest import day_manifest, read_manifest, same_inputs, write_manifest
from epianalysis.briefing.page import PAGES_DIR, records
from epianalysis.briefing.params import LANGUAGES, BriefingParams
from epianalysis.briefing.publish import check_ours, discard, make_work, mark_root, publish
from epianalysis.briefing.render import render_pages
from epianalysis.briefing.results import RESULTS_DIR
from epianalysis.charts import fonts
from epianalysis.data.store import DataStore
from epianalysis.errors import NotApplicable
from epianalysis.fileio import atomic_write_text
from epianalysis.paths import notebooks_dir
from epianalysis.topics import TOPICS, get_topic
from epianalysis.topics.reasons import reason_text

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
    not_applicable: dict[str, str] = field(default_factory=dict)
    """The topics asked for that did not apply, with the reason."""
    parts: dict[str, dict[str, float]] = field(default_factory=dict)
    """Per notebook, its seconds split into kernel, load, compute and charts (:mod:`timing`)."""


class NothingApplies(RuntimeError):
    """No topic asked for applies to the date (every one is listed with its reason)."""

    def __init__(self, date: dt.date, reasons: dict[str, str]):
        self.date, self.reasons = date, reasons
        listed = "; ".join(f"{name}: {why}" for name, why in reasons.items())
        super().__init__(f"no briefing applies to {date.isoformat()} ({listed})")


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


def registry_reasons(params: BriefingParams, names: list[str]) -> dict[str, str]:
    """The topics of ``names`` the registry says do not apply to ``params`` (absent tables, too early)."""
    tables = DataStore(params.data_dir).tables(as_of=params.as_of)
    reasons = {name: get_topic(name).not_applicable(params.as_of, tables) for name in names}
    return {name: why for name, why in reasons.items() if why is not None}


def _record_not_applicable(work: Path, params: BriefingParams, reasons: dict[str, str]) -> None:
    """Write the summary's top-level keys, with the briefings that did not apply to the date and why
    (no ``not_applicable`` key when every topic applied)."""
    top = summary.base(params, DataStore(params.data_dir).metadata())
    current = summary.write_section(work, {**top, "not_applicable": reasons}, None, {})
    if not reasons:
        current.pop("not_applicable")
        text = json.dumps(current, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        atomic_write_text(work / summary.SUMMARY_FILE, text)


def _papermill(notebook: Path, executed: Path, params: BriefingParams, work: Path, kernels: KernelPool | None):
    """Execute ``notebook`` into ``executed``: in a warm kernel of ``kernels``, or in a fresh kernel.

    The executed notebook is written once, at the end, or as far as it ran when the run fails
    (:class:`~epianalysis.briefing.kernels.FreshEngine`)."""
    import papermill

    options = dict(
        parameters=params.notebook_parameters(work),
        kernel_name=KERNEL,
        progress_bar=False,
        request_save_on_cell_execute=False,
        kept_on_failure=str(executed),
    )
    if kernels is None:
        papermill.execute_notebook(
            str(notebook),
            str(executed),
            engine_name=FRESH_ENGINE,
            kernel_manager_class=ipc_kernel_manager(),
            start_timeout=KERNEL_START_TIMEOUT,
            cwd=str(notebook.parent),
            **options,
        )
        return
    with kernels.kernel() as kernel:
        kernel.run(
            lambda km, kc: papermill.execute_notebook(
                str(notebook), str(executed), engine_name=ENGINE, km=km, kc=kc, **options
            )
        )


def _execute(
    name: str, notebook: Path, params: BriefingParams, work: Path, kernels: KernelPool | None = None
) -> tuple[str, float, str | None]:
    """Run one notebook into ``work/notebooks``; it records its pages under ``work/<lang>/.pages/``.

    Returns the name, the seconds spent, and the reason when the notebook does not apply
    (:class:`~epianalysis.errors.NotApplicable`); any other error propagates.
    """
    executed = work / "notebooks" / f"{name}.ipynb"
    started = time.perf_counter()
    try:
        _papermill(notebook, executed, params, work, kernels)
    except Exception as error:  # papermill raises PapermillExecutionError naming the cell
        if getattr(error, "ename", "") != NotApplicable.__name__:
            raise
        executed.unlink(missing_ok=True)
        for lang in params.languages:
            (work / lang / PAGES_DIR / f"{name}.json").unlink(missing_ok=True)
        return name, time.perf_counter() - started, str(getattr(error, "evalue", error))
    return name, time.perf_counter() - started, None


def kernel_pool(size: int) -> KernelPool:
    """A pool of ``size`` warm kernels in the briefing notebooks' folder, starting now."""
    folder = next(iter(briefing_notebooks().values())).parent
    return KernelPool(size, folder, ipc_kernel_manager()).start()


def _carry_over(final: Path, work: Path, params: BriefingParams, manifest: dict) -> list[str]:
    """Copy the language folders of the published report ``final`` that this run does not make into
    ``work``, when that report was made from the same inputs; returns their languages."""
    if not final.is_dir() or not same_inputs(read_manifest(final), manifest, languages=False):
        return []
    carried = []
    for lang in LANGUAGES:
        if lang not in params.languages and records(final / lang):
            shutil.copytree(final / lang, work / lang)
            carried.append(lang)
    return carried


def _run_notebooks(
    groups: list[tuple[list[tuple[str, Path]], int]],
    params: BriefingParams,
    reports: Path,
    work: Path,
    on_notebook: Callable[[str, float, str], None] | None = None,
    kernels: KernelPool | None = None,
) -> tuple[dict[str, float], dict[str, dict[str, float]], dict[str, str]]:
    """Run the notebooks group by group; returns the seconds per notebook, their split
    (:func:`epianalysis.briefing.timing.split`) and the topics that found they do not apply.

    ``on_notebook(name, seconds, status)`` is called as each notebook ends ("ok" with the split of its
    time, :func:`epianalysis.briefing.timing.describe`, "not applicable: …",
    "FAILED")."""
    say = on_notebook or (lambda name, seconds, status: None)
    started = time.perf_counter()
    timings: dict[str, float] = {}
    parts: dict[str, dict[str, float]] = {}
    reasons: dict[str, str] = {}
    for group, width in groups:
        if not group:
            continue
        with ThreadPoolExecutor(max_workers=width) as pool:
            futures = {pool.submit(_execute, name, path, params, work, kernels): name for name, path in group}
            for future in as_completed(futures):
                name = futures[future]
                try:
                    _, seconds, reason = future.result()
                except Exception as error:
                    say(name, time.perf_counter() - started, "FAILED")
                    for other in futures:
                        other.cancel()
                    kept = reports / ".failed" / params.date.isoformat() / f"{name}.ipynb"
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    executed = work / "notebooks" / f"{name}.ipynb"
                    if executed.exists():
                        shutil.copyfile(executed, kept)
                    raise BriefingFailed(name, kept, error) from error
                timings[f"notebook:{name}"] = seconds
                parts[name] = timing.split(work, name, seconds)
                done = f"ok  ({timing.describe(parts[name])})" if parts[name] else "ok"
                say(name, seconds, done if reason is None else f"not applicable: {reason_text(reason, 'en')}")
                if reason is not None:
                    reasons[name] = reason
    return timings, parts, reasons


def run_briefing(
    params: BriefingParams,
    reports: Path,
    only: list[str] | None = None,
    workers: int = 1,
    manifest: dict | None = None,
    on_notebook: Callable[[str, float, str], None] | None = None,
    kernels: KernelPool | bool = True,
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
    manifest : dict, optional
        The day's manifest for the topics asked for (:func:`epianalysis.briefing.manifest.day_manifest`),
        when the caller has made it already.
    on_notebook : callable, optional
        Called with the name, the seconds and the outcome ("ok", "not applicable: reason", "FAILED") as
        each notebook ends, and for each topic the registry rules out before anything runs.
    kernels : KernelPool or bool
        Where the notebooks run: ``True`` (default) in ``workers`` warm kernels started for this run
        (:mod:`epianalysis.briefing.kernels`), a :class:`KernelPool` to use (a range's worker keeps
        one for all its days), or ``False`` for a fresh kernel per notebook.

    A topic the registry rules out, or whose notebook raises :class:`epianalysis.errors.NotApplicable`
    (e.g. risk zoning before the first evaluation), is left out of the report and listed under
    ``not_applicable`` in summary.json. The pages of every language of ``params.languages`` are rendered
    into ``reports/<date>/<lang>/``; the other language folders of an existing report made from the
    same inputs are kept.

    Raises
    ------
    BriefingFailed
        A notebook raised; nothing is published and the executed notebook is kept for debugging.
    NothingApplies
        No topic asked for applies to the date; nothing is published.
    epianalysis.briefing.publish.ForeignFolder
        ``reports/<date>/`` or ``reports/index.html`` was not made by the runner.
    epianalysis.briefing.update.StaleTopics
        ``only`` would leave topics of the existing report made from other inputs.
    """
    fonts.prepare()  # the font copies, made here once rather than by each kernel at the same time
    if kernels is True:
        pool = kernel_pool(min(max(1, workers), len(_select(only))))
        try:
            return run_briefing(params, reports, only, workers, manifest, on_notebook, kernels=pool)
        finally:
            pool.shutdown()
    kernels = kernels or None
    selected = _select(only)
    reports.mkdir(parents=True, exist_ok=True)
    final = reports / params.date.isoformat()
    check_ours(reports, [final.name])
    reasons = registry_reasons(params, list(selected))
    manifest = manifest or day_manifest(params.date, params.as_of, params.languages, params.data_dir, selected)
    plan = update.plan(final, params, list(selected), manifest)
    params = replace(params, languages=plan.languages)
    runnable = [(name, path) for name, path in selected.items() if name not in reasons]
    if not runnable and not plan.kept:
        raise NothingApplies(params.date, reasons)
    for name, reason in reasons.items():
        if on_notebook:
            on_notebook(name, 0.0, f"not applicable: {reason_text(reason, 'en')}")
    work = make_work(reports, final.name)
    try:
        if plan.kept:
            update.copy_kept(final, work, list(selected))
        (work / "notebooks").mkdir(exist_ok=True)
        topics = [(n, p) for n, p in runnable if not get_topic(n).last]
        last = [(n, p) for n, p in runnable if get_topic(n).last]
        groups = [(topics, max(1, workers)), (last, 1)]
        timings, parts, found = _run_notebooks(groups, params, reports, work, on_notebook, kernels)
        for kept in (RESULTS_DIR, timing.TIMINGS_DIR):  # what the notebooks kept for each other and the runner
            shutil.rmtree(work / kept, ignore_errors=True)
        reasons |= found
        if not plan.kept and len(reasons) == len(selected):
            raise NothingApplies(params.date, reasons)
        _record_not_applicable(work, params, plan.not_applicable | reasons)
        started = time.perf_counter()
        carried = [] if plan.kept else _carry_over(final, work, params, manifest)
        languages = [lang for lang in LANGUAGES if lang in params.languages or lang in carried]
        summary.write_section(work, {"languages": languages}, None, {})
        summary.finish(work)  # complete and valid against the schema, which is written beside it
        render_pages(work)
        day_index(work, final.name)
        write_manifest(work, update.merged_manifest(plan, manifest, languages))
        timings["pages"] = time.perf_counter() - started
        publish(work, final)
    finally:
        if work.exists():
            discard(work)
    mark_root(reports)
    reports_index(reports)
    return BriefingResult(params.date, final, list(selected), timings, languages, reasons, parts)
