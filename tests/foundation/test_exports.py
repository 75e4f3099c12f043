"""Exports cannot carry a formula into a spreadsheet."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from employdash.exports import to_csv_bytes, to_excel_bytes

EVIL = pd.DataFrame(
    {
        "=cmd": ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tTAB", "שדרות"],
        "value": [1, 2, 3, 4, 5, 6],
    }
)


def test_csv_neutralises_formulas_and_keeps_hebrew() -> None:
    text = to_csv_bytes(EVIL).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "'=cmd,value"
    assert lines[1].startswith("\"'=HYPERLINK")
    assert [line.split(",")[0] for line in lines[2:6]] == ["'+1+1", "'-2", "'@SUM(A1)", "'\tTAB"]
    assert lines[6] == "שדרות,6"


def test_excel_cells_are_text_not_formulas() -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(EVIL, right_to_left=True)))
    sheet = book.active
    assert sheet.sheet_view.rightToLeft
    values = [sheet.cell(row=r, column=1).value for r in range(1, 8)]
    assert all(not str(v).startswith(("=", "+", "-", "@")) for v in values)
    assert sheet.cell(row=2, column=2).value == 1  # numbers stay numbers
    assert all(sheet.cell(row=r, column=1).data_type != "f" for r in range(1, 8))
