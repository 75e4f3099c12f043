"""The portfolio read on SQLite and PostgreSQL: a programme user sees exactly the localities on
its record (every programme locality when it has none), and every figure of a row is what the
records say, counted here one locality at a time the plain way."""

from __future__ import annotations

from collections import Counter
from datetime import date, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from employdash import users
from employdash.access import Actor
from employdash.config import get_config
from employdash.db import Database
from employdash.errors import PermissionDenied
from employdash.forum import planning
from employdash.forum.health import ATTENDANCE_LINE
from employdash.forum.target_status import STATUSES, metric_statuses
from employdash.i18n import local_today
from employdash.models import Locality
from employdash.models.forum import (
    Attendance,
    Decision,
    Forum,
    Meeting,
    PlannedMeeting,
    Task,
)
from employdash.models.indicators import IndicatorValue
from employdash.models.mentoring import Outcome, Participant, Program
from employdash.portfolio.board import (
    INDICATORS,
    PortfolioRow,
    months_between,
    portfolio,
    size_band,
)
from tests.forum.helpers import team_of_kind

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

SEDEROT = 1031


def _programme_user(db: Database, admin: Actor, codes: tuple[int, ...]) -> Actor:
    username = f"prog{len(codes)}"
    users.create_user(
        db,
        admin,
        users.UserForm(username, "Programme", "programme", codes, password="a long passphrase 42"),
    )
    actor = users.load_actor(db, username)
    assert actor is not None
    return actor


def _programme_codes(db: Database) -> set[int]:
    with db.transaction() as s:
        return set(s.scalars(select(Locality.code).where(Locality.is_program.is_(True))))


def test_a_programme_user_sees_exactly_the_localities_on_its_record(
    db: Database, actors: dict[str, Actor]
) -> None:
    every = _programme_codes(db)
    some = tuple(sorted(every)[:3])
    scoped = _programme_user(db, actors["admin"], some)
    assert {r.locality_code for r in portfolio(db, scoped)} == set(some)
    # the demo's programme account has no localities on its record: every locality
    national = actors["programme"]
    assert national.localities is None
    assert {r.locality_code for r in portfolio(db, national)} == every
    for role in ("manager", "mayor", "member"):
        with pytest.raises(PermissionDenied):
            portfolio(db, actors[role])


def _expected(db: Database, code: int, as_of: date) -> dict[str, Any]:
    """The row's figures, read one by one from the records."""
    threshold = int(get_config().SUPPRESSION_THRESHOLD)
    with db.transaction() as s:
        loc = s.get_one(Locality, code)
        forum = s.scalars(select(Forum).where(Forum.locality_code == code)).first()
        held = (
            []
            if forum is None
            else list(
                s.scalars(
                    select(Meeting)
                    .where(Meeting.forum_id == forum.id, Meeting.held_on <= as_of)
                    .order_by(Meeting.held_on, Meeting.id)
                )
            )
        )
        every = (
            []
            if forum is None
            else list(s.scalars(select(Meeting).where(Meeting.forum_id == forum.id)))
        )
        recent_meetings = [m for m in every if (as_of - m.held_on).days <= 365]
        set_dates = [
            date.fromisoformat(d)
            for m in recent_meetings
            for d in (m.next_dates or [])
            if date.fromisoformat(d) >= as_of
        ]
        shares = []
        for meeting in [m for m in held if m.kind == "forum"]:
            marks = list(s.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)))
            if marks:
                shares.append(sum(m.present for m in marks) / len(marks))
        planned = (
            []
            if forum is None
            else [
                p.on_date
                for p in s.scalars(
                    select(PlannedMeeting).where(PlannedMeeting.forum_id == forum.id)
                )
                if p.status == "planned" and p.on_date >= as_of
            ]
        )
        decisions = (
            0
            if forum is None
            else sum(
                1
                for d, on in s.execute(
                    select(Decision, Meeting.held_on)
                    .join(Meeting)
                    .where(Meeting.forum_id == forum.id)
                )
                if d.is_open and on <= as_of
            )
        )
        overdue = (
            0
            if forum is None
            else sum(
                1
                for t in s.scalars(select(Task).where(Task.forum_id == forum.id))
                if t.status not in ("done", "cancelled") and t.due_date and t.due_date < as_of
            )
        )
        mentees = list(
            s.scalars(
                select(Participant)
                .join(Program)
                .where(Program.locality_code == code, Program.kind == "mentoring")
            )
        )
        mentees = [p for p in mentees if p.role == "mentee"]
        ids = {p.id for p in mentees}
        placed = {
            o.participant_id
            for o in s.scalars(select(Outcome))
            if o.participant_id in ids and o.kind == "job" and o.reached_on <= as_of
        }
        values = {}
        for indicator in INDICATORS:
            rows = [
                v
                for v in s.scalars(
                    select(IndicatorValue).where(IndicatorValue.indicator_code == indicator)
                )
                if v.value is not None and v.status != "suppressed"
            ]
            values[indicator] = rows
    recent = shares[-3:]

    def small(n: int) -> int | None:
        return None if 0 < n < threshold else n

    return {
        "stage": forum.stage if forum else None,
        "months": months_between(forum.stage_since, as_of) if forum and forum.stage_since else None,
        "last": held[-1].held_on if held else None,
        "next": min(planned, default=None) or min(set_dates, default=None),
        "attendance": sum(recent) / len(recent) if recent else None,
        "meetings": len(recent),
        "decisions": decisions,
        "overdue": overdue,
        "participants": small(len(mentees)),
        "placements": small(len(placed)),
        "band": size_band(loc.population),
        "values": values,
    }


