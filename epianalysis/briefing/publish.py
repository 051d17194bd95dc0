"""Publishing a day's report folder: what is ours, one publisher at a time, one atomic step.

Rules (docs/output.md#atomic-publication-and-failed-days):

- **Markers.** Every report folder the runner publishes holds :data:`REPORT_MARKER`; a reports folder
  whose ``index.html`` we write holds :data:`ROOT_MARKER`. A day folder or an ``index.html`` without
  them was not made here: :func:`check_ours` refuses to replace it (:class:`ForeignFolder`, whose
  message says how to choose another ``--out``).
- **Work folders.** A report is written into a hidden folder beside the final one, made by
  :func:`tempfile.mkdtemp` (a unique name, created exclusively) and holding :data:`WORK_MARKER` (the
  process id and its start time). :func:`remove_leftovers` removes such folders left by processes that
  no longer run, and never a folder without the marker.
- **Publishing.** :func:`publish` holds a lock per day (``reports/.locks/<date>.lock``) and swaps the
  work folder with the published one in one ``renameat2(RENAME_EXCHANGE)`` call, so that a reader
  (or another run publishing the same day) always finds a whole report with its ``summary.json``;
  where the system has no exchange, the two renames happen under the same lock.
- **Interrupts.** While a process publishes, a termination request waits until the swap is done
  (:func:`critical`); :func:`abandon` removes the work folders of this process.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import json
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

REPORT_MARKER = ".epianalysis-report"
ROOT_MARKER = ".epianalysis-reports"
WORK_MARKER = ".epianalysis-work"
LEGACY_MARKER = ".inputs.sha256"  # reports made before the markers carry the old input fingerprint
LOCKS_DIR = ".locks"
INDEX_FILE = "index.html"

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HIDDEN_DAY = re.compile(r"^\.\d{4}-\d{2}-\d{2}\.")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100

_state = threading.RLock()  # re-entrant: a signal handler may run while the main thread holds it
_in_progress: set[Path] = set()
_critical_depth = 0
_deferred: list[Callable[[], None]] = []


class ForeignFolder(OSError):
    """A folder (or ``index.html``) the runner would replace was not made by it."""


def _advice(reports: Path) -> str:
    return f"choose another reports folder with --out (e.g. --out {reports / 'epianalysis-reports'}), or move it away"


def is_ours(folder: Path) -> bool:
    """Whether ``folder`` is a report folder made by the runner (a real folder holding the marker)."""
    folder = Path(folder)
    if folder.is_symlink() or not folder.is_dir():
        return False
    return (folder / REPORT_MARKER).is_file() or (folder / LEGACY_MARKER).is_file()


def check_ours(reports: Path, dates: list[str]) -> None:
    """Refuse to go on when a day folder of ``dates`` or ``reports/index.html`` exists and is not ours.

    Raises
    ------
    ForeignFolder
        Naming the folder or file and how to choose another ``--out``.
    """
    reports = Path(reports)
    for name in dates:
        final = reports / name
        if (final.exists() or final.is_symlink()) and not is_ours(final):
            raise ForeignFolder(
                f"{final} exists and was not made by epianalysis brief (it has no {REPORT_MARKER} marker): "
                f"refusing to replace it; {_advice(reports)}"
            )
    index = reports / INDEX_FILE
    if (index.exists() or index.is_symlink()) and not root_is_ours(reports):
        raise ForeignFolder(
            f"{index} exists and was not written by epianalysis brief (no {ROOT_MARKER} marker in {reports}): "
            f"refusing to replace it; {_advice(reports)}"
        )


def root_is_ours(reports: Path) -> bool:
    """Whether the reports folder's ``index.html`` is ours to rewrite: the folder holds
    :data:`ROOT_MARKER`, or it has no ``index.html`` (a regular file) yet, or it holds reports made
    before the markers existed."""
    reports = Path(reports)
    index = reports / INDEX_FILE
    if index.is_symlink():
        return False
    if (reports / ROOT_MARKER).is_file() or not index.exists():
        return True
    return any((day / LEGACY_MARKER).is_file() for day in reports.iterdir() if _DAY.match(day.name))


def mark_root(reports: Path) -> None:
    """Write :data:`ROOT_MARKER` into the reports folder (before its ``index.html`` is written)."""
    marker = Path(reports) / ROOT_MARKER
    if not marker.is_file():
        marker.write_text("reports folder written by epianalysis brief\n", encoding="utf-8")


# --------------------------------------------------------------------------------- work folders
def _started(pid: int) -> float | None:
    try:
        import psutil

        return psutil.Process(pid).create_time()
    except Exception:  # noqa: BLE001 - no such process (or no access): not running as far as we know
        return None


def make_work(reports: Path, name: str) -> Path:
    """A new hidden work folder ``reports/.<name>.<random>`` holding :data:`WORK_MARKER`, registered
    as in progress in this process.

    An interrupt's exit (:func:`when_safe`) waits until the folder is registered and marked: between
    its creation and its registration the exit would not remove it, and without the marker no later
    run would either."""
    with critical():
        work = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=reports))
        with _state:
            _in_progress.add(work)
        (work / WORK_MARKER).write_text(json.dumps({"pid": os.getpid(), "started": _started(os.getpid())}) + "\n")
    return work


def discard(work: Path) -> None:
    """Remove a work folder of this process (whatever it holds) and forget it."""
    shutil.rmtree(work, ignore_errors=True)
    with _state:
        _in_progress.discard(work)


def abandon() -> None:
    """Remove every work folder this process has in progress (on an interrupt)."""
    with _state:
        folders = list(_in_progress)
    for work in folders:
        discard(work)


def _alive(marker: Path) -> bool:
    try:
        owner = json.loads(marker.read_text("utf-8"))
        pid, started = int(owner["pid"]), owner.get("started")
    except (OSError, ValueError, KeyError, TypeError):
        return False
    now = _started(pid)
    return now is not None and (started is None or abs(now - float(started)) < 1.0)


def remove_leftovers(reports: Path) -> list[Path]:
    """Remove the hidden work folders of ``reports`` left by processes that no longer run.

    Only folders named like a day's work folder (``.YYYY-MM-DD.*``) that hold :data:`WORK_MARKER`
    naming a process that is gone, or hold a report swapped out by a publish that did not finish
    (:data:`REPORT_MARKER`, no publisher holding the day's lock), are removed. Returns them.
    """
    reports = Path(reports)
    if not reports.is_dir():
        return []
    removed = []
    for folder in sorted(reports.iterdir()):
        if not _HIDDEN_DAY.match(folder.name) or folder.is_symlink() or not folder.is_dir():
            continue
        with _state:
            if folder in _in_progress:
                continue
        if (folder / WORK_MARKER).is_file():
            if _alive(folder / WORK_MARKER):
                continue
        elif (folder / REPORT_MARKER).is_file():
            day = folder.name[1:11]
            with _lock(reports, day, block=False) as held:
                if not held:
                    continue
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
            continue
        else:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


# ------------------------------------------------------------------------------------ publishing
@contextlib.contextmanager
def critical() -> Iterator[None]:
    """Defer :func:`when_safe` actions (an interrupt's exit) until the block is left."""
    global _critical_depth
    with _state:
        _critical_depth += 1
    try:
        yield
    finally:
        with _state:
            _critical_depth -= 1
            run = list(_deferred) if _critical_depth == 0 else []
            if run:
                _deferred.clear()
        for action in run:
            action()


def when_safe(action: Callable[[], None]) -> None:
    """Run ``action`` now, or when the current :func:`critical` block is left."""
    with _state:
        if _critical_depth:
            _deferred.append(action)
            return
    action()


@contextlib.contextmanager
def _lock(reports: Path, name: str, block: bool = True) -> Iterator[bool]:
    folder = Path(reports) / LOCKS_DIR
    folder.mkdir(exist_ok=True)
    fd = os.open(folder / f"{name}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if block else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


@contextlib.contextmanager
def day_lock(reports: Path, name: str) -> Iterator[None]:
    """Hold the lock of day ``name`` of ``reports`` (one publisher of a day at a time)."""
    with _lock(reports, name):
        yield


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); ``False`` where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: no exchange on this system or file system
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def publish(work: Path, final: Path) -> None:
    """Replace ``final`` by the finished ``work`` folder in one step, under the day's lock.

    The work folder gets :data:`REPORT_MARKER`; an existing ``final`` must be ours (checked again
    under the lock). The folder swapped out is removed afterwards.

    Raises
    ------
    ForeignFolder
        ``final`` appeared meanwhile and is not ours.
    """
    reports = final.parent
    (work / WORK_MARKER).unlink(missing_ok=True)
    (work / REPORT_MARKER).write_text("report folder made by epianalysis brief\n", encoding="utf-8")
    os.chmod(work, 0o755)
    with day_lock(reports, final.name), critical():
        check_ours(reports, [final.name])
        if final.exists() and _exchange(work, final):
            discard(work)  # now holds the report that was replaced
        elif final.exists():
            trash = reports / f".{final.name}.old.{os.urandom(6).hex()}"
            os.rename(final, trash)
            os.rename(work, final)
            shutil.rmtree(trash, ignore_errors=True)
        else:
            os.rename(work, final)
        with _state:
            _in_progress.discard(work)
