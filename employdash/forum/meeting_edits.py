"""Correcting a saved meeting and deleting one with a reason.

A meeting is the forum's record: a mistaken date or attendance must be put right, not kept. Both
writes name the version the user opened (the version is in the UPDATE's or DELETE's WHERE clause,
so a concurrent correction is refused rather than overwritten) and leave an audit row with the
record as it was and as it became. The minutes are built from the record, so they follow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from employdash import audit
from employdash.access import Actor, Area, require_write
from employdash.db import Database, rowcount
from employdash.errors import NotFound, StaleVersion, ValidationError
from employdash.forum.meetings import MeetingInput, SaveMeeting
from employdash.forum.tasks import new_task_row
from employdash.handed_ids import forum_person, in_locality, in_scope, locality_of
from employdash.limits import clean_text
from employdash.models.base import utcnow
from employdash.models.forum import (
    TASK_CANCELLED,
    Attendance,
    Decision,
    Meeting,
    MeetingAttachment,
    MeetingGuest,
    Task,
)


@dataclass
class TaskCorrection:
    """One task the meeting created, as the correction form shows it and saves it back.

    `version` is the task's version when the form was opened: the task's UPDATE names it, so a
    task changed meanwhile on the task page is refused, not overwritten. `cancel` cancels the
    task (kept in the history, out of the counts), as a task decided by mistake is undone."""

    task_id: int
    version: int
    title: str
    owner_person_id: int | None = None
    due_date: date | None = None
    status: str = ""
    cancel: bool = False


TASK_FIELDS = ("title", "owner_person_id", "due_date", "status")


def meeting_tasks(db: Database, actor: Actor, meeting_id: int) -> list[TaskCorrection]:
    """The tasks a meeting created, oldest first, to be corrected with the meeting."""
    with db.transaction() as s:
        in_scope(s, actor, Meeting, meeting_id)
        return [
            TaskCorrection(t.id, t.version, t.title, t.owner_person_id, t.due_date, t.status)
            for t in s.scalars(select(Task).where(Task.meeting_id == meeting_id).order_by(Task.id))
        ]


def _correct_tasks(
    s: Session,
    actor: Actor,
    meeting_id: int,
    locality_code: int,
    edits: Sequence[TaskCorrection],
) -> list[int]:
    """Apply the corrections of the meeting's own tasks; returns the ids changed.

    Each task must be one this meeting created; an owner must be a person of the meeting's
    locality; each UPDATE names the version the form read. One audit row per changed task."""
    changed: list[int] = []
    for edit in edits:
        task = s.get(Task, edit.task_id)
        if task is None or task.meeting_id != meeting_id:
            raise NotFound(f"task {edit.task_id}")
        title = clean_text(edit.title, "task/title")
        if not title:
            raise ValidationError({"tasks": "validation.required"})
        if edit.owner_person_id is not None:
            forum_person(s, actor, edit.owner_person_id, locality_code)
        before = {f: getattr(task, f) for f in TASK_FIELDS}
        after = {
            **before,
            "title": title,
            "owner_person_id": edit.owner_person_id,
            "due_date": edit.due_date,
        }
        if edit.cancel:
            after["status"] = TASK_CANCELLED
        if after == before:
            continue
        if task.version != edit.version:
            raise StaleVersion(
                {f: (before[f], after[f]) for f in TASK_FIELDS if before[f] != after[f]},
                task.version,
            )
        if before["status"] == TASK_CANCELLED:
            raise ValidationError({"tasks": "task.cancelled_locked"})
        result = s.execute(
            update(Task)
            .where(
                Task.id == edit.task_id,
                Task.meeting_id == meeting_id,
                Task.version == edit.version,
            )
            .values(
                title=title,
                owner_person_id=edit.owner_person_id,
                due_date=edit.due_date,
                status=after["status"],
                version=edit.version + 1,
                updated_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            s.rollback()
            current = s.scalar(select(Task.version).where(Task.id == edit.task_id))
            raise StaleVersion({}, current or edit.version)
        old, new = audit.changed_fields(before, after)
        new["meeting_id"] = meeting_id
        audit.record(
            s,
            actor,
            "update",
            "task",
            edit.task_id,
            before=old,
            after=new,
            locality_code=locality_code,
        )
        changed.append(edit.task_id)
    return changed


def _snapshot(s: Session, meeting: Meeting) -> dict[str, Any]:
    """The meeting as the audit keeps it: its fields, who came, guests, links and decisions."""
    mid = meeting.id
    return {
        "team_id": meeting.team_id,
        "kind": meeting.kind,
        "number": meeting.number,
        "held_on": meeting.held_on,
        "agenda": list(meeting.agenda or []),
        "issues": meeting.issues,
        "next_dates": list(meeting.next_dates or []),
        "attendance": {
            str(a.person_id): a.present
            for a in s.scalars(select(Attendance).where(Attendance.meeting_id == mid))
        },
        "guests": [
            g.name for g in s.scalars(select(MeetingGuest).where(MeetingGuest.meeting_id == mid))
        ],
        "attachments": [
            a.url or a.title
            for a in s.scalars(select(MeetingAttachment).where(MeetingAttachment.meeting_id == mid))
        ],
        "decisions": list(
            s.scalars(select(Decision.text).where(Decision.meeting_id == mid).order_by(Decision.id))
        ),
    }


def _stale(s: Session, meeting_id: int, version: int) -> StaleVersion:
    s.rollback()
    current = s.scalar(select(Meeting.version).where(Meeting.id == meeting_id))
    return StaleVersion({}, current or version)


def correct_meeting(
    db: Database,
    actor: Actor,
    meeting_id: int,
    version: int,
    data: MeetingInput,
    task_edits: Sequence[TaskCorrection] = (),
) -> int:
    """Replace the meeting's record with `data` (as read at `version`); returns the new version.

    Attendance, guests, links and the agenda are replaced. Decisions are matched by text: one
    still listed keeps its state (closed stays closed), one removed is deleted, a new one is added.
    `data.tasks` are tasks added by the correction. `task_edits` correct the tasks the meeting
    created (title, owner, due date, or cancelled), each guarded by its own version and audited
    as a task update; a task changed meanwhile refuses the whole correction.
    """
    require_write(actor, Area.FORUM, data.locality_code)
    with db.transaction() as s:
        meeting = in_locality(s, actor, Meeting, meeting_id, data.locality_code)
        forum, team = SaveMeeting(db, actor, data).validate(s)
        before = _snapshot(s, meeting)
        result = s.execute(
            update(Meeting)
            .where(Meeting.id == meeting_id, Meeting.version == version)
            .values(
                team_id=team.id,
                kind=data.kind,
                number=data.number,
                held_on=data.held_on,
                agenda=[a for a in data.agenda if a.strip()],
                issues=data.issues.strip() or None,
                next_dates=sorted({x.isoformat() for x in data.next_dates}),
                version=version + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            raise _stale(s, meeting_id, version)
        for model in (Attendance, MeetingGuest, MeetingAttachment):
            s.execute(delete(model).where(model.meeting_id == meeting_id))
        if data.attendance:
            s.execute(
                insert(Attendance),
                [
                    {"meeting_id": meeting_id, "person_id": p, "present": bool(v)}
                    for p, v in data.attendance.items()
                ],
            )
        for guest in data.guests:
            s.add(
                MeetingGuest(
                    meeting_id=meeting_id,
                    name=guest["name"].strip(),
                    organisation=(guest.get("organisation") or "").strip() or None,
                )
            )
        for link in data.attachments:
            if (link.get("title") or link.get("url") or "").strip():
                s.add(
                    MeetingAttachment(
                        meeting_id=meeting_id,
                        title=(link.get("title") or link["url"]).strip(),
                        url=(link.get("url") or "").strip() or None,
                    )
                )
        wanted = [t.strip() for t in data.decisions if t.strip()]
        existing = list(s.scalars(select(Decision).where(Decision.meeting_id == meeting_id)))
        kept = {d.text for d in existing if d.text in wanted}
        for d in existing:
            if d.text not in wanted:
                s.delete(d)
        for text in dict.fromkeys(wanted):
            if text not in kept:
                s.add(Decision(meeting_id=meeting_id, text=text, is_open=True))
        corrected = _correct_tasks(s, actor, meeting_id, data.locality_code, task_edits)
        for values in data.tasks:
            s.add(Task(**new_task_row(forum.id, {"team_id": team.id, **values}, meeting_id)))
        s.flush()
        meeting_after = s.get_one(Meeting, meeting_id)
        s.refresh(meeting_after)
        old, new = audit.changed_fields(before, _snapshot(s, meeting_after))
        if data.tasks:
            new["tasks_added"] = [t["title"] for t in data.tasks]
        if corrected:
            new["tasks_corrected"] = corrected
        audit.record(
            s,
            actor,
            "update",
            "meeting",
            meeting_id,
            before=old,
            after=new,
            locality_code=data.locality_code,
        )
        return version + 1


def delete_meeting(
    db: Database, actor: Actor, locality_code: int, meeting_id: int, version: int, reason: str
) -> None:
    """Delete a meeting recorded by mistake, with the reason. The tasks it created stay in the
    work plan (they no longer name the meeting); its attendance and decisions go with it."""
    require_write(actor, Area.FORUM, locality_code)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "validation.required"})
    with db.transaction() as s:
        meeting = in_locality(s, actor, Meeting, meeting_id, locality_code)
        before = _snapshot(s, meeting)
        before["tasks"] = list(s.scalars(select(Task.id).where(Task.meeting_id == meeting_id)))
        s.execute(
            update(Task)
            .where(Task.meeting_id == meeting_id)
            .values(meeting_id=None, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        s.expunge(meeting)
        result = s.execute(
            delete(Meeting)
            .where(Meeting.id == meeting_id, Meeting.version == version)
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            raise _stale(s, meeting_id, version)
        audit.record(
            s,
            actor,
            "delete",
            "meeting",
            meeting_id,
            before=before,
            after={"reason": reason},
            locality_code=locality_code,
        )


def meeting_input(db: Database, actor: Actor, meeting_id: int) -> tuple[MeetingInput, int]:
    """A saved meeting as the form's input (to open it for correction), with its version."""
    with db.transaction() as s:
        meeting = in_scope(s, actor, Meeting, meeting_id)
        locality_code = int(locality_of(s, Meeting, meeting_id) or 0)
        snap = _snapshot(s, meeting)
        guests = [
            {"name": g.name, "organisation": g.organisation or ""}
            for g in s.scalars(select(MeetingGuest).where(MeetingGuest.meeting_id == meeting_id))
        ]
        links = [
            {"title": a.title, "url": a.url or ""}
            for a in s.scalars(
                select(MeetingAttachment).where(MeetingAttachment.meeting_id == meeting_id)
            )
        ]
        return (
            MeetingInput(
                locality_code=locality_code,
                team_id=meeting.team_id,
                held_on=meeting.held_on,
                kind=meeting.kind,
                number=meeting.number,
                agenda=snap["agenda"],
                attendance={int(k): bool(v) for k, v in snap["attendance"].items()},
                guests=guests,
                issues=meeting.issues or "",
                decisions=snap["decisions"],
                attachments=links,
                next_dates=[date.fromisoformat(x) for x in snap["next_dates"]],
            ),
            meeting.version,
        )
