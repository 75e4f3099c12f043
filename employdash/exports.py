"""CSV and Excel exports that a spreadsheet cannot be tricked into running.

A cell beginning with = + - @ (or a tab / carriage return) is read by Excel and LibreOffice as a
formula, so text cells starting that way get a leading apostrophe (OWASP's advice). Numbers stay
numbers. CSV is written with a BOM so Excel opens Hebrew as UTF-8.
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    safe = frame.copy()
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    return safe


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


def to_excel_bytes(frame: pd.DataFrame, sheet: str = "data", right_to_left: bool = False) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe_frame(frame).to_excel(writer, index=False, sheet_name=sheet[:31])
        if right_to_left:
            writer.sheets[sheet[:31]].sheet_view.rightToLeft = True
    return buffer.getvalue()
