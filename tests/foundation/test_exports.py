"""Exports cannot carry a formula into a spreadsheet."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from employdash.exports import neutralise, to_csv_bytes, to_excel_bytes

EVIL = pd.DataFrame(
    {
        "=cmd": ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tTAB", "שדרות"],
        "value": [1, 2, 3, 4, 5, 6],
    }
)

# Formulas hidden after a line break inside the cell, and the Hebrew/European separator.
HIDDEN = pd.DataFrame(
    {
        "plan": [
            "Plan\r=cmd|' /C calc'!A0",
            "Plan\n+1+1",
            "Plan\r\n@SUM(A1)",
            "a;b;=c",
            "x\r\r-2",
            "ok\nline",
        ],
        "n": [1, 2, 3, 4, 5, 6],
    }
)


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_neutralises_formulas_and_keeps_hebrew() -> None:
    data = to_csv_bytes(EVIL)
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == '"\'=cmd","value"'  # every field quoted, header guarded too
    rows = _rows(data)
    assert [r[0] for r in rows[1:6]] == [
        '\'=HYPERLINK("http://x")',
        "'+1+1",
        "'-2",
        "'@SUM(A1)",
        "'\tTAB",
    ]
    assert rows[6] == ["שדרות", "6"]


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("Plan\r=cmd|' /C calc'!A0", "Plan\r'=cmd|' /C calc'!A0"),
        ("Plan\n+1+1", "Plan\n'+1+1"),
        ("Plan\r\n@SUM(A1)", "Plan\r\n'@SUM(A1)"),
        ("x\r\r-2", "x\r'\r'-2"),
        ("ok\nline", "ok\nline"),
        ("a-b = c", "a-b = c"),  # only a line's start matters
    ],
)
def test_guard_applies_after_every_line_break(raw: str, safe: str) -> None:
    assert neutralise(raw) == safe


def test_csv_quotes_every_field_and_guards_inner_lines() -> None:
    data = to_csv_bytes(HIDDEN)
    text = data.decode("utf-8-sig")
    # No physical line of the file starts with a formula character, quoted or not.
    for line in text.replace("\r", "\n").split("\n"):
        assert not line.lstrip('"').startswith(("=", "+", "-", "@")), line
    rows = _rows(data)
    assert rows[4] == ["a;b;=c", "4"]  # `;` stays inside its quoted cell
    assert '"a;b;=c"' in text
    assert rows[1][0] == "Plan\r'=cmd|' /C calc'!A0"
    assert all(len(r) == 2 for r in rows)


def test_excel_cells_are_text_not_formulas() -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(EVIL, right_to_left=True)))
    sheet = book.active
    assert sheet.sheet_view.rightToLeft
    values = [sheet.cell(row=r, column=1).value for r in range(1, 8)]
    assert all(not str(v).startswith(("=", "+", "-", "@")) for v in values)
    assert sheet.cell(row=2, column=2).value == 1  # numbers stay numbers
    assert all(sheet.cell(row=r, column=1).data_type != "f" for r in range(1, 8))


def test_excel_guards_lines_inside_a_cell() -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(HIDDEN)))
    sheet = book.active
    for r in range(2, 8):
        value = str(sheet.cell(row=r, column=1).value)
        for line in value.replace("\r", "\n").split("\n"):
            assert not line.startswith(("=", "+", "-", "@")), value
        assert sheet.cell(row=r, column=1).data_type != "f"
