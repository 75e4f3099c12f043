"""What a locality still has to do before the dashboard is in use, read from its records at every
state of a new installation. The demo's Sederot has everything; taking its records away in the
reverse order of set-up walks back through each state."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Executable, Select, delete, select, update

from employdash.access import Actor
from employdash.briefing.next_steps import STEPS, setup_progress
from employdash.db import Database
from employdash.errors import PermissionDenied
from employdash.models import Locality, Person, User
from employdash.models.forum import (
    Forum,
    Meeting,
    Membership,
    StrategicFocus,
    SuccessMetric,
    Task,
    Team,
)
from employdash.models.indicators import IndicatorValue
from tests.forum.helpers import SEDEROT

pytestmark = pytest.mark.rolled_back

NETIVOT = 246
TODAY = date(2026, 11, 23)


def missing(db: Database, actor: Actor, code: int | None = SEDEROT) -> list[str]:
    return [s.key for s in setup_progress(db, actor, code, TODAY).steps if not s.done]


def _forum_id(db: Database) -> int:
    with db.transaction() as s:
        forum_id = s.scalar(select(Forum.id).where(Forum.locality_code == SEDEROT))
    assert forum_id is not None
    return forum_id


def _focus_ids(forum_id: int) -> Select[int]:
    return select(StrategicFocus.id).where(StrategicFocus.forum_id == forum_id)


def test_each_step_undone_in_turn_is_listed_in_set_up_order(
    db: Database, actors: dict[str, Actor]
) -> None:
    mayor, admin = actors["mayor"], actors["admin"]
    progress = setup_progress(db, mayor, SEDEROT, TODAY)
    assert progress.complete and [s.key for s in progress.steps] == list(STEPS)
    forum_id = _forum_id(db)
    teams = select(Team.id).where(Team.forum_id == forum_id)
    metrics = SuccessMetric.focus_id.in_(_focus_ids(forum_id))
    undo: list[tuple[str, list[Executable]]] = [
        ("indicators", [delete(IndicatorValue).where(IndicatorValue.locality_code == SEDEROT)]),
        (
            "meeting",
            [
                update(Task).where(Task.forum_id == forum_id).values(meeting_id=None),
                delete(Meeting).where(Meeting.forum_id == forum_id),
            ],
        ),
        ("focus", [update(SuccessMetric).where(metrics).values(retired=True)]),
        (
            "forum",
            [
                update(Membership)
                .where(Membership.team_id.in_(teams))
                .values(ended_on=TODAY - timedelta(days=1))
            ],
        ),
        ("people", [update(Person).where(Person.locality_code == SEDEROT).values(active=False)]),
        ("accounts", [update(User).where(User.role == "manager").values(active=False)]),
        ("locality", [update(Locality).where(Locality.code == SEDEROT).values(is_program=False)]),
    ]
    undone: set[str] = set()
    for step, statements in undo:
        with db.transaction() as s:
            for statement in statements:
                s.execute(statement)
        undone.add(step)
        assert missing(db, admin) == [k for k in STEPS if k in undone], step
    assert missing(db, admin) == list(STEPS)
    assert not setup_progress(db, admin, SEDEROT, TODAY).complete


def test_a_focus_needs_a_metric_and_a_forum_needs_a_current_member(
    db: Database, actors: dict[str, Actor]
) -> None:
    forum_id = _forum_id(db)
    with db.transaction() as s:
        s.execute(
            update(StrategicFocus).where(StrategicFocus.forum_id == forum_id).values(retired=True)
        )
    assert missing(db, actors["manager"]) == ["focus"]  # metrics of retired focuses do not count
    with db.transaction() as s:
        s.execute(update(Team).where(Team.forum_id == forum_id).values(active=False))
    assert missing(db, actors["manager"]) == ["forum", "focus"]  # members of inactive teams
    with db.transaction() as s:
        s.execute(update(Team).where(Team.forum_id == forum_id).values(active=True))
        s.execute(
            update(Membership)
            .where(Membership.team_id.in_(select(Team.id).where(Team.forum_id == forum_id)))
            .values(ended_on=TODAY + timedelta(days=30))  # leaving next month: still a member
        )
    assert missing(db, actors["manager"]) == ["focus"]


def test_no_locality_yet_has_every_step_ahead(db: Database, actors: dict[str, Actor]) -> None:
    assert missing(db, actors["admin"], None) == list(STEPS)


def test_a_locality_outside_the_programme_of_the_demo(
    db: Database, actors: dict[str, Actor]
) -> None:
    """A catalogue locality no one works in yet: everything but the figures (every locality has
    indicator values in the demo) is still to do."""
    with db.transaction() as s:
        code = s.scalar(
            select(Locality.code)
            .where(Locality.is_program.is_(False))
            .where(Locality.code.in_(select(IndicatorValue.locality_code)))
            .order_by(Locality.code)
            .limit(1)
        )
    assert code is not None
    assert missing(db, actors["admin"], code) == [k for k in STEPS if k != "indicators"]


def test_who_may_ask(db: Database, actors: dict[str, Actor]) -> None:
    """Readers of the briefing or of the forum, in their own localities only."""
    assert setup_progress(db, actors["member"], SEDEROT, TODAY).complete  # the forum page's reader
    assert setup_progress(db, actors["manager"], NETIVOT, TODAY).complete
    with pytest.raises(PermissionDenied):
        setup_progress(db, actors["mayor"], NETIVOT, TODAY)
    with pytest.raises(PermissionDenied):
        setup_progress(db, actors["member"], NETIVOT, TODAY)
