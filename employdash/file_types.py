"""What kind of document a file is, read from its content (its first bytes and, for Office
files, the parts inside the zip), never from its name: a file named .pdf that is not a PDF is
refused, and so is a PDF named .docx.

Hand-written rather than `python-magic` (which needs the system's libmagic) or `filetype` (which
reads any zip as "zip" and cannot tell Word from Excel): the eight signatures the forum accepts
are fixed by their formats' specifications and fit in a table.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath


@dataclass(frozen=True)
class FileType:
    kind: str  # pdf, word, excel, image: what the list shows
    media_type: str
    extensions: tuple[str, ...]


PDF = FileType("pdf", "application/pdf", (".pdf",))
DOCX = FileType(
    "word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileType(
    "excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
DOC = FileType("word", "application/msword", (".doc",))
XLS = FileType("excel", "application/vnd.ms-excel", (".xls",))
PNG = FileType("image", "image/png", (".png",))
JPEG = FileType("image", "image/jpeg", (".jpg", ".jpeg"))
GIF = FileType("image", "image/gif", (".gif",))
WEBP = FileType("image", "image/webp", (".webp",))

ACCEPTED = (PDF, DOCX, XLSX, DOC, XLS, PNG, JPEG, GIF, WEBP)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of Word 97 and Excel 97
_SIGNATURES: tuple[tuple[bytes, FileType], ...] = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
)


def _office(content: bytes) -> FileType | None:
    """A Word or Excel file of Office 2007 on: a zip with the main part of one of them."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def sniff(content: bytes, filename: str) -> FileType | None:
    """The accepted type `content` is, when its name's extension agrees; None otherwise."""
    found: FileType | None = next((k for sig, k in _SIGNATURES if content.startswith(sig)), None)
    if found is None and content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        found = WEBP
    elif found is None and content.startswith(b"PK\x03\x04"):
        found = _office(content)
    extension = PurePosixPath(filename.lower()).suffix
    if found is None and content.startswith(_OLE2):
        # Word 97 and Excel 97 share a container; what is inside it is not parsed here, so
        # the extension says which of the two, once the content says it is one of them.
        found = next((k for k in (DOC, XLS) if extension in k.extensions), None)
    if found is None or extension not in found.extensions:
        return None
    return found


def base_name(filename: str) -> str:
    """The file's own name, without any folder a browser or an OS put before it."""
    return PureWindowsPath(PurePosixPath(filename).name).name
