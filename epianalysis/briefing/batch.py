"""Briefings over a range of press dates, in parallel, skipping days whose inputs have not changed.

Each day runs in a worker process (:func:`epianalysis.briefing.runner.run_briefing`); a failed day
keeps its executed notebook under ``reports/.failed/<date>/``, does not stop the other days and is
listed at the end with the cell that failed. Before anything runs, the batch refuses report folders
it did not make (:func:`epianalysis.briefing.publish.check_ours`), removes the work folders of earlier
runs that were killed, and makes each day's manifest (:mod:`epianalysis.briefing.manifest`): a day is
skipped when its report records the same inputs, by content; ``force`` rebuilds it anyway. SIGINT or
SIGTERM stops the batch within seconds (:mod:`epianalysis.briefing.stop`): the days done are kept,
nothing more is published, and the result says it was interrupted.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing.util
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path

from epianalysis.briefing import chart_cache, update
from epianalysis.briefing.index import reports_index
from epianalysis.briefing.kernels import KernelPool
from epianalysis.briefing.manifest import code_digest, day_manifest, is_current
from epianalysis.briefing.params import BriefingParams
from epianalysis.briefing.publish import check_ours, mark_root, remove_leftovers, root_is_ours
from epianalysis.briefing.runner import BriefingFailed, NothingApplies, briefing_notebooks, kernel_pool, run_briefing
from epianalysis.briefing.stop import Interrupted, interruptible, stop_workers, worker_init
from epianalysis.charts import fonts
from epianalysis.progress import progress_bar


def date_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every date from ``first`` to ``last`` inclusive; refuses an empty range."""
    if last < first:
        raise ValueError(f"--to {last} is before --from {first}")
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]


@dataclass
class DayOutcome:
    """What happened to one day: ``status`` is ``done``, ``skipped`` or ``failed``."""

    date: dt.date
    status: str
    seconds: float = 0.0
    failure: str = ""
    notebook: str = ""
    parts: dict[str, dict[str, float]] = field(default_factory=dict)
    """Per notebook of a day done, its seconds split into kernel, load, compute and charts."""


@dataclass
class BatchResult:
    """Outcomes of every day of a batch, in date order."""

    outcomes: list[DayOutcome] = field(default_factory=list)
    interrupted: int | None = None
    """The signal that stopped the run (SIGINT, SIGTERM), ``None`` when it ran to its end."""

    @property
    def failed(self) -> list[DayOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)


def _say_notebook(name: str, seconds: float, status: str) -> None:
    """One line on stderr as each notebook of a single day ends: its name, seconds and outcome."""
    print(f"  {name:<14} {seconds:5.1f} s  {status}", file=sys.stderr, flush=True)


_KERNELS: KernelPool | None = None


def _worker_kernels(size: int) -> KernelPool:
    """This worker process's warm kernels: started for its first day, kept for the next ones, stopped
    when the process ends (on SIGTERM they are stopped with the other children, see :mod:`stop`)."""
    global _KERNELS
    if _KERNELS is None:
        _KERNELS = kernel_pool(size)
        multiprocessing.util.Finalize(_KERNELS, _KERNELS.shutdown, exitpriority=10)
    return _KERNELS


def _run_day(
    params: BriefingParams,
    reports: Path,
    only: list[str] | None,
    manifest: dict,
    workers: int,
    say_notebooks: bool = False,
    fresh_kernels: bool = False,
) -> DayOutcome:
    try:
        result = run_briefing(
            params,
            reports,
            only=only,
            workers=workers,
            manifest=manifest,
            on_notebook=_say_notebook if say_notebooks else None,
            kernels=False if fresh_kernels else _worker_kernels(workers),
        )
    except BriefingFailed as failure:
        return DayOutcome(
            params.date, "failed", failure=f"{failure.name}: {failure.cell}", notebook=str(failure.notebook)
        )
    except NothingApplies as nothing:
        return DayOutcome(params.date, "failed", failure=str(nothing))
    return DayOutcome(params.date, "done", seconds=sum(result.timings.values()), parts=result.parts)


