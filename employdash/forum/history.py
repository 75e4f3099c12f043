"""The history of one forum record (a task, decision, focus, metric or meeting) for everyone who
may read the forum: its audit rows, and those of the rows that belong to it (a task's notes, a
metric's values), in words (`employdash.history`)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select

from employdash.access import Actor, Area, ReadScope, read_scope
from employdash.audit import AuditRow
from employdash.db import Database
from employdash.history import HistoryLine, lines
from employdash.models import AuditEntry
from employdash.models.base import as_row
from employdash.models.forum import MetricValue, TaskNote

# The record kinds that show a history, and the audit entity each is written under.
ENTITIES = {
    "task": "task",
    "decision": "decision",
    "focus": "strategic_focus",
    "metric": "success_metric",
    "meeting": "meeting",
}
MAX_LINES = 200


def _rows_of(scope: ReadScope, kind: str, record_id: int) -> ColumnElement[bool]:
    """The audit rows, in the reader's scope, of the record and of what belongs to it."""
    own = (AuditEntry.entity == ENTITIES[kind]) & (AuditEntry.entity_id == str(record_id))
    parts = {
        "task": ("task_note", select(TaskNote.id).where(TaskNote.task_id == record_id)),
        "metric": (
            "metric_value",
            select(MetricValue.id).where(MetricValue.metric_id == record_id),
        ),
    }
    scoped = scope.of(AuditEntry.locality_code)
    if kind not in parts:
        return scoped & own
    entity, ids = parts[kind]
    belonging = (AuditEntry.entity == entity) & AuditEntry.entity_id.in_(
        select(ids.subquery().c.id.cast(AuditEntry.entity_id.type))
    )
    return scoped & or_(own, belonging)


def record_history(
    db: Database, actor: Actor, locality_code: int, kind: str, record_id: int, lang: str
) -> list[HistoryLine]:
    """Who changed the record, what and when, newest first, in the reader's language."""
    scope = read_scope(actor, Area.FORUM, locality_code)  # first: a refusal says nothing more
    if kind not in ENTITIES:
        raise ValueError(f"no history for {kind!r}")
    with db.transaction() as s:
        rows = [
            as_row(AuditRow, r)
            for r in s.scalars(
                select(AuditEntry)
                .where(_rows_of(scope, kind, record_id))
                .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                .limit(MAX_LINES)
            )
        ]
    return lines(db, rows, lang)
