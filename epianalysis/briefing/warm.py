"""Inside a warm kernel: import the package once, and reset the kernel between notebook runs.

A warm kernel (:mod:`epianalysis.briefing.kernels`, docs/output.md#warm-kernels) runs many briefing
notebooks one after the other. :func:`prepare` runs once, when the kernel has started: it imports
the package (every module of its libraries, pandas, matplotlib, DuckDB) and records the state a
fresh kernel has. :func:`reset` runs before every notebook: it clears the notebook namespace and its
history (IPython's own reset of a new session), closes every figure, and restores matplotlib's
settings and backend, IPython's display formatters (their printers and settings, such as
``%precision``), pandas' options, NumPy's print and floating-point error settings, the root logger's
level and handlers, the working directory, the environment (and the time zone it sets), ``sys.path``
and the warning filters to that record, so that nothing one notebook or day set is seen by the next,
nor changes how it shows its tables or what it logs. Other libraries' modules stay imported, and so
do the package's modules imported by :func:`prepare`, whose caches hold only content-keyed or
read-only data (region tables, labels, rule sets). The names bound at module level in the package's
modules are put back as well: a notebook that replaces a function or a constant of the package
(``view.summary = ...``) or adds a name to one changes nothing for the next notebook (an object
changed in place, such as a module's dict, is not undone; the package's notebooks change none). A
module of the package first imported after :func:`prepare` (by a notebook, or by a function that
imports it when called) is forgotten, so the next notebook that needs it imports it afresh.

A thread cannot be stopped from outside, and what it prints appears in whichever notebook runs when
it prints. When a notebook leaves a thread of its own running, :func:`reset` therefore raises
:class:`ReplaceKernel`, and the pool starts a fresh kernel instead (``WarmKernel._fresh`` in
:mod:`epianalysis.briefing.kernels`). The threads running when the kernel was prepared (its
channels, output pipes and parent watcher) and those of the kernel's own classes started later
(pyzmq's collector of sent buffers, started with the first large output) are not the notebook's.
"""

from __future__ import annotations

import copy
import gc
import importlib
import logging
import os
import pkgutil
import sys
import threading
import time
import warnings

_FRESH: dict = {}
_ABSENT = object()
#: Traits of a display formatter that are not settings: its configuration source and its owner.
_NOT_SETTINGS = frozenset({"config", "parent"})
#: The package's libraries a briefing notebook uses, every module of which :func:`prepare` imports
#: (others, such as the command line, the scenario generator and the exploration helpers, are imported
#: by a notebook that needs them, and forgotten after it).
LIBRARY = (
    "epianalysis.topics",
    "epianalysis.charts",
    "epianalysis.text",
    "epianalysis.data",
    "epianalysis.engine",
    "epianalysis.reference",
    "epianalysis.rulesets",
)
#: Packages whose threads belong to the kernel, not to a notebook (see the module's docstring).
KERNEL_PACKAGES = ("ipykernel", "IPython", "zmq")


class ReplaceKernel(RuntimeError):
    """The kernel cannot be brought back to a fresh kernel's state (a notebook left threads running)."""


def notebook_threads() -> list[threading.Thread]:
    """Threads alive now that were not when the kernel was prepared and whose class is not the kernel's
    (:data:`KERNEL_PACKAGES`)."""
    return [
        thread
        for thread in threading.enumerate()
        if thread not in _FRESH.get("threads", ()) and type(thread).__module__.split(".")[0] not in KERNEL_PACKAGES
    ]


def _pandas_options() -> dict:
    """Every pandas option by its full name (``display.max_rows``) with its value now."""
    import pandas as pd

    wrapper = type(pd.options)

    def walk(options, prefix: str) -> dict:
        found = {}
        for name in dir(options):
            value = getattr(options, name)
            found |= walk(value, f"{prefix}{name}.") if isinstance(value, wrapper) else {f"{prefix}{name}": value}
        return found

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecated options are read like the others
        return walk(pd.options, "")


def _formatters(shell) -> dict:
    """IPython's display formatters by name: one per MIME type, the MIME-bundle and the
    ``_ipython_display_`` formatter (empty outside IPython)."""
    if shell is None:
        return {}
    display = shell.display_formatter
    return {
        **display.formatters,
        "mimebundle": display.mimebundle_formatter,
        "ipython_display": display.ipython_display_formatter,
    }


def _formatter_settings(shell) -> dict:
    """Every display formatter's settings (its printers, ``float_precision``, ``pprint``, ``enabled``
    and the others), copied, by formatter name."""
    settings = {}
    for name, formatter in _formatters(shell).items():
        traits = formatter.trait_values().items()
        settings[name] = {trait: copy.copy(value) for trait, value in traits if trait not in _NOT_SETTINGS}
    return settings


