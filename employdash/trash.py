"""Rows kept in the trash and put back: a deleted record's rows serialized as JSON, restored with
their own IDs.

Why a trash table and not a "deleted" column on each table: the record really leaves its tables,
so every read (scoped reads, read models, the briefing, the minutes, the mail) stays as it is and
cannot show a deleted record by forgetting a filter; the rows that hung on it (a meeting's
attendance, decisions, guests, documents) are kept with it and come back with it.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, select, update
from sqlalchemy.orm import Session
from sqlalchemy.types import Date, DateTime, LargeBinary, Time, TypeDecorator

from employdash.models import Base
from employdash.models.base import utcnow
from employdash.models.record import TRASH_DAYS, TrashItem

_BYTES = "$b64"


@dataclass(frozen=True)
class Link:
    """Rows of `table` that pointed at the deleted record through `column` (set to NULL when it
    went): pointed at it again when it comes back, if they still exist and point nowhere."""

    table: str
    column: str
    ids: list[int]


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _dump(value: Any) -> Any:
    if isinstance(value, bytes):
        return {_BYTES: base64.b64encode(value).decode("ascii")}
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def rows_of(s: Session, table: Table, where: ColumnElement[bool]) -> list[dict[str, Any]]:
    """The rows of `table` that `where` selects, as JSON values, in ID order where there is one."""
    query = select(table).where(where).order_by(*table.primary_key.columns)
    return [{k: _dump(v) for k, v in row._mapping.items()} for row in s.execute(query)]


def keep(
    s: Session,
    *,
    locality_code: int | None,
    entity: str,
    entity_id: int,
    label: str,
    reason: str | None,
    deleted_by: str,
    tables: Iterable[tuple[type[Base], ColumnElement[bool]]],
    links: Iterable[Link] = (),
) -> TrashItem:
    """Put the rows `tables` select (the record's model first, then what hangs on it) in the
    trash; the caller deletes them afterwards."""
    item = TrashItem(
        locality_code=locality_code,
        entity=entity,
        entity_id=entity_id,
        label=label[:300],
        reason=reason,
        deleted_by=deleted_by,
        rows={
            "tables": [
                [m.__tablename__, rows_of(s, _table(m.__tablename__), where)] for m, where in tables
            ],
            "links": [[k.table, k.column, k.ids] for k in links],
        },
    )
    s.add(item)
    s.flush()
    return item


def _load(column_type: Any, value: Any) -> Any:
    kind = column_type.impl if isinstance(column_type, TypeDecorator) else column_type
    if value is None:
        return None
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value[_BYTES])
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Time):
        return time.fromisoformat(value)
    return value


def _exists(s: Session, table: Table, column: str, value: Any) -> bool:
    return (
        s.execute(select(table.c[column]).where(table.c[column] == value).limit(1)).first()
        is not None
    )


def _restorable(
    s: Session, table: Table, row: dict[str, Any], moved: dict[tuple[str, Any], Any]
) -> dict[str, Any] | None:
    """`row` ready to insert: a reference to a row that came back under a new ID follows it; a
    reference to a row gone since (a task deleted after the meeting that decided it) becomes NULL
    where the column allows it; None when a required one is gone."""
    values = {name: _load(table.c[name].type, v) for name, v in row.items()}
    for fk in table.foreign_keys:
        name, value = fk.parent.name, values.get(fk.parent.name)
        target = fk.column.table
        if (target.name, value) in moved and fk.column.name == "id":
            values[name] = moved[target.name, value]
        elif value is not None and not _exists(s, target, fk.column.name, values[name]):
            if not fk.parent.nullable:
                return None
            values[name] = None
    return values


def _insert(
    s: Session, table: Table, values: dict[str, Any], moved: dict[tuple[str, Any], Any]
) -> None:
    """Insert `values` under their own ID, or a new one when it was taken meanwhile (SQLite
    gives the highest ID again once its row is deleted), remembered in `moved`."""
    old = values.get("id")
    if old is None or "id" not in table.c or not _exists(s, table, "id", old):
        s.execute(table.insert().values(values))
        return
    del values["id"]
    inserted: Any = s.execute(table.insert().values(values))  # a CursorResult
    new = inserted.inserted_primary_key[0]
    moved[table.name, old] = new


def put_back(s: Session, item: TrashItem) -> int:
    """Insert the item's rows again (what can no longer hang anywhere stays out) and point the
    linked rows at the record again; returns the record's ID (its own, or a new one when its
    own was taken meanwhile). Raises `LookupError` when the record itself cannot come back (what
    it belongs to is gone)."""
    moved: dict[tuple[str, Any], Any] = {}
    for position, (name, rows) in enumerate(item.rows["tables"]):
        table = _table(name)
        for row in rows:
            values = _restorable(s, table, row, moved)
            if values is None:
                if position == 0:
                    raise LookupError(f"{item.entity} {item.entity_id}: its owner is gone")
                continue
            _insert(s, table, values, moved)
    first = item.rows["tables"][0][0]
    record_id = moved.get((first, item.entity_id), item.entity_id)
    for name, column, ids in item.rows["links"]:
        table = _table(name)
        s.execute(
            update(table)
            .where(table.c.id.in_(ids), table.c[column].is_(None))
            .values({column: record_id})
        )
    s.delete(item)
    s.flush()
    return int(record_id)


def cutoff(now: datetime | None = None) -> datetime:
    """Items deleted before this moment are past restoring."""
    return (now or utcnow()) - timedelta(days=TRASH_DAYS)


def purge_expired(s: Session, now: datetime | None = None) -> int:
    """Forget what has been in the trash longer than `TRASH_DAYS` (the audit rows of the
    deletions stay); returns how many items went."""
    gone = s.execute(delete(TrashItem).where(TrashItem.deleted_at < cutoff(now)))
    return int(gone.rowcount or 0)  # type: ignore[attr-defined]  # a DELETE's result has a rowcount
