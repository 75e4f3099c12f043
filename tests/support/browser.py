"""A real app server on a free port and real Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Cookie, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.support.postgres import free_port
from tests.support.processes import stop

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
# Chromium's headless shell where installed (scripts/install-system-deps.sh installs it): the same
# Blink and V8 without the full browser around them, the build Playwright itself runs headless; a
# browser test's CPU (app server and Chromium) measured 16% lower than with the full browser.
HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"
CHROMIUM = HEADLESS_SHELL if os.path.exists(HEADLESS_SHELL) else "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def streamlit_run(port: str = "{port}") -> list[str]:
    """The arguments after `streamlit` that serve the app on `port` (loopback, no file watcher);
    by default with "{port}" for `app_server`'s `command` to fill in."""
    return [
        "run",
        "serve.py",
        "--server.headless",
        "true",
        "--server.port",
        port,
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]


@contextmanager
def app_server(
    database_url: str, extra_env: dict[str, str] | None = None, command: list[str] | None = None
) -> Iterator[str]:
    """Serve the app (serve.py: app.py behind its first-paint middleware) against
    `database_url`; yield its base URL. `command` replaces the test's own command line (the
    README's start command), with "{port}" where the port goes; so may `extra_env`'s values
    (e.g. APP_URL, for links in mail that point back at this server)."""
    with app_process(database_url, extra_env, command) as (base, _process):
        yield base


@contextmanager
def app_process(
    database_url: str, extra_env: dict[str, str] | None = None, command: list[str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`app_server`, yielding the server's process too."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEMO_MODE": "true",
        "NOTIFY_INTERVAL_SECONDS": "0",  # no scheduled mail behind a test's back (extra_env may)
        **{k: v.replace("{port}", str(port)) for k, v in (extra_env or {}).items()},
    }
    # Its output goes to a file, not a pipe nobody reads: a server kept for many modules could
    # fill a pipe and block on its next log line.
    with tempfile.TemporaryFile() as output:
        proc = subprocess.Popen(
            [arg.replace("{port}", str(port)) for arg in command]
            if command
            else [sys.executable, "-m", "streamlit", *streamlit_run(str(port))],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    output.seek(0)
                    out = output.read().decode(errors="replace")
                    raise RuntimeError(f"app server did not start:\n{out}")
                time.sleep(0.2)
            yield base, proc
        finally:
            stop(proc)


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


RERUN_START_MS = 210
_SCRIPT_STATE = '[data-testid="stApp"][data-test-script-state="{}"]'


def wait_idle(page: Page, timeout: float = 30_000) -> None:
    """Wait until the script finished its run and no skeleton remains.

    The pauses are those of Streamlit's own browser tests (`wait_for_app_run`: up to 210 ms for a
    rerun to start, 100 ms to settle), but the first ends as soon as the run is seen to start: it
    follows nearly every action of every browser test, and a fixed 210 ms there cost minutes.
    An action that starts no run still waits the whole 210 ms before the page counts as idle.
    """
    with contextlib.suppress(PlaywrightTimeout):  # no run started, or it ended unseen
        page.wait_for_selector(
            _SCRIPT_STATE.format("running"), state="attached", timeout=RERUN_START_MS
        )
    page.wait_for_selector(_SCRIPT_STATE.format("notRunning"), state="attached", timeout=timeout)
    page.wait_for_selector('[data-testid="stSkeleton"]', state="detached", timeout=timeout)
    page.wait_for_timeout(100)


def submit(page: Page, label: str, expect: str) -> None:
    """Submit the form whose button says `label` and wait for `expect`. A click that lands while
    a rerun starts can be lost (the form stays as it was, with no message and no error): then it
    is clicked once more."""
    button = page.locator('[data-testid="stFormSubmitButton"] button:visible', has_text=label)
    message = page.get_by_text(expect).first
    wait_idle(page, timeout=120_000)
    for attempt in range(2):
        button.first.click()
        wait_idle(page, timeout=120_000)
        try:
            message.wait_for(timeout=45_000)
            break
        except PlaywrightTimeout:
            if attempt or page.locator('[data-testid="stAlertContentError"]').count():
                raise
    wait_idle(page, timeout=120_000)


LOGIN_COOKIE = "employdash_auth"


def login_cookie(context: BrowserContext) -> Cookie:
    """The login cookie from the browser's jar (scripts cannot read it: HttpOnly), waiting for
    the request that sets it, which the page makes just after the login's run."""
    for _ in range(100):
        found = [c for c in context.cookies() if c["name"] == LOGIN_COOKIE]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError("no login cookie was set")


def login(page: Page, base: str, username: str, password: str = "demo", lang: str = "he") -> None:
    """Log in with one submit of the form (tests/e2e/test_login_fast.py: one is enough, also for
    a fresh server's first visitor)."""
    page.goto(base + "/")
    wait_idle(page)
    if lang == "en":
        set_language(page, "en")
    submit_login(page, username, password)


def submit_login(page: Page, username: str, password: str = "demo") -> None:
    """Fill and submit the login form the page shows (also a mail's link, which logs in where
    it points) and wait for the app behind it."""
    for _ in range(3):
        # `.first`: while a rerun replaces the page, a stale copy of the form may still be
        # attached; and a late rerun can wipe what was typed, so check it before submitting.
        form = page.locator('[data-testid="stForm"]').first
        form.locator('input[type="text"]').first.fill(username)
        form.locator('input[type="password"]').first.fill(password)
        if form.locator('input[type="text"]').first.input_value() == username:
            break
        wait_idle(page)
    else:
        raise AssertionError(f"the login form kept losing what was typed for {username}")
    form.locator('[data-testid="stFormSubmitButton"] button').click()
    try:
        # Attached, not visible: on a phone-width screen the sidebar starts collapsed.
        page.wait_for_selector(".st-key-nav", state="attached", timeout=60_000)
    except PlaywrightTimeout as exc:
        raise AssertionError(f"one submit did not log in {username}") from exc
    wait_idle(page)


def set_language(page: Page, lang: str) -> None:
    label = "English" if lang == "en" else "עברית"
    page.locator('[data-testid="stSidebar"] button', has_text=label).first.click()
    wait_idle(page)


def open_page(page: Page, base: str, url_path: str) -> None:
    """Open a page by its URL path (the page file's name, e.g. 'tasks')."""
    page.goto(f"{base}/{url_path}")
    page.wait_for_selector(".st-key-nav", timeout=30_000)
    wait_idle(page)


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
