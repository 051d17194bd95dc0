"""Import the DXY crawler archive (``DXYArea.csv`` of BlankerL/DXY-COVID-19-Data) as the ``cases`` table.

Layout (UTF-8 with a byte-order mark, one row per city and update)::

    provinceName,provinceEnglishName,province_zipCode,cityName,cityEnglishName,city_zipCode,
    province_confirmedCount,province_suspectedCount,province_curedCount,province_deadCount,
    city_confirmedCount,city_suspectedCount,city_curedCount,city_deadCount,updateTime

Each update repeats the province's counts beside every city row. City names are short (``杭州``),
codes are floats (``330100.0``) and ``待明确地区`` (cases not yet placed) has code ``0``.

Which update stands for a day (docs/data.md#the-dxy-archive): the bulletin as of D 24:00 is
published in the morning of D+1, and the archive's first updates of D+1 sometimes still repeat
D's figures. So the counts as of D 24:00 are read from **the first update of D+1 from 09:00
(Beijing time) whose province confirmed count is above every count of the earlier updates**, or,
if no update is, the last update of D+1. The province and city rows of that update are stored at
D (the convention of :data:`epianalysis.sources.conventions.DXY`, ``shift_days = -1`` for every
series), each with the ``updateTime`` it came from in the column ``source_update`` (per-row
provenance). Confirmed then equals the official bulletin on every date the two share; discharged
can lag it by a few (the cities' discharges of the evening are not yet in), see
``tests/sources/test_dxy.py``.

Mapping: ``confirmed`` <- ``*_confirmedCount``, ``discharged`` <- ``*_curedCount``, ``deaths`` <-
``*_deadCount``; suspected counts are not a contract column and are left out. ``待明确地区`` and
any row whose code is ``0`` go to ``cases_unplaced`` (flag ``unplaced``).

Data: DXY-COVID-19-Data, https://github.com/BlankerL/DXY-COVID-19-Data, MIT licence (© 2020 Jiabao Lin).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from epianalysis.data.cells import check_column
from epianalysis.data.checks import cross_row_flags, errors, read_lines_csv
from epianalysis.data.contracts import UNPLACED_SUFFIX
from epianalysis.data.schema import check_frame
from epianalysis.data.store import DataStore
from epianalysis.errors import DataError, RegionLookupError, Violation
from epianalysis.sources import ImportReport
from epianalysis.sources.conventions import DXY
from epianalysis.sources.delivery import deliver

REQUIRED = (
    "provinceName",
    "cityName",
    "city_zipCode",
    "province_confirmedCount",
    "province_curedCount",
    "province_deadCount",
    "city_confirmedCount",
    "city_curedCount",
    "city_deadCount",
    "updateTime",
)
COUNTS = {"confirmed": "confirmedCount", "discharged": "curedCount", "deaths": "deadCount"}
#: The count columns read, checked by the count rule of every CSV cell in every update.
COUNT_COLUMNS = tuple(f"{level}_{src}" for level in ("province", "city") for src in COUNTS.values())
#: The bulletin of D 24:00 is in the archive from this hour of D+1 on (Beijing time).
BULLETIN_HOUR = 9

METADATA = {
    "source": "DXY-COVID-19-Data (DXY crawler archive)",
    "source_zh": "丁香园疫情数据存档（DXY-COVID-19-Data）",
    "description": "DXYArea.csv of the DXY crawler archive: province and city counts, one update a day chosen",
    **DXY.metadata(),
    "synthetic": False,
    "citation": "DXY-COVID-19-Data, https://github.com/BlankerL/DXY-COVID-19-Data (MIT, © 2020 Jiabao Lin)",
}


def choose_updates(updates: pd.DataFrame) -> pd.DataFrame:
    """The update that stands for each day, by the rule of the module docstring.

    Parameters
    ----------
    updates : pandas.DataFrame
        One row per update: ``time`` (Timestamp, Beijing time) and ``confirmed`` (the province's
        count), sorted by time.

    Returns
    -------
    pandas.DataFrame
        One row per calendar day of the updates: ``day`` (the day of the update), ``date`` (the
        store date, day - 1) and ``time`` (the update chosen).
    """
    rows = []
    seen = -1
    for day, group in updates.groupby(updates["time"].dt.normalize(), sort=True):
        before = [seen]
        chosen = None
        for _, row in group.iterrows():
            if row["time"].hour >= BULLETIN_HOUR and row["confirmed"] > max(before):
                chosen = row["time"]
                break
            before.append(row["confirmed"])
        if chosen is None:
            chosen = group["time"].iloc[-1]
        rows.append({"day": day, "date": DXY.of("confirmed").to_store(pd.Series([day]))[0], "time": chosen})
        seen = max(seen, int(group["confirmed"].max()))
    return pd.DataFrame(rows)


def _code(name: str, zipcode: str | None) -> str | None:
    """The city's code from its short name (resolved in the region table), else from its code."""
    from epianalysis.reference.regions import resolve

    try:
        return resolve(name, level="prefecture")
    except RegionLookupError:
        pass
    try:
        number = int(float(zipcode)) if zipcode not in (None, "") else 0
    except ValueError:
        return None
    return f"{number:06d}" if number else None


