"""Forum health: early signs of a forum coming apart (model annex 4), each with its reason, and
before those what a new forum still lacks (members, a focus, a first meeting): a forum with
nothing in it is not reported healthy. A success metric off track against its target is a warning
too (employdash.forum.target_status).

The rules are pure functions of `HealthFacts`, so they are tested on known facts; `facts_for`
gathers those facts from the database for one forum as of a day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from employdash.access import Actor
from employdash.db import Database
from employdash.forum.meetings import attendance_rows
from employdash.forum.stages import STAGES
from employdash.forum.structure import current_membership, reading_forum
from employdash.forum.target_status import statuses_of
from employdash.models.forum import (
    Forum,
    Meeting,
    Membership,
    MilestoneCheck,
    StrategicFocus,
    Task,
    Team,
)

ATTENDANCE_LINE = 2 / 3
FORUM_GAP_DAYS = 92  # "more than a quarter"
TEAM_GAP_DAYS = 42  # "more than six weeks"
STALL_DAYS = 180
OVERDUE_MIN, OVERDUE_SHARE, OVERDUE_MANY = 3, 0.2, 10
RECENT_MEETINGS = 3


@dataclass(frozen=True)
class HealthFacts:
    as_of: date
    stage: int
    stage_complete: bool
    stage_activity: date | None  # last milestone checked in the stage, or the day it began
    forum_rates: list[float]  # attendance share of the forum's plenary meetings, oldest first
    last_forum_meeting: date | None
    has_forum_team: bool
    task_teams: list[tuple[str, date | None]] = field(default_factory=list)  # name, last meeting
    open_tasks: int = 0
    overdue_tasks: int = 0
    missing: tuple[str, ...] = ()  # of SETUP_PARTS: what the forum has not got yet
    off_track: tuple[tuple[str, str], ...] = ()  # metrics off track: (Hebrew name, English name)


SETUP_PARTS = ("members", "focus", "meeting")  # in the order they are set up


@dataclass(frozen=True)
class Warning:
    key: str
    params: dict[str, Any]
    severity: int  # 3 worst


def evaluate(f: HealthFacts) -> list[Warning]:
    """Every rule that fires, worst first."""
    out = [Warning(f"forum.health.missing.{part}", {}, 2) for part in f.missing]
    recent = f.forum_rates[-RECENT_MEETINGS:]
    if recent and sum(recent) / len(recent) < ATTENDANCE_LINE:
        out.append(
            Warning(
                "forum.health.low_attendance",
                {"rate": round(100 * sum(recent) / len(recent)), "n": len(recent)},
                3,
            )
        )
    if f.stage >= 2 and f.has_forum_team and "meeting" not in f.missing:
        if f.last_forum_meeting is None:
            out.append(Warning("forum.health.forum_never_met", {}, 3))
        elif (f.as_of - f.last_forum_meeting).days > FORUM_GAP_DAYS:
            out.append(
                Warning(
                    "forum.health.no_forum_meeting",
                    {"days": (f.as_of - f.last_forum_meeting).days},
                    3,
                )
            )
    if not f.stage_complete and f.stage_activity is not None:
        idle = (f.as_of - f.stage_activity).days
        if idle > STALL_DAYS:
            out.append(Warning("forum.health.stalled", {"stage": f.stage, "days": idle}, 2))
    if f.overdue_tasks >= OVERDUE_MANY or (
        f.overdue_tasks >= OVERDUE_MIN and f.overdue_tasks >= OVERDUE_SHARE * f.open_tasks
    ):
        out.append(
            Warning("forum.health.overdue", {"count": f.overdue_tasks, "open": f.open_tasks}, 2)
        )
    for name_he, name_en in f.off_track:  # as grave as a forum that stopped meeting
        out.append(
            Warning("forum.health.off_track", {"metric_he": name_he, "metric_en": name_en}, 3)
        )
    for name, last in f.task_teams:
        if last is None:
            out.append(Warning("forum.health.team_never_met", {"team": name}, 1))
        elif (f.as_of - last).days > TEAM_GAP_DAYS:
            out.append(
                Warning("forum.health.team_idle", {"team": name, "days": (f.as_of - last).days}, 1)
            )
    return sorted(out, key=lambda w: -w.severity)  # stable: the missing parts keep their order


def facts_for(s: Session, forum: Forum, as_of: date) -> HealthFacts:
    checks = dict(
        s.execute(
            select(MilestoneCheck.milestone_key, MilestoneCheck.checked_on).where(
                MilestoneCheck.forum_id == forum.id
            )
        ).all()
    )
    in_stage = [checks[k] for k in STAGES[forum.stage] if k in checks]
    activity = max([*in_stage, *([forum.stage_since] if forum.stage_since else [])], default=None)
    rows = [r for r in attendance_rows(s, forum.id) if r["held_on"] <= as_of]
    forum_rows = [r for r in rows if r["kind"] == "forum"]
    teams = s.execute(
        select(Team.id, Team.kind, Team.name).where(
            Team.forum_id == forum.id, Team.active.is_(True)
        )
    ).all()
    staffed = set(
        s.scalars(
            select(Membership.team_id)
            .distinct()
            .where(Membership.team_id.in_([t.id for t in teams]), current_membership(as_of))
        )
    )
    last_by_team: dict[int, date] = {}
    for r in rows:
        last_by_team[r["team_id"]] = r["held_on"]
    has = {
        "members": bool(staffed),
        "focus": s.scalar(
            select(StrategicFocus.id)
            .where(StrategicFocus.forum_id == forum.id, StrategicFocus.retired.is_(False))
            .limit(1)
        )
        is not None,
        "meeting": s.scalar(
            select(Meeting.id)
            .where(Meeting.forum_id == forum.id, Meeting.held_on <= as_of)
            .limit(1)
        )
        is not None,
    }
    open_q = select(func.count()).where(
        Task.forum_id == forum.id, Task.status.not_in(("done", "cancelled"))
    )
    return HealthFacts(
        as_of=as_of,
        stage=forum.stage,
        stage_complete=set(STAGES[forum.stage]) <= set(checks),
        stage_activity=activity,
        forum_rates=[r["rate"] for r in forum_rows if r["rate"] is not None],
        last_forum_meeting=forum_rows[-1]["held_on"] if forum_rows else None,
        has_forum_team=any(t.kind == "forum" and t.id in staffed for t in teams),
        task_teams=[
            (t.name, last_by_team.get(t.id)) for t in teams if t.kind == "task" and t.id in staffed
        ],
        open_tasks=s.scalar(open_q) or 0,
        overdue_tasks=s.scalar(open_q.where(Task.due_date < as_of)) or 0,
        missing=tuple(part for part in SETUP_PARTS if not has[part]),
        off_track=tuple(
            (m["name_he"] or "", m["name_en"] or "")
            for m in statuses_of(s, forum)
            if m["status"] == "off_track"
        ),
    )


def forum_health(
    db: Database, actor: Actor, locality_code: int, as_of: date | None = None
) -> list[Warning]:
    """The forum's warnings with their reasons, worst first (empty when it has no forum)."""
    with reading_forum(db, actor, locality_code) as (s, forum):
        return evaluate(facts_for(s, forum, as_of or date.today())) if forum else []
