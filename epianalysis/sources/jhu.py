"""Import the JHU CSSE COVID-19 global time series (wide layout) as the ``cases`` table.

Layout of each file (``time_series_covid19_{confirmed,recovered,deaths}_global.csv``)::

    Province/State,Country/Region,Lat,Long,1/22/20,1/23/20,...
    Zhejiang,China,29.1832,120.0934,10,27,...

One row per province (or per country, with an empty ``Province/State``), one column per day of
cumulative counts. The row whose ``Province/State`` is ``region`` (case-insensitive) and whose
``Country/Region`` is ``country`` is taken; the region resolves to its code through
:func:`epianalysis.reference.regions.resolve` (``"Zhejiang"`` -> ``330000``).

Mapping: ``confirmed`` <- confirmed, ``discharged`` <- recovered, ``deaths`` <- deaths. The three
files may end on different dates: each series keeps its own dates and the others are missing there
(never filled).

Dates, one convention per series (:data:`epianalysis.sources.conventions.JHU`, from
``conventions.toml``, checked against the official bulletins in docs/data.md#per-series-date-conventions):

- confirmed: column date D is the official total as of D-1 24:00 (column 3/2/20 holds 1206 = 1205
  local + 1 imported as of 1 Mar 24:00), so it is stored at D-1;
- recovered: column date D is an intra-day aggregator figure of day D, at or below the official
  total as of D 24:00 (column 3/1/20: 1046, official 1050); stored at D. Shifted by -1 day like
  confirmed it would run ahead of every bulletin from 17 February to 2 March (by 19 on 1 March);
- deaths: column date D holds the deaths reported during D (the first death, in the bulletin as of
  20 Feb 24:00, is in column 2/20/20); stored at D.

``source.toml`` records each series' shift under ``[series_conventions.<column>]``.

Data: JHU CSSE COVID-19 Data, https://github.com/CSSEGISandData/COVID-19, licensed CC BY 4.0.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd

from epianalysis.data.cells import check_column
from epianalysis.data.checks import cross_row_flags, read_lines_csv
from epianalysis.data.store import DataStore
from epianalysis.errors import DataError, RegionLookupError, Violation
from epianalysis.sources import ImportReport
from epianalysis.sources.conventions import JHU
from epianalysis.sources.delivery import deliver

PROVINCE = "Province/State"
COUNTRY = "Country/Region"
ID_COLUMNS = (PROVINCE, COUNTRY, "Lat", "Long")
DATE_FORMAT = "%m/%d/%y"
SERIES = (("confirmed", "confirmed"), ("recovered", "discharged"), ("deaths", "deaths"))

METADATA = {
    "source": "JHU CSSE COVID-19 Data",
    "description": "Johns Hopkins University CSSE COVID-19 global time series (confirmed, recovered, deaths)",
    **JHU.metadata(),
    "synthetic": False,
    "citation": "JHU CSSE COVID-19 Data, https://github.com/CSSEGISandData/COVID-19 (CC BY 4.0)",
}


def _date_columns(columns: list[str]) -> tuple[dict[str, pd.Timestamp], list[str]]:
    dates, other = {}, []
    for col in columns:
        if col in ID_COLUMNS:
            continue
        try:
            dates[col] = pd.Timestamp(datetime.strptime(col.strip(), DATE_FORMAT))
        except ValueError:
            other.append(col)
    return dates, other


def read_series(path: Path, region: str, country: str, column: str) -> tuple[pd.Series, list[Violation], list[str]]:
    """One cumulative series of one JHU file, indexed by JHU column date (not shifted).

    Each date cell of the region's row is read by the count rule of every CSV cell
    (:func:`epianalysis.data.cells.check_column`: ASCII digits, or ``12.0``; ``+12``, ``1,204``,
    ``12.5`` are ``whole_number`` errors), a negative count is an ``in_range(0, inf)`` error, and an
    empty cell is missing (kept missing, never filled). Violations name the file's line (header = 1).

    Returns
    -------
    (pandas.Series, list of Violation, list of str)
        The series (Int64, missing where the cell is empty or bad), the violations (errors) and notes.
    """
    path = Path(path)
    name = path.name
    raw = read_lines_csv(path, name)
    problems = [Violation(name, None, c, "column_present", "") for c in (PROVINCE, COUNTRY) if c not in raw.columns]
    if problems:
        return pd.Series(dtype="Int64"), problems, []
    dates, other = _date_columns([c for c in raw.columns if c != "__row"])
    notes = [f"{name}: columns ignored (not JHU dates): {', '.join(other)}"] if other else []
    match = (raw[PROVINCE].fillna("").str.strip().str.casefold() == region.strip().casefold()) & (
        raw[COUNTRY].fillna("").str.strip().str.casefold() == country.strip().casefold()
    )
    rows = list(raw.index[match])
    if len(rows) != 1:
        rule = "region_row_present" if not rows else "unique_region_row"
        lines = ", ".join(str(int(raw.at[r, "__row"])) for r in rows)
        shown = f"{region}, {country}" + (f" (lines {lines})" if rows else "")
        return pd.Series(dtype="Int64"), [Violation(name, None, PROVINCE, rule, shown)], notes
    row = raw.loc[[rows[0]]]
    values = []
    for col in dates:
        cells, found = check_column(row[col], "count", col, name, row["__row"])
        problems += found
        number = pd.to_numeric(cells).astype("Int64").iloc[0]
        if pd.notna(number) and number < 0:
            problems.append(Violation(name, int(row["__row"].iloc[0]), col, "in_range(0, inf)", str(row[col].iloc[0])))
            number = pd.NA
        values.append(number)
    series = pd.Series(values, index=pd.DatetimeIndex(list(dates.values())), name=column, dtype="Int64")
    return series.sort_index(), problems, notes


def import_jhu(
    confirmed: Path,
    recovered: Path,
    deaths: Path,
    region: str,
    out: Path,
    country: str = "China",
    *,
    vintage: date | None = None,
    replace: bool = False,
) -> ImportReport:
    """Import one region's row of the three JHU CSSE global files as ``cases`` into ``out``.

    Parameters
    ----------
    confirmed, recovered, deaths : pathlib.Path
        The three time-series files in JHU's wide layout.
    region : str
        The ``Province/State`` value (e.g. ``"Zhejiang"``); resolved to a region code.
    out : pathlib.Path
        The data directory to write (``cases.csv`` and ``source.toml``).
    country : str
        The ``Country/Region`` value of the row.
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
        With every violation (missing columns, no or several matching rows, counts not written as
        plain whole numbers, negative counts, unknown region), or when the write would overwrite a
        stored table without ``replace`` (:func:`epianalysis.sources.delivery.deliver`,
        docs/data.md#vintages); nothing is written then.
    """
    out = Path(out)
    problems: list[Violation] = []
    notes: list[str] = []
    try:
        from epianalysis.reference.regions import resolve

        code = resolve(region)
    except RegionLookupError as exc:
        problems.append(Violation(str(region), None, PROVINCE, "known_region", str(exc)))
        code = None
    series = []
    for path, (_, column) in zip((confirmed, recovered, deaths), SERIES, strict=True):
        values, found, more = read_series(path, region, country, column)
        problems += found
        notes += more
        series.append(values)
    if problems:
        raise DataError(f"cannot import JHU CSSE data for {region!r}", problems)
    shifted = []
    for (_, column), values in zip(SERIES, series, strict=True):
        convention = JHU.of(column)
        moved = values.copy()
        moved.index = pd.DatetimeIndex(convention.to_store(pd.Series(values.index)))
        shifted.append(moved)
    wide = pd.concat(shifted, axis=1, join="outer").sort_index()
    frame = pd.DataFrame(
        {
            "date": pd.Series(wide.index),
            "region_code": code,
            **{column: wide[column].to_numpy() for _, column in SERIES},
        }
    )
    for column in ("confirmed", "discharged", "deaths"):
        frame[column] = frame[column].astype("Int64")
    for (source_col, column), values in zip(SERIES, shifted, strict=True):
        if len(values):
            notes.append(f"{column} (JHU {source_col}) runs to {values.index.max().date()}; missing after, not filled")
    for source_col, column in SERIES:
        convention = JHU.of(column)
        notes.append(
            f"{column} (JHU {source_col}) dates shifted by {convention.shift_days} day: {convention.description}"
        )
    flags, _ = cross_row_flags(frame, "cases", "cases.csv")
    _, written = deliver(
        DataStore(out), "cases", frame, Path(confirmed).name, metadata=METADATA, vintage=vintage, replace=replace
    )
    notes += written
    return ImportReport(
        out=out,
        table="cases",
        rows=len(frame),
        regions=int(frame["region_code"].nunique()),
        first_date=frame["date"].min().date() if len(frame) else None,
        last_date=frame["date"].max().date() if len(frame) else None,
        flags=flags,
        notes=notes,
    )
