"""Stopping a run: Ctrl-C (SIGINT) or SIGTERM in the command, and the death of the command.

docs/output.md#interrupts. The command (parent) turns SIGINT and SIGTERM into :class:`Interrupted`;
the batch then asks each worker process to stop (SIGTERM) and waits a few seconds for it. A worker
ignores SIGINT (a Ctrl-C at the terminal reaches the whole process group: the parent decides) and on
SIGTERM shuts down the notebook kernels it started, removes its work folders and exits at once; if it
is publishing at that moment, it finishes that one atomic step first
(:func:`epianalysis.briefing.publish.critical`). A worker also receives SIGTERM when the command dies
without a word (``kill -9``), so no worker goes on publishing for a command that is gone.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import threading
from collections.abc import Iterator

from epianalysis.briefing import publish

#: Exit codes of a command stopped by a signal (128 + the signal's number).
EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}
KERNEL_GRACE_S = 2.0
_PR_SET_PDEATHSIG = 1


class Interrupted(Exception):
    """The command received SIGINT or SIGTERM (``signum``)."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        return EXIT_CODES.get(self.signum, 128 + self.signum)


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise :class:`Interrupted` in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise Interrupted(signum)

    previous = {sig: signal.signal(sig, handler) for sig in EXIT_CODES}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


_stopping = threading.Event()


def stopping() -> bool:
    """Whether this process has begun to stop its children (:func:`stop_children`): from then on no
    kernel starts, since one started after the children were listed would outlive the process."""
    return _stopping.is_set()


def stop_children() -> None:
    """Terminate this process's child processes (the notebook kernels), then kill those still running."""
    _stopping.set()
    try:
        import psutil

        children = psutil.Process().children(recursive=True)
        for child in children:
            with contextlib.suppress(psutil.Error):
                child.terminate()
        _, alive = psutil.wait_procs(children, timeout=KERNEL_GRACE_S)
        for child in alive:
            with contextlib.suppress(psutil.Error):
                child.kill()
    except Exception:  # noqa: BLE001 - stopping must never fail: the process exits next
        pass


def _exit_worker() -> None:
    stop_children()
    publish.abandon()
    os._exit(EXIT_CODES[signal.SIGTERM])


def _on_term(signum, frame) -> None:
    publish.when_safe(_exit_worker)


def _die_with_parent() -> None:
    """Ask Linux to send SIGTERM to this process when its parent dies (nothing elsewhere)."""
    name = ctypes.util.find_library("c")
    if not name:
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(name, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)


def worker_init(parent: int) -> None:
    """Initialiser of a batch's worker processes (see the module docstring)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_term)
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the request took effect
        _exit_worker()


def stop_workers(processes: list, timeout: float = 5.0) -> None:
    """Send SIGTERM to each worker process, wait up to ``timeout`` seconds, then kill what is left."""
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            if process.is_alive():
                os.kill(process.pid, signal.SIGTERM)
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(timeout)
            if process.is_alive():
                process.kill()
                process.join(1.0)
