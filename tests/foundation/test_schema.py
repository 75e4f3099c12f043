"""The same migrations build the same schema on SQLite and PostgreSQL, and match the models."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select

from employdash.db import Database, check_schema
from employdash.models import AuditEntry, Base


def _shape(db: Database) -> dict[str, set[str]]:
    inspector = inspect(db.engine)
    return {
        t: {c["name"] for c in inspector.get_columns(t)}
        for t in inspector.get_table_names()
        if t != "alembic_version"
    }


def test_migrations_match_the_models(db: Database) -> None:
    check_schema(db)  # at head
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_sqlite_and_postgresql_have_the_same_tables_and_columns(
    sqlite_db: Database, pg_db: Database
) -> None:
    assert _shape(sqlite_db) == _shape(pg_db)


def test_a_stored_time_comes_back_in_utc(db: Database) -> None:
    """SQLite keeps no zone: the column type puts UTC back, so times compare and convert alike
    on both databases."""
    with db.transaction() as s:
        entry = AuditEntry(username="t", action="probe", entity="probe", entity_id="1")
        s.add(entry)
        s.flush()
        entry_id = entry.id
    with db.transaction() as s:
        at = s.scalar(select(AuditEntry.at).where(AuditEntry.id == entry_id))
    assert at is not None and at.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - at) < timedelta(minutes=5)
