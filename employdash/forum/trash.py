"""The forum's trash: a deleted meeting or task waits here with what hung on it, and a manager of
its locality restores it within `TRASH_DAYS`; the scheduled run forgets older ones.

The deletion and the restore are each audited (the audit rows stay when the trash forgets).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute

from employdash.access import Actor, Area, read_scope
from employdash.commands import Ref, Write
from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied, ValidationError
from employdash.forum.structure import ForumChange
from employdash.i18n import fmt_date
from employdash.models.forum import (
    Attendance,
    Decision,
    Meeting,
    MeetingAttachment,
    MeetingGuest,
    PlannedMeeting,
    Task,
    TaskNote,
    Team,
)
from employdash.models.record import TRASH_DAYS, Document, TrashItem
from employdash.trash import Link, cutoff, keep, put_back
from employdash.writers import writer

# What the trash holds, as the audit and the trash page name it.
TRASHED_ENTITIES = ("meeting", "task", "person")


def trash_meeting(w: Write, meeting: Meeting, reason: str | None) -> None:
    """Keep `meeting` and its rows (attendance, guests, links, decisions, documents) in the trash,
    with the tasks and planned meeting that named it; the caller deletes it."""
    team = w.session.get(Team, meeting.team_id)
    label = f"{team.name if team else ''} · {fmt_date(meeting.held_on, 'he')}"
    rows = [
        Meeting.id,
        Attendance.meeting_id,
        MeetingGuest.meeting_id,
        MeetingAttachment.meeting_id,
        Decision.meeting_id,
        Document.meeting_id,
    ]
    _keep(
        w, "meeting", meeting.id, label, reason, rows, [Task.meeting_id, PlannedMeeting.meeting_id]
    )


def trash_task(w: Write, task: Task, reason: str | None) -> None:
    """Keep `task` with its notes and documents in the trash, and the decisions it came from."""
    rows = [Task.id, TaskNote.task_id, Document.task_id]
    _keep(w, "task", task.id, task.title, reason, rows, [Decision.task_id])


def _keep(
    w: Write,
    entity: str,
    record_id: int,
    label: str,
    reason: str | None,
    rows: Sequence[InstrumentedAttribute[Any]],
    pointing: Sequence[InstrumentedAttribute[Any]],
) -> None:
    """`keep` the record and the rows whose column of `rows` names it (its own ID first), with
    the records whose column of `pointing` names it (named again when it comes back)."""
    s = w.session
    links = [
        Link(
            c.parent.class_.__tablename__,
            c.key,
            list(s.scalars(select(c.parent.class_.id).where(c == record_id))),
        )
        for c in pointing
    ]
    keep(
        s,
        locality_code=w.locality,
        entity=entity,
        entity_id=record_id,
        label=label,
        reason=reason,
        deleted_by=w.actor.username,
        tables=[(c.parent.class_, c == record_id) for c in rows],
        links=links,
    )


@dataclass
class RestoreFromTrash(ForumChange[int], entity="trash"):
    """A manager puts a deleted meeting, task or person back, with what hung on it; returns its ID.
    Audited twice: as the trash item's restore, and in the record's own history."""

    locality_code: int
    item: Ref[TrashItem]

    def validate(self, w: Write) -> None:
        if w.get(self.item).deleted_at < cutoff():
            raise NotFound(f"trash item {self.item.id} is past restoring")

    def run(self, w: Write) -> int:
        item = w.get(self.item)
        entity, label = item.entity, item.label
        try:
            with w.session.begin_nested():
                record_id = put_back(w.session, item)
        except (LookupError, IntegrityError):
            raise ValidationError({"item": "record.trash.cannot_restore"}) from None
        after = {"label": label}
        w.audit("restore", self.item.id, after={"entity": entity, "entity_id": record_id, **after})
        w.audit("restore", record_id, entity=entity, after=after)
        return record_id


restore_from_trash = writer(RestoreFromTrash.of)


@dataclass(frozen=True)
class TrashRow:
    id: int
    entity: str
    entity_id: int
    label: str
    reason: str | None
    deleted_by: str
    deleted_at: datetime
    restorable_until: datetime


def list_trash(db: Database, actor: Actor, locality_code: int) -> list[TrashRow]:
    """What a manager of the locality can restore, most recently deleted first (what is past
    restoring is not listed, even before the scheduled run forgets it)."""
    scope = read_scope(actor, Area.FORUM, locality_code)
    if not actor.can_write(Area.FORUM, locality_code):
        raise PermissionDenied(f"{actor.username} may not restore in locality {locality_code}")
    with db.transaction() as s:
        items = s.scalars(
            select(TrashItem)
            .where(scope.of(TrashItem.locality_code), TrashItem.deleted_at >= cutoff())
            .order_by(TrashItem.deleted_at.desc(), TrashItem.id.desc())
        )
        return [
            TrashRow(
                i.id,
                i.entity,
                i.entity_id,
                i.label,
                i.reason,
                i.deleted_by,
                i.deleted_at,
                i.deleted_at + timedelta(days=TRASH_DAYS),
            )
            for i in items
        ]
