"""Date conventions of the sources, and the shift that brings a source's dates to the store's.

The store's convention: ``date`` = counts as of that day 24:00, as in the official bulletins of the
Zhejiang Health Commission (read out at the press conference of the next day). A source whose date
D means something else records ``date_shift_days`` in ``source.toml``: store date = source date +
``date_shift_days``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class DateConvention:
    """How a source dates its counts, and the shift to the store convention (in days)."""

    description: str
    shift_days: int

    def to_store(self, dates: pd.Series) -> pd.Series:
        """Source dates -> store dates (``date + shift_days``); missing dates stay missing."""
        return dates + pd.Timedelta(days=self.shift_days)

    def metadata(self) -> dict:
        """The ``source.toml`` keys that record this convention."""
        return {"date_convention": self.description, "date_shift_days": self.shift_days}


#: The store's own convention, used by official bulletins (浙江省卫健委: "as of D 24:00").
BULLETIN = DateConvention("date D = cumulative counts as of D 24:00 (official bulletin convention, reported on D+1)", 0)

#: JHU CSSE global time series: the column date D roughly holds the official total as of D-1 24:00
#: (e.g. column 3/2/20 confirmed 1206 for Zhejiang = 1205 local + 1 imported as of 1 Mar 24:00).
JHU_CSSE = DateConvention(
    "JHU CSSE column date D ~ official total as of D-1 24:00; stored at D-1 (store date = column date - 1 day)",
    -1,
)
