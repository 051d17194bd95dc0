"""The parameters every briefing notebook takes, and how their defaults are resolved.

A briefing is named by its press date D. An official bulletin counts "as of D 24:00" and is read out at
the press conference of D+1, so by default a briefing for press date D uses data as of D-1
(docs/data.md#dates). Notebooks receive plain literals (ISO dates, codes, empty strings for defaults);
this module turns them into resolved values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from epianalysis.paths import resolve_data_dir

LANGUAGES = ("en", "zh")

#: What ``lang`` (notebook parameter, ``epianalysis brief --lang``) accepts besides one language.
BOTH = "both"

#: The documented parameter set of every briefing notebook (checked by a test with papermill).
NOTEBOOK_PARAMETERS = ("date", "data_dir", "as_of", "lang", "out_dir", "engine", "spark_master")

#: Where the briefings that read person-level logs aggregate them (``epianalysis brief --engine``).
ENGINES = ("duckdb", "spark")


def parse_date(value: str | dt.date, name: str) -> dt.date:
    """An ISO date (``YYYY-MM-DD``) or a date object; a clear error otherwise."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{name} must be an ISO date YYYY-MM-DD, got {value!r}") from None


@dataclass(frozen=True)
class BriefingParams:
    """Resolved parameters of one briefing.

    Attributes
    ----------
    date : date
        The press date the briefing is for.
    as_of : date
        The data date: only data known on this date and dated on or before it are used (default D-1).
    data_dir : Path
        The data directory (default: the embedded scenario in ``data/sample``).
    languages : tuple of str
        The languages of the presentation (charts, tables, texts, pages), each made from the same numbers:
        ``("en",)``, ``("zh",)`` or ``("en", "zh")``. The first is the one a notebook shows.
    out_dir : Path or None
        Where charts, tables and the summary go; ``None`` writes nothing (interactive use).
    engine : {"duckdb", "spark"}
        Where the briefings that read a person-level log (health codes) aggregate it: embedded
        DuckDB (default) or Spark (docs/data.md#large-logs).
    spark_master : str or None
        The Spark master for ``engine="spark"`` (``None``: ``local[*]``).

    The engine changes where the numbers are computed, never the numbers (both engines run the same
    SQL and give identical results), so it is not recorded in a report's manifest
    (:mod:`epianalysis.briefing.manifest`): a report made on Spark is current for a run on DuckDB.
    """

    date: dt.date
    as_of: dt.date
    data_dir: Path
    languages: tuple[str, ...]
    out_dir: Path | None
    engine: str = "duckdb"
    spark_master: str | None = None

    @property
    def lang(self) -> str:
        """The first language: the one the notebook shows."""
        return self.languages[0]

    @property
    def lang_parameter(self) -> str:
        """The languages as the notebook parameter ``lang`` takes them (``"en,zh"``)."""
        return ",".join(self.languages)

    def notebook_parameters(self, out_dir: Path) -> dict[str, str]:
        """The papermill parameters of a briefing notebook run writing into ``out_dir``."""
        return {
            "date": self.date.isoformat(),
            "data_dir": str(self.data_dir),
            "as_of": self.as_of.isoformat(),
            "lang": self.lang_parameter,
            "out_dir": str(out_dir),
            "engine": self.engine,
            "spark_master": self.spark_master or "",
        }

    @classmethod
    def resolve(
        cls,
        date: str | dt.date,
        data_dir: str | Path | None = "",
        as_of: str | dt.date | None = "",
        lang: str | tuple[str, ...] = "en",
        out_dir: str | Path | None = "",
        engine: str = "duckdb",
        spark_master: str | None = "",
    ) -> BriefingParams:
        """Resolve notebook literals into parameters (empty strings mean the defaults above)."""
        press_date = parse_date(date, "date")
        data_date = press_date - dt.timedelta(days=1) if as_of in (None, "") else parse_date(as_of, "as_of")
        if data_date > press_date:
            raise ValueError(f"as_of {data_date} is after the press date {press_date}")
        out = None if out_dir in (None, "") else Path(out_dir)
        engine = engine or "duckdb"
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
        master = spark_master or None
        if master is not None and engine != "spark":
            raise ValueError(f"spark_master {master!r} is for engine 'spark', not {engine!r}")
        return cls(press_date, data_date, resolve_data_dir(data_dir), parse_languages(lang), out, engine, master)


def parse_languages(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The languages named by ``value``: ``"en"``, ``"zh"``, ``"en,zh"`` (in that order) or ``"both"``
    (``en`` then ``zh``); a tuple or list of languages is checked as it is.

    Raises
    ------
    ValueError
        An unknown or repeated language, or none.
    """
    if isinstance(value, str):
        parts = list(LANGUAGES) if value.strip() == BOTH else [p.strip() for p in value.split(",")]
    else:
        parts = list(value)
    unknown = [p for p in parts if p not in LANGUAGES]
    if unknown or not parts or len(set(parts)) != len(parts):
        raise ValueError(
            f"lang must be one of {', '.join(LANGUAGES)}, a comma-separated list of them or {BOTH!r}, got {value!r}"
        )
    return tuple(parts)
