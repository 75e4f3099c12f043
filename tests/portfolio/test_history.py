"""The comparison charts' reads on SQLite and PostgreSQL: a locality's stage month by month ends
at its forum's stage and never runs ahead of it, and every plenary meeting's attendance share is
its attendance list's; both refuse a locality outside the reader's scope."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from employdash import users
from employdash.access import Actor
from employdash.db import Database
from employdash.errors import PermissionDenied
from employdash.i18n import local_today
from employdash.indicators.values import add_months, month_start
from employdash.models.forum import Attendance, Forum, Meeting
from employdash.portfolio.history import MONTHS, attendance_history, stage_history

pytestmark = pytest.mark.rolled_back

SEDEROT, TEL_AVIV = 1031, 31


def test_the_stage_runs_up_to_the_forums_stage(db: Database, actors: dict[str, Actor]) -> None:
    today = local_today()
    with db.transaction() as s:
        forums = {f.locality_code: f.stage for f in s.scalars(select(Forum))}
    points = stage_history(db, actors["programme"], sorted(forums), today)
    by_locality: dict[int, list[tuple[date, int]]] = {}
    for p in points:
        by_locality.setdefault(p.locality_code, []).append((p.month, p.stage))
    assert set(by_locality) == set(forums)
    for code, series in by_locality.items():
        months = [m for m, _ in series]
        assert months == sorted(months) and months[-1] == month_start(today)
        assert months[0] >= add_months(month_start(today), 1 - MONTHS)
        stages = [stage for _, stage in series]
        assert stages[-1] == forums[code]
        assert stages == sorted(stages)  # a forum moves on, never back
        assert max(stages) <= forums[code]
    assert len({s for series in by_locality.values() for _, s in series}) > 1


def test_each_plenary_share_is_its_attendance_list(db: Database, actors: dict[str, Actor]) -> None:
    today = local_today()
    points = attendance_history(db, actors["programme"], [SEDEROT], today)
    assert points and {p.locality_code for p in points} == {SEDEROT}
    with db.transaction() as s:
        expected = []
        for meeting in s.scalars(
            select(Meeting)
            .join(Forum)
            .where(Forum.locality_code == SEDEROT, Meeting.kind == "forum")
            .order_by(Meeting.held_on)
        ):
            marks = list(s.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)))
            oldest = add_months(month_start(today), -MONTHS)
            if marks and oldest <= meeting.held_on <= today:
                expected.append((meeting.held_on, sum(m.present for m in marks) / len(marks)))
    got = sorted((p.held_on, p.share) for p in points)
    assert [d for d, _ in got] == [d for d, _ in sorted(expected)]
    assert [v for _, v in got] == pytest.approx([v for _, v in sorted(expected)])


def test_a_locality_outside_the_scope_is_refused(db: Database, actors: dict[str, Actor]) -> None:
    form = users.UserForm(
        "south", "South", "programme", (SEDEROT,), password="a long passphrase 42"
    )
    users.create_user(db, actors["admin"], form)
    regional = users.load_actor(db, "south")
    assert regional is not None and regional.localities == frozenset({SEDEROT})
    for read in (stage_history, attendance_history):
        assert read(db, regional, [SEDEROT], local_today())
        with pytest.raises(PermissionDenied):
            read(db, regional, [TEL_AVIV], local_today())
        with pytest.raises(PermissionDenied):
            read(db, actors["manager"], [SEDEROT], local_today())  # not the programme's area
