"""Charts kept on disk, so that a chart drawn once from the same inputs is not drawn again.

A briefing draws each chart in every language of the run and exports it as PNG, SVG and PDF (and a
square PNG): most of a day's time. The same chart is asked for again when the front page shows a
topic's chart, when two topics show the same chart (R(t) on the recovery and transmission pages),
when a day is briefed again (``--force``, a changed topic elsewhere in the day), and in a range, when
a chart's inputs did not change from one day to the next. :func:`draw` keeps what a drawing made,
the bytes of its files, the figure's title and subtitle (the page's alt text) and the figure's text in
a notebook (``<Figure size ...>``), in one file per chart and language,
``<cache>/charts/<key>.zip`` (:func:`epianalysis.paths.cache_dir`), and gives them back when the
same key is asked for again: the files are then the bytes a fresh drawing writes.

The key (:func:`chart_key`) is the SHA-256 of everything those bytes depend on:

- the drawing function (its module and name) and the content of its arguments in this language
  (:func:`feed`): the chart's data, subtitle, source line, language and options (an argument with no
  content to digest gives no key, and the chart is drawn);
- the exports asked for (the formats, and whether a square copy is made);
- the package's code, rules, labels, templates and data
  (:func:`epianalysis.briefing.manifest.code_digest`);
- the bytes of the font files charts name (the Latin font's faces and the CJK font found);
- matplotlib's settings in effect (``rcParams``, but for the backend), and the versions of Python,
  matplotlib, NumPy, Pillow and fontTools.

The zip file holds ``meta.json`` (the key, the texts, the SHA-256 of each file) and the files; it is
written atomically, and read back only when every file's SHA-256 matches: a partial, damaged or
foreign file is a miss, and is replaced. ``EPIANALYSIS_NO_CACHE=1`` draws every chart. Charts drawn
without an output folder (a notebook in JupyterLab) are never kept. :func:`prune` keeps the folder
under a size limit, removing the files used longest ago (docs/architecture.md#caches).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import sys
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from functools import cache
from importlib import metadata as package_metadata
from pathlib import Path
from types import BuiltinFunctionType, FunctionType
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from epianalysis.briefing.manifest import code_digest
from epianalysis.briefing.page import figure_texts
from epianalysis.charts import export, fonts
from epianalysis.data.cache import enabled
from epianalysis.fileio import atomic_write, file_sha256
from epianalysis.paths import cache_dir

CHARTS_DIR = "charts"
"""The folder of the kept charts under the cache folder."""

FORMAT = "1"
"""Version of the kept file's layout; part of the key."""

SQUARE_SUFFIX = "_square.png"
"""The file-name suffix of a chart's square copy (for social media)."""

LIMIT_ENV = "EPIANALYSIS_CHART_CACHE_MB"
DEFAULT_LIMIT_MB = 2048
"""Size of the kept charts above which :func:`prune` removes the files used longest ago."""

_LIBRARIES = ("matplotlib", "numpy", "pillow", "fonttools")
_RC_IGNORED = ("backend", "backend_fallback", "interactive")
_SCALARS = (
    bool,
    int,
    float,
    complex,
    str,
    bytes,
    Decimal,
    Enum,
    dt.date,
    dt.time,
    dt.timedelta,
    pd.Timedelta,
    np.generic,
)


@dataclass(frozen=True)
class Drawing:
    """What drawing a chart in one language made.

    ``files`` maps a file-name suffix (``.png``, ``.svg``, ``.pdf``, :data:`SQUARE_SUFFIX`) to its
    bytes; ``texts`` holds the figure's ``title`` and ``subtitle``; ``text`` is the figure as a
    notebook prints it. ``figure`` is the figure drawn, ``None`` when the drawing was kept.
    """

    files: dict[str, bytes]
    texts: dict[str, str]
    text: str
    figure: Figure | None = field(default=None, compare=False)

    def write(self, folder: Path, name: str) -> None:
        """Write each file as ``folder/<name><suffix>``, atomically."""
        for suffix, data in self.files.items():
            atomic_write(folder / f"{name}{suffix}", lambda target, data=data: target.write_bytes(data))

    def shown(self, redraw: Callable[[], Figure]) -> Figure | KeptFigure:
        """What a notebook shows: the figure drawn, or the kept PNG (``redraw`` draws it again)."""
        return self.figure if self.figure is not None else KeptFigure(self.files[".png"], self.text, redraw)


class KeptFigure:
    """A chart given back by the cache: a notebook shows its PNG and prints it as the figure printed
    (the executed notebook is the same as after a fresh drawing); :meth:`figure` draws it again."""

    def __init__(self, png: bytes, text: str, redraw: Callable[[], Figure]) -> None:
        self._png, self._text, self._redraw = png, text, redraw

    def _repr_png_(self) -> bytes:
        return self._png

    def __repr__(self) -> str:
        return self._text

    def figure(self) -> Figure:
        """The chart drawn again, as a matplotlib figure."""
        return self._redraw()