def _check(row: PortfolioRow, expected: dict[str, Any], localities: dict[int, Locality]) -> None:
    assert row.stage == expected["stage"]
    assert row.months_in_stage == expected["months"]
    assert row.last_meeting == expected["last"]
    assert row.next_meeting == expected["next"]
    share = expected["attendance"]
    if share is None:
        assert row.attendance.share is None
    else:
        assert row.attendance.share == pytest.approx(share)
        assert row.attendance.below == (share < ATTENDANCE_LINE)
    assert row.attendance.meetings == expected["meetings"]
    assert row.open_decisions == expected["decisions"]
    assert row.overdue_tasks == expected["overdue"]
    assert row.participants == expected["participants"]
    assert row.placements == expected["placements"]
    assert row.size_band == expected["band"]
    values = expected["values"]
    assert isinstance(values, dict)
    me = localities[row.locality_code]
    for figure in row.indicators:
        rows = values[figure.code]
        newest = max(
            (
                v.period
                for v in rows
                if v.locality_code in localities and localities[v.locality_code].is_program
            ),
            default=None,
        )
        assert figure.period == newest
        mine = [v.value for v in rows if v.locality_code == me.code and v.period == newest]
        assert figure.value == (pytest.approx(mine[0]) if mine else None)
        if mine:
            peers = [
                (v.value, localities[v.locality_code].population or 0)
                for v in rows
                if v.period == newest
                and localities[v.locality_code].district_id == me.district_id
                and (localities[v.locality_code].population or 0) > 0
            ]
            weighted = sum(v * p for v, p in peers) / sum(p for _, p in peers)
            assert figure.district == pytest.approx(weighted)


def test_every_figure_of_every_row_is_what_the_records_say(
    db: Database, actors: dict[str, Actor]
) -> None:
    as_of = local_today()
    rows = portfolio(db, actors["programme"], as_of)
    with db.transaction() as s:
        localities = {loc.code: loc for loc in s.scalars(select(Locality))}
        s.expunge_all()
    for row in rows:
        _check(row, _expected(db, row.locality_code, as_of), localities)
    # the demo data gives the figures something to count
    assert any(r.last_meeting for r in rows) and any(r.next_meeting for r in rows)
    assert sum(r.open_decisions for r in rows) and sum(r.overdue_tasks for r in rows)
    assert any(r.attendance.share is not None for r in rows)
    assert any(r.participants for r in rows) and any(r.placements for r in rows)
    assert any(f.value is not None and f.district is not None for r in rows for f in r.indicators)


def test_each_rows_targets_are_its_forums_statuses_against_target(
    db: Database, actors: dict[str, Actor]
) -> None:
    """The grouped count agrees, locality by locality, with the forum page's own rule."""
    rows = portfolio(db, actors["programme"], local_today())
    for row in rows:
        statuses = Counter(
            m["status"] for m in metric_statuses(db, actors["admin"], row.locality_code)
        )
        assert vars(row.targets) == {s: statuses.get(s, 0) for s in STATUSES}, row.name_en
    assert sum(r.targets.off_track for r in rows) > 0  # the demo gives the count something


def test_a_day_moves_the_meetings_with_it(db: Database, actors: dict[str, Actor]) -> None:
    """As of a past day, a meeting held since is not the last, and one planned after it counts
    as next: the read takes its day from the caller."""
    today = local_today()
    past = today - timedelta(days=120)
    rows = {r.locality_code: r for r in portfolio(db, actors["programme"], past)}
    with db.transaction() as s:
        localities = {loc.code: loc for loc in s.scalars(select(Locality))}
        s.expunge_all()
    _check(rows[SEDEROT], _expected(db, SEDEROT, past), localities)
    last = rows[SEDEROT].last_meeting
    assert last is None or last <= past


def test_a_planned_meeting_is_the_next_one(db: Database, actors: dict[str, Actor]) -> None:
    """A planned meeting comes before any date a meeting set, and the soonest planned wins."""
    today = local_today()
    form = {
        "team_id": team_of_kind(db),
        "starts": time(17, 0),
        "ends": time(19, 0),
        "place": "City hall",
        "online_url": "",
        "agenda": [],
        "invitee_ids": [actors["member"].person_id],
        "guests": [],
        "today": today,
    }
    for days in (20, 9):
        planning.schedule_meeting(
            db, actors["manager"], SEDEROT, {**form, "on_date": today + timedelta(days=days)}
        )
    rows = {r.locality_code: r for r in portfolio(db, actors["programme"], today)}
    assert rows[SEDEROT].next_meeting == today + timedelta(days=9)
