"""The real daily figures the embedded scenario follows, with the source of each province-day.

Two data files beside this module, built from the public data by ``scripts/build_scenario_daily.py``
with the rule of docs/data.md#the-daily-figures-of-the-scenario (official bulletins first, then the
daily series of the other sources, interpolation only where no source has the day):

- ``daily_province.csv``: one row per day 2020-01-17 .. 2020-04-30: ``confirmed``,
  ``confirmed_local``, ``confirmed_imported``, ``discharged``, ``deaths``, each count with the id of
  its source (``*_source``), and the bulletin's address on bulletin days;
- ``daily_units.csv``: one row per city (and the prison cluster, unit ``prison``) and day from
  2020-01-21: ``confirmed_local``, ``confirmed_imported`` (empty where the source does not place
  imported cases in cities), ``discharged`` (only on bulletin days for cities) and ``source``.

Counts are cumulative and "as of D 24:00". Source ids: ``official-bulletin``, ``jhu``,
``canghailan``, ``pika-chinacdc`` (cited in ``figures.toml``), ``no-case-yet`` (0 before the first
case), ``interpolated``, ``repeated`` (the last day, which no snapshot covers).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
PROVINCE_FILE = HERE / "daily_province.csv"
UNITS_FILE = HERE / "daily_units.csv"
PRISON = "prison"


@cache
def province() -> pd.DataFrame:
    """The province's daily figures, indexed by date (Timestamp)."""
    df = pd.read_csv(PROVINCE_FILE, parse_dates=["date"], keep_default_na=False)
    return df.set_index("date")


@cache
def units() -> pd.DataFrame:
    """The cities' and the prison cluster's daily figures (long: ``date``, ``unit``, counts, ``source``)."""
    df = pd.read_csv(UNITS_FILE, dtype={"unit": str}, parse_dates=["date"])
    for col in ("confirmed_local", "confirmed_imported", "discharged"):
        df[col] = df[col].astype("Int64")
    return df


def series(column: str, dates: list[date]) -> np.ndarray:
    """One province column on ``dates`` (a day missing from the file raises ``KeyError``)."""
    return province().loc[pd.to_datetime(dates), column].to_numpy(dtype=np.int64)


def city_matrix(column: str, dates: list[date], cities: list[str], fill: int | None = 0) -> np.ndarray:
    """(days, cities) of one unit column; days before the file's first day are ``fill``.

    Missing values stay missing (float NaN) when ``fill`` is None.
    """
    wide = units().pivot(index="date", columns="unit", values=column)
    wide = wide.reindex(pd.to_datetime(dates))[cities].astype("Float64")
    first = units()["date"].min()
    before = wide.index < first
    if fill is not None:
        wide.loc[before] = fill
    return wide.to_numpy(dtype=float, na_value=np.nan)


def prison(column: str, dates: list[date]) -> np.ndarray:
    """The prison cluster's daily ``column`` on ``dates`` (0 before the file's first day)."""
    p = units()[units()["unit"] == PRISON].set_index("date")[column]
    return p.reindex(pd.to_datetime(dates)).fillna(0).to_numpy(dtype=np.int64)


def provenance() -> list[dict]:
    """Per province-day: the date and the source id of confirmed, discharged and deaths."""
    df = province()
    return [
        {
            "date": d.date(),
            "confirmed": row["confirmed_source"],
            "discharged": row["discharged_source"],
            "deaths": row["deaths_source"],
        }
        for d, row in df.iterrows()
    ]
