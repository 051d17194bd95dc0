"""Briefings over a range of press dates, in parallel, skipping days whose inputs have not changed.

Each day runs in its own worker process (:func:`epianalysis.briefing.runner.run_briefing`); a failed
day keeps its executed notebook under ``reports/.failed/<date>/``, does not stop the other days and is
listed at the end with the cell that failed. A day is skipped when ``reports/<date>/`` holds the
fingerprint of the same inputs: the data files (path, size, modification time), the package's code
and rules, the notebooks, and the parameters; ``force`` rebuilds it anyway.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

from epianalysis.briefing.index import reports_index
from epianalysis.briefing.params import BriefingParams
from epianalysis.briefing.runner import BriefingFailed, briefing_notebooks, run_briefing
from epianalysis.paths import PACKAGE_DIR

FINGERPRINT_FILE = ".inputs.sha256"


def date_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every date from ``first`` to ``last`` inclusive; refuses an empty range."""
    if last < first:
        raise ValueError(f"--to {last} is before --from {first}")
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]


def _files(folder: Path, suffixes: tuple[str, ...] | None = None) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and (suffixes is None or p.suffix in suffixes)
    )


def code_fingerprint(notebooks: list[Path]) -> str:
    """Hash of the package's code, rules, labels, page templates and package data and of the given
    notebooks' contents."""
    digest = hashlib.sha256()
    for path in [*_files(PACKAGE_DIR, (".py", ".toml", ".csv", ".geojson", ".json", ".j2", ".css")), *notebooks]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def data_fingerprint(data_dir: Path) -> str:
    """Hash of a data directory's file list with sizes and modification times (contents are not read)."""
    digest = hashlib.sha256()
    for path in _files(data_dir):
        stat = path.stat()
        digest.update(f"{path.relative_to(data_dir)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def fingerprint(params: BriefingParams, only: list[str] | None, code: str, data: str) -> str:
    """The fingerprint of one day's inputs (see module docstring)."""
    key = {
        "date": params.date.isoformat(),
        "as_of": params.as_of.isoformat(),
        "languages": list(params.languages),
        "only": sorted(only or []),
        "code": code,
        "data": data,
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()


def is_current(report_dir: Path, expected: str) -> bool:
    """Whether ``report_dir`` was made from the inputs with fingerprint ``expected``."""
    path = report_dir / FINGERPRINT_FILE
    return path.is_file() and path.read_text("utf-8").strip() == expected


@dataclass
class DayOutcome:
    """What happened to one day: ``status`` is ``done``, ``skipped`` or ``failed``."""

    date: dt.date
    status: str
    seconds: float = 0.0
    failure: str = ""
    notebook: str = ""


@dataclass
class BatchResult:
    """Outcomes of every day of a batch, in date order."""

    outcomes: list[DayOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[DayOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)


def _run_day(params: BriefingParams, reports: Path, only: list[str] | None, stamp: str, workers: int) -> DayOutcome:
    try:
        result = run_briefing(params, reports, only=only, workers=workers)
    except BriefingFailed as failure:
        return DayOutcome(
            params.date, "failed", failure=f"{failure.name}: {failure.cell}", notebook=str(failure.notebook)
        )
    (result.report_dir / FINGERPRINT_FILE).write_text(stamp + "\n", encoding="utf-8")
    return DayOutcome(params.date, "done", seconds=sum(result.timings.values()))


def run_batch(
    base: BriefingParams,
    dates: list[dt.date],
    reports: Path,
    only: list[str] | None = None,
    jobs: int = 1,
    force: bool = False,
    progress: bool = True,
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
    """
    from tqdm import tqdm

    offset = base.date - base.as_of
    notebooks = [path for name, path in briefing_notebooks().items() if not only or name in only]
    code, data = code_fingerprint(notebooks), data_fingerprint(base.data_dir)
    result = BatchResult()
    todo: list[tuple[BriefingParams, str]] = []
    for day in dates:
        params = replace(base, date=day, as_of=day - offset)
        stamp = fingerprint(params, only, code, data)
        if not force and is_current(reports / day.isoformat(), stamp):
            result.outcomes.append(DayOutcome(day, "skipped"))
        else:
            todo.append((params, stamp))
    bar = tqdm(
        total=len(dates),
        initial=len(dates) - len(todo),
        unit="day",
        disable=not progress,
        desc="briefings",
        dynamic_ncols=True,
    )
    days_at_once = 1 if len(todo) <= 1 else max(1, jobs)
    workers = max(1, jobs) if len(todo) <= 1 else 1
    with ProcessPoolExecutor(max_workers=days_at_once) as pool:
        futures = [pool.submit(_run_day, params, reports, only, stamp, workers) for params, stamp in todo]
        for future in as_completed(futures):
            outcome = future.result()
            result.outcomes.append(outcome)
            bar.update(1)
            bar.set_postfix(failed=len(result.failed), refresh=False)
    bar.close()
    result.outcomes.sort(key=lambda o: o.date)
    reports_index(reports)
    return result
