"""What the comparison charts draw: each locality's forum stage month by month, and the
attendance of its plenary meetings over time; each read in one or two set-based queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from employdash.access import Actor, Area, read_scope
from employdash.db import Database
from employdash.forum.stages import stage_from
from employdash.indicators.values import add_months, month_start
from employdash.models.forum import Attendance, Forum, Meeting, MilestoneCheck
from employdash.portfolio.board import PLENARY

MONTHS = 24  # how far back the charts look


@dataclass(frozen=True)
class StagePoint:
    locality_code: int
    month: date
    stage: int


@dataclass(frozen=True)
class AttendancePoint:
    locality_code: int
    held_on: date
    share: float


def stage_history(
    db: Database, actor: Actor, locality_codes: Iterable[int], as_of: date
) -> list[StagePoint]:
    """Each locality's stage at the end of each of the last `MONTHS` months: the stage its
    milestones checked by then imply, and the forum's own stage from the day it reached it (a
    forum set up in a later stage has no earlier checks); none before the forum existed."""
    scope = read_scope(actor, Area.PORTFOLIO, locality_codes)
    with db.transaction() as s:
        forums = s.execute(
            select(
                Forum.id, Forum.locality_code, Forum.stage, Forum.stage_since, Forum.created_at
            ).where(scope.of(Forum.locality_code))
        ).all()
        checks: dict[int, list[tuple[date, str]]] = defaultdict(list)
        for forum_id, key, on in s.execute(
            select(MilestoneCheck.forum_id, MilestoneCheck.milestone_key, MilestoneCheck.checked_on)
            .join(Forum, Forum.id == MilestoneCheck.forum_id)
            .where(scope.of(Forum.locality_code))
        ):
            checks[forum_id].append((on, key))
    first = add_months(month_start(as_of), 1 - MONTHS)
    points = []
    for forum in forums:
        began = min(
            [forum.created_at.date(), *(on for on, _ in checks[forum.id])],
            default=forum.created_at.date(),
        )
        for i in range(MONTHS):
            month = add_months(first, i)
            end = min(add_months(month, 1), as_of)
            if end <= month_start(began):
                continue
            if forum.stage_since is not None and forum.stage_since < end:
                stage = forum.stage
            else:
                done = {key for on, key in checks[forum.id] if on < end}
                stage = min(stage_from(done), forum.stage)
            points.append(StagePoint(forum.locality_code, month, stage))
    return points


def attendance_history(
    db: Database, actor: Actor, locality_codes: Iterable[int], as_of: date
) -> list[AttendancePoint]:
    """Every plenary meeting's attendance share in the last `MONTHS` months, per locality."""
    scope = read_scope(actor, Area.PORTFOLIO, locality_codes)
    present = func.sum(case((Attendance.present.is_(True), 1), else_=0))
    since = add_months(month_start(as_of), -MONTHS)
    with db.transaction() as s:
        rows = s.execute(
            select(
                Forum.locality_code,
                Meeting.held_on,
                (present * 1.0 / func.count(Attendance.person_id)).label("share"),
            )
            .join(Forum, Forum.id == Meeting.forum_id)
            .join(Attendance, Attendance.meeting_id == Meeting.id)
            .where(
                scope.of(Forum.locality_code),
                Meeting.kind == PLENARY,
                Meeting.held_on >= since,
                Meeting.held_on <= as_of,
            )
            .group_by(Forum.locality_code, Meeting.id, Meeting.held_on)
            .order_by(Forum.locality_code, Meeting.held_on)
        ).all()
    return [AttendancePoint(code, held, float(share)) for code, held, share in rows]
