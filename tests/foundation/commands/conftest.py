"""One demo database per module and database kind, each test's changes rolled back at its end.

The pipeline's properties are proven for every command on both databases, several hundred tests;
a fresh copy of the database for each was most of their cost. A command reaches the database only
through `Database.transaction()`, which here joins the module's open transaction as a savepoint
(tests/support/databases.py): each test still starts from the untouched demo data, and a refused
or failed command must still leave the database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from employdash.access import Actor
from employdash.db import Database
from employdash.users import load_actor
from tests.support.databases import RolledBackDatabase, copy_sqlite
from tests.support.pool import DatabasePool


@pytest.fixture(scope="module", params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def module_db(
    request: pytest.FixtureRequest,
    sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[RolledBackDatabase]:
    if request.param == "sqlite":
        url = copy_sqlite(sqlite_template, tmp_path_factory.mktemp("commands") / "commands.db")
        db = RolledBackDatabase(url)
        yield db
        db.dispose()
        return
    pool: DatabasePool = request.getfixturevalue("pg_pool")
    name, url = pool.take()
    db = RolledBackDatabase(url)
    yield db
    db.dispose()
    pool.give_back(name)


@pytest.fixture
def db(module_db: RolledBackDatabase) -> Iterator[Database]:
    """The module's database, as the demo data left it; what the test changes is rolled back."""
    with module_db.rolled_back():
        yield module_db


@pytest.fixture(scope="module")
def actors(module_db: RolledBackDatabase) -> dict[str, Actor]:
    """The demo users as the services see them, loaded once per module database: each test
    starts from the same demo data, so these are the users it would load itself."""
    loaded = {
        name: load_actor(module_db, name)
        for name in ("admin", "mayor", "manager", "member", "programme")
    }
    found = {name: actor for name, actor in loaded.items() if actor is not None}
    assert found.keys() == loaded.keys()
    return found
