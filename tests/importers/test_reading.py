"""The one reader behind every importer: encodings, title lines, Excel cells, line numbers."""

from __future__ import annotations

from datetime import date

import pytest

from employdash.errors import ValidationError
from employdash.i18n import has_key
from employdash.reading import read_table, records
from tests.importers.uploads import KINDS, first_line, upload

HEADER = ("יישוב", "תאריך", "משרות פנויות")
ROWS = (("שדרות", date(2026, 6, 1), 12), ("נתיבות", date(2026, 6, 2), None))
ENCODING = {"cp1255": "cp1255", "bom_title": "utf-8-sig", "xlsx": "xlsx"}


@pytest.mark.parametrize("kind", KINDS)
def test_hebrew_header_rows_and_lines_in_every_kind_of_file(kind: str) -> None:
    table = read_table(*upload(kind, HEADER, ROWS))
    assert table.header == list(HEADER)
    assert table.encoding == ENCODING[kind]
    start = first_line(kind)
    assert table.lines == [start, start + 1]
    found = records(table)
    assert [line for line, _ in found] == table.lines
    assert [cells["יישוב"] for _, cells in found] == ["שדרות", "נתיבות"]
    # a workbook keeps its dates and numbers; a CSV gives the text the file holds
    expected = (date(2026, 6, 1), 12) if kind == "xlsx" else ("2026-06-01", "12")
    assert (found[0][1]["תאריך"], found[0][1]["משרות פנויות"]) == expected
    assert found[1][1]["משרות פנויות"] == (None if kind == "xlsx" else "")


def test_records_pad_short_rows_and_drop_cells_past_the_header() -> None:
    data = "קוד,שלב,תאריך\nA-1,הופנו\nA-2,סוננו,2026-01-01,extra\n".encode()
    assert records(read_table("x.csv", data)) == [
        (2, {"קוד": "A-1", "שלב": "הופנו", "תאריך": None}),
        (3, {"קוד": "A-2", "שלב": "סוננו", "תאריך": "2026-01-01"}),
    ]


def test_semicolons_and_blank_lines_keep_file_line_numbers() -> None:
    data = b"code;stage\n\nA-1;referred\n"
    assert records(read_table("x.csv", data)) == [(3, {"code": "A-1", "stage": "referred"})]


@pytest.mark.parametrize(
    ("filename", "data", "key"),
    [
        ("x.csv", b"", "import.error.empty"),
        ("x.csv", "כותרת בלבד\n".encode(), "import.error.empty"),
        ("x.xlsx", b"PK\x03\x04 not a workbook", "import.error.unreadable"),
    ],
)
def test_unusable_files_are_refused_with_the_shared_keys(filename, data, key) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as err:
        read_table(filename, data)
    assert err.value.fields == {"file": key}
    assert has_key(key)