def read_dxy(path: Path) -> tuple[pd.DataFrame, pd.DataFrame, list[Violation]]:
    """The province and city rows of the chosen updates (``cases`` layout), the unplaced rows, and
    the violations (errors) found. One province must be in the file (one ``provinceName``)."""
    path = Path(path)
    name = path.name
    raw = read_lines_csv(path, name)
    raw.columns = [str(c).lstrip("\ufeff") for c in raw.columns]
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        found = ", ".join(c for c in raw.columns if not c.startswith("__"))
        return (
            pd.DataFrame(),
            pd.DataFrame(),
            [Violation(name, None, c, "column_present", f"the file has: {found}") for c in missing],
        )
    if raw.empty:
        return pd.DataFrame(), pd.DataFrame(), [Violation(name, None, None, "has_rows", "")]
    problems: list[Violation] = []
    for column in COUNT_COLUMNS:  # every update, chosen or not: the choice reads the province counts
        raw[column], found = check_column(raw[column], "count", column, name, raw["__row"])
        problems += found
        negative = pd.to_numeric(raw[column]) < 0
        for index in raw.index[negative.fillna(False).to_numpy()]:
            value = raw.at[index, column]
            problems.append(Violation(name, int(raw.at[index, "__row"]), column, "in_range(0, inf)", str(value)))
    if problems:
        return pd.DataFrame(), pd.DataFrame(), problems
    provinces = raw["provinceName"].dropna().unique()
    if len(provinces) != 1:
        problems.append(Violation(name, None, "provinceName", "one_province", ", ".join(map(str, provinces))))
        return pd.DataFrame(), pd.DataFrame(), problems
    raw["time"] = pd.to_datetime(raw["updateTime"], errors="coerce")
    for _, row in raw[raw["time"].isna()].iterrows():
        problems.append(Violation(name, int(row["__row"]), "updateTime", "date_time", str(row["updateTime"])))
    raw = raw[raw["time"].notna()]
    province_code = _province_code(str(provinces[0]))
    if province_code is None:
        problems.append(Violation(name, None, "provinceName", "known_region", str(provinces[0])))
        return pd.DataFrame(), pd.DataFrame(), problems
    updates = (
        raw.groupby("time", sort=True)
        .first()
        .reset_index()[["time", "province_confirmedCount", "__row"]]
        .rename(columns={"province_confirmedCount": "confirmed"})
    )
    updates["confirmed"] = pd.to_numeric(updates["confirmed"]).fillna(-1)  # cells checked above
    chosen = choose_updates(updates)
    picked = raw.merge(chosen, on="time", how="inner")
    province = picked.groupby("time", sort=True).first().reset_index()
    prov = pd.DataFrame(
        {
            "date": province["date"],
            "region_code": province_code,
            **{col: province[f"province_{src}"] for col, src in COUNTS.items()},
            "source_update": province["updateTime"],
            "__row": province["__row"],
        }
    )
    picked["region_code"] = [_code(n, z) for n, z in zip(picked["cityName"], picked["city_zipCode"], strict=True)]
    city = pd.DataFrame(
        {
            "date": picked["date"],
            "region_code": picked["region_code"],
            **{col: picked[f"city_{src}"] for col, src in COUNTS.items()},
            "unit_zh": picked["cityName"],
            "source_update": picked["updateTime"],
            "__row": picked["__row"],
        }
    )
    placed = city[city["region_code"].notna()].drop(columns="unit_zh")
    unplaced = city[city["region_code"].isna()]
    rows = pd.concat([prov, placed], ignore_index=True).sort_values(["date", "region_code"], kind="stable")
    for frame in (rows, unplaced):
        frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    return rows.reset_index(drop=True), unplaced.reset_index(drop=True), problems


def _province_code(name: str) -> str | None:
    from epianalysis.reference.regions import resolve

    try:
        return resolve(name, level="province")
    except RegionLookupError:
        return None


def import_dxy(file: Path, out: Path, *, vintage: date | None = None, replace: bool = False) -> ImportReport:
    """Import one province of a DXY archive file as ``cases`` (and ``cases_unplaced``) into ``out``.

    Parameters
    ----------
    file : pathlib.Path
        ``DXYArea.csv``, or the rows of one province of it, in the archive's own layout.
    out : pathlib.Path
        The data directory to write.
    vintage : datetime.date, optional
        Store the rows as the delivery of this data date (``vintages/YYYY-MM-DD/``).
    replace : bool
        Overwrite the table where it is stored (refused otherwise).

    Returns
    -------
    ImportReport

    Raises
    ------
    DataError
        With every violation (missing columns, no rows, several provinces, unreadable times, counts
        not written as plain whole numbers in any update), or when the write would overwrite a stored
        table without ``replace`` (:func:`epianalysis.sources.delivery.deliver`,
        docs/data.md#vintages); nothing is written then.
    """
    file, out = Path(file), Path(out)
    name = file.name
    rows, unplaced, problems = read_dxy(file)
    if problems:
        raise DataError(f"{name}: cannot import as the DXY archive", problems)
    flags = [
        Violation(
            name, int(r["__row"]), "cityName", "unplaced", f"kept, not placed in a region: {r['unit_zh']}", "flag"
        )
        for _, r in unplaced.iterrows()
    ]
    typed, found = check_frame(rows, "cases", name)
    problems += errors(found)
    side, side_found = check_frame(unplaced.assign(region_code=None), f"cases{UNPLACED_SUFFIX}", name)
    problems += errors(side_found)
    if problems:
        raise DataError(f"{name}: cannot import as the DXY archive", problems)
    cross, _ = cross_row_flags(typed, "cases", name)
    flags += cross
    _, written = deliver(
        DataStore(out), "cases", typed, name, metadata=METADATA, side=side, vintage=vintage, replace=replace
    )
    notes = [f"one update a day: {DXY.description}", *written]
    dates = typed["date"].dropna()
    return ImportReport(
        out=out,
        table="cases",
        rows=len(typed),
        regions=int(typed["region_code"].nunique()),
        first_date=dates.min().date() if len(dates) else None,
        last_date=dates.max().date() if len(dates) else None,
        flags=flags,
        notes=notes,
    )
