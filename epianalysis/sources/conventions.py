"""Date conventions of the sources, one per series, and the shift that brings a series' dates to the store's.

The store's convention: ``date`` = counts as of that day 24:00, as in the official bulletins of the
Zhejiang Health Commission (read out at the press conference of the next day). A series whose date
D means something else is shifted: store date = source date + ``shift_days``. The conventions are
data (``conventions.toml`` beside this module), each with the evidence it was checked on
(docs/data.md#per-series-date-conventions); an adapter records the convention of every series it
writes in ``source.toml`` (:meth:`SourceConventions.metadata`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

CONVENTIONS_FILE = Path(__file__).resolve().parent / "conventions.toml"


@dataclass(frozen=True)
class DateConvention:
    """How one series of a source is dated, and the shift to the store convention (in days)."""

    description: str
    shift_days: int
    evidence: str = ""

    def to_store(self, dates: pd.Series) -> pd.Series:
        """Source dates -> store dates (``date + shift_days``); missing dates stay missing."""
        return dates + pd.Timedelta(days=self.shift_days)

    def metadata(self) -> dict:
        """The ``source.toml`` keys of a source whose series all follow this convention."""
        return {"date_convention": self.description, "date_shift_days": self.shift_days}


@dataclass(frozen=True)
class SourceConventions:
    """The conventions of one source: a description and one :class:`DateConvention` per series."""

    description: str
    series: dict[str, DateConvention]

    def of(self, column: str) -> DateConvention:
        """The convention of ``column`` (a contract column), or the source's ``all`` entry."""
        return self.series.get(column) or self.series["all"]

    def metadata(self) -> dict:
        """``source.toml`` keys: ``date_convention``, ``date_shift_days`` when every series shares one
        shift, and ``[series_conventions.<column>]`` with each series' shift and convention."""
        shifts = {c.shift_days for c in self.series.values()}
        meta: dict = {"date_convention": self.description}
        if len(shifts) == 1:
            meta["date_shift_days"] = shifts.pop()
        meta["series_conventions"] = {
            name: {"shift_days": c.shift_days, "convention": c.description} for name, c in self.series.items()
        }
        return meta


@cache
def load_conventions(path: Path = CONVENTIONS_FILE) -> dict[str, SourceConventions]:
    """Every source's conventions from ``conventions.toml``."""
    raw = tomllib.loads(Path(path).read_text("utf-8"))
    return {
        key: SourceConventions(
            entry["description"],
            {
                name: DateConvention(s["convention"], int(s["shift_days"]), s.get("evidence", ""))
                for name, s in entry["series"].items()
            },
        )
        for key, entry in raw.items()
    }


_ALL = load_conventions()

#: The store's own convention, used by official bulletins (浙江省卫健委: "as of D 24:00").
BULLETIN = DateConvention(_ALL["bulletin"].description, _ALL["bulletin"].of("all").shift_days)
#: JHU CSSE global time series: confirmed shifted by -1 day, recovered and deaths not (see the TOML).
JHU = _ALL["jhu"]
#: The confirmed series of JHU (kept under its old name): column date D ~ as of D-1 24:00.
JHU_CSSE = JHU.of("confirmed")
#: The DXY crawler archive: the first update of day D ~ the bulletin as of D-1 24:00.
DXY = _ALL["dxy"]
