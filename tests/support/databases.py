"""Seeded template databases, copied per test so every test starts from the same demo data.

Migrating and seeding once per run and copying (a file copy for SQLite, `CREATE DATABASE ...
TEMPLATE` for PostgreSQL) keeps each test's database real and fresh without paying for the
migrations every time.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.orm import sessionmaker

from employdash.db import Database, migrate
from employdash.seed import DEMO_AS_OF, seed_demo
from employdash.users import CHEAP

# Seeded test users' password hashes are Argon2id at CHEAP parameters (8 KiB, one pass): building
# a template costs nothing. The app hashes at OWASP's; a test that logs in through the form
# upgrades its copy's hash to OWASP's on that login, as the app does with any outdated hash.
TEST_PASSWORD_HASHING = CHEAP


# The demo is dated relative to its seed date; tests pin it, so their figures never move. They
# start from the story without the newcomer's recent activity (the planning and mail tests plan
# their own meetings, the health tests rely on Netivot's gap).
def seed_for_tests(db: Database) -> None:
    seed_demo(db, hashing=TEST_PASSWORD_HASHING, as_of=DEMO_AS_OF, recent_activity=False)


def build_sqlite_template(directory: Path) -> Path:
    path = directory / "template.db"
    db = Database(f"sqlite:///{path}")
    migrate(db)
    seed_for_tests(db)
    db.dispose()
    return path


def copy_sqlite(template: Path, target: Path) -> str:
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def restore_sqlite(source: Path, target: Path) -> str:
    """Make `target` hold what `source` holds, in place, through SQLite's backup API: a server
    with connections open on `target` reads the new content in its next transaction (a file copied
    over it would leave those connections on the old file, or on a mix)."""
    with (
        closing(sqlite3.connect(source)) as read,
        closing(sqlite3.connect(target, timeout=15)) as written,
    ):
        read.backup(written)
    return f"sqlite:///{target}"


def build_pg_template(server_url: str, name: str = "employdash_template") -> str:
    from tests.support.postgres import create_database

    url = create_database(server_url, name)
    db = Database(url)
    migrate(db)
    seed_for_tests(db)
    db.dispose()
    return name


def _sqlite_transactions_by_sqlalchemy(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite opens transactions itself (and not before a SELECT), which breaks SAVEPOINT;
    # SQLAlchemy's documented recipe hands that to SQLAlchemy's BEGIN (`_sqlite_begin`).
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


class RolledBackDatabase(Database):
    """A database every session of which joins one connection's open transaction as a savepoint.

    A session's commit releases its savepoint and its rollback returns to it, so the product's
    transactions keep their meaning (what one commits the next one reads; a failed one leaves
    nothing), and `rolled_back()` ends a test by rolling the whole transaction back: the next test
    starts from the same data without a new copy of the database (a PostgreSQL copy is a
    checkpoint and a file copy in the server, a SQLite copy 8 MB written). Only for tests that
    reach the database through `transaction()` alone: another connection (`engine`) neither sees
    the open transaction nor is rolled back with it.
    """

    def __init__(self, url: str) -> None:
        super().__init__(url)
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_transactions_by_sqlalchemy)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._connection = self.engine.connect()
        self._sessions = sessionmaker(
            bind=self._connection,
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
        )

    @contextmanager
    def rolled_back(self) -> Iterator[None]:
        """Everything committed inside is rolled back at the end."""
        outer = self._connection.begin()
        try:
            yield
        finally:
            outer.rollback()

    def dispose(self) -> None:
        self._connection.close()
        super().dispose()
