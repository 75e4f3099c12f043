"""Upload files as people send them, for the shared reader and every importer that uses it.

The same header and rows become a Windows-1255 CSV (older Israeli systems), a UTF-8 CSV with the
BOM Excel writes and a title line above the header, or an .xlsx whose first row is a title.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime

from openpyxl import Workbook

KINDS = ("cp1255", "bom_title", "xlsx")
TITLE = "סקר מעסיקים – שדרות"  # one cell only: not a header (the en dash is not in cp1255)


def upload(kind: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> tuple[str, bytes]:
    """(filename, bytes) of `rows` under `header` in the given kind of file. Dates are written
    as ISO text in a CSV and as real date cells in a workbook."""
    if kind == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.append([TITLE])
        sheet.append(list(header))
        for row in rows:
            sheet.append(
                [datetime(c.year, c.month, c.day) if isinstance(c, date) else c for c in row]
            )
        buffer = io.BytesIO()
        book.save(buffer)
        return "upload.xlsx", buffer.getvalue()
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    if kind == "bom_title":
        text.write(TITLE + "\n")
    writer.writerow(header)
    writer.writerows([["" if c is None else c for c in row] for row in rows])
    if kind == "cp1255":
        return "upload.csv", text.getvalue().encode("cp1255")
    if kind == "bom_title":
        return "upload.csv", text.getvalue().encode("utf-8-sig")
    raise ValueError(kind)


def first_line(kind: str) -> int:
    """The file line (or sheet row) of the first data row: below the header, and below the
    title where the kind has one."""
    return 2 if kind == "cp1255" else 3
