"""The briefing's PDF after a partial import (one measure), downloaded in real Chromium: the click
that did nothing (an empty chart the converter refused) gives the PDF, with the measure in it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from pypdf import PdfReader
from sqlalchemy import delete

from employdash.db import Database
from employdash.i18n import fmt_number, t
from employdash.indicators import values as indicators
from employdash.models.indicators import IndicatorValue
from tests.support.browser import login, wait_idle

SEDEROT = 1031


@pytest.fixture(scope="module")
def e2e_database_url(e2e_database_url: str) -> str:
    """The demo with job seekers as the only measure ever imported."""
    url = e2e_database_url
    db = Database(url)
    with db.transaction() as s:
        s.execute(delete(IndicatorValue).where(IndicatorValue.indicator_code != "job_seekers"))
    db.dispose()
    return url


def test_the_mayor_downloads_the_pdf_of_a_partial_import(
    browser: Browser, server: str, e2e_db: Database
) -> None:
    with e2e_db.transaction() as s:
        latest = indicators.latest_value(s, SEDEROT, "job_seekers")
    assert latest is not None
    _, seekers = latest
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    try:
        login(page, server, "mayor", lang="he")
        wait_idle(page)
        button = page.get_by_role("button", name=t("brief.download_pdf", "he"))
        expect(button).to_be_enabled(timeout=30_000)
        with page.expect_download(timeout=90_000) as download:
            button.click()
        assert not page.locator('[data-testid="stDownloadButtonError"]').count()
        path = download.value.path()
        reader = PdfReader(io.BytesIO(Path(path).read_bytes()))
        text = reader.pages[0].extract_text()
        assert fmt_number(seekers, "he") in text
        assert t("brief.section.forum", "he") in text
        assert reader.pages[0].images  # the job seekers' trend
    finally:
        context.close()
