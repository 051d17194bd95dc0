"""The rules of the data contracts in words, for messages a user can act on.

A :class:`~epianalysis.errors.Violation` names its rule by a short id (``whole_number``,
``in_range(0, inf)``, ``known_region_code``); :func:`rule_words` says the same in words ("not a whole
number", "below 0"), and :func:`epianalysis.errors.Violation.__str__` prints both. Rule ids that carry
parameters (``in_range(low, high)``, ``isin([...])``, ``unique_key(...)``, ``dtype('...')``) are read
from the id. An id without words here is shown with its underscores as spaces.

This module imports nothing from the package (the error type uses it).
"""

from __future__ import annotations

import math
import re

#: Rule id -> what was wrong, in words (a phrase that follows "value 'x': ").
RULE_WORDS: dict[str, str] = {
    # cells (CSV text, epianalysis.data.cells)
    "whole_number": "not a whole number (write 12 or 12.0: ASCII digits, no sign, separator or space)",
    "number": "not a number (write 12, 12.5 or 1.2e3: ASCII digits, no separator or space)",
    "iso_date": "not a date written YYYY-MM-DD",
    "calendar_date": "not a day of the calendar",
    "six_digit_code": "not a 6-digit region code (import tidy also reads region names)",
    "known_region_code": "not the code of a Zhejiang region valid in 2020 (2019 division codes)",
    "known_county_code": "not the code of one of Zhejiang's 90 county-level divisions of 2020",
    "region_name": "names no single region of Zhejiang's 2020 divisions",
    "not_null": "empty, but this column needs a value in every row",
    "unplaced_region_empty": "a row kept without a region must have an empty region_code",
    # columns and files
    "column_present": "required column missing",
    "rename_target_free": "the file already has a column of the new name",
    "rename_source_present": "--rename names a column the file does not have",
    "header_present": "the file is empty (no header line)",
    "unique_column_name": "the header names this column twice",
    "column_named": "a column of the header has no name but holds values",
    "field_count": "more fields than the header has columns",
    "utf8": "not UTF-8 text",
    "encoding": "cannot be read in the given encoding",
    "delimiter": "columns are not separated by commas",
    "readable": "the file cannot be read",
    "has_rows": "the file has a header but no data rows",
    "known_table": "not a table of the data contracts (ignored)",
    "table_present": "no such table in the data directory",
    # tidy import
    "conflicting_duplicate": "two rows with the same key give different values",
    "duplicate_merged": "rows with the same key agree and were merged into one",
    "unplaced": "kept, not placed in a region",
    "no_province_row": "region rows without the province row (330000) of their date, which the briefings start from",
    "province_derived": "province row built as the sum of the prefectures and the unplaced rows",
    "vintage_after_data": "rows dated after the vintage (vintages are named by their data date)",
    "slot_taken": "would overwrite the table stored there (--replace does)",
    "fewer_rows": "fewer rows than the stored table it would replace (--replace overwrites it)",
    "vintage_named": "a directory of vintages needs the delivery's data date (--vintage DATE)",
    # cross-row flags
    "cumulative_decrease": "cumulative count lower than the region's previous value (a revision by the source)",
    "discharged_exceeds_confirmed": "cumulative discharged above cumulative confirmed",
    "subregions_exceed_parent": "the sub-regions add up to more than their parent's value",
    "revised": "a later delivery changed this value",
    # layout
    "vintage_name_iso_date": "a vintage folder must be named YYYY-MM-DD",
    "one_layout": "a data directory holds either vintages or tables at its root, not both",
    "one_file_per_table": "the table is stored twice (as CSV and Parquet, or as a file and a partitioned folder)",
    "key_present": "source.toml key missing",
    "toml_syntax": "source.toml cannot be parsed",
    "directory_exists": "no such directory",
}

_DTYPE_WORDS = {
    "Int64": "not a whole number",
    "int64": "not a whole number",
    "float64": "not a number",
    "datetime64[ns]": "not a date",
    "str": "not text",
}


def _bound(text: str) -> str:
    value = float(text)
    if math.isinf(value):
        return "∞"
    return str(int(value)) if value == int(value) else text


def rule_words(rule: str) -> str:
    """What breaking ``rule`` means, in words (see the module docstring)."""
    if rule in RULE_WORDS:
        return RULE_WORDS[rule]
    match = re.fullmatch(r"in_range\(\s*([^,]+),\s*([^)]+)\)", rule)
    if match:
        low, high = (s.strip() for s in match.groups())
        try:
            if math.isinf(float(high)):
                return f"below {_bound(low)}"
            return f"not between {_bound(low)} and {_bound(high)}"
        except ValueError:
            return f"outside {low} .. {high}"
    match = re.fullmatch(r"isin\((.*)\)", rule)
    if match:
        allowed = re.sub(r"[\[\]'\"]", "", match.group(1))
        return f"not one of: {allowed}"
    match = re.fullmatch(r"unique_key\((.*)\)", rule)
    if match:
        return f"repeats the {match.group(1)} of an earlier row"
    match = re.fullmatch(r"dtype\('(.*)'\)", rule)
    if match:
        return _DTYPE_WORDS.get(match.group(1), f"not of type {match.group(1)}")
    return rule.replace("_", " ")
