"""Zhejiang's administrative divisions as valid in 2020: codes, names, populations, tile grid.

The reference table is package data (``epianalysis/data/regions.csv``, built by
``scripts/build_regions.py``): 1 province, 11 prefectures and the 90 county-level divisions with
their 2019 MCA codes (e.g. 330103 下城区, 330104 江干区, 330782 义乌市, 330383 龙港市).

Columns: ``code`` (6-digit string), ``name_zh`` (full official name), ``name_en`` (pinyin without
suffix), ``level`` (province / prefecture / county), ``parent_code`` (NA for the province),
``population`` (2020 census where known, else an estimate that adds up to the census totals),
``population_source``, ``population_is_estimate``, ``lon``/``lat`` (government seat, WGS84),
``row``/``col`` (tile-grid cell of a county; NA for higher levels).
"""

from __future__ import annotations

import difflib
import re
from functools import cache

import numpy as np
import pandas as pd

from epianalysis.errors import DataError, RegionLookupError, Violation
from epianalysis.paths import REFERENCE_DIR

PROVINCE_CODE = "330000"
LEVELS = ("province", "prefecture", "county")
REGIONS_FILE = REFERENCE_DIR / "regions.csv"

# Units created after 2020 (Hangzhou, 2021): name -> (code, the 2019 units they were made from).
# They are refused with a pointer to the 2019 units; see epianalysis.reference.boundaries.to_2019.
_LATER_UNITS = {
    "临平": ("330113", ["330110"]),
    "linping": ("330113", ["330110"]),
    "钱塘": ("330114", ["330104", "330109"]),
    "qiantang": ("330114", ["330104", "330109"]),
}

# Suffixes stripped before matching; longest first so that 自治县 wins over 县.
_ZH_SUFFIXES = ("畲族自治县", "自治县", "市", "县", "区", "省")
_EN_SUFFIXES = (
    "she autonomous county",
    "autonomous county",
    "province",
    "prefecture",
    "district",
    "county",
    "city",
    "shi",
    "xian",
    "qu",
)


@cache
def _table() -> pd.DataFrame:
    df = pd.read_csv(
        REGIONS_FILE,
        dtype={
            "code": "string",
            "parent_code": "string",
            "name_zh": "string",
            "name_en": "string",
            "level": "string",
            "population_source": "string",
            "population": "Int64",
            "row": "Int64",
            "col": "Int64",
            "lon": "float64",
            "lat": "float64",
        },
        keep_default_na=False,
        na_values={"parent_code": [""], "row": [""], "col": [""]},
        encoding="utf-8",
    )
    flags = df["population_is_estimate"].astype(str).str.lower()
    bad = ~flags.isin(["true", "false"])
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(
            "regions reference table is corrupt",
            [Violation(REGIONS_FILE.name, i + 1, "population_is_estimate", "boolean", str(flags.iloc[i]))],
        )
    df["population_is_estimate"] = flags == "true"
    return df


def load_regions() -> pd.DataFrame:
    """All 102 regions (province, prefectures, counties), sorted by code.

    Returns
    -------
    pandas.DataFrame
        A fresh copy of the reference table (columns as in the module docstring); codes are strings.
    """
    return _table().copy()


def counties() -> pd.DataFrame:
    """The 90 county-level divisions (districts 区, counties 县, county-level cities 市)."""
    df = load_regions()
    return df[df["level"] == "county"].reset_index(drop=True)


def prefectures() -> pd.DataFrame:
    """The 11 prefecture-level cities."""
    df = load_regions()
    return df[df["level"] == "prefecture"].reset_index(drop=True)


@cache
def _by_code() -> dict[str, dict[str, object]]:
    return {str(r["code"]): r for r in _table().to_dict("records")}


def _row(code: str) -> dict[str, object]:
    try:
        return _by_code()[str(code)]
    except KeyError:
        raise RegionLookupError(str(code), _close(str(code)), "unknown region code") from None


def name(code: str, lang: str = "en") -> str:
    """Name of a region: ``lang="en"`` gives the pinyin name ("Yiwu"), ``"zh"`` the official one (义乌市)."""
    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")
    return str(_row(code)["name_en" if lang == "en" else "name_zh"])


def parent(code: str) -> str | None:
    """Code of the region one level up (``None`` for the province)."""
    p = _row(code)["parent_code"]
    return None if pd.isna(p) else str(p)


def children(code: str) -> list[str]:
    """Codes of the regions one level down, sorted (empty for a county)."""
    _row(code)
    df = _table()
    return sorted(df.loc[df["parent_code"] == str(code), "code"].astype(str))


