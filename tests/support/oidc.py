"""A real OpenID provider for the sign-in tests: `oidc-provider` (npm) run with Node
(tests/support/oidc_provider.mjs), on a free loopback port, with the app as its one client.

Its development sign-in pages take any login and password: the login is the account's subject
and its e-mail, so a test signs in as whoever it types. `sign_in_at_provider` fills them in, as
a person would, and confirms the consent page."""

from __future__ import annotations

import secrets
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import BrowserContext, Cookie, Page

from employdash.config import get_config
from tests.support.browser import wait_idle
from tests.support.postgres import free_port
from tests.support.processes import stop

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "support" / "oidc_provider.mjs"
CALLBACK = "/signin/oidc/callback"
NAV = ".st-key-nav"
FORM = '[data-testid="stForm"]'


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str

    def app_env(self, name: str = "") -> dict[str, str]:
        """The app's settings for signing in with this provider."""
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": self.client_id,
            "OIDC_CLIENT_SECRET": self.client_secret,
            "OIDC_PROVIDER_NAME": name,
        }


@contextmanager
def oidc_provider() -> Iterator[Provider]:
    """The provider, with the app on 127.0.0.1 (any port) as its client."""
    node = shutil.which("node") or "/usr/bin/node"
    if not (ROOT / "node_modules" / "oidc-provider").exists():
        raise RuntimeError("oidc-provider is not installed: run `make test` (npm ci)")
    port = free_port()
    client_id, client_secret = "employdash", secrets.token_urlsafe(24)
    log = Path(tempfile.mkstemp(prefix=f"oidc-provider-{port}-", suffix=".log")[1])
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [node, str(SCRIPT), str(port), client_id, client_secret, CALLBACK],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                url = f"{issuer}/.well-known/openid-configuration"
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"oidc-provider did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
        yield Provider(issuer, client_id, client_secret)
    finally:
        stop(proc)
        log.unlink(missing_ok=True)


def sign_in_at_provider(page: Page, email: str) -> None:
    """On the provider's pages: sign in as `email`, then allow the app (its consent page)."""
    page.wait_for_selector('input[name="login"]', timeout=30_000)
    page.fill('input[name="login"]', email)
    page.fill('input[name="password"]', "any password")
    page.click('button[type="submit"]')
    page.wait_for_load_state()
    consent = page.locator('form input[name="prompt"][value="consent"]')
    if consent.count():
        page.click('button[type="submit"]')


def sign_in_with_provider(page: Page, base: str, email: str, link: str) -> None:
    """From the app's login page at `base`: the provider's link (named `link`), the provider's
    pages as `email`, and back in the app, on its navigation or (refused) its login form."""
    page.goto(base + "/")
    page.wait_for_selector(FORM, timeout=60_000)
    wait_idle(page)
    page.get_by_role("link", name=link).click()
    sign_in_at_provider(page, email)
    page.wait_for_url(f"{base}/**", timeout=30_000)
    page.wait_for_selector(f"{NAV}, {FORM}", state="attached", timeout=60_000)
    wait_idle(page)


def login_cookie(context: BrowserContext, present: bool = True) -> Cookie | None:
    """The login cookie in the browser's jar, waiting (up to 5 s) for it to appear or go."""
    name = get_config().COOKIE_NAME
    for _ in range(50):
        found = [c for c in context.cookies() if c["name"] == name]
        if bool(found) == present:
            return found[0] if found else None
        time.sleep(0.1)
    raise AssertionError(f"the login cookie {'never came' if present else 'stayed'}")
