"""Data tables leave a missing value empty instead of Streamlit's "None" (an English word in a
Hebrew table that reads as data), and every table goes through the one helper that says so."""

from __future__ import annotations

import re

from tests.support.apptest import ROOT, app_as

DIRECT = re.compile(r"\bst\.dataframe\(")


def test_a_page_s_tables_show_missing_values_as_empty_cells(app_db: str) -> None:
    at = app_as("programme", "pages/portfolio.py")
    assert not at.exception
    tables = at.dataframe
    assert tables, "the portfolio shows its table"
    for table in tables:
        assert table.proto.HasField("placeholder") and table.proto.placeholder == ""
    shown = tables[0].value
    assert shown.isna().any().any(), "the demo portfolio has empty cells (no forum yet)"


def test_no_table_is_drawn_around_the_helper() -> None:
    drawn_directly = [
        str(path.relative_to(ROOT))
        for folder in ("components", "pages")
        for path in (ROOT / folder).rglob("*.py")
        if DIRECT.search(path.read_text()) and path != ROOT / "components/common/tables.py"
    ]
    assert not drawn_directly, drawn_directly
