"""The programme's portfolio: one row per locality with its forum's state, its mentoring and its
headline indicators against its district, for every locality the reader's scope holds.

The read is set-based: a fixed handful of grouped queries whatever the number of localities
(the localities with their forums, meetings held, meetings planned, the last three plenary
meetings' attendance, open decisions, overdue tasks, mentoring, indicator values, district
aggregates, the metrics' status against target), joined in Python by locality; 250 localities
with two years of records read in well under a second (benchmarks/bench_portfolio.py).

Meetings are read as the briefing reads them: the last is the latest meeting the forum held (any
of its teams), the next its soonest planned meeting, or else the soonest date a meeting of the
last year set for the next one. Attendance is the health rules' (`health`): the mean share of
the last three plenary meetings (kind "forum") against the model's two-thirds line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from employdash.access import Actor, Area, ReadScope, read_scope
from employdash.config import get_config
from employdash.db import Database
from employdash.forum.health import ATTENDANCE_LINE, RECENT_MEETINGS
from employdash.forum.target_status import StatusCounts, status_counts
from employdash.i18n import local_today
from employdash.i18n.names import NamedPlace
from employdash.models import Locality
from employdash.models.forum import (
    TASK_CANCELLED,
    Attendance,
    Decision,
    Forum,
    Meeting,
    PlannedMeeting,
    Task,
)
from employdash.models.indicators import IndicatorDefinition, IndicatorValue
from employdash.models.mentoring import Outcome, Participant, Program
from employdash.privacy import suppress_total

PLENARY = "forum"
# Headline indicators compared with the district: rates and wages, which average over a
# district (weighted by population) and so compare with one locality's value as they are.
INDICATORS = ("unemployment_rate", "avg_wage")
# Size bands by population: (lower bound, band), smallest first.
SIZE_BANDS = ((0, "small"), (20_000, "medium"), (50_000, "large"), (100_000, "city"))
PLACEMENT = "job"  # the outcome a placement is
# A next date is read from the meetings of the last year: one set longer ago and still ahead is
# not a plan anyone keeps (and reading every meeting's dates was most of the read's time).
DATES_SET_WITHIN = 365
OPEN_TASK_DONE = ("done", TASK_CANCELLED)


def size_band(population: int | None) -> str:
    band = SIZE_BANDS[0][1]
    for lower, name in SIZE_BANDS:
        if (population or 0) >= lower:
            band = name
    return band


def months_between(earlier: date, later: date) -> int:
    """Whole months from `earlier` to `later` (0 within the first month)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return max(months - (1 if later.day < earlier.day else 0), 0)


@dataclass(frozen=True)
class IndicatorVsDistrict:
    code: str
    period: date | None  # the newest month with values in the reader's localities
    value: float | None
    district: float | None  # the district's population-weighted value that month


@dataclass(frozen=True)
class Attendance3:
    """The last (up to) three plenary meetings' attendance against the two-thirds line."""

    share: float | None  # the mean of their shares; None when none was held
    meetings: int

    @property
    def below(self) -> bool | None:
        return None if self.share is None else self.share < ATTENDANCE_LINE


@dataclass(frozen=True)
class PortfolioRow(NamedPlace):
    locality_code: int
    name_he: str
    name_en: str
    district_id: int | None
    district_he: str
    district_en: str
    population: int | None
    size_band: str
    has_forum: bool
    stage: int | None
    stage_since: date | None
    months_in_stage: int | None
    last_meeting: date | None
    next_meeting: date | None
    attendance: Attendance3
    open_decisions: int
    overdue_tasks: int
    participants: int | None  # mentees of its mentoring programmes; None when suppressed
    placements: int | None  # of them, placed in a job; None when suppressed
    indicators: tuple[IndicatorVsDistrict, ...]
    targets: StatusCounts  # its forum's metrics by status against target

    def indicator(self, code: str) -> IndicatorVsDistrict | None:
        return next((i for i in self.indicators if i.code == code), None)


def portfolio(db: Database, actor: Actor, as_of: date | None = None) -> list[PortfolioRow]:
    """Every programme locality in the actor's scope, by name."""
    scope = read_scope(actor, Area.PORTFOLIO)
    as_of = as_of or local_today()
    with db.transaction() as s:
        return portfolio_rows(s, scope, as_of)


