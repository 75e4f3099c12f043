"""The year summary in real Chromium: read on the forum page, then downloaded as PDF and Word in
Hebrew and English, internal and for publication; screenshots and the PDFs' first pages kept."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from docx import Document
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.support.browser import login, open_page, screenshot, set_language, wait_idle

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "year_summary"
LABELS = {
    "he": {"tab": "סיכום שנתי", "publication": "לפרסום (ללא שמות)"},
    "en": {"tab": "Year summary", "publication": "For publication (no names)"},
}
BUTTONS = {
    "he": ("PDF בעברית", "Word בעברית", "PDF באנגלית", "Word באנגלית"),
    "en": ("PDF in Hebrew", "Word in Hebrew", "PDF in English", "Word in English"),
}


def _download(page: Page, label: str) -> tuple[str, bytes]:
    """The file a download button gives. Each download reruns the page: the next click waits for
    that run to end, or it can land on a button the run is replacing and start no download."""
    wait_idle(page)
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("button", name=label, exact=True).click()
    path = download.value.path()
    return download.value.suggested_filename, Path(path).read_bytes()


def _first_page_png(pdf: bytes, name: str) -> None:
    """The PDF's first page as PNG, to look at (pdftoppm from poppler, when installed)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "70",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            source,
            source.with_suffix(""),
        ],
        check=False,
    )


def _open_summary(page: Page, lang: str) -> None:
    page.get_by_role("tab", name=LABELS[lang]["tab"]).click()
    wait_idle(page)


def test_the_manager_reads_and_downloads_the_year_summary(page: Page, server: str) -> None:
    login(page, server, "manager", lang="he")
    open_page(page, server, "forum")
    page.wait_for_selector('[role="tab"]', timeout=30_000)
    for lang in ("he", "en"):
        if lang == "en":
            set_language(page, "en")
            page.wait_for_selector('[role="tab"]', timeout=30_000)
        _open_summary(page, lang)
        heading = "מפגשים ונוכחות" if lang == "he" else "Meetings held and attendance"
        expect(page.get_by_text(heading).first).to_be_visible()
        screenshot(page, f"year_summary_{lang}")
        for label, (doc_lang, kind) in zip(
            BUTTONS[lang],
            (("he", "pdf"), ("he", "docx"), ("en", "pdf"), ("en", "docx")),
            strict=True,
        ):
            name, data = _download(page, label)
            assert name.endswith(f"internal_{doc_lang}.{kind}"), name
            if kind == "pdf":
                text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
                assert ("מפגשים" if doc_lang == "he" else "Meetings held") in text
                _first_page_png(data, f"internal_{doc_lang}_from_{lang}")
            else:
                paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs]
                assert ("Year summary" if doc_lang == "en" else "סיכום שנתי") in paragraphs[0]
    page.get_by_text(LABELS["en"]["publication"], exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("for publication").first).to_be_visible()
    screenshot(page, "year_summary_publication_en")
    name, data = _download(page, BUTTONS["en"][0])
    assert name.endswith("publication_he.pdf"), name
    _first_page_png(data, "publication_he")
