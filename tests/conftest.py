"""Fixtures shared by every test: real databases with the demo data, and the demo users.

`db` runs each test twice: on a SQLite file and on the PostgreSQL server the run starts. In CI a
PostgreSQL test never skips: if the server cannot start, the tests fail.

`make test` runs the suite on two pytest-xdist workers (`-n 2 --dist loadfile`). Each worker is
a process of its own with its own session fixtures: its own PostgreSQL server, templates and
Chromium. A file's tests all run on one worker, so its app server and module-scoped fixtures are
built once; database names carry the worker's id so that workers sharing one server
(TEST_POSTGRES_URL) never collide.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from employdash.access import Actor
from employdash.db import Database
from employdash.users import load_actor
from tests.support.databases import build_pg_template, build_sqlite_template, copy_sqlite
from tests.support.postgres import create_database, drop_database, running_server

_counter = itertools.count()
# "gw0", "gw1", ... under pytest-xdist; "main" when the run has no workers.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    with running_server() as url:
        yield url


@pytest.fixture(scope="session")
def pg_template(pg_server: str) -> str:
    return build_pg_template(pg_server, name=f"employdash_template_{WORKER}")


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    db = Database(copy_sqlite(sqlite_template, tmp_path / "test.db"))
    yield db
    db.dispose()


@pytest.fixture
def pg_db(pg_server: str, pg_template: str) -> Iterator[Database]:
    name = f"employdash_test_{WORKER}_{next(_counter)}"
    db = Database(create_database(pg_server, name, template=pg_template))
    yield db
    db.dispose()
    drop_database(pg_server, name)


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def db(request: pytest.FixtureRequest) -> Database:
    """A freshly seeded demo database, on SQLite and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_db")


@pytest.fixture
def actors(db: Database) -> dict[str, Actor]:
    """The demo users as the services see them: admin, mayor, manager, member."""
    found = {name: load_actor(db, name) for name in ("admin", "mayor", "manager", "member")}
    assert all(found.values())
    return found  # type: ignore[return-value]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """In CI a skipped test is a failure: nothing may quietly not run there."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which is not allowed: {report.longrepr}"
