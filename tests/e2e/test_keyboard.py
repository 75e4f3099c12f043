"""Two journeys with the keyboard only, in real Chromium, with a visible focus ring at every stop.

(a) The manager logs in, opens the briefing, switches the locality and exports the PDF.
(b) A member marks one of their tasks done and changes the progress of another. Tasks have no notes
    in this app (no note field exists), so the second edit is the other field a member may change.

No mouse: focus moves with Tab, choices with typing and Enter/Space. At each stop the focused
element (or the input's frame) must draw an outline at least 2 px wide.
"""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from employdash.db import Database
from employdash.models.forum import Task
from tests.support.browser import wait_idle

_FOCUS_RING = """() => {
  let el = document.activeElement;
  for (let depth = 0; el && depth < 4; el = el.parentElement, depth++) {
    const s = getComputedStyle(el);
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) return true;
  }
  return false;
}"""


def tab_to(page: Page, predicate: str, limit: int = 120) -> None:
    """Press Tab until `predicate` (JS over `el`, the focused element) holds; check the ring."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            f"() => {{ const el = document.activeElement; return !!el && ({predicate}); }}"
        ):
            assert page.evaluate(_FOCUS_RING), f"no visible focus ring on {predicate}"
            return
    raise AssertionError(f"Tab never reached {predicate}")


def arrow_to(page: Page, predicate: str) -> None:
    """Inside a group with one tab stop, move with the arrow keys until `predicate` holds."""
    check = f"() => {{ const el = document.activeElement; return !!el && ({predicate}); }}"
    for key in ("ArrowRight", "ArrowLeft"):
        for _ in range(6):
            if page.evaluate(check):
                assert page.evaluate(_FOCUS_RING), f"no visible focus ring on {predicate}"
                return
            page.keyboard.press(key)
    raise AssertionError(f"arrows never reached {predicate}")


def _keyboard_login(page: Page, base: str, username: str) -> None:
    page.goto(base + "/")
    wait_idle(page)
    for _ in range(3):
        page.locator("body").focus()
        tab_to(page, "el.matches('[data-testid=stForm] input[type=text]')")
        page.keyboard.press("Control+A")
        page.keyboard.type(username)
        tab_to(page, "el.matches('[data-testid=stForm] input[type=password]')")
        page.keyboard.press("Control+A")
        page.keyboard.type("demo")
        # A late rerun of the login page can wipe what was typed: check before submitting.
        form = page.locator('[data-testid="stForm"]').first
        if form.locator('input[type="text"]').first.input_value() != username:
            wait_idle(page)
            continue
        page.keyboard.press("Enter")
        try:
            page.wait_for_selector(".st-key-nav", state="attached", timeout=30_000)
            break
        except PlaywrightTimeout:
            wait_idle(page)
    else:
        raise AssertionError(f"could not log in as {username} with the keyboard")
    wait_idle(page)


def test_skip_link_is_first_in_the_users_language_and_moves_focus(
    browser: Browser, server: str
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(server + "/")
        wait_idle(page)
        page.locator("body").focus()
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.textContent")
        assert focused == "דילוג לתוכן הראשי"
        assert page.evaluate(_FOCUS_RING)
        expect(page.locator('[data-testid="stSkipToContent"]')).to_be_visible()
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "stMain"
        assert page.evaluate("() => document.documentElement.lang") == "he"
    finally:
        context.close()


def test_keyboard_login_briefing_locality_pdf(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    try:
        _keyboard_login(page, server, "manager")
        page.locator("body").focus()
        tab_to(page, "el.matches('.st-key-nav a') && el.textContent.includes('תדריך')")
        page.keyboard.press("Enter")
        wait_idle(page)
        assert page.url.rstrip("/").endswith(("/briefing", server.rstrip("/")))
        assert page.locator(".st-key-nav a[aria-current=page]").inner_text().endswith("תדריך")

        tab_to(page, "el.matches('[data-testid=stSidebar] input[role=combobox]')")
        page.keyboard.type("שדרות")
        page.keyboard.press("Enter")
        wait_idle(page)
        picker = page.locator('[data-testid="stSidebar"] input[role="combobox"]')
        assert picker.input_value() == "שדרות"
        expect(page.locator(".stMain").get_by_text("שדרות").first).to_be_visible()
        # The button is drawn (and enabled) once the run that switched the locality finished.
        button = page.locator('[data-testid="stDownloadButton"] button')
        expect(button).to_be_enabled(timeout=30_000)
        tab_to(page, "!!el.closest('[data-testid=stDownloadButton]')", limit=200)
        # The PDF is built on the server when asked for: generous under a loaded machine, bounded.
        with page.expect_download(timeout=90_000) as download:
            page.keyboard.press("Enter")
        name = download.value.suggested_filename
        assert not page.locator('[data-testid="stDownloadButtonError"]').count()
        assert name.endswith("-he.pdf") and name.startswith("briefing-")
    finally:
        context.close()


def _tasks(db: Database) -> dict[int, tuple[str, int]]:
    """Every task's (status, progress): exactly the ones the member changed must differ."""
    with db.transaction() as s:
        return {t.id: (t.status, t.progress) for t in s.scalars(select(Task)).all()}


def test_keyboard_member_marks_task_done_and_sets_progress(
    browser: Browser, server: str, e2e_db: Database
) -> None:
    before = _tasks(e2e_db)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        _keyboard_login(page, server, "member")  # lands on "my tasks"
        page.locator("body").focus()
        # The first open task's status control (one tab stop; arrows move inside it): "done".
        tab_to(
            page,
            "el.tagName === 'BUTTON' && !!el.closest('[data-testid=stExpander]')"
            " && !!el.closest('[data-testid=stButtonGroup]')"
            " && el.closest('[data-testid=stButtonGroup]').textContent.includes('הושלמה')",
        )
        arrow_to(page, "el.textContent.includes('הושלמה')")
        page.keyboard.press("Space")
        wait_idle(page)
        after = _tasks(e2e_db)
        done = [tid for tid in after if after[tid] != before[tid]]
        assert len(done) == 1 and after[done[0]][0] == "done"
        # Then another open task's progress: 50%.
        page.locator("body").focus()
        tab_to(
            page,
            "el.tagName === 'BUTTON' && !!el.closest('[data-testid=stExpander]')"
            " && !!el.closest('[data-testid=stButtonGroup]')"
            " && el.closest('[data-testid=stButtonGroup]').textContent.includes('50%')"
            " && !el.closest('[data-testid=stButtonGroup]').textContent.includes('הושלמה')",
        )
        arrow_to(page, "el.textContent.trim() === '50%'")
        page.keyboard.press("Space")
        wait_idle(page)
        final = _tasks(e2e_db)
        changed = [tid for tid in final if final[tid] != after[tid]]
        assert len(changed) == 1 and final[changed[0]][1] == 50
    finally:
        context.close()
