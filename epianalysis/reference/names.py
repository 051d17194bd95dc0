"""A region column given by name or code, resolved to the 2019 codes of the region table.

:func:`resolve_column` reads each cell of a region column (``region_code`` after ``--rename``):

- a 6-digit code, also as a spreadsheet or pandas writes it for a column with gaps (``330100.0``);
  a code of a 2021 division (临平区 330113, 钱塘区 330114: in the 2021 -> 2019 crosswalk
  ``crosswalk_2021_2019.csv``, not in the region table) is an error naming the 2019 divisions it was
  made from; any other unknown code is left to the contract's ``known_region_code`` rule;
- a name in simplified or traditional characters, with or without its suffix (杭州, 杭州市, 溫州,
  義烏), or in pinyin (Hangzhou, yiwu city): :func:`epianalysis.reference.regions.resolve`
  (traditional characters through OpenCC ``t2s``). A name that is unknown, ambiguous or only the
  beginning of names is an error naming the line and the candidates;
- a unit that is no region (:data:`NON_REGIONS_FILE`: the provincial prison cluster 省十里丰监狱,
  境外输入, 待明确地区, 未公布来源, 划归外省 ...; the code ``0`` that DXY gives 待明确地区), or an empty
  cell: the row is kept aside as *unplaced* (``<table>_unplaced``), with the unit's name.

Each distinct value is resolved once. The result says, per row, the code (missing for unplaced and
bad rows), whether the row is unplaced and under which name, and every problem as a
:class:`~epianalysis.errors.Violation` (``region_name``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from epianalysis.errors import RegionLookupError, Violation
from epianalysis.paths import REFERENCE_DIR
from epianalysis.reference import regions

NON_REGIONS_FILE = REFERENCE_DIR / "non_regions.csv"
CROSSWALK_FILE = REFERENCE_DIR / "crosswalk_2021_2019.csv"
CODE = re.compile(r"[0-9]{6}(?:\.0+)?")
NO_REGION_CODES = ("0", "0.0")  # DXY's city_zipCode of 待明确地区


@dataclass(frozen=True)
class NonRegion:
    """A unit that is no place: ``label_zh``/``label_en`` as pages name it, and its ``kind``
    (prison, imported, unassigned, other_province)."""

    label_zh: str
    label_en: str
    kind: str


@dataclass
class RegionColumn:
    """What :func:`resolve_column` found (Series aligned with the input).

    ``codes``: the 6-digit code, missing for unplaced and bad rows; ``unplaced``: the row is kept
    aside; ``unit_zh``/``unit_en``: the unit's name for unplaced rows (missing when the cell was empty);
    ``problems``: one ``region_name`` error per bad cell; ``names``: each name given -> its code.
    """

    codes: pd.Series
    unplaced: pd.Series
    unit_zh: pd.Series
    unit_en: pd.Series
    problems: list[Violation] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)


@cache
def _non_regions() -> tuple[dict[str, NonRegion], list[tuple[str, NonRegion]]]:
    table = pd.read_csv(NON_REGIONS_FILE, dtype=str, keep_default_na=False, encoding="utf-8")
    exact: dict[str, NonRegion] = {}
    contains: list[tuple[str, NonRegion]] = []
    for row in table.itertuples(index=False):
        unit = NonRegion(row.label_zh, row.label_en, row.kind)
        if row.match == "contains":
            contains.append((row.label_zh, unit))
        else:
            exact[row.label_zh.casefold()] = unit
    return exact, contains


def non_region(value: str) -> NonRegion | None:
    """The unit ``value`` names when it is no region (see :data:`NON_REGIONS_FILE`), else ``None``."""
    text = re.sub(r"\s+", "", str(value)).casefold()
    exact, contains = _non_regions()
    if text in NO_REGION_CODES:
        return exact["待明确地区"]
    if text in exact:
        return exact[text]
    for part, unit in contains:
        if part in text:
            return unit
    return None


@cache
def _later_codes() -> frozenset[str]:
    """Codes of the crosswalk's 2021 divisions that the 2020 region table does not hold."""
    crosswalk = pd.read_csv(CROSSWALK_FILE, dtype=str, encoding="utf-8")
    return frozenset(crosswalk["from_code_2021"]) - frozenset(regions.load_regions()["code"].astype(str))


def _hint(error: RegionLookupError) -> str:
    if not error.candidates:
        return error.reason
    joint = " " if error.reason.endswith("from") else "; candidates: "
    return error.reason + joint + ", ".join(error.candidates)


def _cjk(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def _resolve(value: str, level: str | None) -> tuple[str | None, NonRegion | None, RegionLookupError | None]:
    text = value.strip()
    if CODE.fullmatch(text):
        code = text.split(".")[0]
        if code in _later_codes():  # a 2021 division: the error names the 2019 ones it was made from
            try:
                regions.resolve(code, level)
            except RegionLookupError as error:
                return None, None, error
        return code, None, None  # an unknown code is reported by the contract (known_region_code)
    unit = non_region(text)
    if unit is not None:
        return None, unit, None
    try:
        return regions.resolve(text, level), None, None
    except RegionLookupError as error:
        return None, None, error


def resolve_column(
    values: pd.Series, rows: pd.Series, file: str, column: str = "region_code", level: str | None = None
) -> RegionColumn:
    """Resolve a region column (see the module docstring).

    Parameters
    ----------
    values : pandas.Series
        The cells as text (missing = empty).
    rows : pandas.Series
        The file's line of each cell, for the violations.
    file, column : str
        Names for the violations.
    level : {"province", "prefecture", "county"}, optional
        Only regions of this level (the county tables).
    """
    codes = pd.Series(pd.NA, index=values.index, dtype="string")
    unplaced = values.isna()
    unit_zh = pd.Series(pd.NA, index=values.index, dtype="string")
    unit_en = pd.Series(pd.NA, index=values.index, dtype="string")
    out = RegionColumn(codes, unplaced.copy(), unit_zh, unit_en)
    given = values.dropna().astype(str)
    for value, where in given.groupby(given, sort=False).groups.items():
        code, unit, error = _resolve(value, level)
        if code is not None:
            out.codes.loc[where] = code
            if not CODE.fullmatch(value.strip()):
                out.names[value] = code
        elif unit is not None:
            out.unplaced.loc[where] = True
            is_label = not CODE.fullmatch(value.strip()) and value.strip() not in NO_REGION_CODES
            out.unit_zh.loc[where] = value.strip() if is_label and _cjk(value) else unit.label_zh
            out.unit_en.loc[where] = value.strip() if is_label and not _cjk(value) else unit.label_en
        else:
            hint = _hint(error)
            for index in where:
                out.problems.append(Violation(file, int(rows.loc[index]), column, "region_name", value, detail=hint))
    out.problems.sort(key=lambda v: v.row or 0)
    return out
