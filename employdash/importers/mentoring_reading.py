"""Reading a mentoring import file (CSV or Excel) into rows keyed by header, with line numbers.

Kept apart from the indicators' reader so the two areas can change independently. CSV arrives
as UTF-8 (with or without Excel's BOM) or Windows-1255 from older Israeli systems.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime

from employdash.errors import ValidationError

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
Row = tuple[int, dict[str, object]]


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1255"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError({"file": "ment.import.error.encoding"})


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[object]]]:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for row in reader:
        yield reader.line_num, list(row)


def _excel_rows(data: bytes) -> Iterator[tuple[int, list[object]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError({"file": "ment.import.error.unreadable"}, str(exc)) from exc
    try:
        for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True), 1):
            yield number, [v.date() if isinstance(v, datetime) else v for v in values]
    finally:
        book.close()


def read_rows(filename: str, data: bytes) -> list[Row]:
    """Each non-empty row after the header as (line, {header: cell})."""
    if not data:
        raise ValidationError({"file": "ment.import.error.empty"})
    excel = filename.lower().endswith(EXCEL_SUFFIXES) or data[:2] == b"PK"
    header: list[str] | None = None
    rows: list[Row] = []
    for line, cells in _excel_rows(data) if excel else _csv_rows(data):
        if not any(c is not None and str(c).strip() for c in cells):
            continue
        if header is None:
            header = ["" if c is None else str(c).strip() for c in cells]
            continue
        padded = list(cells[: len(header)]) + [None] * (len(header) - len(cells))
        rows.append((line, dict(zip(header, padded, strict=True))))
    if header is None:
        raise ValidationError({"file": "ment.import.error.empty"})
    return rows
