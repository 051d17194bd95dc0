"""Warm kernels: briefing notebooks run in kernels started once, with the package already imported.

docs/output.md#warm-kernels. Starting a kernel and importing the package costs seconds per notebook;
a day has seven notebooks and a range of days many more. A :class:`KernelPool` starts up to ``size``
kernels (each over IPC, in the notebooks' folder), imports the package in each
(:func:`epianalysis.briefing.warm.prepare`) and lends them out one notebook at a time. Before each
notebook the kernel is reset to a fresh kernel's state (:func:`epianalysis.briefing.warm.reset` lists
what that covers), so no value leaks from one notebook or day to the next, and the executed notebook
is the one a fresh kernel gives (nbclient numbers the cells itself). A kernel that died, that a
notebook left a thread of its own running in (:class:`~epianalysis.briefing.warm.ReplaceKernel`), or
whose reset failed is replaced by a new one. Like the kernels nbclient starts, a warm kernel keeps
its input history in memory, not in the user's IPython history file.

Everything done with one kernel (start, reset, execution, shutdown) happens on that kernel's own
thread, through one client connected when the kernel starts and kept until it stops, so the client
always runs on the same event loop. Papermill executes the notebook through the engine
:data:`ENGINE` registered here: papermill's nbclient engine given the running kernel and its client,
which leaves both running (docs/output.md#warm-kernels says why one client). Replies and outputs
are matched to the request that caused them, so what the reset or an earlier notebook left on the
channels is never taken for a notebook's output.
"""

from __future__ import annotations

import contextlib
import inspect
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from jupyter_core.utils import ensure_event_loop
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.iorw import write_ipynb

from epianalysis.briefing import stop

T = TypeVar("T")

ENGINE = "epianalysis-warm"
FRESH_ENGINE = "epianalysis-fresh"
#: Seconds to wait for a kernel to start and import the package (parallel starts on 2 busy cores).
START_TIMEOUT = 180
_PREPARE = "import epianalysis.briefing.warm as _warm\n_warm.prepare()"
_RESET = "import epianalysis.briefing.warm as _warm\n_warm.reset()"
#: As nbclient starts its kernels: the input history in memory, not in the user's IPython profile
#: (where several kernels at once would write each notebook's cells).
_KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:"]


def _done(value):
    """The value of a kernel manager call, awaited on this thread's event loop when it is a coroutine."""
    return ensure_event_loop().run_until_complete(value) if inspect.isawaitable(value) else value


class KernelError(RuntimeError):
    """A warm kernel could not be prepared or reset (the message holds the kernel's error)."""


class FreshEngine(NBClientEngine):
    """Papermill's nbclient engine (a fresh kernel per notebook) that keeps what ran when a run stops.

    Run with ``request_save_on_cell_execute=False``, papermill writes the executed notebook once, at
    the end (or when a cell raised), instead of after each cell starts and ends (about 0.1 s of
    writing a notebook); ``kept_on_failure`` is where the cells run so far are written when the run
    stops otherwise (a kernel that died, a timeout), as the per-cell writes would have left them.
    Nothing is written once the process is stopping (:func:`epianalysis.briefing.stop.stopping`): its
    kernels were killed and its work folders are being removed, and a file written into one as it
    is removed would leave the folder behind."""

    @classmethod
    def execute_notebook(cls, nb, kernel_name, kept_on_failure=None, **kwargs):
        try:
            return super().execute_notebook(nb, kernel_name, **kwargs)
        except BaseException:
            if kept_on_failure is not None and not stop.stopping():
                write_ipynb(nb, kept_on_failure)
            raise


