"""Correcting a saved meeting and deleting one with a reason.

A meeting is the forum's record: a mistaken date or attendance must be put right, not kept. Both
commands name the version the user opened (the mapper puts it in the UPDATE's or DELETE's WHERE
clause, so a concurrent correction is refused with what it changed rather than overwritten) and
leave an audit row with the record as it was and as it became. The minutes are built from the
record, so they follow. A correction tells `meeting.corrected` (and `meeting.scheduled` when the
next meetings moved, `task.assigned` / `task.updated` for the tasks it changed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from employdash.access import Actor
from employdash.commands import Ref, Write, execute, ids, ref
from employdash.db import Database
from employdash.errors import NotFound, ValidationError
from employdash.events import EventName
from employdash.forum.meetings import (
    MEETING_EVENTS,
    MeetingContent,
    MeetingInput,
    announce,
    announce_schedule,
    meeting_columns,
)
from employdash.forum.states import TASK
from employdash.forum.structure import ForumChange
from employdash.forum.tasks import announce_owner
from employdash.forum.trash import trash_meeting
from employdash.handed_ids import forum_person, in_scope, locality_of
from employdash.models import Person
from employdash.models.base import utcnow
from employdash.models.forum import (
    TASK_CANCELLED,
    Attendance,
    Decision,
    Meeting,
    MeetingAttachment,
    MeetingGuest,
    StrategicFocus,
    Task,
    Team,
)
from employdash.writers import writer


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
    team_id: int | None = None
    focus_id: int | None = None


TASK_FIELDS = ("title", "owner_person_id", "due_date", "status", "team_id", "focus_id")


@dataclass
class TaskEdit:
    """A `TaskCorrection` as the command holds it: the task, its owner, team and focus as
    references (a team or focus of this forum only)."""

    task: Ref[Task]
    version: int
    title: str | None
    owner: Ref[Person] | None = None
    due_date: date | None = None
    cancel: bool = False
    read: dict[str, Any] | None = None  # the task as the form opened it
    team: Ref[Team] | None = None
    focus: Ref[StrategicFocus] | None = None

    @classmethod
    def of(cls, edit: TaskCorrection, opened: TaskCorrection | None = None) -> TaskEdit:
        read = None if opened is None else {f: getattr(opened, f) for f in TASK_FIELDS}
        return cls(
            Ref(Task, edit.task_id),
            edit.version,
            edit.title,
            ref(Person, edit.owner_person_id, within=forum_person),
            edit.due_date,
            edit.cancel,
            read,
            ref(Team, edit.team_id),
            ref(StrategicFocus, edit.focus_id),
        )


def meeting_tasks(db: Database, actor: Actor, meeting_id: int) -> list[TaskCorrection]:
    """The tasks a meeting created, oldest first, to be corrected with the meeting."""
    with db.transaction() as s:
        in_scope(s, actor, Meeting, meeting_id)
        return [
            TaskCorrection(
                t.id,
                t.version,
                t.title,
                t.owner_person_id,
                t.due_date,
                t.status,
                team_id=t.team_id,
                focus_id=t.focus_id,
            )
            for t in s.scalars(select(Task).where(Task.meeting_id == meeting_id).order_by(Task.id))
        ]


def _owned(s: Session, meeting_id: int) -> dict[str, Any]:
    """The rows a meeting owns, as the audit keeps them: who came, guests, links and decisions."""
    return {
        "attendance": {
            str(a.person_id): a.present
            for a in s.scalars(select(Attendance).where(Attendance.meeting_id == meeting_id))
        },
        "guests": [
            g.name
            for g in s.scalars(select(MeetingGuest).where(MeetingGuest.meeting_id == meeting_id))
        ],
        "attachments": [
            a.url or a.title
            for a in s.scalars(
                select(MeetingAttachment).where(MeetingAttachment.meeting_id == meeting_id)
            )
        ],
        "decisions": list(
            s.scalars(
                select(Decision.text).where(Decision.meeting_id == meeting_id).order_by(Decision.id)
            )
        ),
    }


def _snapshot(s: Session, meeting: Meeting) -> dict[str, Any]:
    """The meeting as the audit keeps it: its fields and the rows it owns."""
    return {
        "team_id": meeting.team_id,
        "kind": meeting.kind,
        "number": meeting.number,
        "held_on": meeting.held_on,
        "agenda": list(meeting.agenda or []),
        "issues": meeting.issues,
        "next_dates": list(meeting.next_dates or []),
        **_owned(s, meeting.id),
    }


@dataclass(kw_only=True)
class CorrectMeeting(
    MeetingContent,
    texts={**MeetingContent.texts, "edits[].title": "task/title"},
    emits=MEETING_EVENTS | {EventName.MEETING_CORRECTED, EventName.TASK_UPDATED},
):
    """Replace the meeting's record (as read at `version`); returns the new version.

    Attendance, guests, links and the agenda are replaced. A decision named in `decision_ids`
    (the line it is on) keeps its state with its text corrected: a closed decision stays closed,
    with what came of it; a line naming none keeps the decision of the same text, if any, or adds
    an open one; a decision no line keeps is deleted.
    `tasks` are tasks added by the correction. `edits` correct the tasks the meeting created
    (title, owner, due date, or cancelled), each guarded by its own version and audited as a task
    update; a task changed meanwhile refuses the whole correction.
    """

    meeting: Ref[Meeting]
    version: int
    edits: list[TaskEdit] = field(default_factory=list)
    read: dict[str, Any] | None = None  # the meeting's columns as the form opened them
    decision_ids: list[Ref[Decision] | None] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        meeting_id: int,
        version: int,
        data: MeetingInput,
        task_edits: Sequence[TaskCorrection] = (),
        opened: MeetingInput | None = None,
        opened_tasks: Sequence[TaskCorrection] = (),
    ) -> CorrectMeeting:
        """`opened` and `opened_tasks`, the meeting and its tasks as the form opened them, let a
        stale refusal name exactly the fields the other person changed."""
        tasks_read = {t.task_id: t for t in opened_tasks}
        read = None
        if opened is not None:
            read = meeting_columns(
                opened.team_id, opened.kind, opened.number, opened.held_on, opened.agenda,
                opened.issues, opened.next_dates,
            )  # fmt: skip
        return cls(
            **cls.content(data),
            meeting=Ref(Meeting, meeting_id),
            version=version,
            edits=[TaskEdit.of(e, tasks_read.get(e.task_id)) for e in task_edits],
            read=read,
            decision_ids=[ref(Decision, i) for i in data.decision_ids],
        )

    def validate(self, w: Write) -> None:
        super().validate(w)
        for edit in self.edits:
            task = w.get(edit.task)
            if task.meeting_id != self.meeting.id:
                raise NotFound(f"task {task.id}")  # not a task this meeting created
            if not edit.title:
                raise ValidationError({"tasks": "validation.required"})
        for named in self.decision_ids:
            if named is not None and w.get(named).meeting_id != self.meeting.id:
                raise NotFound(f"decision {named.id}")  # not a decision of this meeting

    def run(self, w: Write) -> int:
        s, meeting = w.session, w.get(self.meeting)
        mid, previous = meeting.id, list(meeting.next_dates or [])
        before = _owned(s, mid)
        for model in (Attendance, MeetingGuest, MeetingAttachment):
            s.execute(delete(model).where(model.meeting_id == mid))
        self.write_owned(w, mid)
        self._correct_decisions(w, mid)
        corrected = self._correct_tasks(w)
        added = self.add_tasks(w, meeting.forum_id, mid)
        s.flush()
        after = _owned(s, mid)
        if added:
            after["tasks_added"] = added
        if corrected:
            after["tasks_corrected"] = corrected
        changed = w.update(
            meeting, self.version, self.columns(), read=self.read, owned=(before, after)
        )
        if changed:
            announce(
                w,
                EventName.MEETING_CORRECTED,
                meeting,
                held_on=meeting.held_on,
                changed=sorted(changed),
            )
            announce_schedule(w, meeting, previous)
        return meeting.version

    def _correct_decisions(self, w: Write, meeting_id: int) -> None:
        """The meeting's decisions as the lines now read (see the class's docstring)."""
        s = w.session
        existing = {
            d.id: d for d in s.scalars(select(Decision).where(Decision.meeting_id == meeting_id))
        }
        named = [None if r is None else r.id for r in self.decision_ids]
        named += [None] * (len(self.decisions) - len(named))
        kept: set[int] = set()
        unnamed: list[str] = []
        for text, decision_id in zip(self.decisions, named, strict=False):
            if text and decision_id is not None and decision_id not in kept:
                existing[decision_id].text = text
                kept.add(decision_id)
            elif text:
                unnamed.append(text)
        same_text = {d.text: d for d in existing.values() if d.id not in kept}
        for text in dict.fromkeys(unnamed):
            if text in same_text:
                kept.add(same_text.pop(text).id)
            else:
                s.add(Decision(meeting_id=meeting_id, text=text, is_open=True))
        for decision in existing.values():
            if decision.id not in kept:
                s.delete(decision)

    def _correct_tasks(self, w: Write) -> list[int]:
        """Apply the corrections of the meeting's own tasks; returns the ids changed."""
        changed: list[int] = []
        for edit in self.edits:
            task = w.get(edit.task)
            owner_before, status = task.owner_person_id, task.status
            values = ids(
                {
                    "title": edit.title,
                    "owner_person_id": edit.owner,
                    "due_date": edit.due_date,
                    "team_id": edit.team,
                    "focus_id": edit.focus,
                    "status": TASK_CANCELLED if edit.cancel else status,
                }
            )
            if all(getattr(task, k) == v for k, v in values.items()):
                continue
            if task.version == edit.version:  # a stale one is refused as such, by the update
                TASK.move(status, values["status"], field="tasks")
            fields = w.update(task, edit.version, values, read=edit.read, entity="task")
            w.emit(
                EventName.TASK_UPDATED,
                task.id,
                entity="task",
                changed=sorted(fields),
                status=task.status,
            )
            announce_owner(w, task, owner_before)
            changed.append(task.id)
        return changed


