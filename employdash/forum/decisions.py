"""The forum's decisions: listed, closed with a date and an outcome, or turned into a task.

"Open decisions" everywhere (the forum page, the briefing, its PDF) are those not closed: a
decision is closed here, or when it becomes a task (the task carries it on from then).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from employdash import audit
from employdash.access import Actor, Area, require_read, require_write
from employdash.db import Database, rowcount
from employdash.errors import NotFound, StaleVersion, ValidationError
from employdash.forum.structure import forum_row
from employdash.forum.tasks import new_task_row
from employdash.handed_ids import forum_person, in_locality
from employdash.models.forum import Decision, Meeting, Task


@dataclass(frozen=True)
class DecisionRow:
    id: int
    meeting_id: int
    held_on: date
    text: str
    is_open: bool
    closed_on: date | None
    outcome: str | None
    task_id: int | None
    version: int


def list_decisions(
    db: Database, actor: Actor, locality_code: int, open_only: bool = False
) -> list[DecisionRow]:
    """The forum's decisions, newest meeting first."""
    require_read(actor, Area.FORUM, locality_code)
    with db.transaction() as s:
        forum = forum_row(s, locality_code)
        if forum is None:
            return []
        query = (
            select(Decision, Meeting.held_on)
            .join(Meeting, Meeting.id == Decision.meeting_id)
            .where(Meeting.forum_id == forum.id)
            .order_by(Meeting.held_on.desc(), Decision.id)
        )
        if open_only:
            query = query.where(Decision.is_open.is_(True))
        return [
            DecisionRow(
                d.id,
                d.meeting_id,
                held_on,
                d.text,
                d.is_open,
                d.closed_on,
                d.outcome,
                d.task_id,
                d.version,
            )
            for d, held_on in s.execute(query)
        ]


def _decision(s: Session, actor: Actor, decision_id: int, locality_code: int) -> Decision:
    decision = s.get(Decision, decision_id)
    if decision is None:
        raise NotFound(f"decision {decision_id}")
    in_locality(s, actor, Meeting, decision.meeting_id, locality_code)
    return decision


def _close(s: Session, decision_id: int, version: int, values: dict[str, Any]) -> None:
    result = s.execute(
        update(Decision)
        .where(Decision.id == decision_id, Decision.version == version)
        .values(**values, is_open=False, version=version + 1)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        s.rollback()
        current = s.scalar(select(Decision.version).where(Decision.id == decision_id))
        raise StaleVersion({}, current or version)


def close_decision(
    db: Database,
    actor: Actor,
    locality_code: int,
    decision_id: int,
    version: int,
    closed_on: date | None,
    outcome: str,
) -> int:
    """Close a decision on `closed_on` with what came of it; returns the new version."""
    require_write(actor, Area.FORUM, locality_code)
    outcome = (outcome or "").strip()
    errors: dict[str, str] = {}
    if closed_on is None:
        errors["closed_on"] = "validation.required"
    elif closed_on > date.today():
        errors["closed_on"] = "validation.out_of_range"
    if not outcome:
        errors["outcome"] = "validation.required"
    if errors or closed_on is None:
        raise ValidationError(errors)
    with db.transaction() as s:
        decision = _decision(s, actor, decision_id, locality_code)
        before = {"is_open": decision.is_open, "closed_on": decision.closed_on, "outcome": None}
        _close(s, decision_id, version, {"closed_on": closed_on, "outcome": outcome})
        audit.record(
            s,
            actor,
            "close",
            "decision",
            decision_id,
            before=before,
            after={"is_open": False, "closed_on": closed_on, "outcome": outcome},
            locality_code=locality_code,
        )
        return version + 1


def decision_to_task(
    db: Database,
    actor: Actor,
    locality_code: int,
    decision_id: int,
    version: int,
    task: dict[str, Any],
) -> int:
    """Turn a decision into a task of the work plan (the decision closes); returns the task id."""
    require_write(actor, Area.FORUM, locality_code)
    with db.transaction() as s:
        decision = _decision(s, actor, decision_id, locality_code)
        meeting = s.get_one(Meeting, decision.meeting_id)
        values = {"title": decision.text[:300], **{k: v for k, v in task.items() if v}}
        if values.get("owner_person_id") is not None:
            forum_person(s, actor, values["owner_person_id"], locality_code)
        row = Task(**new_task_row(meeting.forum_id, values, meeting.id))
        s.add(row)
        s.flush()
        _close(
            s,
            decision_id,
            version,
            {"closed_on": date.today(), "outcome": None, "task_id": row.id},
        )
        audit.record(
            s,
            actor,
            "create",
            "task",
            row.id,
            after={"title": row.title, "decision_id": decision_id, "due_date": row.due_date},
            locality_code=locality_code,
        )
        audit.record(
            s,
            actor,
            "close",
            "decision",
            decision_id,
            before={"is_open": True},
            after={"is_open": False, "task_id": row.id},
            locality_code=locality_code,
        )
        return row.id
