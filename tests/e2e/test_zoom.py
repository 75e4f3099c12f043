"""Zoom and small screens (WCAG 1.4.4 and 1.4.10): at phone width (390 px) and at 200% zoom, no
page is wider than the screen and nothing sticks out of it, in Hebrew and in English.

200% zoom of a 1280x800 window is what the browser lays out then: 640x400 CSS pixels, each drawn
with two device pixels. The admin sees every page, opened from the menu as a person on a phone
would (a page opened by URL instead costs a whole load of the app in the browser, four times the
browser work of a menu click, sixty times a run). Content that is meant to scroll sideways inside
its own box (tables, the data grid, charts) may be wider than the screen; its box may not.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from components.shell.navigation import DEFAULT_PAGE, STATEMENT, pages_for
from tests.support.browser import login, login_cookie, open_page, wait_idle

SIZES = {"phone": (390, 844, 1), "zoom200": (640, 400, 2)}
# The menu links' targets; the role's default page is served at "/" (its own name finds no page).
PAGES = [
    "" if spec.path == DEFAULT_PAGE["admin"] else Path(spec.path).stem
    for spec in pages_for("admin")
] + [Path(STATEMENT.path).stem]
_SIDEBAR_OPEN = """() => {
  const box = document.querySelector('[data-testid="stSidebar"]').getBoundingClientRect();
  return box.width > 0 && box.right > 1 && box.left < document.documentElement.clientWidth - 1;
}"""

# Every visible element must lie within the viewport, unless an ancestor scrolls sideways (then
# that ancestor is checked instead). The sidebar counts only while it is open.
_OVERFLOW = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const found = [];
  if (root.scrollWidth > width + 1) found.push(`document ${root.scrollWidth} > ${width}`);
  const scrollsSideways = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (/(auto|scroll)/.test(s.overflowX) || a.matches('[data-testid="stDataFrame"] *')) {
        return true;
      }
    }
    return false;
  };
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  const box = sidebar && sidebar.getBoundingClientRect();
  const sidebarOpen = !!box && box.width > 0 && box.right > 1 && box.left < width - 1;
  for (const el of document.querySelectorAll('.stMain *, [data-testid="stSidebar"] *')) {
    if (!sidebarOpen && sidebar && sidebar.contains(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.position === 'fixed') continue;
    if (r.left < -1 || r.right > width + 1) {
      if (scrollsSideways(el)) continue;
      const id = el.getAttribute('data-testid') || el.className || el.tagName;
      found.push(`${id} [${Math.round(r.left)}, ${Math.round(r.right)}] ${
        (el.innerText || '').slice(0, 40)}`);
    }
  }
  // Text cut off inside its own box (a menu label clipped without wrapping).
  for (const el of document.querySelectorAll('.stMain *, [data-testid="stSidebar"] *')) {
    if (!sidebarOpen && sidebar && sidebar.contains(el)) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const skip = 'input, textarea, [data-baseweb="select"], [data-testid="stDataFrame"]';
    if (!own || el.closest(skip)) continue;
    const s = getComputedStyle(el);
    if (/(hidden|clip)/.test(s.overflowX) && el.scrollWidth > el.clientWidth + 1) {
      found.push(`cut off: ${el.getAttribute('data-testid') || el.tagName} "${
        el.textContent.trim().slice(0, 40)}"`);
    }
  }
  return found.slice(0, 8);
}"""


@pytest.fixture(scope="module", params=list(SIZES))
def sized(request: pytest.FixtureRequest, browser: Browser, server: str) -> Iterator[Page]:
    width, height, scale = SIZES[request.param]
    context = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=scale
    )
    page = context.new_page()
    login(page, server, "admin")
    # The login cookie is set a moment after the login: a page opened by URL before that would
    # be a new session without it.
    login_cookie(context)
    yield page
    context.close()


def _language(page: Page, server: str, lang: str) -> None:
    """Choose the language (saved for the user, so every page opened after is in it) on a wide
    screen, with the menu open, then go back to the small one."""
    size = page.viewport_size
    assert size is not None
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_page(page, server, "")
    _menu(page, open_=True)
    label = "English" if lang == "en" else "עברית"
    page.locator('[data-testid="stSidebar"] button', has_text=label).first.click()
    wait_idle(page)
    page.set_viewport_size(size)
    open_page(page, server, "")
    _menu(page, open_=False)


def _menu(page: Page, open_: bool) -> None:
    """Open or close the menu (Streamlit remembers a person's choice across page loads)."""
    if page.evaluate(_SIDEBAR_OPEN) == open_:
        return
    if open_:
        page.locator('[data-testid="stExpandSidebarButton"]').click()
    else:  # the close button shows while the pointer is over the menu
        page.locator('[data-testid="stSidebar"]').hover()
        page.locator('[data-testid="stSidebarCollapseButton"] button').click()
    page.wait_for_function(f"() => ({_SIDEBAR_OPEN})() === {str(open_).lower()}")


def _from_menu(page: Page, name: str) -> None:
    """Follow the page's link in the menu, then close it (on a small screen it stays open over
    the page after a link is followed)."""
    _menu(page, open_=True)
    page.locator(
        f'[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"][href="{name}"]'
    ).click()
    wait_idle(page)
    _menu(page, open_=False)


@pytest.mark.parametrize("lang", ["he", "en"])
def test_no_page_is_wider_than_a_small_or_zoomed_screen(
    sized: Page, server: str, lang: str
) -> None:
    _language(sized, server, lang)
    problems = {}
    for name in PAGES:
        _from_menu(sized, name)
        found = sized.evaluate(_OVERFLOW)
        if found:
            problems[name or "(default page)"] = found
    assert not problems, problems
