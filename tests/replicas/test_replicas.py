"""Two app replicas on one PostgreSQL behind nginx, configured by the deploy template
(deploy/nginx/employdash.conf): a login made on one replica holds on the other, a write on one is
seen on the other within the cache TTL, a lock-out on one holds on the other, and nginx spreads
sessions over both while keeping each on its replica (websocket included).

The sessions are the load benchmark's protocol-level client (the browser's websocket messages);
the login cookie, which the server sets in a browser, is checked in real Chromium, as is signing
in with the identity provider (a real one: oidc-provider under Node) through nginx.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import psutil
import pytest
from playwright.sync_api import Browser

from benchmarks.load_users import LOAD_PASSWORD, production_env, set_password
from benchmarks.loadclient import Session
from employdash import users
from employdash.db import Database
from employdash.i18n import t
from tests.support.browser import chromium, login, wait_idle
from tests.support.oidc import Provider, login_cookie, oidc_provider, sign_in_with_provider
from tests.support.postgres import create_database, drop_database
from tests.support.replicas import AppServer, app_server, nginx

pytestmark = pytest.mark.pg

TTL = 3
LABELS = {k: t(f"login.{k}", "he") for k in ("username", "password", "submit")}
PROGRESS = t("task.progress", "he")
TASKS = t("page.tasks", "he")
_names = itertools.count()


T = TypeVar("T")


@dataclass
class Cluster:
    a: AppServer
    b: AppServer
    balancer: str
    db: Database


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with oidc_provider() as found:
        yield found


@pytest.fixture(scope="module")
def cluster(pg_server: str, pg_template: str, provider: Provider) -> Iterator[Cluster]:
    name = f"employdash_replicas_{next(_names)}"
    url = create_database(pg_server, name, template=pg_template)
    # PostgreSQL is served outside demo mode: the users get a password that is not the public
    # demo one, and both replicas share one strong cookie key.
    env = {"CACHE_TTL_SECONDS": str(TTL), **production_env(), **provider.app_env()}
    db = Database(url)
    set_password(db)
    try:
        with (
            app_server(url, env) as a,
            app_server(url, env) as b,
            nginx([a.base, b.base]) as balancer,
        ):
            yield Cluster(a, b, balancer, db)
    finally:
        db.dispose()
        drop_database(pg_server, name)


async def _logged_in(base: str, username: str, password: str = LOAD_PASSWORD) -> Session:
    session = Session(base)
    await session.open()
    await session.load()
    await session.attempt_login(username, password, LABELS)
    return session


def _progress_of(session: Session, task_id: int) -> str:
    for widget in session.widgets("button_group", PROGRESS):
        if f"-task_progress_{task_id}_" in widget.id:
            content: str = widget.options[widget.default[0]].content
            return content
    raise AssertionError(f"task {task_id} is not on the page")


def _in_own_thread(fn: Callable[..., T], *args: Any) -> T:
    """Run `fn` in a thread of its own: the browser tests' Playwright keeps an event loop in the
    test thread for the whole run, and asyncio or a second sync Playwright refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


def test_a_write_on_one_replica_is_seen_on_the_other_within_the_ttl(cluster: Cluster) -> None:
    async def scenario() -> float:
        on_a = await _logged_in(cluster.a.base, "member")
        on_b = await _logged_in(cluster.b.base, "member")
        assert on_a.logged_in and on_b.logged_in
        widget = on_a.widgets("button_group", PROGRESS)[0]
        task_id = int(widget.id.rsplit("task_progress_", 1)[1].split("_")[0])
        before = _progress_of(on_b, task_id)
        new = next(o.content for o in widget.options[:-1] if o.content != before)
        await on_a.choose("button_group", PROGRESS, lambda _o, _c: new, "update a task")
        assert not on_a.error_alerts and not on_a.exceptions
        assert _progress_of(on_a, task_id) == new
        written = time.monotonic()
        while True:
            await on_b.open_page(TASKS, "open my tasks")
            if _progress_of(on_b, task_id) == new:
                return time.monotonic() - written
            assert time.monotonic() - written < TTL + 5, "replica b never saw the write"
            await asyncio.sleep(0.5)

    seen_after = _in_own_thread(asyncio.run, scenario())
    assert seen_after <= TTL + 2


def test_a_lock_out_on_one_replica_holds_on_the_other(cluster: Cluster) -> None:
    async def scenario() -> tuple[bool, bool, list[str]]:
        for _ in range(5):  # LOCKOUT_ATTEMPTS, each from a new browser session on replica a
            failed = await _logged_in(cluster.a.base, "mayor", "wrong password")
            assert not failed.logged_in
            await failed.close()
        right_on_b = await _logged_in(cluster.b.base, "mayor")
        other_on_b = await _logged_in(cluster.b.base, "manager")
        return right_on_b.logged_in, other_on_b.logged_in, right_on_b.error_alerts

    mayor_in, manager_in, alerts = _in_own_thread(asyncio.run, scenario())
    assert users.is_locked(cluster.db, "mayor")
    assert not mayor_in, "the right password must not open a locked account on another replica"
    assert alerts, "the refused login says so"
    assert manager_in, "other users still log in on that replica"