class WarmEngine(FreshEngine):
    """Papermill engine executing a notebook in the running kernel ``km`` through its connected client
    ``kc`` (never starting or stopping either); written as :class:`FreshEngine` writes."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        km=None,
        kc=None,
        **kwargs,
    ):
        if km is None or kc is None:
            raise ValueError("the warm engine runs a notebook in a running kernel: pass km= and its client kc=")
        client = PapermillNotebookClient(
            nb_man,
            km=km,
            kernel_name=kernel_name,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        client.kc = kc  # connected already: nbclient neither connects nor, not owning the kernel, closes it
        return client.execute()


papermill_engines.register(FRESH_ENGINE, FreshEngine)
papermill_engines.register(ENGINE, WarmEngine)


class WarmKernel:
    """One kernel, started on its own thread in ``cwd`` and prepared (the package imported).

    The start begins at once in the background; :meth:`run` waits for it.
    """

    def __init__(self, cwd: Path, manager_class: type):
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warm-kernel")
        self.cwd, self._manager_class = Path(cwd), manager_class
        self.km = None
        self.kc = None
        self._started: Future = self._thread.submit(self._start)

    def _execute_silently(self, code: str) -> None:
        """Run ``code`` through the kernel's client and wait for its reply (a kernel that dies meanwhile
        is noticed within a second)."""
        msg_id = self.kc.execute(code, silent=True, store_history=False)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                reply = _done(self.kc.get_shell_msg(timeout=1))
            except queue.Empty:
                if not self._alive():
                    raise KernelError("the kernel died") from None
                if time.monotonic() > deadline:
                    raise KernelError(f"no reply from the kernel in {START_TIMEOUT} s") from None
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content.get("status") != "ok":
            raise KernelError(f"{content.get('ename', 'error')}: {content.get('evalue', '')}")

    def _start(self) -> None:
        if stop.stopping():
            raise KernelError("the run is stopping: no kernel is started")
        self.km = self._manager_class(kernel_name="python3")
        _done(self.km.start_kernel(cwd=str(self.cwd), extra_arguments=_KERNEL_ARGUMENTS))
        if stop.stopping():  # started while the children were being stopped, perhaps after they were listed
            self._shutdown_kernel()
            raise KernelError("the run is stopping: the kernel just started is stopped")
        self.kc = self.km.client()
        self.kc.start_channels()
        _done(self.kc.wait_for_ready(timeout=START_TIMEOUT))
        self.kc.allow_stdin = False  # as nbclient's own client: a notebook asking for input fails at once
        self._execute_silently(_PREPARE)

    def _alive(self) -> bool:
        return self.km is not None and bool(_done(self.km.is_alive()))

    def _fresh(self) -> None:
        """Reset the kernel; start a new one when it died (found before or during the reset), when the
        reset finds it cannot be made fresh (:class:`epianalysis.briefing.warm.ReplaceKernel`) or when
        the reset failed otherwise (the kernel may be half reset), saying so on standard error. A new
        kernel's reset failing too is raised."""
        if not self._alive():
            self._shutdown_kernel()
            self._start()
        try:
            self._execute_silently(_RESET)
        except KernelError as error:
            print(f"note: a new kernel replaces one that could not be reset ({error})", file=sys.stderr, flush=True)
            self._shutdown_kernel()
            self._start()
            self._execute_silently(_RESET)

    def run(self, work: Callable[..., T], *args, **kwargs) -> T:
        """Reset the kernel, then call ``work(km, kc, *args, **kwargs)`` on the kernel's thread (``kc``:
        the kernel's connected client, to pass to the engine with ``km``)."""
        self._started.result()

        def reset_then_work():
            self._fresh()
            return work(self.km, self.kc, *args, **kwargs)

        return self._thread.submit(reset_then_work).result()

    def _shutdown_kernel(self) -> None:
        if self.kc is not None:
            with contextlib.suppress(Exception):
                self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            with contextlib.suppress(Exception):
                _done(self.km.shutdown_kernel(now=True))
            self.km = None

    def shutdown(self) -> None:
        """Stop the kernel and its thread."""
        with contextlib.suppress(Exception):
            self._started.result()
        self._thread.submit(self._shutdown_kernel).result()
        self._thread.shutdown(wait=True)


class KernelPool:
    """Up to ``size`` warm kernels in ``cwd``, lent out one notebook at a time (started when first needed)."""

    def __init__(self, size: int, cwd: Path, manager_class: type):
        self.size, self.cwd, self._manager_class = max(1, size), Path(cwd), manager_class
        self._idle: queue.SimpleQueue[WarmKernel] = queue.SimpleQueue()
        self._kernels: list[WarmKernel] = []
        self._lock = threading.Lock()

    def start(self) -> KernelPool:
        """Begin starting every kernel now (in the background), so that they are ready when asked for."""
        with self._lock:
            while len(self._kernels) < self.size:
                kernel = WarmKernel(self.cwd, self._manager_class)
                self._kernels.append(kernel)
                self._idle.put(kernel)
        return self

    @contextlib.contextmanager
    def kernel(self) -> Iterator[WarmKernel]:
        """Borrow a kernel (waiting for one when all are busy)."""
        with self._lock:
            if self._idle.empty() and len(self._kernels) < self.size:
                self._kernels.append(WarmKernel(self.cwd, self._manager_class))
                self._idle.put(self._kernels[-1])
        kernel = self._idle.get()
        try:
            yield kernel
        finally:
            self._idle.put(kernel)

    def shutdown(self) -> None:
        """Stop every kernel of the pool."""
        with self._lock:
            kernels, self._kernels = self._kernels, []
        for kernel in kernels:
            kernel.shutdown()
