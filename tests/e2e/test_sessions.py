"""Revocable sessions in real Chromium: a copied cookie dies with logout and password reset, and a
stale, forged or deactivated user's cookie shows the login form, never a trace."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, cast

import jwt
import pytest
from playwright.sync_api import Browser, BrowserContext, Cookie, Page
from sqlalchemy import select

from employdash import users
from employdash.config import installation_key
from employdash.db import Database
from employdash.models import User
from tests.support.browser import LOGIN_COOKIE, login, login_cookie, screenshot, wait_idle

if TYPE_CHECKING:  # playwright names the type of add_cookies' items only internally
    from playwright._impl._api_structures import SetCookieParam

COOKIE = LOGIN_COOKIE
NAV = ".st-key-nav"
FORM = '[data-testid="stForm"]'


def _context(browser: Browser) -> BrowserContext:
    return browser.new_context(viewport={"width": 1400, "height": 1000}, locale="he-IL")


def _with_cookie(browser: Browser, server: str, cookie: Cookie) -> Page:
    other = _context(browser)
    param = cast("SetCookieParam", dict(cookie))
    other.add_cookies([{**param, "url": server}] if "domain" not in cookie else [param])
    page = other.new_page()
    page.goto(server + "/")
    wait_idle(page)
    return page


def _shows_login_form(page: Page) -> bool:
    page.wait_for_selector(FORM, timeout=20_000)
    wait_idle(page)
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "Error" not in body
    return page.locator(FORM).is_visible() and page.locator(NAV).count() == 0


@pytest.fixture(scope="module", autouse=True)
def _warm(browser: Browser, server: str) -> None:
    """Let the fresh server finish its first, slow run before a test types into the form."""
    context = _context(browser)
    page = context.new_page()
    page.goto(server + "/")
    page.wait_for_selector(FORM, timeout=60_000)
    wait_idle(page)
    context.close()


def test_logout_in_one_tab_revokes_a_copied_cookie(
    page: Page, browser: Browser, server: str
) -> None:
    login(page, server, "manager")
    cookie = login_cookie(page.context)
    thief = _with_cookie(browser, server, cookie)  # a copy of the cookie, e.g. a second device
    thief.wait_for_selector(NAV, timeout=20_000)  # the copy works while the session lives
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="יציאה").click()
    page.wait_for_selector(FORM, timeout=15_000)
    # The copy's open session ends on its next click, and a reload does not bring it back.
    thief.locator(NAV).get_by_role("link").nth(1).click()
    assert _shows_login_form(thief)
    thief.reload()
    assert _shows_login_form(thief)
    screenshot(thief, "session_revoked_after_logout")
    thief.context.close()


def test_password_reset_revokes_every_cookie(
    page: Page, browser: Browser, server: str, e2e_db: Database
) -> None:
    login(page, server, "member")
    cookie = login_cookie(page.context)
    page.reload()
    page.wait_for_selector(NAV, timeout=20_000)  # the cookie logs in again after a reload
    admin, member = users.load_actor(e2e_db, "admin"), users.load_actor(e2e_db, "member")
    assert admin and member
    users.reset_password(e2e_db, admin, member.user_id, "demo-is-gone-now")
    page.reload()
    assert _shows_login_form(page)
    copy = _with_cookie(browser, server, cookie)
    assert _shows_login_form(copy)
    copy.context.close()


def test_forged_stale_and_malformed_cookies_show_the_login_form(
    browser: Browser, server: str, e2e_db: Database
) -> None:
    key = installation_key()
    version = users.session_version(e2e_db, "admin")
    future = time.time() + 3600
    tokens = {
        "garbage": "not-a-jwt",
        "other_key": jwt.encode({"username": "admin", "exp_date": future, "sv": version}, "x" * 40),
        "no_version": jwt.encode({"username": "admin", "exp_date": future}, key),
        "old_version": jwt.encode({"username": "admin", "exp_date": future, "sv": 0}, key),
        "no_expiry": jwt.encode({"username": "admin", "sv": version}, key),
        "expired": jwt.encode({"username": "admin", "exp_date": 1.0, "sv": version}, key),
        "unknown_user": jwt.encode({"username": "ghost", "exp_date": future, "sv": 1}, key),
    }
    for name, token in tokens.items():
        page = _with_cookie(browser, server, {"name": COOKIE, "value": token})
        assert _shows_login_form(page), name
        page.context.close()
    # The control: the same recipe with the current version does log in.
    good = jwt.encode({"username": "admin", "exp_date": future, "sv": version}, key)
    page = _with_cookie(browser, server, {"name": COOKIE, "value": good})
    page.wait_for_selector(NAV, timeout=20_000)
    page.context.close()


def test_a_deactivated_users_cookie_shows_the_login_form(
    page: Page, server: str, e2e_db: Database
) -> None:
    login(page, server, "mayor")
    login_cookie(page.context)
    admin, mayor = users.load_actor(e2e_db, "admin"), users.load_actor(e2e_db, "mayor")
    assert admin and mayor
    form = users.UserForm("mayor", mayor.full_name, mayor.role, tuple(mayor.localities or ()))
    with e2e_db.transaction() as s:
        version = s.scalars(select(User.version).where(User.id == mayor.user_id)).one()
    users.update_user(e2e_db, admin, mayor.user_id, form, active=False, version=version)
    page.reload()
    assert _shows_login_form(page)
    screenshot(page, "session_deactivated_user")
