"""The login cookie in real Chromium's cookie jar: set by the server, HttpOnly, SameSite=Strict,
Secure when served over HTTPS, expiring with COOKIE_EXPIRY_DAYS; no script in the page sees it,
a reload logs in with it, and logging out clears it. (Revocation: tests/e2e/test_sessions.py.)"""

from __future__ import annotations

import time

from playwright.sync_api import Browser, Page, Route

from employdash.config import get_config
from tests.support.browser import login, wait_idle
from tests.support.oidc import login_cookie

NAV = ".st-key-nav"
FORM = '[data-testid="stForm"]'


def test_the_login_cookie_is_httponly_strict_and_unseen_by_scripts(page: Page, server: str) -> None:
    login(page, server, "manager")
    cookie = login_cookie(page.context)
    assert cookie is not None
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert cookie["secure"] is False  # plain HTTP here; see the HTTPS test below
    assert cookie["path"] == "/"
    days = (cookie["expires"] - time.time()) / 86400
    assert abs(days - get_config().COOKIE_EXPIRY_DAYS) < 0.01
    assert get_config().COOKIE_NAME not in page.evaluate("document.cookie")
    # It is the login: a reload (a new session) is logged in by it alone.
    page.reload()
    page.wait_for_selector(NAV, state="attached", timeout=30_000)
    # Logging out clears it from the jar (the server's answer, not a script).
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="יציאה").click()
    page.wait_for_selector(FORM, timeout=15_000)
    login_cookie(page.context, present=False)
    page.reload()
    page.wait_for_selector(FORM, timeout=20_000)
    wait_idle(page)
    assert page.locator(NAV).count() == 0


def test_behind_https_the_login_cookie_is_secure(browser: Browser, server: str) -> None:
    """nginx in front says the browser came over HTTPS (X-Forwarded-Proto): the cookie is Secure
    (Chromium keeps Secure cookies for 127.0.0.1, a secure context)."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000},
        locale="he-IL",
        extra_http_headers={"X-Forwarded-Proto": "https"},
    )
    page = context.new_page()
    login(page, server, "member")
    cookie = login_cookie(context)
    assert cookie is not None
    assert cookie["secure"] is True and cookie["httpOnly"] is True
    context.close()


def test_the_login_token_is_one_time_and_refused_from_another_site(
    browser: Browser, server: str
) -> None:
    """The token a login hands the browser buys the cookie once, and only from this site's pages."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="he-IL")
    page = context.new_page()
    posted: list[str] = []

    def keep(route: Route) -> None:  # the token is kept here, and never reaches the server
        posted.append(route.request.post_data or "")
        route.abort()

    page.route(f"{server}/signin/session", keep)
    login(page, server, "member")
    for _ in range(50):
        if posted:
            break
        time.sleep(0.1)
    assert posted, "the login posted no token"
    token = posted[0]
    api = context.request
    refused = api.post(
        f"{server}/signin/session", data=token, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert refused.status == 403
    assert api.post(f"{server}/signin/session", data="not-a-token").status == 403
    first = api.post(
        f"{server}/signin/session", data=token, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert first.status == 204
    assert "httponly" in first.headers["set-cookie"].lower()
    again = api.post(
        f"{server}/signin/session", data=token, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert again.status == 403
    context.close()
