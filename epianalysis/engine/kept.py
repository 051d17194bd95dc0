"""The small results of queries over a large log, kept on disk and keyed by the log's content.

The county-day counts (:func:`epianalysis.engine.aggregate.health_code_counts`, about 2.4 s on the
embedded scenario's log) and the days-to-green episodes
(:func:`epianalysis.engine.days_to_green.episode_counts`) aggregate the whole Parquet log again in every
notebook and every day of a range, though the files are the same. :func:`cached_query` keeps a query's
result (a few thousand rows) under ``<cache>/aggregates/`` (:func:`epianalysis.paths.cache_dir`) as
``<kind>-<key>.parquet`` with its sidecar ``<kind>-<key>.attrs``, written and checked by
:func:`epianalysis.data.cache.keep` and :func:`~epianalysis.data.cache.read_kept` as the validated
tables are.

The key (:func:`query_key`) is the SHA-256 of:

- the kind of result (e.g. ``health_code_counts``, ``days_to_green``) and the SQL text run;
- every parameter of the query by name (e.g. the ``until`` date of days to green, which the query
  reads from a one-row view registered from that same value);
- the engine's name (``duckdb`` or ``spark``: an engine never gets another engine's result);
- the bytes of every file of the log (:func:`epianalysis.data.cache.content_digest`: a Parquet file,
  or every file of a partitioned folder with its path in the folder), hashed on every call, never
  taken from sizes or modification times;
- :func:`epianalysis.data.cache.code_digest` (the modules of :mod:`epianalysis.engine`, with the SQL
  texts, and of :mod:`epianalysis.data`, and the versions of Python and of the libraries, DuckDB and
  PySpark among them).

Only queries whose inputs are all in the key are kept: the log, registered from its Parquet path, and
views made from the parameters; a query over a pandas frame of other content (the enterprise register
of :func:`epianalysis.engine.aggregate.capacity_by_county`) is not kept. A query that raises is never
kept, and a result that does not read back identical is not kept either, so a hit returns the frame a
miss returns (values, dtypes, order, index). ``EPIANALYSIS_NO_CACHE=1`` turns it off
(docs/architecture.md#caches).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from epianalysis.data.cache import code_digest, content_digest, enabled, keep, read_kept
from epianalysis.engine.backends import Engine

AGGREGATES_DIR = "aggregates"
"""The folder of the kept query results under the cache folder."""


def query_key(kind: str, engine_name: str, log: Path, sql: str, params: Mapping[str, str]) -> str:
    """The key of the result of ``sql`` over ``log`` (module docstring).

    Parameters
    ----------
    kind : str
        What the result is (e.g. ``health_code_counts``); also the name of its files.
    engine_name : str
        The engine's name (``duckdb`` or ``spark``).
    log : Path
        The Parquet file or partitioned folder the query reads.
    sql : str
        The SQL text run.
    params : Mapping[str, str]
        Every other value the query reads, by name (e.g. ``{"until": "2020-03-01"}``).

    Returns
    -------
    str
        SHA-256 in hex.

    Raises
    ------
    OSError
        A file of the log cannot be read.
    """
    record = {
        "kind": kind,
        "engine": engine_name,
        "sql": sql,
        "params": dict(sorted(params.items())),
        "log": content_digest(log),
        "code": code_digest(),
    }
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


def cached_query(
    kind: str,
    eng: Engine,
    log: Path,
    sql: str,
    params: Mapping[str, str],
    run: Callable[[], pd.DataFrame],
) -> pd.DataFrame:
    """``run()`` read from the cache when kept under the same :func:`query_key`, else run and kept.

    Parameters
    ----------
    kind, log, sql, params
        As in :func:`query_key`.
    eng : Engine
        The engine ``run`` runs on (its ``name`` is in the key).
    run : callable
        Registers ``log`` and views made from ``params`` only, runs ``sql`` on ``eng`` and returns the
        result. It must read nothing else: what it reads beyond the key would be taken from the cache
        unchanged.

    Returns
    -------
    pandas.DataFrame
        The result of ``run()``, equal (values, dtypes, order, index) whether it was kept or run.
    """
    if not enabled():
        return run()
    try:
        key = query_key(kind, eng.name, Path(log), sql, params)
    except OSError:
        return run()  # the log cannot be read: the engine says what is wrong
    kept = read_kept(kind, key, AGGREGATES_DIR)
    if kept is not None:
        return kept
    frame = run()
    keep(kind, key, frame, AGGREGATES_DIR)
    return frame
