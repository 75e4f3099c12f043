"""One app server and one Chromium per browser-test module, on a copy of the seeded template."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from employdash.db import Database
from tests.support.browser import app_server, chromium
from tests.support.databases import copy_sqlite


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="module")
def e2e_database_url(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    return copy_sqlite(sqlite_template, tmp_path_factory.mktemp("e2e") / "e2e.db")


@pytest.fixture(scope="module")
def server(e2e_database_url: str) -> Iterator[str]:
    """Base URL of a real app server on a free port."""
    with app_server(e2e_database_url) as base:
        yield base


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