def level(code: str) -> str:
    """``"province"``, ``"prefecture"`` or ``"county"``."""
    return str(_row(code)["level"])


# ----------------------------------------------------------------------------- name resolution


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _strip_zh(text: str) -> str:
    for suffix in _ZH_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text


def _norm_en(text: str) -> str:
    text = re.sub(r"\s+", " ", text.lower().replace("-", " ")).strip()
    for suffix in _EN_SUFFIXES:
        if text.endswith(" " + suffix):
            text = text[: -len(suffix) - 1]
            break
    return re.sub(r"[\s'’]", "", text)


def _keys(text: str) -> set[str]:
    """Every normalised form under which ``text`` may be looked up."""
    text = text.strip()
    if re.search(r"[\u4e00-\u9fff]", text):
        simple = _t2s().convert(re.sub(r"\s+", "", text))
        return {simple, _strip_zh(simple)}
    return {_norm_en(text)}


@cache
def _index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for r in _table().itertuples():
        for key in _keys(str(r.name_zh)) | _keys(str(r.name_en)):
            index.setdefault(key, set()).add(str(r.code))
    return {k: frozenset(v) for k, v in index.items()}


def _label(code: str) -> str:
    r = _by_code()[code]
    return f"{code} {r['name_zh']} ({r['name_en']}, {r['level']})"


def _close(query: str) -> list[str]:
    keys = sorted(_keys(query)) if query.strip() else []
    found: list[str] = []
    for key in keys:
        for match in difflib.get_close_matches(key, sorted(_index()), n=5, cutoff=0.5):
            found.extend(sorted(_index()[match]))
    return [_label(c) for c in dict.fromkeys(found)]


def resolve(name: str, level: str | None = None) -> str:
    """The 6-digit code of a region given by name or code.

    Accepted: a 6-digit code (``"330782"``); the Chinese name in simplified or traditional
    characters (traditional is converted with OpenCC ``t2s``: 義烏 = 义乌), with or without the
    suffix 省/市/县/区/自治县 (义乌, 义乌市); the English name, case-insensitive, with or without
    "city"/"county"/"district" ("Yiwu", "yiwu city").

    Parameters
    ----------
    name : str
        The name or code to look up.
    level : {"province", "prefecture", "county"}, optional
        Only consider regions of this level.

    Returns
    -------
    str
        The region code.

    Raises
    ------
    RegionLookupError
        The name is unknown (candidates: the closest names), matches several regions (candidates:
        all of them), or is only the beginning of one or more names (partial names are never
        resolved; candidates: the names that start with it).
    """
    if level is not None and level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    query = str(name).strip()

    def keep(codes) -> list[str]:
        return sorted(c for c in codes if level is None or _by_code()[c]["level"] == level)

    later = [v for k, v in _LATER_UNITS.items() if k in _keys(query) or v[0] == query]
    if later:
        raise RegionLookupError(
            query,
            [_label(c) for c in later[0][1]],
            f"{later[0][0]} is a 2021 division, not valid in 2020; it was made from",
        )
    if re.fullmatch(r"\d{6}", query):
        if query in _by_code() and keep([query]):
            return query
        reason = "unknown region code" if query not in _by_code() else f"region is not a {level}"
        raise RegionLookupError(query, [_label(query)] if query in _by_code() else [], reason)
    if not query:
        raise RegionLookupError(query, [], "empty region name")
    matches: set[str] = set()
    for key in _keys(query):
        matches |= _index().get(key, frozenset())
    found = keep(matches)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise RegionLookupError(query, [_label(c) for c in found], "ambiguous region name")
    if matches:  # names exist, but not at the requested level
        raise RegionLookupError(query, [_label(c) for c in sorted(matches)], f"no {level} of this name")
    partial = keep({c for key in _keys(query) for k, codes in _index().items() if k.startswith(key) for c in codes})
    if len(partial) > 1:
        raise RegionLookupError(query, [_label(c) for c in partial], "ambiguous partial region name")
    if partial:
        raise RegionLookupError(query, [_label(c) for c in partial], "partial region name")
    raise RegionLookupError(query, _close(query), "unknown region name")


# ----------------------------------------------------------------------------- aggregation


@cache
def _hierarchy() -> tuple[dict[str, str], dict[str, str], dict[str, int]]:
    """Level and parent of every code, and the number of children of every parent code."""
    known = _by_code()
    n_children = _table().groupby("parent_code").size().to_dict()
    return {c: r["level"] for c, r in known.items()}, {c: r["parent_code"] for c, r in known.items()}, n_children


