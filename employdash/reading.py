"""Reading CSV and Excel files into rows with their line numbers: the one reader every importer
(indicators, employer surveys, mentoring) uses, so they all decode and find headers alike.

Israeli spreadsheets arrive as UTF-8 (with or without the BOM Excel writes) or as Windows-1255
from older systems. Decoding is explicit: UTF-8 first, then Windows-1255 when the result reads as
Hebrew, and only then charset-normalizer's guess (it mistakes short Hebrew Windows-1255 files for
Cyrillic code pages, so it cannot go first).

Every file is bounded before and while it is read (`employdash.limits.UploadLimits`): its size in
bytes; for Excel the size its zip parts expand to (checked from the archive's directory before
anything is parsed: a 300 KiB workbook can hold 300 MiB of text) and the sheet's declared
dimension; then rows, columns and cell length are counted as the sheet is streamed (openpyxl's
read-only mode), so a file that expands to millions of rows is refused after the cap, not read.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from employdash.errors import ValidationError
from employdash.limits import FORM_UPLOAD, MAX_EXCEL_ROWS, MIB, UploadLimits

HEBREW = re.compile(r"[\u05d0-\u05ea]")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
# Parts of a workbook openpyxl reads whole (not streamed): kept small whatever the limits.
MAX_SHARED_STRINGS = 16 * MIB
MAX_ZIP_MEMBERS = 1_000
ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _refuse(key: str, **params: int) -> ValidationError:
    return ValidationError({"file": key}, key, {"file": params})


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
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _check_row(row: list[str], line: int, limits: UploadLimits) -> None:
    if len(row) > limits.max_columns and any(
        c not in (None, "") for c in row[limits.max_columns :]
    ):
        raise _refuse("import.error.too_wide", max_columns=limits.max_columns)
    if row and max(len(c) if isinstance(c, str) else 0 for c in row) > limits.max_cell_chars:
        raise _refuse("import.error.cell_too_long", line=line, max_chars=limits.max_cell_chars)


def read_csv(data: bytes, limits: UploadLimits = FORM_UPLOAD) -> Table:
    text, encoding = decode(data)
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first))
    header: list[str] | None = None
    rows: list[list[object]] = []
    lines: list[int] = []
    max_columns, max_rows = limits.max_columns, limits.max_rows
    try:
        for row in reader:
            # a cell's length is bounded by the csv module's own field limit (checked in C, so a
            # million-row file pays nothing for it); the text fields' limits apply after
            if len(row) > max_columns:
                _check_row(row, reader.line_num, limits)
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                if _is_header(row):
                    header = [cell.strip() for cell in row]
                continue
            if len(rows) >= max_rows:
                raise _refuse("import.error.too_many_rows", max_rows=max_rows)
            rows.append(list(row))
            lines.append(reader.line_num)
    except csv.Error as exc:  # "field larger than field limit"
        raise _refuse(
            "import.error.cell_too_long", line=reader.line_num, max_chars=csv.field_size_limit()
        ) from exc
    if header is None:
        raise ValidationError({"file": "import.error.empty"})
    return Table(header, rows, lines, encoding)


def _is_header(row: list[str] | list[object]) -> bool:
    """Published sheets often open with a title line: the header is the first row with at
    least two filled cells."""
    return sum(1 for c in row if c is not None and str(c).strip()) >= 2


def _excel_cell(value: object) -> object:
    if isinstance(value, datetime):
        return value.date()
    return value


def _check_archive(data: bytes, limits: UploadLimits) -> None:
    """Refuse a workbook whose parts expand beyond the limits, from the zip directory alone.
    (zipfile stops a part at its declared size, so the directory cannot understate it.)"""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ValidationError({"file": "import.error.unreadable"}, str(exc)) from exc
    max_mib = limits.max_unzipped_bytes // MIB
    if len(members) > MAX_ZIP_MEMBERS:
        raise _refuse("import.error.expands", max_mib=max_mib)
    if sum(m.file_size for m in members) > limits.max_unzipped_bytes:
        raise _refuse("import.error.expands", max_mib=max_mib)
    if any(
        m.filename.endswith("sharedStrings.xml") and m.file_size > MAX_SHARED_STRINGS
        for m in members
    ):
        raise _refuse("import.error.expands", max_mib=MAX_SHARED_STRINGS // MIB)


def _check_sheet_rows(data: bytes, max_rows: int) -> None:
    """Count the <row> elements of every sheet from the raw XML, stopping at the cap.

    openpyxl parses a whole sheet when it opens it (to size it when the file declares no
    dimension, as hostile files do not), so the rows are counted first with a byte scan that
    costs a fraction of that parse and ends as soon as the cap is passed."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if "worksheets/" not in member.filename or not member.filename.endswith(".xml"):
                continue
            count, tail = 0, b""
            with archive.open(member) as part:
                while chunk := part.read(MIB):
                    window = tail + chunk
                    count += len(ROW_TAG.findall(window))
                    tail = window[-32:]
                    count -= len(ROW_TAG.findall(tail))  # found again in the next window
                    if count > max_rows + 1:
                        raise _refuse("import.error.too_many_rows", max_rows=max_rows)


