"""Recovery (discharge) metrics: headline numbers, the discharge-rate series and the prefecture table.

Formulas (docs/methods.md#epidemic-and-recovery):

- discharge rate = cumulative discharged / cumulative confirmed (a fraction). Published checks:
  press conference of 2020-02-28, 943 / 1205 = 78.26 %; of 2020-03-02, 1050 / 1205 = 87.1 % (data as
  of 1 March 24:00). A ratio above 1 happens (杭州 on 2 March 2020: 170 discharged, 169 confirmed,
  12 of them transferred from other provinces): it is reported as it is and flagged, never clipped.
- active = confirmed − discharged − deaths (missing if any term is missing; nothing imputed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

import pandas as pd

from epianalysis.epidemic import daily_new, days_since_last_new_case, region_series, wide
from epianalysis.reference.regions import PROVINCE_CODE

CUMULATIVE = ["confirmed", "confirmed_local", "confirmed_imported", "discharged", "deaths"]
CURRENT = ["severe", "critical"]


def discharge_rate(discharged: float, confirmed: float) -> float | None:
    """``discharged / confirmed``; ``None`` when either is missing or confirmed is 0.

    Source: docs/methods.md#discharge-rate (1050 / 1205 = 0.871 for the press conference of 2020-03-02).
    """
    if pd.isna(discharged) or pd.isna(confirmed) or confirmed == 0:
        return None
    return float(discharged) / float(confirmed)


def _int_or_none(value) -> int | None:
    return None if pd.isna(value) else int(value)


@dataclass
class Headline:
    """The headline numbers of a region on a data date, with the flags that apply."""

    region_code: str
    data_as_of: str
    confirmed: int | None
    confirmed_local: int | None
    confirmed_imported: int | None
    discharged: int | None
    deaths: int | None
    active: int | None
    discharge_rate: float | None
    severe: int | None
    critical: int | None
    days_since_last_local_case: int | None
    flags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain JSON-ready values."""
        return asdict(self)


def headline(cases: pd.DataFrame, region_code: str, as_of: str | pd.Timestamp) -> Headline:
    """Headline numbers of ``region_code`` from the latest row dated on or before ``as_of``.

    Confirmed, discharged, deaths, active (confirmed − discharged − deaths), discharge rate
    (discharged / confirmed), current severe and critical cases, and days since the last new local
    case (from ``confirmed_local`` where given, else from ``confirmed``, which is then flagged).

    Flags: ``discharge_rate_above_1`` (reported, not clipped), ``stale_data`` (the latest row is older
    than ``as_of``), ``local_split_unknown`` (days since last case computed from all confirmed cases).

    Raises
    ------
    LookupError
        When the region has no row on or before ``as_of``.
    """
    as_of = pd.Timestamp(as_of)
    series = region_series(cases, region_code, CUMULATIVE + CURRENT)
    known = series[series["date"] <= as_of]
    if known.empty:
        raise LookupError(f"no cases row for region {region_code} on or before {as_of.date()}")
    row = known.iloc[-1]
    flags: list[str] = []
    if row["date"] < as_of:
        flags.append("stale_data")
    confirmed, discharged, deaths = row["confirmed"], row["discharged"], row["deaths"]
    active = confirmed - discharged - deaths
    rate = discharge_rate(discharged, confirmed)
    if rate is not None and rate > 1:
        flags.append("discharge_rate_above_1")
    local_column = "confirmed_local"
    if known["confirmed_local"].isna().all():
        local_column = "confirmed"
        flags.append("local_split_unknown")
    calendar = pd.date_range(known["date"].iloc[0], as_of, freq="D")
    grid = wide(known.assign(region_code=str(region_code)), local_column, dates=calendar)
    days = days_since_last_new_case(grid).iloc[-1, 0]
    return Headline(
        region_code=str(region_code),
        data_as_of=row["date"].date().isoformat(),
        confirmed=_int_or_none(confirmed),
        confirmed_local=_int_or_none(row["confirmed_local"]),
        confirmed_imported=_int_or_none(row["confirmed_imported"]),
        discharged=_int_or_none(discharged),
        deaths=_int_or_none(deaths),
        active=_int_or_none(active),
        discharge_rate=rate,
        severe=_int_or_none(row["severe"]),
        critical=_int_or_none(row["critical"]),
        days_since_last_local_case=None if pd.isna(days) else int(days),
        flags=flags,
    )


