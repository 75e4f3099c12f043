"""The work plan's tasks: lists, "my tasks", and edits guarded by optimistic locking.

Who edits: managers and admins any task of their localities; a member only the status and progress
of tasks owned by them or by a team they sit in (not the plenary forum); leadership never.
Every save names the version it was read at; a newer version in the database means someone else
saved meanwhile, and the save is refused with what they changed (`StaleVersion`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol, TypedDict, TypeVar, cast

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from employdash.access import Actor, Area, read_scope, require_locality
from employdash.commands import Command, Handed, Ref, Write, as_refs, execute, ids
from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied, ValidationError
from employdash.events import EventName
from employdash.forum.states import TASK
from employdash.forum.structure import ForumChange, reading_existing_forum, require_forum
from employdash.forum.trash import trash_task
from employdash.handed_ids import forum_person, in_scope
from employdash.limits import clean_text
from employdash.models import Person
from employdash.models.forum import (
    TASK_CANCELLED,
    TASK_STATUSES,
    Decision,
    Forum,
    Meeting,
    Membership,
    StrategicFocus,
    Task,
    TaskNote,
    Team,
)
from employdash.writers import writer

MEMBER_FIELDS = ("status", "progress")
R = TypeVar("R")


class TaskRow(TypedDict):
    """A task as the board, the lists and "my tasks" show it, with who may edit it."""

    id: int
    title: str
    status: str
    progress: int
    due_date: date | None
    version: int
    owner_person_id: int | None
    team_id: int | None
    focus_id: int | None
    meeting_id: int | None
    completed_on: date | None
    created_at: datetime
    locality_code: int
    owner: str | None
    team: str | None
    focus: str | None
    meeting_date: date | None
    timing: str
    editable: bool


MANAGER_FIELDS = ("title", "owner_person_id", "due_date", "team_id", "focus_id", *MEMBER_FIELDS)
DUE_SOON_DAYS = 14


def own_team_ids(s: Session, person_id: int | None) -> set[int]:
    """Teams whose tasks a member may update: every team they sit in but the plenary forum."""
    if person_id is None:
        return set()
    return set(
        s.scalars(
            select(Membership.team_id)
            .join(Team, Team.id == Membership.team_id)
            .where(Membership.person_id == person_id, Team.kind != "forum")
        )
    )


def may_edit(actor: Actor, locality_code: int, task: Task | TaskRow, team_ids: set[int]) -> bool:
    if not actor.can_write(Area.TASKS, locality_code):
        return False
    if not actor.writes_own_only(Area.TASKS):
        return True
    owner, team = (
        (task.owner_person_id, task.team_id)
        if isinstance(task, Task)
        else (task["owner_person_id"], task["team_id"])
    )
    return (actor.person_id is not None and owner == actor.person_id) or team in team_ids


# What every read of tasks selects, built once (a fresh alias per read would defeat SQLAlchemy's
# compiled-statement cache); each read adds its own scope: the forum's tasks, or the actor's.
_owner = aliased(Person)
TASK_QUERY = (
    select(
        Task.id,
        Task.title,
        Task.status,
        Task.progress,
        Task.due_date,
        Task.version,
        Task.owner_person_id,
        Task.team_id,
        Task.focus_id,
        Task.meeting_id,
        Task.completed_on,
        Task.created_at,
        Forum.locality_code,
        _owner.full_name.label("owner"),
        Team.name.label("team"),
        StrategicFocus.title.label("focus"),
        Meeting.held_on.label("meeting_date"),
    )
    .join(Forum, Forum.id == Task.forum_id)
    .outerjoin(_owner, _owner.id == Task.owner_person_id)
    .outerjoin(Team, Team.id == Task.team_id)
    .outerjoin(StrategicFocus, StrategicFocus.id == Task.focus_id)
    .outerjoin(Meeting, Meeting.id == Task.meeting_id)
)


def timing(due: date | None, status: str, as_of: date) -> str:
    """'overdue', 'due_soon' or '' for a task on a given day."""
    if due is None or status in ("done", TASK_CANCELLED):
        return ""
    if due < as_of:
        return "overdue"
    return "due_soon" if due <= as_of + timedelta(days=DUE_SOON_DAYS) else ""


def _rows(
    s: Session,
    actor: Actor,
    query: Select[*tuple[Any, ...]],
    as_of: date,
    team_ids: set[int] | None = None,
) -> list[TaskRow]:
    if team_ids is None:
        team_ids = own_team_ids(s, actor.person_id)
    out: list[TaskRow] = []
    result = s.execute(query)
    keys = list(result.keys())
    for values in result:
        row = cast(TaskRow, dict(zip(keys, values, strict=True)))
        row["timing"] = timing(row["due_date"], row["status"], as_of)
        row["editable"] = may_edit(actor, row["locality_code"], row, team_ids)
        out.append(row)
    return out


def list_tasks(
    db: Database, actor: Actor, locality_code: int, as_of: date | None = None
) -> list[TaskRow]:
    """Every task of the locality's forum, for the board, the timeline and the lists."""
    as_of = as_of or date.today()
    with reading_existing_forum(db, actor, locality_code) as (s, forum):
        query = TASK_QUERY.where(Task.forum_id == forum.id).order_by(Task.due_date, Task.id)
        return _rows(s, actor, query, as_of)


