"""The programme's portfolio in real Chromium, Hebrew then English: the page lands for the
programme user, reads right to left in Hebrew, passes axe, gives the table as Excel and as an
A4-landscape PDF in the reader's language, and leads to a locality's forum. Screenshots in
tests/artifacts/screenshots/."""

from __future__ import annotations

import io
import re
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from employdash.db import Database
from employdash.i18n import t
from tests.support import axe
from tests.support.browser import login, screenshot, set_language, wait_idle


def _programme_localities(db: Database) -> int:
    from sqlalchemy import func, select

    from employdash.models import Locality

    with db.transaction() as s:
        return int(s.scalar(select(func.count()).where(Locality.is_program.is_(True))) or 0)


def _ready(page: Page) -> None:
    page.wait_for_selector('[data-testid="stDataFrame"]', timeout=30_000)
    page.wait_for_selector('[data-testid="stVegaLiteChart"]', timeout=30_000)
    wait_idle(page)


def _download(page: Page, label: str) -> tuple[str, bytes]:
    with page.expect_download() as download:
        page.get_by_role("button", name=label).click()
    path = download.value.path()
    return download.value.suggested_filename, Path(path).read_bytes()


def _check_files(page: Page, lang: str, rows: int) -> None:
    name, data = _download(page, t("common.download_excel", lang))
    assert name.startswith("portfolio-") and name.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert bool(sheet.sheet_view.rightToLeft) is (lang == "he")
    assert sheet.cell(1, 1).value == t("portfolio.col.locality", lang)
    assert sheet.max_row == rows + 1
    name, data = _download(page, t("portfolio.download_pdf", lang))
    assert name.endswith(".pdf") and data.startswith(b"%PDF")
    pdf = PdfReader(io.BytesIO(data))
    box = pdf.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape
    assert round(float(box.width)) == 842
    text = "".join(p.extract_text() for p in pdf.pages)
    assert re.search("Sederot" if lang == "en" else "דרות", text)


def test_the_portfolio_in_hebrew_then_english(page: Page, server: str, e2e_db: Database) -> None:
    rows = _programme_localities(e2e_db)
    page.set_viewport_size({"width": 1500, "height": 3000})  # the charts in the screenshots
    login(page, server, "programme", lang="he")
    _ready(page)
    expect(page.get_by_role("heading", name=t("portfolio.title", "he"))).to_be_visible()
    assert page.eval_on_selector(".stMain", "el => getComputedStyle(el).direction") == "rtl"
    assert (
        page.locator('[data-testid="stVegaLiteChart"]').count() == 3
    )  # stages, attendance, on track
    findings = axe.scan(page, "portfolio/he") if axe.available() else []
    assert not findings, "\n".join(f.describe() for f in findings)
    screenshot(page, "portfolio_he")
    _check_files(page, "he", rows)

    set_language(page, "en")
    _ready(page)
    expect(page.get_by_role("heading", name=t("portfolio.title", "en"))).to_be_visible()
    findings = axe.scan(page, "portfolio/en") if axe.available() else []
    assert not findings, "\n".join(f.describe() for f in findings)
    screenshot(page, "portfolio_en")
    _check_files(page, "en", rows)

    # a locality's pages, from the portfolio: its forum opens on that locality
    page.locator(".stMain").get_by_role("link", name=t("page.forum", "en")).first.click()
    wait_idle(page)
    expect(page.get_by_role("heading", name=t("page.forum", "en"))).to_be_visible()
    assert "/forum" in page.url
    set_language(page, "he")