def test_nginx_spreads_sessions_and_keeps_each_on_its_replica(cluster: Cluster) -> None:
    def connections(server: AppServer) -> int:
        port = int(server.base.rsplit(":", 1)[1])
        return sum(
            1
            for c in psutil.Process(server.process.pid).net_connections()
            if c.status == psutil.CONN_ESTABLISHED and c.laddr.port == port
        )

    async def connect(cookie: str | None) -> Session:
        session = Session(cluster.balancer, cookies={"employdash_lb": cookie} if cookie else {})
        await session.open()
        return session

    async def counts() -> list[int]:
        """Connections once they stop changing: the page's plain HTTP requests and the previous
        test's sessions close a moment after they are done, and would count as a session gone."""
        seen: list[int] = []
        for _ in range(20):
            await asyncio.sleep(0.5)
            now = [connections(cluster.a), connections(cluster.b)]
            if now == seen:
                break
            seen = now
        return seen

    def grown(before: list[int], after: list[int]) -> list[int]:
        return [x - y for x, y in zip(after, before, strict=True)]

    async def lands(cookie: str) -> tuple[Session, list[int]]:
        """A new session with this sticky cookie, and the replica it landed on ([1, 0] or
        [0, 1]). Another connection closing meanwhile (a page's plain request, an earlier
        session) blurs the count, so a blurred one is measured again: where a cookie lands is
        nginx's hash of it, the same every time."""
        for _ in range(5):
            before = await counts()
            session = await connect(cookie)
            grew = grown(before, await counts())
            if sorted(grew) == [0, 1]:
                return session, grew
            await session.close()
        raise AssertionError(f"no clean count of where {cookie} lands: last {grew}")

    async def scenario() -> tuple[str, list[int], list[int], list[int]]:
        fresh = await connect(None)  # nginx hands out a sticky cookie of its own
        await fresh.load()
        handed = fresh.cookies.get("employdash_lb", "")
        # Fixed sticky keys, so where each lands is decided by nginx's hash, not by chance.
        first, landed = await lands("key-0")
        sessions = [fresh, first, *[await connect(f"key-{i}") for i in range(1, 12)]]
        spread = await counts()
        twin, again = await lands("key-0")  # a second tab of the same browser
        for s in [*sessions, twin]:
            await s.close()
        return handed, spread, landed, again

    handed, spread, landed, again = _in_own_thread(asyncio.run, scenario())
    assert handed, "nginx sets the sticky-session cookie"
    assert min(spread) >= 1, f"both replicas serve sessions: {spread}"
    assert sorted(landed) == [0, 1]
    assert again == landed, "the same sticky cookie lands on the same replica"


@pytest.mark.e2e
def test_a_login_on_one_replica_holds_on_the_other_and_through_nginx(cluster: Cluster) -> None:
    """The login cookie (set by the browser) is honoured by the replica that did not log in."""
    _in_own_thread(_login_holds_on_both, cluster)


def _login_holds_on_both(cluster: Cluster) -> None:
    nav = ".st-key-nav"
    browser: Browser
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="he-IL")
        page = context.new_page()
        login(page, cluster.a.base, "manager", LOAD_PASSWORD)
        for base in (cluster.b.base, cluster.balancer):
            page.goto(base + "/")
            page.wait_for_selector(nav, state="attached", timeout=30_000)
            wait_idle(page)
            assert page.locator('[data-testid="stForm"] input[type="password"]').count() == 0
        context.close()


@pytest.mark.e2e
def test_signing_in_with_the_identity_provider_through_nginx(cluster: Cluster) -> None:
    """Through nginx: the manager signs in with the provider into their own account, which holds
    on both replicas, and signs out; an unknown e-mail is refused."""
    _in_own_thread(_provider_journey, cluster)


def _provider_journey(cluster: Cluster) -> None:
    nav, form = ".st-key-nav", '[data-testid="stForm"]'
    link = t("signin.provider", "he")
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="he-IL")
        page = context.new_page()
        sign_in_with_provider(page, cluster.balancer, "manager@example.org", link)
        page.wait_for_selector(nav, state="attached", timeout=30_000)
        signed_in = t(
            "user.signed_in_as", "he", name="מנהל לשכת התעסוקה", role=t("role.manager", "he")
        )
        assert signed_in in page.locator('[data-testid="stSidebar"]').inner_text()
        cookie = login_cookie(context)
        assert cookie and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        for base in (cluster.a.base, cluster.b.base, cluster.balancer):
            page.goto(base + "/")
            page.wait_for_selector(nav, state="attached", timeout=30_000)
            wait_idle(page)
            assert signed_in in page.locator('[data-testid="stSidebar"]').inner_text()
        page.locator('[data-testid="stSidebar"]').get_by_role("button", name="יציאה").click()
        page.wait_for_selector(form, timeout=15_000)
        login_cookie(context, present=False)
        context.close()

        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="he-IL")
        page = context.new_page()
        sign_in_with_provider(page, cluster.balancer, "stranger@example.org", link)
        page.get_by_text(t("signin.unknown", "he")).wait_for(timeout=15_000)
        assert page.locator(nav).count() == 0
        context.close()
