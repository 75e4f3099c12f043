"""The forum page's ten sections fit the window: at 1400x900 and on a phone, in Hebrew and in
English, every tab lies inside its row of tabs and the row does not scroll sideways (Streamlit
hides what does not fit behind a scroll arrow; the stylesheet wraps the row instead)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from components.forum.views import EDITOR_TABS, TABS
from tests.support.browser import login, open_page, screenshot, set_language

SIZES = {"1400": (1400, 900), "phone": (390, 844)}
SECTIONS = len(TABS + EDITOR_TABS)  # the manager's

# Per row of tabs in the main area: how many tabs, how wide it scrolls against its width, and
# the tabs that stick out of it or out of the window.
_TAB_ROWS = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('.stMain [role="tablist"]')].map((row) => {
    const box = row.getBoundingClientRect();
    const tabs = [...row.querySelectorAll('[role="tab"]')];
    const out = tabs.filter((tab) => {
      const r = tab.getBoundingClientRect();
      return r.left < Math.max(box.left, 0) - 1 || r.right > Math.min(box.right, width) + 1;
    });
    return {
      tabs: tabs.length,
      scrolls: row.scrollWidth > row.clientWidth + 1,
      out: out.map((tab) => tab.innerText),
    };
  });
}"""


@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_forum_tabs_fit_the_window(browser: Browser, server: str, lang: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        login(page, server, "manager")
        set_language(page, lang)
        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            open_page(page, server, "forum")
            page.wait_for_selector('.stMain [role="tab"]', timeout=30_000)
            rows = page.evaluate(_TAB_ROWS)
            assert rows[0]["tabs"] == SECTIONS, rows
            for row in rows:
                assert not row["scrolls"] and row["out"] == [], (size, row)
            page.locator('.stMain [role="tablist"]').first.scroll_into_view_if_needed()
            screenshot(page, f"forum-tabs-{size}-{lang}")
    finally:
        context.close()