def portfolio_rows(s: Session, scope: ReadScope, as_of: date) -> list[PortfolioRow]:
    """The rows in the caller's session and scope (the benchmark times this read)."""
    localities = _localities(s, scope)
    forums = {r.forum_id: r.code for r in localities if r.forum_id is not None}
    last = _by_forum(s, scope, _last_held(as_of), forums)
    planned = _by_forum(s, scope, _next_planned(as_of), forums)
    unplanned = {f: code for f, code in forums.items() if code not in planned}
    dates_set = _next_dates_set(s, as_of, unplanned)
    decisions = _by_forum(s, scope, _open_decisions(as_of), forums)
    overdue = _by_forum(s, scope, _overdue_tasks(as_of), forums)
    attendance = _attendance(s, scope, as_of, forums)
    mentoring = _mentoring(s, scope, as_of)
    indicators = _indicators(s, scope)
    targets = status_counts(s, scope)
    threshold = int(get_config().SUPPRESSION_THRESHOLD)
    rows = []
    for loc in localities:
        participants, placements = mentoring.get(loc.code, (0, 0))
        stage_since = loc.stage_since if loc.forum_id is not None else None
        rows.append(
            PortfolioRow(
                locality_code=loc.code,
                name_he=loc.name_he,
                name_en=loc.name_en,
                district_id=loc.district_id,
                district_he=loc.district_he or "",
                district_en=loc.district_en or "",
                population=loc.population,
                size_band=size_band(loc.population),
                has_forum=loc.forum_id is not None,
                stage=loc.stage,
                stage_since=stage_since,
                months_in_stage=months_between(stage_since, as_of) if stage_since else None,
                last_meeting=last.get(loc.code),
                next_meeting=planned.get(loc.code) or dates_set.get(loc.code),
                attendance=_mean(attendance.get(loc.code, [])),
                open_decisions=int(decisions.get(loc.code) or 0),
                overdue_tasks=int(overdue.get(loc.code) or 0),
                participants=suppress_total(participants, threshold),
                placements=suppress_total(placements, threshold),
                indicators=tuple(
                    indicators.get((loc.code, code), IndicatorVsDistrict(code, None, None, None))
                    for code in INDICATORS
                ),
                targets=targets.get(loc.code, StatusCounts()),
            )
        )
    return rows


def _localities(s: Session, scope: ReadScope) -> Sequence[Any]:
    return s.execute(
        select(
            Locality.code,
            Locality.name_he,
            Locality.name_en,
            Locality.district_id,
            Locality.district_he,
            Locality.district_en,
            Locality.population,
            Forum.id.label("forum_id"),
            Forum.stage,
            Forum.stage_since,
        )
        .outerjoin(Forum, Forum.locality_code == Locality.code)
        .where(Locality.is_program.is_(True), scope.of(Locality.code))
        .order_by(Locality.name_he, Locality.code)
    ).all()


def _last_held(as_of: date) -> Any:
    return (
        select(Meeting.forum_id, func.max(Meeting.held_on))
        .where(Meeting.held_on <= as_of)
        .group_by(Meeting.forum_id)
    )


def _next_planned(as_of: date) -> Any:
    return (
        select(PlannedMeeting.forum_id, func.min(PlannedMeeting.on_date))
        .where(PlannedMeeting.status == "planned", PlannedMeeting.on_date >= as_of)
        .group_by(PlannedMeeting.forum_id)
    )


def _next_dates_set(s: Session, as_of: date, forums: dict[int, int]) -> dict[int, date]:
    """Per locality of `forums` (in the read's scope, with no planned meeting), the soonest date
    from `as_of` that one of its meetings of the last `DATES_SET_WITHIN` days set for the next."""
    soonest: dict[int, date] = {}
    if not forums:
        return soonest
    for forum_id, dates in s.execute(
        select(Meeting.forum_id, Meeting.next_dates).where(
            Meeting.forum_id.in_(sorted(forums)),
            Meeting.held_on >= as_of - timedelta(days=DATES_SET_WITHIN),
        )
    ):
        code = forums[forum_id]
        for text in dates or []:
            day = date.fromisoformat(text)
            if day >= as_of and (code not in soonest or day < soonest[code]):
                soonest[code] = day
    return soonest


def _open_decisions(as_of: date) -> Any:
    return (
        select(Meeting.forum_id, func.count(Decision.id))
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(Decision.is_open.is_(True), Meeting.held_on <= as_of)
        .group_by(Meeting.forum_id)
    )


def _overdue_tasks(as_of: date) -> Any:
    return (
        select(Task.forum_id, func.count(Task.id))
        .where(Task.status.not_in(OPEN_TASK_DONE), Task.due_date < as_of)
        .group_by(Task.forum_id)
    )


def _by_forum(s: Session, scope: ReadScope, query: Any, forums: dict[int, int]) -> dict[int, Any]:
    """A (forum_id, value) query of every forum in the scope, as {locality code: value}."""
    in_scope = select(Forum.id).where(scope.of(Forum.locality_code))
    found = s.execute(query.where(query.selected_columns[0].in_(in_scope))).all()
    return {forums[forum_id]: value for forum_id, value in found if forum_id in forums}