def _package_namespaces() -> dict[str, dict]:
    """A copy of the namespace of every imported module of the package, by module name."""
    return {
        name: dict(vars(module))
        for name, module in list(sys.modules.items())
        if module is not None and name.split(".")[0] == "epianalysis"
    }


def _restore_namespaces(recorded: dict[str, dict]) -> None:
    """Forget the package's modules imported since the record, bind every recorded name to its
    recorded value again and drop the names added since (among them the forgotten submodules)."""
    for name in [n for n, m in list(sys.modules.items()) if n.split(".")[0] == "epianalysis" and n not in recorded]:
        del sys.modules[name]
    for name, names in recorded.items():
        module = sys.modules.get(name)
        if module is None:
            continue
        namespace = vars(module)
        for key in [k for k in namespace if k not in names]:
            del namespace[key]
        for key, value in names.items():
            if namespace.get(key, _ABSENT) is not value:
                namespace[key] = value


def prepare() -> None:
    """Import the package and record the fresh kernel's state (once, right after start)."""
    import matplotlib
    import matplotlib.pyplot
    import numpy as np
    from IPython import get_ipython

    importlib.import_module("epianalysis.briefing")  # the notebooks' open_briefing
    for name in LIBRARY:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, f"{name}."):
            importlib.import_module(module.name)
    # pyplot's backend is loaded when a first figure needs it; Jupyter's inline backend then turns on
    # matplotlib's interactive mode and shows pyplot figures after each cell. Loaded now, that is part
    # of the record, so every notebook shows its pyplot figures as in a fresh kernel.
    matplotlib.pyplot.switch_backend(matplotlib.get_backend())
    _FRESH.update(
        rc=copy.deepcopy(dict(matplotlib.rcParams)),
        formatters=_formatter_settings(get_ipython()),
        backend=matplotlib.pyplot.get_backend(),
        pandas=_pandas_options(),
        numpy=(np.get_printoptions(), np.geterr()),
        logging=(logging.root.level, list(logging.root.handlers)),
        cwd=os.getcwd(),
        environ=dict(os.environ),
        path=list(sys.path),
        filters=list(warnings.filters),
        threads=set(threading.enumerate()),
        namespaces=_package_namespaces(),
    )
    # The imported modules' objects never become garbage: moved out of the collector's sight, every
    # later collection (the reset's, IPython's, the automatic ones while a notebook runs) scans only
    # what notebooks made. A reset takes about 0.02 s instead of 0.35 s.
    gc.freeze()


def reset() -> None:
    """Bring the kernel back to the state :func:`prepare` recorded (before each notebook).

    Raises
    ------
    ReplaceKernel
        A notebook left threads of its own running (named in the message).
    """
    left = notebook_threads()
    if left:
        names = ", ".join(thread.name for thread in left)
        raise ReplaceKernel(f"a notebook left {len(left)} thread(s) running ({names})")
    import matplotlib
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)  # the namespace, In/Out history and the execution count
    formatters = _formatters(shell)
    for name, settings in _FRESH["formatters"].items():
        for trait, value in settings.items():  # float_precision sets NumPy's precision too: restored below
            setattr(formatters[name], trait, copy.copy(value))
    plt.close("all")
    if plt.get_backend() != _FRESH["backend"]:
        plt.switch_backend(_FRESH["backend"])
    _restore_namespaces(_FRESH["namespaces"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # restoring deprecated keys of the recorded settings
        matplotlib.rcParams.clear()
        matplotlib.rcParams.update(copy.deepcopy(_FRESH["rc"]))
        for name, value in _FRESH["pandas"].items():
            if pd.get_option(name) != value:  # only what changed: resetting every option takes 0.1 s
                pd.set_option(name, value)
    np.set_printoptions(**_FRESH["numpy"][0])
    np.seterr(**_FRESH["numpy"][1])
    logging.root.setLevel(_FRESH["logging"][0])
    logging.root.handlers[:] = _FRESH["logging"][1]
    os.chdir(_FRESH["cwd"])
    os.environ.clear()
    os.environ.update(_FRESH["environ"])
    time.tzset()  # the local time zone follows the restored TZ, as it did before a notebook set another
    sys.path[:] = _FRESH["path"]
    warnings.filters[:] = _FRESH["filters"]
    getattr(warnings, "_filters_mutated", lambda: None)()  # a changed list invalidates cached decisions
    gc.collect()
