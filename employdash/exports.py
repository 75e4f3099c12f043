"""CSV and Excel exports that a spreadsheet cannot be tricked into running.

A cell beginning with = + - @ (or a tab / carriage return) is read by Excel and LibreOffice as a
formula, so text that starts that way gets a leading apostrophe (OWASP's advice). The same holds
for every line inside a cell: a program that splits a cell at its line breaks (or a CSV reader
that mishandles quoting) would otherwise meet `=cmd|...` at the start of a line, so the guard is
applied after each carriage return or line feed too. Every CSV field is quoted, so `;` (the
separator of Hebrew and European Excel), commas and line breaks stay inside their cell. Numbers
stay numbers. CSV is written with a BOM so Excel opens Hebrew as UTF-8.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# A position at the start of the text or right after a line break, followed by a formula prefix.
_FORMULA_START = re.compile(r"(?:^|(?<=[\r\n]))(?=[=+\-@\t\r])")


def neutralise(value: object) -> object:
    """Text with an apostrophe before every formula start (the cell's and each line's)."""
    if isinstance(value, str):
        return _FORMULA_START.sub("'", value)
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    safe = frame.copy()
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    return safe


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    text: str = safe_frame(frame).to_csv(index=False, quoting=csv.QUOTE_ALL)
    return text.encode("utf-8-sig")


def to_excel_bytes(frame: pd.DataFrame, sheet: str = "data", right_to_left: bool = False) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe_frame(frame).to_excel(writer, index=False, sheet_name=sheet[:31])
        if right_to_left:
            writer.sheets[sheet[:31]].sheet_view.rightToLeft = True
    return buffer.getvalue()