def plan_days(
    base: BriefingParams, dates: list[dt.date], reports: Path, only: list[str] | None, force: bool
) -> tuple[list[DayOutcome], list[tuple[BriefingParams, dict]]]:
    """The days to skip (their reports record today's inputs) and the days to brief with their manifests.

    Refuses, before anything runs, folders that are not ours and ``only`` runs that would leave
    topics of an existing report stale (:class:`epianalysis.briefing.update.StaleTopics`).
    """
    check_ours(reports, [day.isoformat() for day in dates])
    offset = base.date - base.as_of
    notebooks = {name: path for name, path in briefing_notebooks().items() if not only or name in only}
    code = code_digest()
    skipped: list[DayOutcome] = []
    todo: list[tuple[BriefingParams, dict]] = []
    for day in dates:
        params = replace(base, date=day, as_of=day - offset)
        manifest = day_manifest(day, params.as_of, params.languages, params.data_dir, notebooks, code=code)
        final = reports / day.isoformat()
        if not force and is_current(final, manifest):
            skipped.append(DayOutcome(day, "skipped"))
            continue
        if only:
            update.plan(final, params, list(notebooks), manifest)
        todo.append((params, manifest))
    return skipped, todo


def run_batch(
    base: BriefingParams,
    dates: list[dt.date],
    reports: Path,
    only: list[str] | None = None,
    jobs: int = 1,
    force: bool = False,
    progress: bool = True,
    fresh_kernels: bool = False,
) -> BatchResult:
    """Brief every date in ``dates`` with ``jobs`` worker processes.

    Parameters
    ----------
    base : BriefingParams
        Data directory and language; ``date``/``as_of`` are set per day (``as_of`` = day before,
        unless ``base.as_of`` differs from ``base.date`` − 1, in which case the same offset is kept).
    dates : list of date
        Press dates to brief.
    reports : Path
        The reports root.
    only : list of str, optional
        Briefing notebooks to run (default: all).
    jobs : int
        How many notebooks run at once: for a single day, its topic briefings run ``jobs`` at a time;
        over several days, ``jobs`` days run at a time (each in its own process, its notebooks in turn).
    force : bool
        Rebuild days whose inputs have not changed.
    progress : bool
        Show a progress bar (days done, failures, time left) on stderr.
    fresh_kernels : bool
        Start a fresh kernel for every notebook instead of the worker's warm kernels
        (:mod:`epianalysis.briefing.kernels`; the notebooks and numbers are the same).

    Returns
    -------
    BatchResult
        Every day's outcome; ``interrupted`` holds the signal when the run was stopped (the days not
        done are then absent).
    """
    reports.mkdir(parents=True, exist_ok=True)
    chart_cache.prune()  # the kept charts stay under their size limit
    fonts.prepare()  # the font copies, made here once rather than by each worker at the same time
    result = BatchResult()
    with interruptible():
        try:
            remove_leftovers(reports)
            skipped, todo = plan_days(base, dates, reports, only, force)
            result.outcomes += skipped
            bar = progress_bar(len(dates), "briefings", unit="day", initial=len(skipped), disable=not progress)
            days_at_once = 1 if len(todo) <= 1 else max(1, jobs)
            workers = max(1, jobs) if len(todo) <= 1 else 1
            pool = ProcessPoolExecutor(max_workers=days_at_once, initializer=worker_init, initargs=(os.getpid(),))
            try:
                futures = {
                    pool.submit(
                        _run_day, params, reports, only, manifest, workers, len(todo) == 1, fresh_kernels
                    ): params.date
                    for params, manifest in todo
                }
                for future in as_completed(futures):
                    try:
                        outcome = future.result()
                    except BrokenProcessPool:
                        outcome = DayOutcome(futures[future], "failed", failure="the worker process died")
                    result.outcomes.append(outcome)
                    bar.update(1)
                    bar.set_postfix(failed=len(result.failed), refresh=False)
            except Interrupted:
                processes = list(getattr(pool, "_processes", {}).values())
                pool.shutdown(wait=False, cancel_futures=True)
                stop_workers(processes)
                raise
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
                bar.close()
        except Interrupted as stop:
            result.interrupted = stop.signum
            remove_leftovers(reports)
    result.outcomes.sort(key=lambda o: o.date)
    if root_is_ours(reports):
        mark_root(reports)
        reports_index(reports)
    return result
