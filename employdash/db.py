"""The database gateway: the only module that knows the URL and opens connections.

Services receive a `Database` and run each operation in one `transaction()`, so a failure midway
rolls everything back. Connection failures surface as `DatabaseUnavailable`, which the UI shows as
a message instead of a stack trace. On PostgreSQL the pool checks each connection before use
(`pool_pre_ping`), so after an outage the app recovers by itself once the server is back: the dead
connections are dropped and new ones made, with no restart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import CursorResult, Engine, Executable, Result, create_engine, event, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from employdash.errors import DatabaseUnavailable, SchemaOutdated

if TYPE_CHECKING:  # imported when used: Alembic is not needed to serve pages
    from alembic.config import Config as AlembicConfig

ROOT = Path(__file__).resolve().parent.parent


def _enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers proceed while one writer writes.
    # In WAL mode `synchronous=NORMAL` syncs the log at checkpoints, not at every commit: the
    # database cannot be corrupted, and only a power cut (not a crashed process) can undo the
    # last commits. SQLite's own advice for WAL; a commit per sent message was an fsync each.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 15})
        event.listen(engine, "connect", _enable_sqlite_pragmas)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        # A server that does not answer is an outage message after 5 s, not a frozen page.
        connect_args={"connect_timeout": 5},
    )


def outage(exc: BaseException) -> DatabaseUnavailable | None:
    """The outage an exception means, if it means one (a lost or refused connection)."""
    if isinstance(exc, DatabaseUnavailable):
        return exc
    if isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    ):
        return DatabaseUnavailable(str(getattr(exc, "orig", exc)))
    return None


def _quietly(step: Callable[[], None]) -> None:
    """Roll back or close a session whose connection may be dead: the server has already dropped
    the transaction, and the error that matters is the one being raised."""
    with suppress(DBAPIError):
        step()


class Database:
    """One engine and its session factory."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits together at the end, or not at all."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except DBAPIError as exc:
            _quietly(session.rollback)
            unavailable = outage(exc)
            if unavailable is not None:
                raise unavailable from exc
            raise
        except BaseException:
            _quietly(session.rollback)
            raise
        finally:
            _quietly(session.close)

    def execute(self, statement: Executable) -> None:
        """One statement in a transaction of its own, without an ORM session: the sender records
        each message's outcome this way, thousands of times in a run."""
        try:
            with self.engine.begin() as conn:
                conn.execute(statement)
        except DBAPIError as exc:
            unavailable = outage(exc)
            if unavailable is not None:
                raise unavailable from exc
            raise

    def ping(self) -> None:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except DBAPIError as exc:
            raise DatabaseUnavailable(str(getattr(exc, "orig", exc))) from exc

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(url: str) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["database_url"] = url
    return cfg


def migrate(db: Database) -> None:
    """Bring the schema to the newest revision (the same migrations on SQLite and PostgreSQL)."""
    from alembic import command

    cfg = alembic_config(db.url)
    with db.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


@lru_cache(maxsize=1)
def code_head() -> str | None:
    """The newest migration the code ships (read once per process: the files do not change)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("")).get_current_head()


def check_schema(db: Database) -> None:
    """Raise `SchemaOutdated` when the database is behind the code's migrations.

    Runs on every page load, so it costs one small query: the revision read doubles as the
    connection check (`DatabaseUnavailable` when the server cannot be reached).
    """
    from alembic.runtime.migration import MigrationContext

    head = code_head()
    try:
        with db.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except DBAPIError as exc:
        raise DatabaseUnavailable(str(getattr(exc, "orig", exc))) from exc
    if current != head:
        raise SchemaOutdated(
            f"database at {current}, code expects {head}", current=current, head=head
        )


@lru_cache(maxsize=4)
def get_database(url: str) -> Database:
    return Database(url)


def rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE or DELETE matched: the optimistic version check reads it (0 means someone
    else saved first). `Session.execute` is typed as returning a plain `Result`."""
    return cast("CursorResult[Any]", result).rowcount
