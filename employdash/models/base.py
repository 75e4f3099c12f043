"""Declarative base with a naming convention, so constraints have stable names on every database
(Alembic's batch mode on SQLite needs them to alter tables)."""

from __future__ import annotations

import dataclasses
import inspect
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import JSON, DateTime, Dialect, Integer, MetaData, Table, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

R = TypeVar("R")

# JSON on SQLite, JSONB on PostgreSQL.
JsonType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware timestamps on both databases (SQLite drops the zone, so it is put back).

    A decorator, not a subclass of `DateTime`: a dialect adapts a plain type to its own class
    (SQLite's `DATETIME`), so a subclass's result processor is never called."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table_of(model: type[Base]) -> Table:
    """The table `model` maps, typed as one: what a Core statement for many rows at once names
    (an insert that needs no unit of work)."""
    return Base.metadata.tables[model.__tablename__]


def as_row(kind: type[R], record: object, **renamed: str) -> R:
    """The row `kind` (a dataclass or a TypedDict a read returns) filled from `record`'s
    attributes of the same names; `renamed` names the attribute a field is read from where the
    two names differ."""
    if dataclasses.is_dataclass(kind):
        names = [f.name for f in dataclasses.fields(kind)]
    else:
        names = list(inspect.get_annotations(kind))
    return kind(**{name: getattr(record, renamed.get(name, name)) for name in names})


class VersionedRecord:
    """Mixed into a record that people edit: its `version` counter is the mapper's
    `version_id_col`, so every UPDATE and DELETE names the version it read and refuses when
    another save won (two people saving the same record never silently overwrite each other).
    A table whose counter has no server default redeclares `version` without one."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]  # mapped subclasses have a table
