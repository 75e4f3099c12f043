"""Declarative base with a naming convention, so constraints have stable names on every database
(Alembic's batch mode on SQLite needs them to alter tables)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, MetaData
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSON on SQLite, JSONB on PostgreSQL.
JsonType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(DateTime):
    """Timezone-aware timestamps on both databases (SQLite drops the zone, so it is put back)."""

    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def result_processor(
        self, dialect: Dialect, coltype: object
    ) -> Callable[[Any], datetime | None]:
        parent = super().result_processor(dialect, coltype)

        def process(value: Any) -> datetime | None:
            if parent is not None:
                value = parent(value)
            when: datetime | None = value
            if when is not None and when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            return when

        return process


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
