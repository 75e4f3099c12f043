"""`make screenshots`: every page each demo role sees, in Hebrew and English, at desktop width,
phone width (390 px) and 200% zoom, saved under tests/artifacts/screenshots/pages/ to be looked at.

200% zoom is a 1280x1000 window zoomed in: 640x500 CSS pixels drawn at two device pixels each,
which is what the browser lays out when a user zooms (WCAG 1.4.4).

Kept out of the tests on purpose: a test fails only for what it asserts, and looking at pages is a
person's job, not a timeout's.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page

from components.shell.navigation import DEFAULT_PAGE, pages_for
from tests.support.browser import (
    SCREENSHOTS,
    app_server,
    chromium,
    login,
    login_cookie,
    open_page,
    wait_idle,
)
from tests.support.databases import build_sqlite_template, copy_sqlite

USERS = {
    "admin": "admin",
    "leadership": "mayor",
    "manager": "manager",
    "member": "member",
    "programme": "programme",
}
# name: (width, height, device pixels per CSS pixel)
WIDTHS = {"desktop": (1400, 1000, 1), "phone": (390, 844, 1), "zoom200": (640, 500, 2)}


def choose_english(page: Page) -> None:
    """The language buttons are in the sidebar, which a small screen starts with collapsed."""
    open_sidebar(page)
    page.locator('[data-testid="stSidebar"] button', has_text="English").first.click()
    wait_idle(page)


def open_sidebar(page: Page) -> None:
    """Expand the sidebar when it is off screen (collapsed); it is never hidden, only moved."""
    off_screen = "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect()"
    if page.evaluate(off_screen + ".right <= 1"):
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        page.wait_for_function(off_screen + ".left >= 0")


def main(roles: list[str], widths: list[str] | None = None, langs: list[str] | None = None) -> None:
    out = SCREENSHOTS / "pages"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = copy_sqlite(build_sqlite_template(Path(tmp)), Path(tmp) / "shots.db")
        with app_server(url) as server, chromium() as browser:
            warm = browser.new_page()  # the first run of a fresh server is slow: not a timeout
            warm.goto(server + "/")
            wait_idle(warm, timeout=180_000)
            warm.close()
            for role in roles:
                for lang in langs or ("he", "en"):
                    for width, (w, h, scale) in WIDTHS.items():
                        if widths and width not in widths:
                            continue
                        context = browser.new_context(
                            viewport={"width": w, "height": h}, device_scale_factor=scale
                        )
                        page = context.new_page()
                        login(page, server, USERS[role])
                        if lang == "en":
                            choose_english(page)
                        # Pages are opened by URL: only once the login cookie is written (the
                        # browser's jar: the page's scripts cannot read it).
                        login_cookie(context)
                        for spec in pages_for(role):
                            name = Path(spec.path).stem
                            # The default page is served at "/"; its own name finds no page.
                            default = spec.path == DEFAULT_PAGE[role]
                            open_page(page, server, "" if default else name)
                            wait_idle(page)
                            target = out / f"{role}_{name}_{lang}_{width}.png"
                            # Streamlit scrolls inside its main area, so a "full page" shot is
                            # the viewport: grow it to the content's height (same width, same
                            # layout) for the shot, then back.
                            tall = page.evaluate(
                                "() => document.querySelector('[data-testid=stMain]').scrollHeight"
                            )
                            page.set_viewport_size({"width": w, "height": min(max(h, tall), 8000)})
                            page.wait_for_timeout(300)
                            page.screenshot(path=str(target), full_page=True)
                            page.set_viewport_size({"width": w, "height": h})
                            print(target, flush=True)
                        context.close()


if __name__ == "__main__":
    # `make screenshots ROLES="manager zoom200 en"`: roles and, optionally, sizes and languages.
    args = sys.argv[1:]
    main(
        [a for a in args if a in USERS] or list(USERS),
        [a for a in args if a in WIDTHS],
        [a for a in args if a in ("he", "en")],
    )