def aggregate_up(
    df: pd.DataFrame,
    value_columns: list[str],
    date_column: str | None = "date",
    region_column: str = "region_code",
    require_complete: bool = True,
) -> pd.DataFrame:
    """Add prefecture and province rows that are sums of the rows one level below.

    Higher levels are sums of lower ones unless given: a prefecture (or province) row already in
    ``df`` is kept exactly as given and not overwritten. The province is the sum of the prefecture
    rows (given or computed).

    Formula: ``value(parent, d) = sum over children c of value(c, d)``. Missing values are not
    imputed: a sum over any NA is NA, and with ``require_complete=True`` (default) a parent sum is
    NA when one of its children has no row on that date (an absent row is missing data, not 0).
    With ``require_complete=False`` the sum covers the children present.

    Parameters
    ----------
    df : pandas.DataFrame
        Tidy rows with ``region_column`` (6-digit codes), ``date_column`` and ``value_columns``.
        Other columns are kept on input rows and are NA on computed rows.
    value_columns : list of str
        Columns to sum.
    date_column : str or None
        Column of the date; ``None`` for a table without dates.
    region_column : str
        Column of the region code.
    require_complete : bool
        See above.

    Returns
    -------
    pandas.DataFrame
        The input rows plus computed parent rows, sorted by date and region code.

    Raises
    ------
    DataError
        Unknown region codes, missing columns or duplicate (date, region) keys.
    """
    src = "aggregate_up input"
    missing = [
        c for c in [region_column, *([date_column] if date_column else []), *value_columns] if c not in df.columns
    ]
    if missing:
        raise DataError("aggregate_up: missing columns", [Violation(src, None, c, "column_present") for c in missing])
    out = df.copy()
    out[region_column] = out[region_column].astype("string")
    known = _by_code()
    bad = ~out[region_column].isin(list(known))
    if bad.any():
        raise DataError(
            "aggregate_up: unknown region codes",
            [
                Violation(src, i + 1, region_column, "known_region_code", str(v))
                for i, v in zip(bad.to_numpy().nonzero()[0], out.loc[bad, region_column])
            ],
        )
    keys = [*([date_column] if date_column else []), region_column]
    dup = out.duplicated(keys, keep=False)
    if dup.any():
        raise DataError(
            "aggregate_up: duplicate keys",
            [
                Violation(src, int(i) + 1, region_column, "unique_key", str(out[region_column].iloc[i]))
                for i in dup.to_numpy().nonzero()[0]
            ],
        )
    level_of, parent_of, n_children = _hierarchy()
    parent_col = "__parent"
    for child_level, parent_level in (("county", "prefecture"), ("prefecture", "province")):
        codes = out[region_column].tolist()  # all known (checked above)
        levels = np.array([level_of[c] for c in codes], dtype=object)
        is_kid = levels == child_level
        if not is_kid.any():
            continue
        kids = out[is_kid]
        parents = [parent_of[c] for c, kid in zip(codes, is_kid) if kid]
        kids = kids.assign(**{parent_col: pd.array(parents, dtype="string")})
        group_keys = [*([date_column] if date_column else []), parent_col]
        grouped = kids.groupby(group_keys, sort=True, dropna=False)
        sums = grouped[value_columns].sum(min_count=1)
        size = grouped.size()
        drop = grouped[value_columns].count().to_numpy() < size.to_numpy()[:, None]  # a sum over any NA is NA
        if require_complete:  # a parent with a child without a row
            expected = [n_children.get(p, 0) for p in size.index.get_level_values(parent_col)]
            drop |= (size.to_numpy() < np.array(expected, dtype=float))[:, None]
        for j, c in enumerate(value_columns):
            if drop[:, j].any():
                sums[c] = sums[c].mask(drop[:, j])
        sums.index = sums.index.set_names(keys)
        sums = sums.reset_index()
        is_given = levels == parent_level  # a parent row already in the input is kept as given
        if is_given.any():
            given = (
                pd.MultiIndex.from_frame(out.loc[is_given, keys])
                if date_column
                else pd.Index(out.loc[is_given, region_column])
            )
            new_keys = pd.MultiIndex.from_frame(sums[keys]) if date_column else pd.Index(sums[region_column])
            sums = sums[~new_keys.isin(given)]
        for c in value_columns:
            sums[c] = sums[c].astype(out[c].dtype)
        out = pd.concat([out, sums], ignore_index=True)
    return out.sort_values(keys, kind="stable").reset_index(drop=True)
