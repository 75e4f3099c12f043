"""One submit of the login form logs in, also for the first visitor of a freshly started server.

The project has a `pages/` folder, so a fresh server could run app.py's first run inside
Streamlit's old multipage shim, under another script hash. The login form's widget ids include
that hash, so the form the first visitor filled in would have ids the next run did not draw: the
submit would reach the server with an empty username and password.

The form's run ends with the form: importing every page's modules after drawing it, in the script
thread, would keep it running for seconds, and a submit in that time would run the login beside
those imports (components/shell/warmup.py does them in the background, stepping aside for runs).

A login is one script run: the submit's run clears the form and draws the navigation and the page
(an st.rerun() first would show the browser a second run), and the seeded test hash (Argon2id at
cheap parameters) is replaced by one at OWASP's on that login.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page
from sqlalchemy import select

from employdash.db import Database
from employdash.models import User
from tests.support.browser import app_server, wait_idle
from tests.support.databases import copy_sqlite

NAV = ".st-key-nav"
FORM = '[data-testid="stForm"]'


IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
FORM_RUN_ENDS_WITHIN_MS = 3_000  # the pages' imports took 3-10 s of it on this machine
# From the click on: each change of the script-state attribute, and whether the form was still
# in the page when the navigation first was.
WATCH = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    window.__login = {states: [], formWithNav: null};
    new MutationObserver(() => {
        window.__login.states.push(app.getAttribute('data-test-script-state'));
    }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
    new MutationObserver(() => {
        if (window.__login.formWithNav === null && document.querySelector('.st-key-nav')) {
            window.__login.formWithNav =
                document.querySelector('[data-testid="stForm"] input[type="password"]') !== null;
        }
    }).observe(document, {childList: true, subtree: true});
}"""


def _submit_once(page: Page, base: str, username: str) -> None:
    page.goto(base + "/")
    page.wait_for_selector(f'{FORM} input[type="password"]', timeout=60_000)
    page.wait_for_timeout(300)  # the run's state attribute follows the form's first paint
    page.wait_for_selector(IDLE, state="attached", timeout=FORM_RUN_ENDS_WITHIN_MS)
    form = page.locator(FORM).first
    form.locator('input[type="text"]').first.fill(username)
    form.locator('input[type="password"]').first.fill("demo")
    page.evaluate(WATCH)
    form.locator('[data-testid="stFormSubmitButton"] button').click()
    # Attached, not visible: the menu is in the sidebar. One submit, no retry.
    page.wait_for_selector(NAV, state="attached", timeout=30_000)
    wait_idle(page)
    assert page.locator(f'{FORM} input[type="password"]').count() == 0
    seen = page.evaluate("window.__login")
    assert seen["formWithNav"] is False  # the form was gone when the navigation appeared
    runs = sum(
        1
        for before, now in zip(["notRunning", *seen["states"]], seen["states"], strict=False)
        if now == "running" and before != "running"
    )
    assert runs == 1, seen["states"]  # the login's own run, no second one


def test_a_single_submit_logs_in_on_a_fresh_server(
    browser: Browser, sqlite_template: Path, tmp_path: Path
) -> None:
    url = copy_sqlite(sqlite_template, tmp_path / "fresh.db")
    with app_server(url) as base:  # this test's own server: its first visitor is this page
        for username in ("manager", "member"):  # the first visitor, then a second fresh page
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="he-IL")
            try:
                _submit_once(context.new_page(), base, username)
            finally:
                context.close()
    db = Database(url)
    with db.transaction() as s:
        rows = s.execute(select(User.username, User.password_hash)).all()
    hashes = {username: hashed for username, hashed in rows}
    db.dispose()
    owasp = "$argon2id$v=19$m=19456,t=2,p=1$"
    assert hashes["manager"].startswith(owasp) and hashes["member"].startswith(owasp)
    assert hashes["mayor"].startswith("$argon2id$v=19$m=8,t=1,p=1$")  # no login: unchanged