correct_meeting = writer(CorrectMeeting.of)


@dataclass
class DeleteMeeting(
    ForumChange[None],
    entity="meeting",
    reason="meeting/delete_reason",
    emits=frozenset({EventName.MEETING_SCHEDULED}),
):
    """Delete a meeting recorded by mistake, with the reason. The tasks it created stay in the
    work plan (they no longer name the meeting); its attendance and decisions go with it to the
    trash (a manager can restore them), and the next meetings it set are withdrawn
    (`meeting.scheduled` with no dates)."""

    locality_code: int
    meeting: Ref[Meeting]
    version: int
    reason: str | None

    def run(self, w: Write) -> None:
        s, meeting = w.session, w.get(self.meeting)
        mid, dates = meeting.id, list(meeting.next_dates or [])
        before = _snapshot(s, meeting)
        before["tasks"] = list(s.scalars(select(Task.id).where(Task.meeting_id == mid)))
        trash_meeting(w, meeting, self.reason)
        s.execute(
            update(Task)
            .where(Task.meeting_id == mid)
            .values(meeting_id=None, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        announce_schedule(w, meeting, dates, dates=[])
        w.delete(meeting, before, version=self.version, after={"reason": self.reason})


def delete_meeting(
    db: Database, actor: Actor, locality_code: int, meeting_id: int, version: int, reason: str
) -> None:
    execute(db, actor, DeleteMeeting.of(locality_code, meeting_id, version, reason))


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
                decision_ids=list(
                    s.scalars(
                        select(Decision.id)
                        .where(Decision.meeting_id == meeting_id)
                        .order_by(Decision.id)
                    )
                ),
                attachments=links,
                next_dates=[date.fromisoformat(x) for x in snap["next_dates"]],
            ),
            meeting.version,
        )