def _libraries() -> str:
    versions = []
    for name in _LIBRARIES:
        try:
            versions.append(f"{name} {package_metadata.version(name)}")
        except package_metadata.PackageNotFoundError:
            versions.append(f"{name} -")
    return "\0".join([sys.version, *versions])


@cache
def _font_digest(paths: tuple[str, ...]) -> str:
    return hashlib.sha256("\0".join(f"{p} {file_sha256(Path(p))}" for p in paths).encode()).hexdigest()


def _fonts() -> str:
    """The bytes of the font files charts name: the Latin faces and the CJK font (searched once)."""
    from matplotlib import font_manager

    cjk = fonts.prepare()
    paths = [font_manager.findfont(font_manager.FontProperties(family=name)) for name in fonts.latin_families()]
    if cjk is not None:
        paths.append(str(cjk.path))
    return _font_digest(tuple(sorted(set(paths))))


@cache
def _environment() -> str:
    return hashlib.sha256(f"{FORMAT}\0{code_digest()}\0{_libraries()}".encode()).hexdigest()


def _settings() -> str:
    items = sorted((k, repr(v)) for k, v in matplotlib.rcParams.items() if k not in _RC_IGNORED)
    return hashlib.sha256(repr(items).encode()).hexdigest()


class Unkeyable(TypeError):
    """An argument whose content :func:`feed` cannot digest (the chart is then drawn, not kept)."""


def feed(digest: Any, value: Any) -> None:
    """Add the content of ``value`` to ``digest`` (a :mod:`hashlib` object), by value, never by identity
    or memory address: scalars by type and ``repr``; tables, series and indexes by their labels, dtypes,
    ``attrs`` and per-row hashes (``pandas.util.hash_pandas_object``); NumPy arrays by dtype, shape and
    bytes; lists, tuples and mappings item by item in order; sets sorted; dataclasses and the package's
    own objects by their class and fields; classes and module-level functions by their names. Pickled
    bytes would not do: they differ with which equal strings happen to be the same object.

    Raises
    ------
    Unkeyable
        A value whose content is not all in reach (an open file, an iterator, a lambda or closure,
        another library's object), or a table of unhashable cells.
    """

    def put(*parts: object) -> None:
        for part in parts:
            digest.update(str(part).encode() + b"\0")

    if value is None or isinstance(value, _SCALARS):
        put(type(value).__qualname__, repr(value))
    elif isinstance(value, pd.DataFrame | pd.Series | pd.Index):
        put(type(value).__qualname__, getattr(value, "name", None), list(getattr(value, "names", [])))
        if isinstance(value, pd.DataFrame):
            feed(digest, list(value.columns))
            put(*(repr(d) for d in value.dtypes))
        else:
            put(repr(value.dtype))
        if not isinstance(value, pd.Index):
            put(repr(value.index.dtype), list(value.index.names))
            feed(digest, value.attrs)
        try:
            rows = pd.util.hash_pandas_object(value, index=not isinstance(value, pd.Index))
        except TypeError as error:
            raise Unkeyable(f"table cells cannot be hashed: {error}") from None
        digest.update(rows.to_numpy().tobytes())
    elif isinstance(value, np.ndarray):
        put("ndarray", value.dtype.str, value.shape)
        if value.dtype == object:
            for item in value.ravel():
                feed(digest, item)
        else:
            digest.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, Mapping):
        put(type(value).__qualname__, len(value))
        for key, item in value.items():
            feed(digest, key)
            feed(digest, item)
    elif isinstance(value, list | tuple):
        put(type(value).__qualname__, len(value))
        for item in value:
            feed(digest, item)
    elif isinstance(value, set | frozenset):
        items = []
        for item in value:
            one = hashlib.sha256()
            feed(one, item)
            items.append(one.hexdigest())
        put(type(value).__qualname__, *sorted(items))
    elif isinstance(value, type) or _named_function(value):
        put("callable", value.__module__, value.__qualname__)
    elif dataclasses.is_dataclass(value):
        put(type(value).__module__, type(value).__qualname__)
        for field_ in dataclasses.fields(value):
            put(field_.name)
            feed(digest, getattr(value, field_.name))
    elif type(value).__module__.startswith(f"{__package__.split('.')[0]}.") and hasattr(value, "__dict__"):
        put(type(value).__module__, type(value).__qualname__)  # our own classes keep their state in it
        feed(digest, vars(value))
    else:
        raise Unkeyable(f"no content to digest in a {type(value).__qualname__}")


def _named_function(value: Any) -> bool:
    """A function known by its module and name alone: defined at module level, no closure."""
    return (
        isinstance(value, FunctionType | BuiltinFunctionType)
        and "<" not in value.__qualname__
        and not getattr(value, "__closure__", None)
    )


