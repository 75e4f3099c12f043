"""The briefing and the explorer in real Chromium, Hebrew and English, with screenshots."""

from __future__ import annotations

from playwright.sync_api import Error, Page, expect

from tests.support.browser import login, open_page, screenshot, set_language, wait_idle


def _login(page: Page, server: str, username: str) -> None:
    """The shared login helper can lose the typed username to the cookie component's first
    rerun on a loaded machine; try again rather than fail on that race."""
    for _ in range(2):
        try:
            login(page, server, username, lang="he")
            return
        except Error:
            page.goto("about:blank")
    login(page, server, username, lang="he")


def _view(page: Page, name: str) -> None:
    page.locator('[data-testid="stButtonGroup"] button', has_text=name).first.click()
    wait_idle(page)
    page.wait_for_selector('[data-testid="stVegaLiteChart"]', timeout=30_000)


def _metric_values(page: Page) -> list[str]:
    return page.locator('[data-testid="stMetricValue"]').all_inner_texts()


def test_mayor_briefing_in_hebrew_then_english(page: Page, server: str) -> None:
    _login(page, server, "mayor")
    page.set_viewport_size({"width": 1400, "height": 1800})  # the whole briefing in one shot
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=30_000)
    page.wait_for_selector(
        '[data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] canvas',
        timeout=30_000,
    )
    wait_idle(page)
    expect(page.get_by_role("heading", name="תדריך: שדרות")).to_be_visible()
    expect(page.get_by_text("דורש את תשומת לבך")).to_be_visible()
    assert len(_metric_values(page)) >= 6
    direction = page.eval_on_selector(".stMain", "el => getComputedStyle(el).direction")
    assert direction == "rtl"
    screenshot(page, "briefing_he")

    set_language(page, "en")
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=30_000)
    wait_idle(page)
    expect(page.get_by_role("heading", name="Briefing: Sederot")).to_be_visible()
    expect(page.get_by_text("Needs your attention")).to_be_visible()
    screenshot(page, "briefing_en")

    page.get_by_text("Print view", exact=True).click()
    wait_idle(page)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    screenshot(page, "briefing_print_en")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF (A4)").click()
    assert download.value.suggested_filename.endswith("-en.pdf")
    page.get_by_text("Print view", exact=True).click()
    wait_idle(page)
    set_language(page, "he")


def test_explorer_in_both_languages(page: Page, server: str) -> None:
    _login(page, server, "manager")
    open_page(page, server, "explorer")
    page.wait_for_selector('[data-testid="stVegaLiteChart"]', timeout=30_000)
    wait_idle(page)
    screenshot(page, "explorer_he")
    _view(page, "מפה")
    wait_idle(page)
    screenshot(page, "explorer_map_he")
    set_language(page, "en")
    page.wait_for_selector('[data-testid="stVegaLiteChart"]', timeout=30_000)
    wait_idle(page)
    screenshot(page, "explorer_en")
    _view(page, "Breakdowns")
    wait_idle(page)
    screenshot(page, "explorer_breakdowns_en")
    set_language(page, "he")
