"""The county-day health-code aggregation written as a plain pandas groupby (an in-memory reference).

Same definitions as the DuckDB engine (:mod:`epianalysis.engine.health_codes`), written
independently, one person-day row at a time, so that the two can be checked against each other and
compared for speed and memory (``benchmarks/bench_health_codes.py``). Per region and date D:

- ``green``/``yellow``/``red``: rows of that colour on D;
- ``prev(p, D)``: the colour of person p's row dated D-1 (none when p has no row on D-1);
- ``new_red = #{red on D and prev != red}``, ``new_yellow = #{yellow on D and prev != yellow}``;
- ``red_to_green = #{green on D and prev == red}``, ``yellow_to_green = #{green on D and prev == yellow}``.

The region of a transition is the region of the row on D. This loads the whole log into memory:
use it for small logs and tests; the DuckDB engine is the one for real logs (out of core).
Colour rules: docs/methods.md#colour-rules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from epianalysis.engine.health_codes import COUNT_COLUMNS


def aggregate_health_codes_pandas(log: pd.DataFrame) -> pd.DataFrame:
    """County-day colour counts and transitions from a person-day log held in memory.

    Parameters
    ----------
    log : pandas.DataFrame
        ``person_id``, ``region_code``, ``date``, ``colour`` (one row per person and day).

    Returns
    -------
    pandas.DataFrame
        ``date`` (datetime64), ``region_code`` (str) and the Int64 counts ``green``, ``yellow``,
        ``red``, ``new_red``, ``new_yellow``, ``red_to_green``, ``yellow_to_green``, sorted by date
        and region (the layout of :func:`epianalysis.engine.aggregate_health_codes`).
    """
    frame = pd.DataFrame(
        {
            "person_id": log["person_id"].to_numpy(dtype=np.int64),
            "region_code": log["region_code"].astype(str).to_numpy(),
            "date": pd.to_datetime(log["date"]).to_numpy(),
            "colour": log["colour"].astype(str).to_numpy(),
        }
    )
    frame = frame.sort_values(["person_id", "date"], kind="stable").reset_index(drop=True)
    same_person = frame["person_id"].eq(frame["person_id"].shift())
    day_before = frame["date"].eq(frame["date"].shift() + pd.Timedelta(days=1))
    prev = frame["colour"].shift().where(same_person & day_before)
    colour = frame["colour"]
    counts = pd.DataFrame(
        {
            "date": frame["date"],
            "region_code": frame["region_code"],
            "green": colour.eq("green"),
            "yellow": colour.eq("yellow"),
            "red": colour.eq("red"),
            "new_red": colour.eq("red") & prev.ne("red"),
            "new_yellow": colour.eq("yellow") & prev.ne("yellow"),
            "red_to_green": colour.eq("green") & prev.eq("red"),
            "yellow_to_green": colour.eq("green") & prev.eq("yellow"),
        }
    )
    out = counts.groupby(["date", "region_code"], sort=True)[COUNT_COLUMNS].sum().reset_index()
    out["date"] = pd.to_datetime(out["date"])
    out["region_code"] = out["region_code"].astype(str)
    for column in COUNT_COLUMNS:
        out[column] = out[column].astype("Int64")
    return out
