"""The audit log: who changed what, when, with the values before and after."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Concatenate, ParamSpec, TypedDict

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from employdash.access import Actor, Area, require_read
from employdash.db import Database
from employdash.models import AuditEntry
from employdash.models.base import as_row, table_of

P = ParamSpec("P")
# Values JSON keeps as they are, passed through without a call (an import's entries hold
# hundreds of thousands of them).
_PLAIN = frozenset({str, int, float, bool, type(None)})


def jsonable(value: Any) -> Any:
    """`value` as JSON stores it (dates as ISO text, decimals as floats, collections as lists)."""
    if type(value) in _PLAIN:  # most values: checked first, once
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): v if type(v) in _PLAIN else jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [v if type(v) in _PLAIN else jsonable(v) for v in value]
    return value


def entry(
    actor: Actor | str,
    action: str,
    entity: str,
    entity_id: Any = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    locality_code: int | None = None,
) -> dict[str, Any]:
    """The columns of one audit row, as stored."""
    return {
        "username": actor if isinstance(actor, str) else actor.username,
        "action": action,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "locality_code": locality_code,
        "before": jsonable(before) if before is not None else None,
        "after": jsonable(after) if after is not None else None,
    }


def _adding(
    make: Callable[P, dict[str, Any]],
) -> Callable[Concatenate[Session, P], None]:
    def record(session: Session, /, *args: P.args, **kwargs: P.kwargs) -> None:
        """Add an entry in the caller's transaction, so the log and the change land together."""
        session.add(AuditEntry(**make(*args, **kwargs)))

    return record


# `record(session, actor, action, entity, ...)`: one entry, with `entry`'s arguments.
record = _adding(entry)


def record_all(session: Session, entries: list[dict[str, Any]]) -> None:
    """Write the rows `entry` made in one statement in the caller's transaction: a command that
    changes many records (a meeting's tasks, an import) logs them without a unit of work per row."""
    if entries:
        session.execute(_INSERT, entries)


_INSERT = insert(table_of(AuditEntry))


def changed_fields(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that differ, so an entry shows the change and not the whole record."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


@dataclass(frozen=True)
class AuditFilter:
    username: str | None = None
    entity: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 500


class AuditRow(TypedDict):
    """An audit entry as the Audit page lists it."""

    at: datetime
    username: str
    action: str
    entity: str
    entity_id: str | None
    locality_code: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def list_entries(db: Database, actor: Actor, flt: AuditFilter = AuditFilter()) -> list[AuditRow]:
    require_read(actor, Area.AUDIT)
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if flt.username:
        query = query.where(AuditEntry.username == flt.username)
    if flt.entity:
        query = query.where(AuditEntry.entity == flt.entity)
    if flt.action:
        query = query.where(AuditEntry.action == flt.action)
    if flt.since:
        query = query.where(AuditEntry.at >= flt.since)
    if flt.until:
        query = query.where(AuditEntry.at < flt.until)
    with db.transaction() as s:
        rows = s.scalars(query.limit(flt.limit)).all()
        return [as_row(AuditRow, r) for r in rows]


def distinct_values(db: Database, actor: Actor, column: str) -> list[str]:
    require_read(actor, Area.AUDIT)
    col = getattr(AuditEntry, column)
    with db.transaction() as s:
        return sorted(v for v in s.scalars(select(col).distinct()) if v)
