"""CSV and Excel exports that a spreadsheet cannot be tricked into running.

A cell beginning with = + - @ (or a tab / carriage return) is read by Excel and LibreOffice as a
formula, so text that starts that way gets a leading apostrophe (OWASP's advice). The same holds
for every line inside a cell: a program that splits a cell at its line breaks (or a CSV reader
that mishandles quoting) would otherwise meet `=cmd|...` at the start of a line, so the guard is
applied after each carriage return or line feed too. Every CSV field is quoted, so `;` (the
separator of Hebrew and European Excel), commas and line breaks stay inside their cell. Numbers
stay numbers. CSV is written with a BOM so Excel opens Hebrew as UTF-8.

Control characters are taken out of every text cell, header and sheet name first: the app cleans
what it stores, but a name imported or saved before that (a person's name with a stray \x01)
made the Excel writer refuse the whole file.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from employdash.limits import printable

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# What Excel refuses in a sheet's name (besides control characters), and its length.
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_NAME = 31

# A position at the start of the text or right after a line break, followed by a formula prefix.
_FORMULA_START = re.compile(r"(?:^|(?<=[\r\n]))(?=[=+\-@\t\r])")


def neutralise(value: object) -> object:
    """Text without control characters, with an apostrophe before every formula start (the
    cell's and each line's)."""
    if isinstance(value, str):
        return _FORMULA_START.sub("'", printable(value))
    return value


def sheet_name(name: str) -> str:
    """A name Excel takes for a sheet: no control or forbidden characters, at most 31 long."""
    return _SHEET_NAME_FORBIDDEN.sub("", printable(name))[:MAX_SHEET_NAME] or "data"


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
    title = sheet_name(sheet)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe_frame(frame).to_excel(writer, index=False, sheet_name=title)
        if right_to_left:
            writer.sheets[title].sheet_view.rightToLeft = True
    return buffer.getvalue()
