"""Sign-in with the municipality's identity provider, in real Chromium against a real OpenID
provider (oidc-provider under Node, tests/support/oidc.py): staff land in their own account (role
and locality scope from the app) matched by e-mail in any case, sign out, and an e-mail with no
account is refused with a message and no account made. Local passwords keep working beside it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext
from sqlalchemy import func, select

from employdash.config import get_config
from employdash.db import Database
from employdash.i18n import t
from employdash.models import AuditEntry, User
from tests.support import axe
from tests.support.browser import app_server, screenshot, submit_login, wait_idle
from tests.support.oidc import Provider, login_cookie, oidc_provider, sign_in_with_provider

NAV = ".st-key-nav"
FORM = '[data-testid="stForm"]'
SIDEBAR = '[data-testid="stSidebar"]'
PROVIDER_NAME = "עיריית שדרות"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with oidc_provider() as found:
        yield found


@pytest.fixture(scope="module")
def oidc_server(e2e_database_url: str, provider: Provider) -> Iterator[str]:
    with app_server(e2e_database_url, provider.app_env(PROVIDER_NAME)) as base:
        yield base


def _context(browser: Browser, locale: str = "he-IL") -> BrowserContext:
    return browser.new_context(viewport={"width": 1400, "height": 1000}, locale=locale)


def _provider_link(lang: str = "he") -> str:
    return t("signin.provider_named", lang, provider=f"\u2068{PROVIDER_NAME}\u2069")


def _logins(db: Database, username: str) -> int:
    with db.transaction() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.username == username, AuditEntry.action == "login")
            )
            or 0
        )


def test_staff_sign_in_with_the_provider_into_their_own_account(
    browser: Browser, oidc_server: str, e2e_db: Database
) -> None:
    logins_before = _logins(e2e_db, "manager")
    context = _context(browser)
    page = context.new_page()
    sign_in_with_provider(page, oidc_server, "Manager@Example.ORG", _provider_link())  # any case
    page.wait_for_selector(NAV, state="attached", timeout=30_000)
    sidebar = page.locator(SIDEBAR)
    badge = t("user.signed_in_as", "he", name="מנהל לשכת התעסוקה", role=t("role.manager", "he"))
    assert badge in sidebar.inner_text()
    # The manager's locality scope, as the app has it: Sederot and Netivot, nothing else.
    sidebar.locator('[data-testid="stSelectbox"]').first.click()
    options = page.get_by_role("option").all_inner_texts()
    assert sorted(options) == sorted(["שדרות", "נתיבות"]), options
    page.keyboard.press("Escape")
    cookie = login_cookie(context)
    assert cookie and cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"
    assert _logins(e2e_db, "manager") == logins_before + 1, "audited as the manager's login"
    screenshot(page, "oidc_signed_in_manager")
    # Signing out ends it: the login form, the cookie cleared, a reload stays signed out.
    sidebar.get_by_role("button", name="יציאה").click()
    page.wait_for_selector(FORM, timeout=15_000)
    login_cookie(context, present=False)
    page.reload()
    page.wait_for_selector(FORM, timeout=20_000)
    wait_idle(page)
    assert page.locator(NAV).count() == 0
    context.close()


def test_an_unknown_email_is_refused_and_no_account_is_made(
    browser: Browser, oidc_server: str, e2e_db: Database
) -> None:
    with e2e_db.transaction() as s:
        accounts = s.scalar(select(func.count()).select_from(User))
    context = _context(browser)
    page = context.new_page()
    sign_in_with_provider(page, oidc_server, "stranger@example.org", _provider_link())
    page.wait_for_selector(FORM, timeout=30_000)
    page.get_by_text(t("signin.unknown", "he")).wait_for(timeout=15_000)
    assert page.locator(NAV).count() == 0
    assert not [c for c in context.cookies() if c["name"] == get_config().COOKIE_NAME]
    with e2e_db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(User)) == accounts
    screenshot(page, "oidc_unknown_email_he")
    findings = axe.scan(page, "sign-in refused")
    assert not findings, "\n".join(f.describe() for f in findings)
    context.close()


@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_login_page_offers_the_provider_and_passwords_still_work(
    browser: Browser, oidc_server: str, lang: str
) -> None:
    context = _context(browser, "he-IL" if lang == "he" else "en-US")
    page = context.new_page()
    page.goto(oidc_server + "/")
    page.wait_for_selector(FORM, timeout=60_000)
    wait_idle(page)
    if lang == "en":
        page.locator(SIDEBAR).locator("button", has_text="English").first.click()
        wait_idle(page)
    link = page.get_by_role("link", name=_provider_link(lang))
    assert link.get_attribute("href") == "/signin/oidc/start"
    screenshot(page, f"login_with_provider_{lang}")
    findings = axe.scan(page, f"login with provider/{lang}")
    assert not findings, "\n".join(f.describe() for f in findings)
    submit_login(page, "member")  # a local password beside the provider
    assert page.locator(NAV).count() == 1
    context.close()
