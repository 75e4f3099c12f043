"""The mayor's approval of the work plan: a dated record, leadership's only write (and admins').

The briefing shows the latest approval next to the progress against the focus targets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from employdash import audit
from employdash.access import Actor, Area, require_locality, require_write
from employdash.db import Database
from employdash.errors import ValidationError
from employdash.forum.structure import forum_row, require_forum
from employdash.models.forum import PlanApproval


@dataclass(frozen=True)
class Approval:
    approved_on: date
    approved_by: str
    note: str | None


def latest_approval(s: Session, forum_id: int) -> Approval | None:
    row = s.scalars(
        select(PlanApproval)
        .where(PlanApproval.forum_id == forum_id)
        .order_by(PlanApproval.approved_on.desc(), PlanApproval.id.desc())
        .limit(1)
    ).first()
    return Approval(row.approved_on, row.approved_by, row.note) if row else None


def approve_plan(
    db: Database, actor: Actor, locality_code: int, approved_on: date, note: str = ""
) -> int:
    """Record that the plan was approved on `approved_on` (not in the future)."""
    require_write(actor, Area.PLAN_APPROVAL, locality_code)
    if approved_on is None or approved_on > date.today():
        raise ValidationError({"approved_on": "validation.out_of_range"})
    note = (note or "").strip()[:2000]
    with db.transaction() as s:
        forum = require_forum(s, locality_code)
        row = PlanApproval(
            forum_id=forum.id,
            approved_on=approved_on,
            approved_by=actor.full_name or actor.username,
            note=note or None,
        )
        s.add(row)
        s.flush()
        audit.record(
            s,
            actor,
            "approve",
            "work_plan",
            row.id,
            after={"forum_id": forum.id, "approved_on": approved_on, "note": note or None},
            locality_code=locality_code,
        )
        return row.id


def current_approval(db: Database, actor: Actor, locality_code: int) -> Approval | None:
    require_locality(actor, locality_code)
    with db.transaction() as s:
        forum = forum_row(s, locality_code)
        return latest_approval(s, forum.id) if forum else None
