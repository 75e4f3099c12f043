"""The work plan's tasks: lists, "my tasks", and edits guarded by optimistic locking.

Who edits: managers and admins any task of their localities; a member only the status and progress
of tasks owned by them or by a team they sit in (not the plenary forum); leadership never.
Every save names the version it was read at; a newer version in the database means someone else
saved meanwhile, and the save is refused with what they changed (`StaleVersion`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypedDict, cast

from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import Session, aliased

from employdash import audit
from employdash.access import Actor, Area, require_locality, require_write
from employdash.db import Database, rowcount
from employdash.errors import NotFound, PermissionDenied, StaleVersion, ValidationError
from employdash.forum.structure import require_forum
from employdash.handed_ids import forum_person, in_locality, in_scope
from employdash.limits import clean_text
from employdash.models import Person
from employdash.models.base import utcnow
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

MEMBER_FIELDS = ("status", "progress")


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


def _build_task_query() -> Select[*tuple[Any, ...]]:
    owner = aliased(Person)
    return (
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
            owner.full_name.label("owner"),
            Team.name.label("team"),
            StrategicFocus.title.label("focus"),
            Meeting.held_on.label("meeting_date"),
        )
        .join(Forum, Forum.id == Task.forum_id)
        .outerjoin(owner, owner.id == Task.owner_person_id)
        .outerjoin(Team, Team.id == Task.team_id)
        .outerjoin(StrategicFocus, StrategicFocus.id == Task.focus_id)
        .outerjoin(Meeting, Meeting.id == Task.meeting_id)
    )


# Built once: a fresh alias per call would defeat SQLAlchemy's compiled-statement cache.
TASK_QUERY = _build_task_query()


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
    require_locality(actor, locality_code)
    as_of = as_of or date.today()
    with db.transaction() as s:
        forum = require_forum(s, locality_code)
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


def update_task(
    db: Database,
    actor: Actor,
    task_id: int,
    version: int,
    values: dict[str, Any],
    read: dict[str, Any] | None = None,
    note: str = "",
) -> int:
    """Save `values` over the task read at `version`; returns the new version.

    `read` (the values as the user saw them) lets a refusal name exactly the fields the other
    person changed; without it every field of `values` that differs is named. `note` is kept on
    the task; marking a task blocked needs one (the reason it is blocked).
    """
    require_write(actor, Area.TASKS)  # the role first: a refused role learns nothing more
    values = {k: v for k, v in values.items() if k in MANAGER_FIELDS}
    _validate(values)
    note = (note or "").strip()
    today = date.today()
    with db.transaction() as s:
        task = s.get(Task, task_id)
        if task is None:
            raise NotFound(f"task {task_id}")
        locality_code = s.execute(
            select(Forum.locality_code).where(Forum.id == task.forum_id)
        ).scalar_one()
        require_locality(actor, locality_code)
        if not may_edit(actor, locality_code, task, own_team_ids(s, actor.person_id)):
            raise PermissionDenied(f"{actor.username} may not edit task {task_id}")
        if actor.writes_own_only(Area.TASKS) and set(values) - set(MEMBER_FIELDS):
            raise PermissionDenied(f"{actor.username} may only update status and progress")
        before = _snapshot(task)
        if task.version != version:
            base = read or {}
            changes = {
                f: (before[f], values.get(f, base.get(f)))
                for f in MANAGER_FIELDS
                if (f in base and before[f] != base[f])
                or (not base and f in values and before[f] != values[f])
            }
            raise StaleVersion(changes, task.version)
        if task.status == TASK_CANCELLED:
            raise ValidationError({"status": "task.cancelled_locked"})
        if values.get("status") == "blocked" and before["status"] != "blocked" and not note:
            raise ValidationError({"note": "task.blocked_reason"})
        owner = values.get("owner_person_id")
        if owner is not None and owner != task.owner_person_id:  # an owner kept is not re-judged
            forum_person(s, actor, owner, locality_code)
        for model, key in ((Team, "team_id"), (StrategicFocus, "focus_id")):
            if values.get(key) is not None and (
                s.scalar(select(model.forum_id).where(model.id == values[key])) != task.forum_id
            ):
                raise NotFound(f"{model.__name__} {values[key]}")
        values = _apply_status_rules(values)
        after = {**before, **values}
        completed = today if after["status"] == "done" else None
        if before["status"] == "done" and after["status"] == "done":
            completed = task.completed_on
        # The version in the WHERE clause makes the check atomic against a concurrent writer.
        result = s.execute(
            update(Task)
            .where(Task.id == task_id, Task.version == version)
            .values(**values, completed_on=completed, version=version + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:  # a writer slipped in between our read and this update
            s.rollback()
            current = s.scalar(select(Task.version).where(Task.id == task_id))
            raise StaleVersion({}, current or version)
        old, new = audit.changed_fields(before, after)
        if note:
            _add_note(s, actor, task_id, note, locality_code)
            new["note"] = note
        audit.record(
            s, actor, "update", "task", task_id, before=old, after=new, locality_code=locality_code
        )
        return version + 1


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


def create_task(db: Database, actor: Actor, locality_code: int, values: dict[str, Any]) -> int:
    require_write(actor, Area.FORUM, locality_code)
    with db.transaction() as s:
        forum = require_forum(s, locality_code)
        # Handed IDs outside the locality are refused as if missing: the owner a person of the
        # locality (or already sitting in its forum), a team or focus only of this forum.
        if values.get("owner_person_id") is not None:
            forum_person(s, actor, values["owner_person_id"], locality_code)
        for model, key in ((Team, "team_id"), (StrategicFocus, "focus_id")):
            if values.get(key) is not None:
                in_locality(s, actor, model, values[key], locality_code)
        task = Task(**new_task_row(forum.id, values))
        s.add(task)
        s.flush()
        audit.record(
            s, actor, "create", "task", task.id, after=_snapshot(task), locality_code=locality_code
        )
        return task.id


def _checked_task(s: Session, actor: Actor, task_id: int) -> tuple[Task, int]:
    task = in_scope(s, actor, Task, task_id)
    locality_code = s.execute(
        select(Forum.locality_code).where(Forum.id == task.forum_id)
    ).scalar_one()
    return task, locality_code


def _add_note(s: Session, actor: Actor, task_id: int, body: str, locality_code: int) -> int:
    if len(body) > 4000:
        raise ValidationError({"note": "validation.too_long"})
    row = TaskNote(task_id=task_id, author=actor.username, body=body)
    s.add(row)
    s.flush()
    audit.record(
        s,
        actor,
        "create",
        "task_note",
        row.id,
        after={"task_id": task_id, "body": body},
        locality_code=locality_code,
    )
    return row.id


def add_note(db: Database, actor: Actor, task_id: int, body: str) -> int:
    """A note on a task, by anyone who may update it (a member on their own or team's tasks)."""
    require_write(actor, Area.TASKS)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"note": "validation.required"})
    with db.transaction() as s:
        task, locality_code = _checked_task(s, actor, task_id)
        if not may_edit(actor, locality_code, task, own_team_ids(s, actor.person_id)):
            raise PermissionDenied(f"{actor.username} may not add a note to task {task_id}")
        return _add_note(s, actor, task_id, body, locality_code)


