"""One Chromium per worker, and one app server per worker for the browser-test modules that need
no configuration of their own, each module on a fresh copy of the seeded template.

Modules share the server (tests/support/shared_server.py): before each, the demo is loaded into
the server's database file in place and the server forgets its cached read models, so a module
starts from the same data and the same empty caches as on a server of its own, without paying a
server start, its imports and its pages' first runs. A module that serves the app otherwise
(its own settings or command line) starts its own with `app_server`, on the same fresh database.
"""

from __future__ import annotations

import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from subprocess import Popen

import pytest
from playwright.sync_api import Browser, Page

from employdash.db import Database
from tests.support.browser import app_process, app_server, chromium, streamlit_run
from tests.support.databases import restore_sqlite
from tests.support.shared_server import FORGOTTEN_ENV


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def shared_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database file of the worker's shared app server."""
    return tmp_path_factory.mktemp("e2e") / "e2e.db"


@pytest.fixture(scope="module")
def e2e_database_url(sqlite_template: Path, shared_database: Path) -> str:
    """The untouched demo, in the shared server's database file (whether that server runs or not).
    A module that needs other data overrides this fixture, taking this one and changing it."""
    return restore_sqlite(sqlite_template, shared_database)


@dataclass
class SharedServer:
    base: str
    database_url: str
    process: Popen[bytes]
    forgotten: Path

    def forget_cached_data(self) -> None:
        """Have the server drop every cached read model, and wait until it has."""
        self.forgotten.unlink(missing_ok=True)
        self.process.send_signal(signal.SIGUSR1)
        deadline = time.monotonic() + 30
        while not self.forgotten.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the shared app server did not forget its cached data")
            time.sleep(0.02)


@pytest.fixture(scope="session")
def shared_server(shared_database: Path) -> Iterator[SharedServer]:
    url = f"sqlite:///{shared_database}"
    forgotten = shared_database.with_name("caches-forgotten")
    command = [sys.executable, "-m", "tests.support.shared_server", *streamlit_run()]
    with app_process(url, {FORGOTTEN_ENV: str(forgotten)}, command) as (base, process):
        yield SharedServer(base, url, process, forgotten)


@pytest.fixture(scope="module")
def server(
    e2e_database_url: str, shared_database: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """Base URL of a real app server on the module's database: the worker's shared one, unless
    the module's database is a file of its own."""
    if e2e_database_url != f"sqlite:///{shared_database}":
        with app_server(e2e_database_url) as base:
            yield base
        return
    shared: SharedServer = request.getfixturevalue("shared_server")
    shared.forget_cached_data()
    yield shared.base


@pytest.fixture(scope="module")
def e2e_db(e2e_database_url: str) -> Iterator[Database]:
    """The server's database, to check what the browser's actions stored."""
    db = Database(e2e_database_url)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="he-IL")
    page = context.new_page()
    yield page
    context.close()
