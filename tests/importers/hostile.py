"""Hostile workbooks built by hand: a few hundred KiB on disk that expand to millions of rows or a
header of hundreds of MiB. The sheet XML is streamed into the zip, so building one stays cheap."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.openxmlformats.'
    'org/officeDocument/2006/relationships/worksheet"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"


def workbook(sheet_chunks: Iterator[str]) -> bytes:
    """An .xlsx whose first sheet's XML is the streamed chunks (between the sheet's head and
    tail), compressed as hard as deflate goes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD.encode())
            for chunk in sheet_chunks:
                sheet.write(chunk.encode())
            sheet.write(SHEET_TAIL.encode())
    return buffer.getvalue()


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row() -> str:
    return f'<row r="1">{_cell("A1", "code")}{_cell("B1", "stage")}{_cell("C1", "date")}</row>'


def many_rows(rows: int) -> bytes:
    """A header and `rows` one-number rows, with no <dimension> to warn the reader."""

    def chunks() -> Iterator[str]:
        yield header_row()
        batch = []
        for _ in range(rows):
            batch.append("<row><c><v>1</v></c></row>")  # positions are optional
            if len(batch) == 10_000:
                yield "".join(batch)
                batch = []
        yield "".join(batch)

    return workbook(chunks())


def huge_header(mib: int) -> bytes:
    """A header whose first cell holds `mib` MiB of text."""

    def chunks() -> Iterator[str]:
        yield '<row r="1"><c r="A1" t="inlineStr"><is><t>'
        block = "A" * (1024 * 1024)
        for _ in range(mib):
            yield block
        yield "</t></is></c>" + _cell("B1", "stage") + "</row>"

    return workbook(chunks())


def far_column() -> bytes:
    """A header and one row with a value in the sheet's last column (XFD, the 16,384th)."""
    return workbook(iter([header_row(), '<row r="2"><c r="XFD2"><v>1</v></c></row>']))


def one_cell(text: str) -> bytes:
    return workbook(iter([header_row(), f'<row r="2">{_cell("A2", text)}</row>']))