@dataclass(frozen=True)
class Note:
    id: int
    author: str
    body: str
    created_at: datetime


def notes(db: Database, actor: Actor, task_id: int) -> list[Note]:
    """The notes on a task, oldest first."""
    with db.transaction() as s:
        _checked_task(s, actor, task_id)
        return [
            Note(n.id, n.author, n.body, n.created_at)
            for n in s.scalars(
                select(TaskNote).where(TaskNote.task_id == task_id).order_by(TaskNote.id)
            )
        ]


def cancel_task(db: Database, actor: Actor, task_id: int, version: int, reason: str) -> int:
    """A manager cancels a task: it stays in the history with the reason, out of every count."""
    require_write(actor, Area.FORUM)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "validation.required"})
    with db.transaction() as s:
        task, locality_code = _checked_task(s, actor, task_id)
        require_write(actor, Area.FORUM, locality_code)
        before = task.status
        result = s.execute(
            update(Task)
            .where(Task.id == task_id, Task.version == version)
            .values(status=TASK_CANCELLED, version=version + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            s.rollback()
            raise StaleVersion({}, s.scalar(select(Task.version).where(Task.id == task_id)) or 0)
        _add_note(s, actor, task_id, reason, locality_code)
        audit.record(
            s,
            actor,
            "cancel",
            "task",
            task_id,
            before={"status": before},
            after={"status": TASK_CANCELLED, "reason": reason},
            locality_code=locality_code,
        )
        return version + 1


def delete_task(db: Database, actor: Actor, task_id: int, version: int, reason: str) -> None:
    """A manager deletes a task entered by mistake; the audit row keeps what it was and why."""
    require_write(actor, Area.FORUM)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "validation.required"})
    with db.transaction() as s:
        task, locality_code = _checked_task(s, actor, task_id)
        require_write(actor, Area.FORUM, locality_code)
        before = {**_snapshot(task), "meeting_id": task.meeting_id}
        s.execute(
            update(Decision)
            .where(Decision.task_id == task_id)
            .values(task_id=None)
            .execution_options(synchronize_session=False)
        )
        result = s.execute(
            delete(Task)
            .where(Task.id == task_id, Task.version == version)
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            s.rollback()
            raise StaleVersion({}, s.scalar(select(Task.version).where(Task.id == task_id)) or 0)
        audit.record(
            s,
            actor,
            "delete",
            "task",
            task_id,
            before=before,
            after={"reason": reason},
            locality_code=locality_code,
        )
