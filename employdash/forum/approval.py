"""The mayor's approval of the work plan: a dated record, leadership's only write (and admins').

The briefing shows the latest approval next to the progress against the focus targets.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from employdash.access import Actor, Area
from employdash.commands import Ref, Write, execute
from employdash.db import Database
from employdash.errors import ValidationError
from employdash.events import EventName
from employdash.forum.stages import APPROVAL_MILESTONE
from employdash.forum.structure import (
    ForumChange,
    forum_id_of,
    milestone_state,
    reading_forum,
    tick_milestone,
)
from employdash.models.forum import Forum, PlanApproval, StrategicFocus, SuccessMetric


@dataclass(frozen=True)
class Approval:
    approved_on: date
    approved_by: str
    note: str | None
    plan_changed: bool = False  # the plan's focuses or metrics changed since it was approved


def plan_version(s: Session, forum_id: int) -> str:
    """The version of the forum's plan as presented to the mayor: its current focuses and their
    success metrics (targets and dates), each at its version. Any change to one of them, a focus
    or metric added or retired, gives another version; a task's progress does not (that is the
    plan being carried out, not changed)."""
    focuses = s.execute(
        select(StrategicFocus.id, StrategicFocus.version)
        .where(StrategicFocus.forum_id == forum_id, StrategicFocus.retired.is_(False))
        .order_by(StrategicFocus.id)
    ).all()
    metrics = s.execute(
        select(SuccessMetric.id, SuccessMetric.version)
        .join(StrategicFocus, StrategicFocus.id == SuccessMetric.focus_id)
        .where(StrategicFocus.forum_id == forum_id, SuccessMetric.retired.is_(False))
        .order_by(SuccessMetric.id)
    ).all()
    kept = repr(([tuple(f) for f in focuses], [tuple(m) for m in metrics]))
    return hashlib.sha256(kept.encode()).hexdigest()[:16]


def latest_approval(s: Session, forum_id: int) -> Approval | None:
    row = s.scalars(
        select(PlanApproval)
        .where(PlanApproval.forum_id == forum_id)
        .order_by(PlanApproval.approved_on.desc(), PlanApproval.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    changed = row.plan_version is not None and row.plan_version != plan_version(s, forum_id)
    return Approval(row.approved_on, row.approved_by, row.note, changed)


@dataclass
class ApprovePlan(
    ForumChange[int],
    area=Area.PLAN_APPROVAL,
    entity="work_plan",
    texts={"note": "forum/approval_note"},
    emits=frozenset({EventName.PLAN_APPROVED}),
):
    """Record that the forum's plan was approved on `approved_on` (not in the future) by the
    actor, with the version of the plan approved (`plan_version`), and tick the milestone "plan
    presented to the mayor" on that day if it is open (the stage follows). The event names the
    forum, the approver and the day, so a consumer (the mail to the forum's manager) needs
    nothing else."""

    forum: Ref[Forum]
    approved_on: date
    note: str | None = None

    def validate(self, w: Write) -> None:
        if self.approved_on is None or self.approved_on > date.today():
            raise ValidationError({"approved_on": "validation.out_of_range"})

    def run(self, w: Write) -> int:
        forum = w.get(self.forum)
        approver = w.actor.full_name or w.actor.username
        version = plan_version(w.session, forum.id)
        row = PlanApproval(
            forum_id=forum.id,
            approved_on=self.approved_on,
            approved_by=approver,
            note=self.note,
            plan_version=version,
        )
        w.session.add(row)
        w.session.flush()
        w.audit(
            "approve",
            row.id,
            after={
                "forum_id": forum.id,
                "approved_on": self.approved_on,
                "note": self.note,
                "plan_version": version,
            },
        )
        if milestone_state(w.session, forum.id, APPROVAL_MILESTONE) == "open":
            tick_milestone(w, forum, APPROVAL_MILESTONE, "done", self.approved_on)
        w.emit(
            EventName.PLAN_APPROVED,
            row.id,
            forum_id=forum.id,
            approved=True,
            approved_on=self.approved_on.isoformat(),
            approved_by=approver,
            approver_username=w.actor.username,
            approver_person_id=w.actor.person_id,
        )
        return row.id


def approve_plan(
    db: Database, actor: Actor, locality_code: int, approved_on: date, note: str = ""
) -> int:
    """`ApprovePlan` for the forum of `locality_code`."""
    forum_id = forum_id_of(db, actor, locality_code)
    return execute(db, actor, ApprovePlan.of(forum_id, approved_on, note)).value


def current_approval(db: Database, actor: Actor, locality_code: int) -> Approval | None:
    with reading_forum(db, actor, locality_code) as (s, forum):
        return latest_approval(s, forum.id) if forum else None