def _attendance(
    s: Session, scope: ReadScope, as_of: date, forums: dict[int, int]
) -> dict[int, list[float]]:
    """The shares of the last three plenary meetings with an attendance list, per locality: the
    meetings are ranked first (the meeting table alone), then only theirs attendance is counted."""
    listed = select(Attendance.meeting_id).where(Attendance.meeting_id == Meeting.id).exists()
    ranked = (
        select(
            Meeting.id,
            Meeting.forum_id,
            func.row_number()
            .over(
                partition_by=Meeting.forum_id,
                order_by=(Meeting.held_on.desc(), Meeting.id.desc()),
            )
            .label("recent"),
        )
        .where(
            Meeting.forum_id.in_(select(Forum.id).where(scope.of(Forum.locality_code))),
            Meeting.kind == PLENARY,
            Meeting.held_on <= as_of,
            listed,
        )
        .subquery()
    )
    present = func.sum(case((Attendance.present.is_(True), 1), else_=0))
    shares: dict[int, list[float]] = defaultdict(list)
    for forum_id, share in s.execute(
        select(ranked.c.forum_id, present * 1.0 / func.count(Attendance.person_id))
        .join(Attendance, Attendance.meeting_id == ranked.c.id)
        .where(ranked.c.recent <= RECENT_MEETINGS)
        .group_by(ranked.c.forum_id, ranked.c.id)
    ):
        if forum_id in forums:
            shares[forums[forum_id]].append(float(share))
    return shares


def _mean(shares: list[float]) -> Attendance3:
    return Attendance3(sum(shares) / len(shares) if shares else None, len(shares))


def _mentoring(s: Session, scope: ReadScope, as_of: date) -> dict[int, tuple[int, int]]:
    """Per locality: the mentees of its mentoring programmes, and how many of them reached a
    job by `as_of`."""
    placed = (
        select(Outcome.participant_id)
        .where(Outcome.kind == PLACEMENT, Outcome.reached_on <= as_of)
        .distinct()
        .subquery()
    )
    rows = s.execute(
        select(
            Program.locality_code,
            func.count(Participant.id),
            func.count(placed.c.participant_id),
        )
        .join(Participant, Participant.program_id == Program.id)
        .outerjoin(placed, placed.c.participant_id == Participant.id)
        .where(scope.of(Program.locality_code), Program.kind == "mentoring")
        .where(Participant.role == "mentee")
        .group_by(Program.locality_code)
    ).all()
    return {code: (int(n), int(jobs)) for code, n, jobs in rows}


SHOWN = and_(IndicatorValue.value.is_not(None), IndicatorValue.status != "suppressed")


def _indicators(s: Session, scope: ReadScope) -> dict[tuple[int, str], IndicatorVsDistrict]:
    """Each headline's newest month among the scope's localities, their values that month and
    their districts' population-weighted values (every locality of the district counts: only
    the aggregate leaves)."""
    newest = dict(
        s.execute(
            select(IndicatorValue.indicator_code, func.max(IndicatorValue.period))
            .where(
                scope.of(IndicatorValue.locality_code),
                IndicatorValue.indicator_code.in_(INDICATORS),
                SHOWN,
            )
            .group_by(IndicatorValue.indicator_code)
        ).all()
    )
    if not newest:
        return {}
    at_newest = [
        and_(IndicatorValue.indicator_code == code, IndicatorValue.period == period)
        for code, period in newest.items()
    ]
    own = s.execute(
        select(
            IndicatorValue.locality_code,
            IndicatorValue.indicator_code,
            IndicatorValue.value,
            Locality.district_id,
        )
        .join(Locality, Locality.code == IndicatorValue.locality_code)
        .where(scope.of(IndicatorValue.locality_code), or_(*at_newest), SHOWN)
    ).all()
    districts = {r.district_id for r in own if r.district_id is not None}
    weighted = func.sum(IndicatorValue.value * Locality.population) / func.nullif(
        func.sum(Locality.population), 0
    )
    district_values = {
        (district, code): value
        for district, code, value in s.execute(
            select(Locality.district_id, IndicatorValue.indicator_code, weighted)
            .join(Locality, Locality.code == IndicatorValue.locality_code)
            .where(
                Locality.district_id.in_(sorted(districts)),
                Locality.population > 0,
                or_(*at_newest),
                SHOWN,
            )
            .group_by(Locality.district_id, IndicatorValue.indicator_code)
        )
    }
    return {
        (r.locality_code, r.indicator_code): IndicatorVsDistrict(
            r.indicator_code,
            newest[r.indicator_code],
            float(r.value),
            _float(district_values.get((r.district_id, r.indicator_code))),
        )
        for r in own
    }


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def definitions(db: Database, actor: Actor) -> dict[str, tuple[str, str, str]]:
    """The compared indicators' names (Hebrew, English) and units."""
    read_scope(actor, Area.PORTFOLIO)
    with db.transaction() as s:
        return {
            code: (he, en, unit)
            for code, he, en, unit in s.execute(
                select(
                    IndicatorDefinition.code,
                    IndicatorDefinition.name_he,
                    IndicatorDefinition.name_en,
                    IndicatorDefinition.unit,
                ).where(IndicatorDefinition.code.in_(INDICATORS))
            )
        }
