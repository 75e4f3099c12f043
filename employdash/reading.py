"""Reading CSV and Excel files into rows with their line numbers: the one reader every importer
(indicators, employer surveys, mentoring) uses, so they all decode and find headers alike.

Israeli spreadsheets arrive as UTF-8 (with or without the BOM Excel writes) or as Windows-1255
from older systems. Decoding is explicit: UTF-8 first, then Windows-1255 when the result reads as
Hebrew, and only then charset-normalizer's guess (it mistakes short Hebrew Windows-1255 files for
Cyrillic code pages, so it cannot go first).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime

from employdash.errors import ValidationError

HEBREW = re.compile(r"[\u05d0-\u05ea]")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Table:
    """A file's header and rows; `lines[i]` is the file line (or sheet row) of `rows[i]`."""

    header: list[str]
    rows: list[list[object]]
    lines: list[int]
    encoding: str


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1255")
        if HEBREW.search(text):
            return text, "cp1255"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ValidationError({"file": "import.error.encoding"})
    return str(best), best.encoding


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def read_csv(data: bytes) -> Table:
    text, encoding = decode(data)
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first))
    header: list[str] | None = None
    rows: list[list[object]] = []
    lines: list[int] = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            if _is_header(row):
                header = [cell.strip() for cell in row]
            continue
        rows.append(row)
        lines.append(reader.line_num)
    if header is None:
        raise ValidationError({"file": "import.error.empty"})
    return Table(header, rows, lines, encoding)


def _is_header(row: list) -> bool:
    """Published sheets often open with a title line: the header is the first row with at
    least two filled cells."""
    return sum(1 for c in row if c is not None and str(c).strip()) >= 2


def _excel_cell(value: object) -> object:
    if isinstance(value, datetime):
        return value.date()
    return value


def read_excel(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError({"file": "import.error.unreadable"}, str(exc)) from exc
    sheet = book.worksheets[0]
    header: list[str] | None = None
    rows: list[list[object]] = []
    lines: list[int] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_excel_cell(v) for v in values]
        if not any(c is not None and str(c).strip() for c in cells):
            continue
        if header is None:
            if _is_header(cells):
                header = ["" if c is None else str(c).strip() for c in cells]
            continue
        rows.append(cells)
        lines.append(number)
    book.close()
    if header is None:
        raise ValidationError({"file": "import.error.empty"})
    return Table(header, rows, lines, "xlsx")


def read_table(filename: str, data: bytes) -> Table:
    """The header and data rows of an uploaded CSV or Excel file (told apart by name or by the
    zip signature every .xlsx starts with)."""
    if not data:
        raise ValidationError({"file": "import.error.empty"})
    if filename.lower().endswith(EXCEL_SUFFIXES) or data[:2] == b"PK":
        return read_excel(data)
    return read_csv(data)


def records(table: Table) -> list[tuple[int, dict[str, object]]]:
    """Each data row as (line, {header: cell}): short rows padded with None, cells past the
    header dropped. Importers map these headers onto their own columns."""
    width = len(table.header)
    return [
        (line, dict(zip(table.header, [*row[:width], *[None] * (width - len(row))], strict=True)))
        for line, row in zip(table.lines, table.rows, strict=True)
    ]
