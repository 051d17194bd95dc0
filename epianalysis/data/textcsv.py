"""Reading a CSV file as text, with the file's line number of every row and errors a user can act on.

:func:`read_csv_text` reads every cell as text (region codes keep their digits; an empty cell is
missing) and gives each row the line of the file it starts on (the header is line 1; a quoted value
holding a line break makes a record span several lines, and blank lines are skipped, so the line is
not the row number + 1 in general). Every problem is a :class:`~epianalysis.errors.Violation` with the
line, raised together in one :class:`~epianalysis.errors.DataError`:

- ``utf8`` / ``encoding``: bytes that the encoding cannot read, with the line and the bytes; when the
  file reads as GB18030 (what Excel writes for Chinese on Windows) the message says so. A UTF-8
  byte-order mark is accepted and dropped;
- ``delimiter``: the header is one column that another separator (``;``, tab, ``|``, ``，``) would
  split; with ``detect_delimiter=True`` the file is read with that separator instead and a note says so;
- ``field_count``: a row with more fields than the header (extra empty fields, as spreadsheets write,
  are dropped); a row with fewer fields is read with the missing ones empty;
- ``unique_column_name``, ``column_named``: a header that names a column twice, or a column without
  a name that holds values (an unnamed empty column, from a trailing comma, is dropped);
- ``header_present``: an empty file.

A plain file (no quote, no blank line, every line with the header's number of fields) is parsed by
pandas' C parser, where row i is on line i + 2; any other file line by line with :mod:`csv`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from epianalysis.errors import DataError, Violation

#: Separators recognised in a header that does not split at the expected one.
OTHER_DELIMITERS = (";", "\t", "|", "，")
_NAMES = {";": "';'", "\t": "tab", "|": "'|'", "，": "'，' (full-width comma)", ",": "','"}


@dataclass
class CsvText:
    """A CSV file read as text: ``frame`` (every column text, empty cells missing, index 0..n-1),
    ``lines`` (the file line each row starts on), the ``encoding`` and ``delimiter`` used, ``notes``
    (what was detected) and the ``header_line`` (1 unless blank lines come first)."""

    frame: pd.DataFrame
    lines: np.ndarray
    encoding: str
    delimiter: str
    notes: list[str] = field(default_factory=list)
    header_line: int = 1


def _decode(data: bytes, name: str, encoding: str) -> str:
    codec = encoding.lower().replace("_", "-")
    if codec in ("utf-8", "utf8", "utf-8-sig"):
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            bad = data[exc.start : exc.start + 4]
            try:
                data.decode("gb18030")
                hint = "it reads as GB18030 (Chinese Excel's encoding): save it as UTF-8, or use --encoding gb18030"
            except UnicodeDecodeError:
                hint = "save it as UTF-8"
            raise DataError(
                f"{name}: not UTF-8", [Violation(name, line, None, "utf8", bad.hex(" "), detail=hint)]
            ) from None
    try:
        return data.decode(encoding)
    except LookupError:
        raise DataError(f"{name}: unknown encoding", [Violation(name, None, None, "encoding", encoding)]) from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.start + 4].hex(" ")
        raise DataError(
            f"{name}: not {encoding}", [Violation(name, line, None, "encoding", bad, detail=f"read as {encoding}")]
        ) from None


def _records(text: str, delimiter: str) -> tuple[list[str] | None, int, list[list[str]], list[int]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header, header_line = None, 0
    rows: list[list[str]] = []
    lines: list[int] = []
    previous = 0
    for record in reader:
        start, previous = previous + 1, reader.line_num
        if not record:  # a blank line
            continue
        if header is None:
            header, header_line = record, start
            continue
        rows.append(record)
        lines.append(start)
    return header, header_line, rows, lines


def _plain(text: str, delimiter: str) -> pd.DataFrame | None:
    """The frame of a plain file (no quotes, no blank line, every line as many fields as the header,
    distinct non-empty column names), read by pandas' C parser with row i on line i + 2; ``None`` for
    any other file, which the line-by-line reader reads and explains."""
    if '"' in text or "\r" in text.replace("\r\n", "") or not text.strip():
        return None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    width = lines[0].rstrip("\r").count(delimiter)
    header = lines[0].rstrip("\r").split(delimiter)
    if width == 0 or "" in header or len(set(header)) != len(header):
        return None
    if any(not line.rstrip("\r") or line.count(delimiter) != width for line in lines[1:]):
        return None
    return pd.read_csv(
        io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False, na_values=[""], index_col=False
    )


def _other_delimiter(header: list[str], delimiter: str) -> str | None:
    if len(header) != 1:
        return None
    for other in (",", *OTHER_DELIMITERS):
        if other != delimiter and other in header[0]:
            return other
    return None


def read_csv_text(
    path: Path, name: str | None = None, encoding: str = "utf-8", delimiter: str = ",", detect_delimiter: bool = False
) -> CsvText:
    """Read ``path`` as text with line numbers (see the module docstring).

    Parameters
    ----------
    path : pathlib.Path
        The CSV file.
    name : str, optional
        The file's name in the violations (default: the file name).
    encoding : str
        The text encoding (default UTF-8, with or without a byte-order mark).
    delimiter : str
        The field separator.
    detect_delimiter : bool
        Read with another separator when the header only splits at that one (and say so in ``notes``);
        otherwise that is a ``delimiter`` error.

    Raises
    ------
    DataError
        Listing every problem found (nothing is returned then).
    """
    path = Path(path)
    name = name or path.name
    text = _decode(path.read_bytes(), name, encoding)
    fast = _plain(text, delimiter)
    if fast is not None:
        return CsvText(fast, np.arange(2, len(fast) + 2, dtype=np.int64), encoding, delimiter, [], 1)
    notes: list[str] = []
    header, header_line, rows, lines = _records(text, delimiter)
    if header is None:
        raise DataError(f"{name}: empty file", [Violation(name, None, None, "header_present", "")])
    other = _other_delimiter(header, delimiter)
    if other is not None:
        if not detect_delimiter:
            raise DataError(
                f"{name}: not separated by {_NAMES.get(delimiter, repr(delimiter))}",
                [
                    Violation(
                        name,
                        header_line,
                        None,
                        "delimiter",
                        header[0][:80],
                        detail=f"the header splits at {_NAMES[other]}; save the file with commas between columns",
                    )
                ],
            )
        header, header_line, rows, lines = _records(text, other)
        notes.append(f"columns separated by {_NAMES[other]} (detected)")
        delimiter = other
    problems: list[Violation] = []
    width = len(header)
    seen: set[str] = set()
    for column in header:
        if column and column in seen:
            problems.append(Violation(name, header_line, column, "unique_column_name", column))
        seen.add(column)
    for index, (record, line) in enumerate(zip(rows, lines, strict=True)):
        if len(record) > width:
            if any(cell != "" for cell in record[width:]):
                problems.append(
                    Violation(name, line, None, "field_count", str(len(record)), detail=f"the header has {width}")
                )
            rows[index] = record[:width]
        elif len(record) < width:
            rows[index] = record + [""] * (width - len(record))
    cells = list(zip(*rows)) if rows else [() for _ in range(width)]
    data = {}
    for position, column in enumerate(header):
        values = cells[position]
        if column == "":
            filled = [i for i, v in enumerate(values) if v != ""]
            if filled:
                problems.append(Violation(name, lines[filled[0]], None, "column_named", f"column {position + 1}"))
            continue
        data[column] = pd.Series([v if v != "" else None for v in values], dtype="str")
    if problems:
        raise DataError(f"{name}: cannot be read as a table", problems)
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(rows)))
    lines_array = np.asarray(lines, dtype=np.int64)
    return CsvText(frame, lines_array, encoding, delimiter, notes, header_line)