def chart_key(
    function: Callable[..., Any], args: Sequence[Any], kwargs: Mapping[str, Any], exports: Sequence[str]
) -> str | None:
    """The key of a chart drawn by ``function(*args, **kwargs)`` and exported as ``exports`` (file-name
    suffixes), or ``None`` when an argument has no content to digest (see the module docstring)."""
    digest = hashlib.sha256()
    for part in (_environment(), _fonts(), _settings(), function.__module__, function.__qualname__, ",".join(exports)):
        digest.update(part.encode() + b"\0")
    try:
        feed(digest, (tuple(args), sorted(kwargs.items())))
    except (Unkeyable, RecursionError):
        return None
    return digest.hexdigest()


def kept_file(key: str) -> Path:
    """Where the drawing of ``key`` is kept."""
    return cache_dir() / CHARTS_DIR / f"{key}.zip"


def read(key: str) -> Drawing | None:
    """The drawing kept under ``key``, or ``None`` when there is none or it does not check out."""
    path = kept_file(key)
    try:
        with zipfile.ZipFile(path) as archive:
            meta = json.loads(archive.read("meta.json"))
            files = {suffix: archive.read(f"file{suffix}") for suffix in meta["files"]}
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, TypeError):
        return None
    if meta.get("key") != key or any(hashlib.sha256(data).hexdigest() != meta["files"][s] for s, data in files.items()):
        return None
    with contextlib.suppress(OSError):  # used now: pruned last (a read-only cache is still read)
        os.utime(path)
    return Drawing(files, dict(meta["texts"]), str(meta["text"]))


def keep(key: str, drawing: Drawing) -> None:
    """Keep ``drawing`` under ``key`` (atomically; ``meta.json`` names each file's SHA-256); a cache folder
    that cannot be written keeps nothing."""
    meta = {
        "key": key,
        "texts": drawing.texts,
        "text": drawing.text,
        "files": {suffix: hashlib.sha256(data).hexdigest() for suffix, data in drawing.files.items()},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("meta.json", json.dumps(meta, ensure_ascii=False, sort_keys=True))
        for suffix, data in drawing.files.items():
            archive.writestr(f"file{suffix}", data)
    with contextlib.suppress(OSError):  # a cache that cannot be written only means drawing again
        atomic_write(kept_file(key), lambda target: target.write_bytes(buffer.getvalue()))


def draw(
    function: Callable[..., Figure],
    args: Sequence[Any],
    kwargs: Mapping[str, Any],
    formats: Sequence[str] = export.FORMATS,
    square: bool = False,
) -> Drawing:
    """Draw ``function(*args, **kwargs)`` and render it in ``formats`` (and, with ``square``, a square
    PNG drawn with ``size="square"``), or give back the kept drawing of the same key.

    Returns
    -------
    Drawing
        The files' bytes by file-name suffix, the figure's texts, and the figure when drawn now.
    """
    exports = [f".{fmt}" for fmt in formats] + ([SQUARE_SUFFIX] if square else [])
    key = chart_key(function, args, kwargs, exports) if enabled() else None
    kept = read(key) if key else None
    if kept is not None:
        return kept
    fig = function(*args, **kwargs)
    texts, text = figure_texts(fig), repr(fig)
    files = {f".{fmt}": data for fmt, data in export.render_figure(fig, formats).items()}
    if square:
        files[SQUARE_SUFFIX] = export.render_figure(function(*args, **{**kwargs, "size": "square"}), ("png",))["png"]
    drawing = Drawing(files, texts, text, fig)
    if key:
        keep(key, drawing)
    return drawing


def limit_bytes() -> int:
    """The size limit of the kept charts: ``EPIANALYSIS_CHART_CACHE_MB`` megabytes (default
    :data:`DEFAULT_LIMIT_MB`)."""
    value = os.environ.get(LIMIT_ENV, "").strip()
    try:
        megabytes = float(value) if value else DEFAULT_LIMIT_MB
    except ValueError:
        raise ValueError(f"{LIMIT_ENV}={value!r} is not a number of megabytes") from None
    return int(megabytes * 1024 * 1024)


def prune(limit: int | None = None) -> list[Path]:
    """Remove the kept charts used longest ago until the folder holds at most ``limit`` bytes (default
    :func:`limit_bytes`); return the files removed. Only ``*.zip`` files of the charts folder are
    touched."""
    limit = limit_bytes() if limit is None else limit
    folder = cache_dir() / CHARTS_DIR
    if not folder.is_dir():
        return []
    entries = []
    for path in folder.glob("*.zip"):
        try:
            stat = path.stat()
        except FileNotFoundError:  # removed by another run meanwhile
            continue
        entries.append((stat.st_mtime_ns, stat.st_size, path))
    total = sum(size for _, size, _ in entries)
    removed = []
    for _, size, path in sorted(entries):
        if total <= limit:
            break
        try:
            path.unlink(missing_ok=True)
        except OSError:  # a read-only folder: the file stays
            continue
        total -= size
        removed.append(path)
    return removed