def my_tasks(db: Database, actor: Actor, as_of: date | None = None) -> list[TaskRow]:
    """Tasks owned by the user's person or by their teams, open ones first, soonest due first."""
    as_of = as_of or date.today()
    if actor.person_id is None:
        return []
    with db.transaction() as s:
        team_ids = own_team_ids(s, actor.person_id)
        query = TASK_QUERY.where(
            (Task.owner_person_id == actor.person_id) | Task.team_id.in_(sorted(team_ids))
        )
        # Scope filtered here, not in SQL: a locality condition would steer SQLite away from
        # the owner/team indexes into scanning the whole forum's tasks.
        rows = [
            r for r in _rows(s, actor, query, as_of, team_ids) if actor.can_see(r["locality_code"])
        ]
    far = date.max
    return sorted(
        rows,
        key=lambda r: (
            r["status"] in ("done", "cancelled"),
            r["owner_person_id"] != actor.person_id,
            r["due_date"] or far,
            r["id"],
        ),
    )


def _snapshot(task: Task) -> dict[str, Any]:
    return {f: getattr(task, f) for f in MANAGER_FIELDS}


def _validate(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if "status" in values and values["status"] not in TASK_STATUSES:
        errors["status"] = "validation.invalid"
    if "progress" in values:
        p = values["progress"]
        if not isinstance(p, int) or not 0 <= p <= 100:
            errors["progress"] = "validation.out_of_range"
    if "title" in values:
        values["title"] = title = clean_text(values["title"], "task/title")
        if not title:
            errors["title"] = "validation.required"
    if errors:
        raise ValidationError(errors)


def _apply_status_rules(values: dict[str, Any]) -> dict[str, Any]:
    """Done means 100% and a completion day; reopening clears the day."""
    if values.get("status") == "done":
        values.setdefault("progress", 100)
    return values


# The IDs a task write is handed: the owner a person of the locality (or already sitting in its
# forum), a team or focus only of this forum.
TASK_REFS: dict[str, Handed] = {
    "owner_person_id": (Person, forum_person),
    "team_id": Team,
    "focus_id": StrategicFocus,
}
TASK_EVENTS = frozenset({EventName.TASK_ASSIGNED, EventName.TASK_UPDATED})


class AssignedTask(Protocol):
    """What `announce_owner` tells of a task: a stored one, or a row a meeting just inserted."""

    @property
    def id(self) -> int: ...
    @property
    def owner_person_id(self) -> int | None: ...
    @property
    def title(self) -> str: ...
    @property
    def due_date(self) -> date | None: ...
    @property
    def meeting_id(self) -> int | None: ...


def announce_owner(w: Write, task: AssignedTask, owner_before: int | None) -> None:
    """`task.assigned` when the task has an owner it did not have (made with one, or handed
    over): what the owner's mail needs, without reading the task again."""
    if task.owner_person_id is not None and task.owner_person_id != owner_before:
        w.emit(
            EventName.TASK_ASSIGNED,
            task.id,
            entity="task",
            owner_person_id=task.owner_person_id,
            title=task.title,
            due_date=task.due_date,
            meeting_id=task.meeting_id,
        )


@dataclass
class TaskWrite(
    Command[R], area=Area.TASKS, entity="task", invalidates=frozenset({Area.FORUM, Area.BRIEFING})
):
    """A write on a task by whoever may update it (a manager any task of the locality, a member
    their own or their team's tasks); the forum's pages and the briefing show tasks."""

    task: Ref[Task]

    def validate(self, w: Write) -> None:
        task = w.get(self.task)
        if not may_edit(w.actor, w.locality or 0, task, own_team_ids(w.session, w.actor.person_id)):
            raise PermissionDenied(f"{w.actor.username} may not edit task {task.id}")


@dataclass
class UpdateTask(
    TaskWrite[int],
    texts={"values.title": "task/title", "note": "task/note"},
    emits=TASK_EVENTS,
    id_fields={"values": TASK_REFS},
):
    """Save `values` over the task read at `version`; returns the new version.

    `read` (the values as the user saw them) lets a refusal name exactly the fields the other
    person changed. `note` is kept on the task; marking a task blocked needs one (the reason it
    is blocked). A member changes only the status and progress of their own or their team's
    tasks.
    """

    task: Ref[Task]
    version: int
    values: dict[str, Any]
    read: dict[str, Any] | None = None
    note: str | None = None

    @classmethod
    def of(
        cls,
        task_id: int,
        version: int,
        values: dict[str, Any],
        read: dict[str, Any] | None = None,
        note: str = "",
    ) -> UpdateTask:
        kept = as_refs(TASK_REFS, {k: v for k, v in values.items() if k in MANAGER_FIELDS})
        return cls(Ref(Task, task_id), version, kept, read, note)

    def validate(self, w: Write) -> None:
        super().validate(w)
        task, values = w.get(self.task), ids(self.values)
        if w.actor.writes_own_only(Area.TASKS) and set(values) - set(MEMBER_FIELDS):
            raise PermissionDenied(f"{w.actor.username} may only update status and progress")
        _validate(values)
        # (a stale version is refused as such first, by the update, with what changed)
        if task.version == self.version:
            TASK.move(task.status, values.get("status", task.status))
        if values.get("status") == "blocked" and task.status != "blocked" and not self.note:
            raise ValidationError({"note": "task.blocked_reason"})

    def run(self, w: Write) -> int:
        task, values = w.get(self.task), _apply_status_rules(ids(self.values))
        owner_before, status_before = task.owner_person_id, task.status
        status = values.get("status", task.status)
        completed = date.today() if status == "done" else None
        if status_before == "done" and status == "done":
            completed = task.completed_on
        changed = w.update(
            task, self.version, {**values, "completed_on": completed}, read=self.read
        )
        if self.note:
            _add_note(w, task, self.note)
        if changed:
            w.emit(EventName.TASK_UPDATED, task.id, changed=sorted(changed), status=task.status)
            announce_owner(w, task, owner_before)
        return task.version


def get_task(db: Database, actor: Actor, task_id: int) -> TaskRow:
    with db.transaction() as s:
        rows = _rows(s, actor, TASK_QUERY.where(Task.id == task_id), date.today())
    if not rows:
        raise NotFound(f"task {task_id}")
    require_locality(actor, rows[0]["locality_code"])
    return rows[0]


def new_task_row(
    forum_id: int, values: dict[str, Any], meeting_id: int | None = None
) -> dict[str, Any]:
    """A validated task row (for `create_task` and the meeting save's bulk insert)."""
    checked = {"title": values.get("title")}
    _validate(checked)
    return dict(
        forum_id=forum_id,
        title=checked["title"],
        meeting_id=meeting_id,
        owner_person_id=values.get("owner_person_id"),
        due_date=values.get("due_date"),
        team_id=values.get("team_id"),
        focus_id=values.get("focus_id"),
        status="not_started",
        progress=0,
        version=1,
    )


@dataclass
class CreateTask(
    ForumChange[int],
    entity="task",
    texts={"values.title": "task/title"},
    emits=TASK_EVENTS,
    id_fields={"values": TASK_REFS},
):
    """A task of the locality's work plan, outside any meeting."""

    locality_code: int
    values: dict[str, Any]

    @classmethod
    def of(cls, locality_code: int, values: dict[str, Any]) -> CreateTask:
        return cls(locality_code, as_refs(TASK_REFS, values))

    def run(self, w: Write) -> int:
        forum = require_forum(w.session, self.locality_code)
        task = Task(**new_task_row(forum.id, ids(self.values)))
        w.create(task, _snapshot(task))
        announce_owner(w, task, None)
        return task.id


create_task = writer(CreateTask.of)


def _add_note(w: Write, task: Task, body: str) -> int:
    row = TaskNote(task_id=task.id, author=w.actor.username, body=body)
    return w.create(row, {"task_id": task.id, "body": body}, entity="task_note").id


@dataclass
class AddNote(TaskWrite[int], entity="task_note", texts={"body": "task/note"}):
    """A note on a task, by anyone who may update it."""

    body: str | None

    def validate(self, w: Write) -> None:
        if not self.body:
            raise ValidationError({"note": "validation.required"})
        super().validate(w)

    def run(self, w: Write) -> int:
        return _add_note(w, w.get(self.task), self.body or "")


def add_note(db: Database, actor: Actor, task_id: int, body: str) -> int:
    return execute(db, actor, AddNote.of(task_id, body)).value


@dataclass(frozen=True)
class Note:
    id: int
    author: str
    body: str
    created_at: datetime


def notes(db: Database, actor: Actor, task_id: int) -> list[Note]:
    """The notes on a task, oldest first."""
    with db.transaction() as s:
        in_scope(s, actor, Task, task_id)
        return [
            Note(n.id, n.author, n.body, n.created_at)
            for n in s.scalars(
                select(TaskNote).where(TaskNote.task_id == task_id).order_by(TaskNote.id)
            )
        ]


def notes_of(db: Database, actor: Actor, task_ids: Iterable[int]) -> dict[int, list[Note]]:
    """The notes of several tasks, oldest first, in one query (a page of task cards asked once
    per card: three queries each). Tasks outside the reader's scope are left out."""
    wanted = sorted(set(task_ids))
    if not wanted:
        return {}
    scope = read_scope(actor, Area.FORUM)
    found: dict[int, list[Note]] = {}
    with db.transaction() as s:
        rows = s.execute(
            select(Task.id, TaskNote)
            .join(Forum, Forum.id == Task.forum_id)
            .outerjoin(TaskNote, TaskNote.task_id == Task.id)
            .where(Task.id.in_(wanted), scope.of(Forum.locality_code))
            .order_by(Task.id, TaskNote.id)
        )
        for task_id, n in rows:
            listed = found.setdefault(task_id, [])
            if n is not None:
                listed.append(Note(n.id, n.author, n.body, n.created_at))
    return found


@dataclass
class _ManagerTaskChange(ForumChange[R], entity="task", reason="task/note"):
    """What cancelling and deleting share: a manager's change, with a reason, of a task read at
    `version`."""

    task: Ref[Task]
    version: int
    reason: str | None


@dataclass
class CancelTask(_ManagerTaskChange[int], emits=frozenset({EventName.TASK_UPDATED})):
    """A manager cancels a task: it stays in the history with the reason, out of every count.
    A task cancelled already or done is not cancelled (`states.TASK`)."""

    def validate(self, w: Write) -> None:
        super().validate(w)
        task = w.get(self.task)
        if task.version == self.version:  # a stale screen is refused as such, by the update
            TASK.move(task.status, TASK_CANCELLED)

    def run(self, w: Write) -> int:
        task = w.get(self.task)
        w.update(task, self.version, {"status": TASK_CANCELLED}, action="cancel")
        _add_note(w, task, self.reason or "")
        w.emit(EventName.TASK_UPDATED, task.id, changed=["status"], status=TASK_CANCELLED)
        return task.version


@dataclass
class DeleteTask(_ManagerTaskChange[None]):
    """A manager deletes a task entered by mistake: it goes to the trash with its notes (a
    manager can restore it); the audit row keeps what it was and why."""

    def run(self, w: Write) -> None:
        task = w.get(self.task)
        before = {**_snapshot(task), "meeting_id": task.meeting_id}
        trash_task(w, task, self.reason)
        for decision in w.session.scalars(select(Decision).where(Decision.task_id == task.id)):
            decision.task_id = None
        w.delete(task, before, version=self.version, after={"reason": self.reason})


update_task = writer(UpdateTask.of)


def cancel_task(db: Database, actor: Actor, task_id: int, version: int, reason: str) -> int:
    return execute(db, actor, CancelTask.of(task_id, version, reason)).value


def delete_task(db: Database, actor: Actor, task_id: int, version: int, reason: str) -> None:
    execute(db, actor, DeleteTask.of(task_id, version, reason))
