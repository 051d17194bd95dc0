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

#: The documented parameter set of every briefing notebook (checked by a test with papermill).
NOTEBOOK_PARAMETERS = ("date", "data_dir", "as_of", "lang", "out_dir")


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
    lang : str
        ``"en"`` or ``"zh"``.
    out_dir : Path or None
        Where charts, tables and the summary go; ``None`` writes nothing (interactive use).
    """

    date: dt.date
    as_of: dt.date
    data_dir: Path
    lang: str
    out_dir: Path | None

    @classmethod
    def resolve(
        cls,
        date: str | dt.date,
        data_dir: str | Path | None = "",
        as_of: str | dt.date | None = "",
        lang: str = "en",
        out_dir: str | Path | None = "",
    ) -> BriefingParams:
        """Resolve notebook literals into parameters (empty strings mean the defaults above)."""
        press_date = parse_date(date, "date")
        data_date = press_date - dt.timedelta(days=1) if as_of in (None, "") else parse_date(as_of, "as_of")
        if data_date > press_date:
            raise ValueError(f"as_of {data_date} is after the press date {press_date}")
        if lang not in LANGUAGES:
            raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
        out = None if out_dir in (None, "") else Path(out_dir)
        return cls(press_date, data_date, resolve_data_dir(data_dir), lang, out)