def headline_pair(
    cases: pd.DataFrame, as_of: dt.date, region_code: str = PROVINCE_CODE
) -> tuple[Headline, Headline | None]:
    """The headline numbers (:func:`headline`) on ``as_of`` and on ``as_of − 1`` (the front page's KPIs).

    ``before`` is ``None`` (no change is shown) when there is no row for exactly the day before, or
    when either day's numbers come from an older row (``stale_data``): a change across a gap in the
    data is not a change since the previous day.
    """
    today = headline(cases, region_code, pd.Timestamp(as_of))
    try:
        before = headline(cases, region_code, pd.Timestamp(as_of) - pd.Timedelta(days=1))
    except LookupError:
        return today, None
    if "stale_data" in today.flags or "stale_data" in before.flags:
        return today, None
    return today, before


def discharge_rate_series(cases: pd.DataFrame, region_code: str, as_of: str | pd.Timestamp) -> pd.DataFrame:
    """The discharge rate of one region on every date up to ``as_of``.

    Columns: ``date``, ``confirmed``, ``discharged``, ``discharge_rate`` (fraction, NA where confirmed is 0
    or a count is missing), ``above_1`` (flag; the value is kept, not clipped).
    """
    series = region_series(cases, region_code, ["confirmed", "discharged"])
    series = series[series["date"] <= pd.Timestamp(as_of)].reset_index(drop=True)
    confirmed = series["confirmed"].astype("Float64")
    rate = series["discharged"].astype("Float64") / confirmed.where(confirmed > 0)
    series["discharge_rate"] = rate
    series["above_1"] = (rate > 1).fillna(False).astype(bool)
    return series


def epidemic_curve_data(cases: pd.DataFrame, region_code: str, as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Daily new local and imported confirmed cases of one region up to ``as_of``.

    ``new_local`` = diff of ``confirmed_local`` (or of ``confirmed`` where the split is unknown: then
    ``new_imported`` is NA and ``split_known`` is False); a negative value is a revision, kept and
    flagged in ``revised``. Where the previous row is more than one day back (``gap_days`` > 1) the
    difference is not a daily count: ``new_local``/``new_imported`` are NA there and the change over
    the gap is kept in ``change_over_gap_local``/``change_over_gap_imported``.
    See :func:`epianalysis.epidemic.daily_new`.
    """
    series = region_series(cases, region_code, ["confirmed", "confirmed_local", "confirmed_imported"])
    series = series[series["date"] <= pd.Timestamp(as_of)].reset_index(drop=True)
    split_known = bool(series["confirmed_local"].notna().any())
    local_column = "confirmed_local" if split_known else "confirmed"
    new = daily_new(series, [local_column, "confirmed_imported"])
    daily = (new["gap_days"] == 1).fillna(True).astype(bool)  # the first row has no previous row
    local, imported = new[f"new_{local_column}"], new["new_confirmed_imported"]
    return pd.DataFrame(
        {
            "date": new["date"],
            "gap_days": new["gap_days"],
            "new_local": local.where(daily),
            "new_imported": imported.where(daily),
            "change_over_gap_local": local.where(~daily),
            "change_over_gap_imported": imported.where(~daily),
            "revised": new[f"{local_column}_revised"] | new["confirmed_imported_revised"],
            "split_known": split_known,
        }
    )


def prefecture_table(cases: pd.DataFrame, regions: pd.DataFrame, as_of: str | pd.Timestamp) -> pd.DataFrame:
    """One row per prefecture (and the province last) with the headline numbers as of ``as_of``.

    Columns: ``region_code``, ``name_zh``, ``name_en``, ``data_as_of``, ``confirmed``, ``discharged``,
    ``deaths``, ``active``, ``discharge_rate``, ``flags`` (``;``-joined, e.g. ``discharge_rate_above_1``).
    Prefectures without any row are listed with missing values and the flag ``no_data``.
    """
    wanted = regions[regions["level"].isin(["prefecture", "province"])]
    wanted = pd.concat([wanted[wanted["level"] == "prefecture"], wanted[wanted["level"] == "province"]])
    rows = []
    for region in wanted.itertuples():
        base = {"region_code": region.code, "name_zh": region.name_zh, "name_en": region.name_en}
        try:
            h = headline(cases, region.code, as_of)
        except LookupError:
            rows.append({**base, "flags": "no_data"})
            continue
        rows.append(
            {
                **base,
                "data_as_of": h.data_as_of,
                "confirmed": h.confirmed,
                "discharged": h.discharged,
                "deaths": h.deaths,
                "active": h.active,
                "discharge_rate": h.discharge_rate,
                "flags": ";".join(f for f in h.flags if f != "local_split_unknown"),
            }
        )
    table = pd.DataFrame(
        rows,
        columns=[
            "region_code",
            "name_zh",
            "name_en",
            "data_as_of",
            "confirmed",
            "discharged",
            "deaths",
            "active",
            "discharge_rate",
            "flags",
        ],
    )
    for column in ["confirmed", "discharged", "deaths", "active"]:
        table[column] = table[column].astype("Int64")
    table["discharge_rate"] = table["discharge_rate"].astype("Float64")
    return table.reset_index(drop=True)
