"""Exports cannot carry a formula into a spreadsheet."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest
from docx import Document as WordDocument
from sqlalchemy import select, update

from employdash.access import Actor
from employdash.db import Database
from employdash.exports import neutralise, to_csv_bytes, to_excel_bytes
from employdash.forum import meetings, minutes
from employdash.models import Person
from employdash.models.forum import Attendance, Forum, Meeting
from tests.forum.helpers import SEDEROT

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


# Every character a text cell may not carry: C0 controls but tab and the line breaks, DEL and the
# C1 controls, a noncharacter (an XML file refuses them; a lone surrogate is no text a frame, and
# so an export, can hold).
CONTROLS = "".join(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)))
UNSAFE = CONTROLS + "\x7f\x85\x9f\ufffe"
NAME = f"דנה{UNSAFE}כהן"


def test_excel_and_csv_exports_take_a_name_with_control_characters() -> None:
    frame = pd.DataFrame({f"שם{UNSAFE}": [NAME, f"={UNSAFE}cmd", "tab\tand\nline"], "n": [1, 2, 3]})
    book = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(frame, sheet=f"x{UNSAFE}[1]:*?/\\")))
    sheet = book.active
    assert [c.value for c in sheet[1]] == ["שם", "n"]
    assert [sheet.cell(row=r, column=1).value for r in (2, 3, 4)] == [
        "דנהכהן",
        "'=cmd",  # the formula guard still holds once the controls are out
        "tab\tand\nline",
    ]
    rows = _rows(to_csv_bytes(frame))
    assert rows[0] == ["שם", "n"]
    assert [r[0] for r in rows[1:]] == ["דנהכהן", "'=cmd", "tab\tand\nline"]


def test_a_stored_name_with_control_characters_exports_everywhere(
    db: Database, actors: dict[str, Actor]
) -> None:
    """A person's name saved with control characters (imported or saved before the boundary
    cleaned it) still gives the minutes in Word and PDF and the attendance in Excel and CSV."""
    manager = actors["manager"]
    with db.transaction() as s:
        meeting_id, person_id = s.execute(
            select(Attendance.meeting_id, Attendance.person_id)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .join(Forum, Forum.id == Meeting.forum_id)
            .where(Forum.locality_code == SEDEROT, Attendance.present)
            .limit(1)
        ).one()
        stored = NAME.replace("\x00", "")  # PostgreSQL text holds no NUL
        s.execute(update(Person).where(Person.id == person_id).values(full_name=stored))
    record = meetings.meeting_record(db, manager, meeting_id)
    assert stored in [p["name"] for p in record["present"]]
    words = "".join(p.text for p in WordDocument(io.BytesIO(minutes.docx(record, "he"))).paragraphs)
    assert "דנהכהן" in words
    assert minutes.pdf(record, "he").startswith(b"%PDF")
    frame = pd.DataFrame({"name": [p["name"] for p in record["present"]]})
    sheet = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(frame, right_to_left=True))).active
    assert "דנהכהן" in [c.value for c in sheet["A"]]
    assert ["דנהכהן"] in _rows(to_csv_bytes(frame))