def read_excel(data: bytes, limits: UploadLimits = FORM_UPLOAD) -> Table:
    from openpyxl import load_workbook

    _check_archive(data, limits)
    max_rows = min(limits.max_rows, MAX_EXCEL_ROWS)
    _check_sheet_rows(data, max_rows)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError({"file": "import.error.unreadable"}, str(exc)) from exc
    sheet = book.worksheets[0]
    try:
        return _read_sheet(sheet, limits, max_rows)
    finally:
        book.close()


def _read_sheet(sheet: Any, limits: UploadLimits, max_rows: int) -> Table:
    """Stream the rows of a read-only sheet, refusing it at the first limit passed."""
    declared_rows, declared_columns = sheet.max_row or 0, sheet.max_column or 0
    if declared_rows > max_rows + 1:
        raise _refuse("import.error.too_many_rows", max_rows=max_rows)
    if declared_columns > limits.max_columns:
        raise _refuse("import.error.too_wide", max_columns=limits.max_columns)
    header: list[str] | None = None
    rows: list[list[object]] = []
    lines: list[int] = []
    stream = sheet.iter_rows(values_only=True, max_col=limits.max_columns + 1, max_row=max_rows + 2)
    for number, values in enumerate(stream, start=1):
        if number > max_rows + 1:  # the header and max_rows rows (empty rows count too)
            raise _refuse("import.error.too_many_rows", max_rows=max_rows)
        _check_row(list(values), number, limits)
        width = len(values)
        while width and values[width - 1] is None:  # the reader pads rows to max_col
            width -= 1
        cells = [_excel_cell(v) for v in values[:width]]
        if not any(c is not None and str(c).strip() for c in cells):
            continue
        if header is None:
            if _is_header(cells):
                header = ["" if c is None else str(c).strip() for c in cells]
            continue
        rows.append(cells)
        lines.append(number)
    if header is None:
        raise ValidationError({"file": "import.error.empty"})
    return Table(header, rows, lines, "xlsx")


def read_table(filename: str, data: bytes, limits: UploadLimits = FORM_UPLOAD) -> Table:
    """The header and data rows of an uploaded CSV or Excel file (told apart by name or by the
    zip signature every .xlsx starts with), within `limits`."""
    if not data:
        raise ValidationError({"file": "import.error.empty"})
    if len(data) > limits.max_bytes:
        raise _refuse("import.error.too_large", max_mib=limits.max_bytes // MIB)
    if filename.lower().endswith(EXCEL_SUFFIXES) or data[:2] == b"PK":
        return read_excel(data, limits)
    return read_csv(data, limits)


def records(table: Table) -> list[tuple[int, dict[str, object]]]:
    """Each data row as (line, {header: cell}): short rows padded with None, cells past the
    header dropped. Importers map these headers onto their own columns."""
    width = len(table.header)
    return [
        (line, dict(zip(table.header, [*row[:width], *[None] * (width - len(row))], strict=True)))
        for line, row in zip(table.lines, table.rows, strict=True)
    ]
