"""The forum's year summary (the model's seventh meeting): focuses and their metrics against
target, meetings held and attendance, decisions made and closed, tasks done and overdue,
milestones reached and mentoring outcomes, for one calendar year.

Two versions: the internal one names owners and quotes decisions; the one for publication leaves
out every name and free text but the focuses' titles, and hides small counts of people (primary
and complementary suppression, `employdash.privacy`). Counts of meetings, decisions and tasks are
not counts of people and are shown as they are.

It sits above the forum and mentoring areas it summarises (as the briefing does); each area is
read under its own permission, and the mentoring section is left out for a role that does not
read mentoring.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from employdash.access import Actor, Area, read_scope
from employdash.config import get_config
from employdash.db import Database
from employdash.forum.stages import STAGE_OF
from employdash.forum.structure import reading_existing_forum
from employdash.forum.target_status import Status, statuses_of
from employdash.forum.tasks import TASK_QUERY
from employdash.models.forum import (
    Attendance,
    Decision,
    Forum,
    Meeting,
    MilestoneCheck,
    StrategicFocus,
    Task,
    Team,
)
from employdash.models.mentoring import Match, Outcome, Participant, Program
from employdash.privacy import suppress_group, suppress_total

OUTCOME_KINDS = ("job", "integration", "promotion", "certified")


@dataclass(frozen=True)
class MetricLine:
    """A focus's success metric: where it started, where it should be, where it is, and its
    status against target today (the forum's tolerance)."""

    name_he: str
    name_en: str
    unit: str | None
    baseline: float
    baseline_date: date | None
    target: float
    target_date: date
    latest: float | None
    latest_period: date | None
    status: Status


@dataclass(frozen=True)
class FocusLine:
    title: str
    metrics: tuple[MetricLine, ...]


@dataclass(frozen=True)
class MeetingLine:
    held_on: date
    team_kind: str
    team: str
    present: int | None  # None when hidden (publication: a small count of people)
    absent: int | None


@dataclass(frozen=True)
class OverdueTask:
    title: str
    owner: str | None
    due: date


@dataclass(frozen=True)
class MentoringYear:
    """Outcomes reached and matches started and completed in the year (counts of people, hidden
    when small in both versions, as the product shows every mentoring figure)."""

    outcomes: dict[str, int | None]
    matches_started: int | None
    matches_completed: int | None


@dataclass(frozen=True)
class YearSummary:
    forum: str
    year: int
    as_of: date
    publication: bool
    stage: int
    focuses: tuple[FocusLine, ...]
    meetings: tuple[MeetingLine, ...]
    attendance_rate: float | None  # present of everyone expected, over the year's meetings
    decisions_made: int
    decisions_closed: int
    open_decisions: tuple[str, ...]  # internal only: their text
    tasks_done: int
    tasks_overdue: int
    tasks_open: int
    overdue: tuple[OverdueTask, ...]  # internal only: with their owners
    milestones: tuple[tuple[str, date], ...]  # (milestone key, checked on), oldest first
    mentoring: MentoringYear | None  # None: no program, or the role does not read mentoring
    threshold: int  # the smallest count of people shown (privacy: suppression)


def _focuses(s: Session, forum: Forum) -> tuple[FocusLine, ...]:
    """The forum's current focuses in their order, each with its metrics (none yet: empty)."""
    titles = s.scalars(
        select(StrategicFocus.title)
        .where(StrategicFocus.forum_id == forum.id, StrategicFocus.retired.is_(False))
        .order_by(StrategicFocus.position, StrategicFocus.id)
    )
    by_focus: dict[str, list[MetricLine]] = {title: [] for title in titles}
    for m in statuses_of(s, forum):
        by_focus.setdefault(m["focus_title"], []).append(
            MetricLine(
                name_he=m["name_he"] or m["indicator_code"] or "",
                name_en=m["name_en"] or m["indicator_code"] or "",
                unit=m["unit"],
                baseline=m["baseline"],
                baseline_date=m["baseline_date"],
                target=m["target"],
                target_date=m["target_date"],
                latest=m["latest"],
                latest_period=m["latest_period"],
                status=m["status"],
            )
        )
    return tuple(FocusLine(title, tuple(lines)) for title, lines in by_focus.items())


def _meetings(
    s: Session, forum: Forum, start: date, end: date, hide_below: int | None
) -> tuple[tuple[MeetingLine, ...], float | None]:
    """The year's meetings, oldest first, with how many were present and absent (with
    `hide_below`, small counts hidden, and the other one too, since their sum is known), and
    the share present of everyone expected over the year (from the counts before hiding)."""
    present = func.sum(case((Attendance.present.is_(True), 1), else_=0))
    rows = s.execute(
        select(Meeting.held_on, Team.kind, Team.name, present, func.count(Attendance.person_id))
        .join(Team, Team.id == Meeting.team_id)
        .outerjoin(Attendance, Attendance.meeting_id == Meeting.id)
        .where(Meeting.forum_id == forum.id, Meeting.held_on.between(start, end))
        .group_by(Meeting.id, Meeting.held_on, Team.kind, Team.name)
        .order_by(Meeting.held_on, Meeting.id)
    ).all()
    out = []
    for held_on, kind, team, came, expected in rows:
        cells: dict[str, int | None] = {"present": int(came or 0), "absent": expected - (came or 0)}
        if hide_below is not None:
            cells = suppress_group(cells, hide_below)
        out.append(MeetingLine(held_on, kind, team, cells["present"], cells["absent"]))
    expected = sum(r[4] for r in rows)
    return tuple(out), sum(int(r[3] or 0) for r in rows) / expected if expected else None


def _decisions(s: Session, forum: Forum, start: date, end: date) -> tuple[int, int, list[str]]:
    """Made in the year, closed of those, and the text of those still open."""
    rows = s.execute(
        select(Decision.text, Decision.is_open)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(Meeting.forum_id == forum.id, Meeting.held_on.between(start, end))
        .order_by(Meeting.held_on, Decision.id)
    ).all()
    return len(rows), sum(not r.is_open for r in rows), [r.text for r in rows if r.is_open]


def _tasks(
    s: Session, forum: Forum, start: date, end: date, as_of: date
) -> tuple[int, int, int, list[OverdueTask]]:
    """Done in the year; overdue and open on `as_of` (open: not done, overdue among them)."""
    done = s.scalar(
        select(func.count())
        .select_from(Task)
        .where(Task.forum_id == forum.id, Task.completed_on.between(start, end))
    )
    open_rows = s.execute(
        TASK_QUERY.where(Task.forum_id == forum.id, Task.status != "done").order_by(
            Task.due_date, Task.id
        )
    ).all()
    overdue = [
        OverdueTask(r.title, r.owner, r.due_date)
        for r in open_rows
        if r.due_date is not None and r.due_date < as_of
    ]
    return int(done or 0), len(overdue), len(open_rows), overdue


def _milestones(s: Session, forum: Forum, start: date, end: date) -> tuple[tuple[str, date], ...]:
    rows = s.execute(
        select(MilestoneCheck.milestone_key, MilestoneCheck.checked_on)
        .where(MilestoneCheck.forum_id == forum.id, MilestoneCheck.checked_on.between(start, end))
        .order_by(MilestoneCheck.checked_on, MilestoneCheck.milestone_key)
    ).all()
    return tuple((key, day) for key, day in rows if key in STAGE_OF)


def _count(s: Session, query: Select[int]) -> int:
    return int(s.scalar(query) or 0)


def _mentoring(
    s: Session, actor: Actor, locality_code: int, start: date, end: date, threshold: int
) -> MentoringYear | None:
    if not actor.can_read(Area.MENTORING, locality_code):
        return None
    scope = read_scope(actor, Area.MENTORING, locality_code)
    programs = select(Program.id).where(scope.of(Program.locality_code)).scalar_subquery()
    if not _count(s, select(func.count()).select_from(Program).where(Program.id.in_(programs))):
        return None
    reached = dict(
        s.execute(
            select(Outcome.kind, func.count())
            .join(Participant, Participant.id == Outcome.participant_id)
            .where(Participant.program_id.in_(programs), Outcome.reached_on.between(start, end))
            .group_by(Outcome.kind)
        ).all()
    )
    mentee = select(Participant.id).where(Participant.program_id.in_(programs))
    matches = select(func.count()).select_from(Match).where(Match.mentee_id.in_(mentee))
    outcomes = suppress_group({k: int(reached.get(k, 0)) for k in OUTCOME_KINDS}, threshold)
    return MentoringYear(
        outcomes=outcomes,
        matches_started=suppress_total(
            _count(s, matches.where(Match.started_on.between(start, end))), threshold
        ),
        matches_completed=suppress_total(
            _count(
                s,
                matches.where(Match.status == "completed", Match.ended_on.between(start, end)),
            ),
            threshold,
        ),
    )


def year_summary(
    db: Database,
    actor: Actor,
    locality_code: int,
    year: int,
    as_of: date,
    publication: bool = False,
) -> YearSummary:
    """The forum's summary of `year`, its open and overdue work as on `as_of`; `publication`
    leaves out names and free text and hides small counts of people."""
    threshold = int(get_config().SUPPRESSION_THRESHOLD)
    with reading_existing_forum(db, actor, locality_code) as (s, forum):  # the scope first
        start, end = date(year, 1, 1), min(date(year, 12, 31), as_of)
        meetings, rate = _meetings(s, forum, start, end, threshold if publication else None)
        made, closed, still_open = _decisions(s, forum, start, end)
        done, overdue_count, open_count, overdue = _tasks(s, forum, start, end, as_of)
        return YearSummary(
            forum=forum.name,
            year=year,
            as_of=as_of,
            publication=publication,
            stage=forum.stage,
            focuses=_focuses(s, forum),
            meetings=meetings,
            attendance_rate=rate,
            decisions_made=made,
            decisions_closed=closed,
            open_decisions=() if publication else tuple(still_open),
            tasks_done=done,
            tasks_overdue=overdue_count,
            tasks_open=open_count,
            overdue=() if publication else tuple(overdue),
            milestones=_milestones(s, forum, start, end),
            mentoring=_mentoring(s, actor, locality_code, start, end, threshold),
            threshold=threshold,
        )


def summary_years(db: Database, actor: Actor, locality_code: int, today: date) -> list[int]:
    """The years the forum has a summary of, newest first: from the year it was set up."""
    with reading_existing_forum(db, actor, locality_code) as (_, forum):
        first = forum.created_at.year
    return list(range(today.year, min(first, today.year) - 1, -1))
