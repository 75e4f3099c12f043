"""Uploads are bounded by bytes, rows, columns, cell length and the size a workbook expands to,
and a hostile file is refused quickly with a message in the user's language (a
340 KiB xlsx expanded to 2 million rows in 84 s, a 300 KiB one to a 300 MiB header)."""

from __future__ import annotations

import time

import pytest

from employdash.errors import ValidationError
from employdash.i18n import t
from employdash.limits import FORM_UPLOAD, INDICATOR_UPLOAD, MAX_EXCEL_ROWS, UploadLimits
from employdash.reading import read_table
from tests.importers import hostile


def refusal(data: bytes, filename: str = "x.xlsx", limits: UploadLimits = FORM_UPLOAD) -> str:
    """The refusal's message in English, with its placeholders filled."""
    with pytest.raises(ValidationError) as err:
        read_table(filename, data, limits)
    key = err.value.fields["file"]
    return t(key, "en", **err.value.field_params.get("file", {}))


@pytest.fixture(scope="module")
def two_million_rows() -> bytes:
    return hostile.many_rows(2_000_000)


@pytest.mark.parametrize("limits", [FORM_UPLOAD, INDICATOR_UPLOAD], ids=["form", "indicators"])
def test_a_small_workbook_of_two_million_rows_is_refused_quickly(
    two_million_rows: bytes, limits: UploadLimits
) -> None:
    assert len(two_million_rows) < 1024 * 1024  # small on disk
    started = time.perf_counter()
    message = refusal(two_million_rows, limits=limits)
    elapsed = time.perf_counter() - started
    assert elapsed < 10, elapsed
    assert "expands" in message or "Too many rows" in message


def test_rows_past_the_cap_are_refused_while_streaming() -> None:
    # small enough to pass the expanded-size check: the row count stops it
    data = hostile.many_rows(MAX_EXCEL_ROWS + 10)
    started = time.perf_counter()
    message = refusal(data, limits=INDICATOR_UPLOAD)
    assert time.perf_counter() - started < 15
    assert message == f"Too many rows: at most {MAX_EXCEL_ROWS} rows a file."


def test_a_workbook_with_a_300_mib_header_is_refused_before_it_is_read() -> None:
    data = hostile.huge_header(300)
    assert len(data) < 1024 * 1024
    started = time.perf_counter()
    message = refusal(data, limits=INDICATOR_UPLOAD)
    assert time.perf_counter() - started < 2
    assert message.startswith("The workbook expands to too much data")


def test_a_value_in_the_sheets_last_column_does_not_widen_every_row() -> None:
    # openpyxl would pad the row to 16,384 cells; the reader stops at the column cap (cells
    # past the header are dropped by every importer anyway)
    table = read_table("x.xlsx", hostile.far_column())
    assert table.header == ["code", "stage", "date"]
    assert table.rows == [] or all(len(r) <= FORM_UPLOAD.max_columns + 1 for r in table.rows)


def test_too_many_columns_are_refused() -> None:
    wide = ",".join(f"c{i}" for i in range(FORM_UPLOAD.max_columns + 1)).encode() + b"\n"
    message = refusal(wide + b"1,2\n", "x.csv")
    assert message == f"Too many columns: at most {FORM_UPLOAD.max_columns}."


def test_a_long_cell_is_refused_with_its_line() -> None:
    message = refusal(hostile.one_cell("x" * (FORM_UPLOAD.max_cell_chars + 1)))
    assert message.startswith("A cell is too long (line 2)")
    csv_data = ("code,stage\nA-1," + "y" * 200_000 + "\n").encode()
    assert refusal(csv_data, "x.csv").startswith("A cell is too long (line 2)")


def test_bytes_and_rows_of_a_csv_are_bounded() -> None:
    small = UploadLimits(max_bytes=1000, max_rows=3, max_unzipped_bytes=10_000)
    with pytest.raises(ValidationError) as err:
        read_table("x.csv", b"a,b\n" + b"1,2\n" * 300, small)
    assert err.value.fields == {"file": "import.error.too_large"}
    with pytest.raises(ValidationError) as err:
        read_table("x.csv", b"a,b\n" + b"1,2\n" * 4, small)
    assert err.value.fields == {"file": "import.error.too_many_rows"}
    assert len(read_table("x.csv", b"a,b\n" + b"1,2\n" * 3, small).rows) == 3


def test_the_refusal_reads_in_hebrew_too() -> None:
    wide = ",".join(f"c{i}" for i in range(FORM_UPLOAD.max_columns + 1)).encode()
    with pytest.raises(ValidationError) as err:
        read_table("x.csv", wide)
    text = t(err.value.fields["file"], "he", **err.value.field_params["file"])
    assert "עמודות" in text and str(FORM_UPLOAD.max_columns) in text
