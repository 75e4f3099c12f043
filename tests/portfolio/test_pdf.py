"""The portfolio's PDF: the table with its caption, or, when it cannot be drawn, a page saying so
(it is made on the download request, where an exception would reach nobody)."""

from __future__ import annotations

import io
import logging
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader

from employdash.portfolio.pdf import portfolio_pdf

MADE = date(2026, 12, 7)


def _text(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_the_pdf_names_its_count_and_day_and_the_filters() -> None:
    text = _text(portfolio_pdf([], {}, "en", MADE, "District: South"))
    assert "0 localities, made on 07/12/2026" in text
    assert "District: South" in text


def test_a_table_that_cannot_be_drawn_gives_a_page_saying_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    broken: list[Any] = [object()]  # a row without the fields a row has
    with caplog.at_level(logging.ERROR):
        text = _text(portfolio_pdf(broken, {}, "en", MADE))
    assert "The file could not be made" in text
    assert "portfolio PDF not made" in caplog.text
