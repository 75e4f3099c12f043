"""The work plan's tasks: lists, "my tasks", and edits guarded by optimistic locking.

Who edits: managers and admins any task of their localities; a member only the status and progress
of tasks owned by them or by a team they sit in (not the plenary forum); leadership never.
Every save names the version it was read at; a newer version in the database means someone else
saved meanwhile, and the save is refused with what they changed (`StaleVersion`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session, aliased

from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied, StaleVersion, ValidationError
from employdash.limits import clean_text
from employdash.models import Person
from employdash.models.base import utcnow
from employdash.models.forum import (
    TASK_STATUSES,
    Forum,
    Meeting,
    Membership,
    StrategicFocus,
    Task,
    Team,
)
from employdash.services import audit
from employdash.services.access import (
    EDITORS,
    MEMBER,
    Actor,
    require_edit,
    require_locality,
)
from employdash.services.forum import require_forum

MEMBER_FIELDS = ("status", "progress")
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


def may_edit(actor: Actor, locality_code: int, task: Task | dict, team_ids: set[int]) -> bool:
    if actor.role in EDITORS:
        return actor.can_edit(locality_code)
    if actor.role != MEMBER or not actor.can_see(locality_code):
        return False
    owner, team = (
        (task["owner_person_id"], task["team_id"])
        if isinstance(task, dict)
        else (task.owner_person_id, task.team_id)
    )
    return (actor.person_id is not None and owner == actor.person_id) or team in team_ids


def _build_task_query() -> Select:
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
    if due is None or status == "done":
        return ""
    if due < as_of:
        return "overdue"
    return "due_soon" if due <= as_of + timedelta(days=DUE_SOON_DAYS) else ""


def _rows(
    s: Session, actor: Actor, query: Select, as_of: date, team_ids: set[int] | None = None
) -> list[dict]:
    if team_ids is None:
        team_ids = own_team_ids(s, actor.person_id)
    out = []
    result = s.execute(query)
    keys = list(result.keys())
    for values in result:
        row = dict(zip(keys, values, strict=True))
        row["timing"] = timing(row["due_date"], row["status"], as_of)
        row["editable"] = may_edit(actor, row["locality_code"], row, team_ids)
        out.append(row)
    return out


def list_tasks(
    db: Database, actor: Actor, locality_code: int, as_of: date | None = None
) -> list[dict]:
    """Every task of the locality's forum, for the board, the timeline and the lists."""
    require_locality(actor, locality_code)
    as_of = as_of or date.today()
    with db.transaction() as s:
        forum = require_forum(s, locality_code)
        query = TASK_QUERY.where(Task.forum_id == forum.id).order_by(Task.due_date, Task.id)
        return _rows(s, actor, query, as_of)


def my_tasks(db: Database, actor: Actor, as_of: date | None = None) -> list[dict]:
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
            r["status"] == "done",
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
) -> int:
    """Save `values` over the task read at `version`; returns the new version.

    `read` (the values as the user saw them) lets a refusal name exactly the fields the other
    person changed; without it every field of `values` that differs is named.
    """
    values = {k: v for k, v in values.items() if k in MANAGER_FIELDS}
    _validate(values)
    today = date.today()
    with db.transaction() as s:
        task = s.get(Task, task_id)
        if task is None:
            raise NotFound(f"task {task_id}")
        locality_code = s.scalar(select(Forum.locality_code).where(Forum.id == task.forum_id))
        require_locality(actor, locality_code)
        if not may_edit(actor, locality_code, task, own_team_ids(s, actor.person_id)):
            raise PermissionDenied(f"{actor.username} may not edit task {task_id}")
        if actor.role not in EDITORS and set(values) - set(MEMBER_FIELDS):
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
        if result.rowcount != 1:  # a writer slipped in between our read and this update
            s.rollback()
            current = s.scalar(select(Task.version).where(Task.id == task_id))
            raise StaleVersion({}, current or version)
        old, new = audit.changed_fields(before, after)
        audit.record(
            s, actor, "update", "task", task_id, before=old, after=new, locality_code=locality_code
        )
        return version + 1


def get_task(db: Database, actor: Actor, task_id: int) -> dict:
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
    require_edit(actor, locality_code)
    with db.transaction() as s:
        forum = require_forum(s, locality_code)
        task = Task(**new_task_row(forum.id, values))
        s.add(task)
        s.flush()
        audit.record(
            s, actor, "create", "task", task.id, after=_snapshot(task), locality_code=locality_code
        )
        return task.id
