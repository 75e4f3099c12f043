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

import os
from collections.abc import Generator, Iterator
from pathlib import Path

import pluggy
import pytest

from employdash.access import Actor
from employdash.db import Database
from employdash.users import load_actor
from tests.support.balance import order_by_cost
from tests.support.components_scan import scan_components_once
from tests.support.databases import (
    RolledBackDatabase,
    build_pg_template,
    build_sqlite_template,
    copy_sqlite,
)
from tests.support.pool import DatabasePool
from tests.support.postgres import running_server
from tests.support.smtp import SmtpServer

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


@pytest.fixture(scope="session")
def pg_pool(pg_server: str, pg_template: str) -> Iterator[DatabasePool]:
    """Copies of the template, each made while the test before runs (tests/support/pool.py)."""
    pool = DatabasePool(pg_server, pg_template, prefix=f"employdash_test_{WORKER}")
    yield pool
    pool.close()


@pytest.fixture
def pg_db(pg_pool: DatabasePool) -> Iterator[Database]:
    name, url = pg_pool.take()
    db = Database(url)
    yield db
    db.dispose()
    pg_pool.give_back(name)


class ModuleDatabases:
    """One demo database per kind for a module marked `rolled_back`, made on first use."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.made: dict[str, RolledBackDatabase] = {}
        self.given_back: list[tuple[DatabasePool, str]] = []

    def get(self, kind: str, request: pytest.FixtureRequest) -> RolledBackDatabase:
        if kind not in self.made:
            if kind == "sqlite":
                template: Path = request.getfixturevalue("sqlite_template")
                url = copy_sqlite(template, self.directory / "module.db")
            else:
                pool: DatabasePool = request.getfixturevalue("pg_pool")
                name, url = pool.take()
                self.given_back.append((pool, name))
            self.made[kind] = RolledBackDatabase(url)
        return self.made[kind]


@pytest.fixture(scope="module")
def module_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleDatabases]:
    databases = ModuleDatabases(tmp_path_factory.mktemp("module"))
    yield databases
    for made in databases.made.values():
        made.dispose()
    for pool, name in databases.given_back:
        pool.give_back(name)


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    """A freshly seeded demo database, on SQLite and on PostgreSQL.

    In a module marked `rolled_back` every test of the module shares one database per kind and
    what each test commits is rolled back at its end (tests/support/databases.py,
    RolledBackDatabase): each still starts from the untouched demo data, without a copy of its
    own. Only for modules whose tests and code reach the database through `transaction()` and
    need no real commit (the indicator import's staging table is dropped on commit: not there)."""
    if request.node.get_closest_marker("rolled_back"):
        shared: ModuleDatabases = request.getfixturevalue("module_databases")
        module = shared.get(request.param, request)
        with module.rolled_back():
            yield module
        return
    chosen: Database = request.getfixturevalue(f"{request.param}_db")
    yield chosen


@pytest.fixture
def actors(db: Database) -> dict[str, Actor]:
    """The demo users as the services see them: admin, mayor, manager, member, programme."""
    found: dict[str, Actor] = {}
    for name in ("admin", "mayor", "manager", "member", "programme"):
        actor = load_actor(db, name)
        assert actor is not None
        found[name] = actor
    return found


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server requiring STARTTLS and AUTH (tests/support/smtp.py), empty."""
    server = SmtpServer()
    server.start()
    yield server
    server.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pluggy.Result[pytest.TestReport], None]:
    """In CI a skipped test is a failure: nothing may quietly not run there."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which is not allowed: {report.longrepr}"


def pytest_configure(config: pytest.Config) -> None:
    """Under `--dist loadfile` xdist would hand out files by their number of tests; ordering
    them by cost instead (pytest_collection_modifyitems) needs its own reordering off. Every
    AppTest shares one scan of the installed packages (tests/support/components_scan.py)."""
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False
    scan_components_once()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Costliest files first, so that under xdist the small ones fill the gaps at the end instead
    of one worker running a long browser file alone (tests/support/balance.py). Each file's
    tests keep their order; only the order of files changes."""
    order_by_cost(items)
