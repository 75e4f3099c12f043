"""The forum's status on one screen, for the mayor's briefing (contract in CONTRACTS.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select

from employdash.access import Actor
from employdash.db import Database
from employdash.forum.approval import Approval, latest_approval
from employdash.forum.health import evaluate, facts_for
from employdash.forum.meetings import next_meeting
from employdash.forum.planning import NextPlanned, next_planned
from employdash.forum.stages import STAGE_KEYS
from employdash.forum.structure import reading_forum
from employdash.forum.target_status import Status, statuses_of, worst
from employdash.forum.targets import focus_progress
from employdash.models.forum import TASK_CANCELLED, Decision, Meeting, Task

OPEN_DECISIONS = 5


@dataclass(frozen=True)
class ForumBriefing:
    stage: int
    stage_key: str
    next_meeting: date | None
    tasks_total: int
    tasks_done: int
    tasks_overdue: int
    warnings: list[tuple[str, dict[str, Any]]]
    open_decisions: list[str]
    focus_progress: list[tuple[str, float | None]]
    approval: Approval | None = None  # the mayor's latest approval of the work plan
    next_planned: NextPlanned | None = None  # the next planned meeting (its time and place)
    # per focus title (as in `focus_progress`), its worst metric's status against target
    focus_status: dict[str, Status] = field(default_factory=dict)


def briefing_status(
    db: Database, actor: Actor, locality_code: int, as_of: date | None = None
) -> ForumBriefing | None:
    """None when the locality has no forum; PermissionDenied outside the actor's scope."""
    as_of = as_of or date.today()
    with reading_forum(db, actor, locality_code) as (s, forum):
        if forum is None:
            return None
        counts = select(func.count()).where(
            Task.forum_id == forum.id, Task.status != TASK_CANCELLED
        )
        decisions = s.scalars(
            select(Decision.text)
            .join(Meeting, Meeting.id == Decision.meeting_id)
            .where(
                Meeting.forum_id == forum.id, Decision.is_open.is_(True), Meeting.held_on <= as_of
            )
            .order_by(Meeting.held_on.desc(), Decision.id.desc())
            .limit(OPEN_DECISIONS)
        )
        planned = next_planned(s, forum.id, as_of)
        metrics = statuses_of(s, forum)
        by_title: dict[str, list[Status]] = {}
        for m in metrics:
            by_title.setdefault(m["focus_title"], []).append(m["status"])
        return ForumBriefing(
            stage=forum.stage,
            stage_key=STAGE_KEYS[forum.stage],
            # a planned meeting when there is one; else the date the last meeting set
            next_meeting=planned.on_date if planned else next_meeting(s, forum.id, as_of),
            tasks_total=s.scalar(counts) or 0,
            tasks_done=s.scalar(counts.where(Task.status == "done")) or 0,
            tasks_overdue=s.scalar(counts.where(Task.status != "done", Task.due_date < as_of)) or 0,
            warnings=[(w.key, w.params) for w in evaluate(facts_for(s, forum, as_of))],
            open_decisions=list(decisions),
            focus_progress=focus_progress(metrics),
            approval=latest_approval(s, forum.id),
            next_planned=planned,
            focus_status={title: worst(found) for title, found in by_title.items()},
        )
