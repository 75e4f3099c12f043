"""Stages from milestones, progress from the latest indicator values, health rules with reasons."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

import pytest
from sqlalchemy import Table, select, update

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied, ValidationError
from employdash.forum import briefing as forum_briefing
from employdash.forum import structure as forum_service
from employdash.forum import targets as forum_targets
from employdash.forum import tasks
from employdash.forum.health import HealthFacts, evaluate
from employdash.forum.stages import STAGES, stage_from
from employdash.forum.targets import progress
from employdash.models import AuditEntry, Person
from employdash.models.forum import Meeting, Membership, MilestoneCheck
from employdash.models.indicators import IndicatorValue
from tests.forum.helpers import SEDEROT
from tests.support.present import present

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

NETIVOT = 246
AS_OF = date(2026, 11, 1)


def test_stage_is_the_first_with_an_unchecked_milestone() -> None:
    assert stage_from(set()) == 1
    assert stage_from(set(STAGES[1])) == 2
    assert stage_from(set(STAGES[1]) | set(STAGES[2][:-1])) == 2
    assert stage_from(set(STAGES[1]) | set(STAGES[2])) == 3
    assert stage_from(set(STAGES[2]) | set(STAGES[3])) == 1  # stage 1 never finished


def test_checking_the_last_milestone_moves_the_forum_on(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    with db.transaction() as s:  # put Netivot back in stage 2 with one milestone missing
        fid = present(forum_service.forum_row(s, NETIVOT)).id
        s.execute(
            cast(Table, MilestoneCheck.__table__)
            .delete()
            .where(
                MilestoneCheck.forum_id == fid,
                MilestoneCheck.milestone_key.in_(["plan_presented_to_mayor", *STAGES[3]]),
            )
        )
    assert forum_service.set_milestone(db, manager, NETIVOT, "task_teams_formed", True, AS_OF) == 2
    assert (
        forum_service.set_milestone(db, manager, NETIVOT, "plan_presented_to_mayor", True, AS_OF)
        == 3
    )
    view = present(forum_service.overview(db, manager, NETIVOT))
    assert view.stage == 3
    assert view.checks["plan_presented_to_mayor"] == (AS_OF, "manager")
    assert (
        forum_service.set_milestone(db, manager, NETIVOT, "referent_appointed", False, AS_OF) == 1
    )
    with db.transaction() as s:
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.action == "milestone").limit(1))


@pytest.mark.parametrize("user", ["member", "mayor"])
def test_only_editors_check_milestones(db: Database, actors: dict[str, Actor], user: str) -> None:
    with pytest.raises(PermissionDenied):
        forum_service.set_milestone(db, actors[user], SEDEROT, "year_summary", True, AS_OF)


def test_progress_formula_and_clamping() -> None:
    assert progress(100, 200, 150) == 0.5
    assert progress(0.08, 0.06, 0.07) == pytest.approx(0.5)  # lower is better
    assert progress(100, 200, 90) == 0.0  # moved away: no progress
    assert progress(100, 200, 260) == 1.0  # beyond the target: reached
    assert progress(100, 200, None) is None
    assert progress(5, 5, 5) == 1.0


def test_metric_progress_comes_from_the_latest_indicator_value(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    metric = forum_targets.metric_progress(db, manager, SEDEROT)[0]
    halfway = metric["baseline"] + (metric["target"] - metric["baseline"]) / 2
    newest = date(2026, 12, 1)
    with db.transaction() as s:
        s.add(
            IndicatorValue(
                locality_code=SEDEROT,
                period=newest,
                indicator_code=metric["indicator_code"],
                value=halfway,
                status="ok",
            )
        )
    again = forum_targets.metric_progress(db, manager, SEDEROT)[0]
    assert again["latest"] == pytest.approx(halfway)
    assert again["latest_period"] == newest
    assert again["progress"] == pytest.approx(0.5)
    brief = present(forum_briefing.briefing_status(db, manager, SEDEROT, AS_OF))
    expected: object = (metric["focus_title"], pytest.approx(0.5))
    assert brief.focus_progress[0] == expected


def _facts(**kw) -> HealthFacts:  # type: ignore[no-untyped-def]
    base = dict(
        as_of=AS_OF,
        stage=3,
        stage_complete=False,
        stage_activity=AS_OF,
        forum_rates=[0.9, 0.8, 0.85],
        last_forum_meeting=AS_OF - timedelta(days=20),
        has_forum_team=True,
        task_teams=[("A", AS_OF - timedelta(days=10))],
        open_tasks=20,
        overdue_tasks=1,
    )
    return HealthFacts(**{**base, **kw})


def test_health_rules_fire_with_their_reasons() -> None:
    assert evaluate(_facts()) == []
    low = evaluate(_facts(forum_rates=[0.9, 0.6, 0.6, 0.5]))
    assert [(w.key, w.params) for w in low] == [
        ("forum.health.low_attendance", {"rate": 57, "n": 3})
    ]
    gap = evaluate(_facts(last_forum_meeting=AS_OF - timedelta(days=93)))
    assert [(w.key, w.params["days"]) for w in gap] == [("forum.health.no_forum_meeting", 93)]
    assert evaluate(_facts(last_forum_meeting=AS_OF - timedelta(days=92))) == []
    idle = evaluate(_facts(task_teams=[("A", AS_OF - timedelta(days=43)), ("B", None)]))
    assert [(w.key, w.params["team"]) for w in idle] == [
        ("forum.health.team_idle", "A"),
        ("forum.health.team_never_met", "B"),
    ]
    assert evaluate(_facts(task_teams=[("A", AS_OF - timedelta(days=42))])) == []
    many = evaluate(_facts(overdue_tasks=5, open_tasks=20))
    assert [(w.key, w.params) for w in many] == [("forum.health.overdue", {"count": 5, "open": 20})]
    assert evaluate(_facts(overdue_tasks=3, open_tasks=20)) == []
    stalled = evaluate(_facts(stage_activity=AS_OF - timedelta(days=200)))
    assert [(w.key, w.params) for w in stalled] == [
        ("forum.health.stalled", {"stage": 3, "days": 200})
    ]
    assert evaluate(_facts(stage_activity=AS_OF - timedelta(days=200), stage_complete=True)) == []
    worst_first = evaluate(_facts(forum_rates=[0.5], overdue_tasks=12, task_teams=[("A", None)]))
    assert [w.severity for w in worst_first] == [3, 2, 1]


def test_briefing_status_from_the_database(db: Database, actors: dict[str, Actor]) -> None:
    mayor = actors["mayor"]
    brief = present(forum_briefing.briefing_status(db, mayor, SEDEROT, AS_OF))
    rows = tasks.list_tasks(db, actors["admin"], SEDEROT, AS_OF)
    assert brief.stage == 3 and brief.stage_key == "forum.stage.3"
    assert brief.tasks_total == len(rows)
    assert brief.tasks_done == sum(r["status"] == "done" for r in rows)
    assert brief.tasks_overdue == sum(r["timing"] == "overdue" for r in rows)
    assert brief.next_meeting is not None and brief.next_meeting >= AS_OF
    keys = [k for k, _ in brief.warnings]
    assert "forum.health.team_idle" in keys  # the seeded employers' team has gone quiet
    with pytest.raises(PermissionDenied):
        forum_briefing.briefing_status(db, mayor, NETIVOT, AS_OF)
    assert forum_briefing.briefing_status(db, actors["admin"], 5000, AS_OF) is None


def test_a_recent_forum_meeting_clears_the_gap_warning(
    db: Database, actors: dict[str, Actor]
) -> None:
    """Moving Netivot's last plenary meeting into the past quarter silences the warning."""
    admin = actors["admin"]
    before = [
        k for k, _ in present(forum_briefing.briefing_status(db, admin, NETIVOT, AS_OF)).warnings
    ]
    with db.transaction() as s:
        fid = present(forum_service.forum_row(s, NETIVOT)).id
        last = s.scalar(
            select(Meeting.id)
            .where(Meeting.forum_id == fid, Meeting.kind == "forum")
            .order_by(Meeting.held_on.desc())
            .limit(1)
        )
        s.execute(
            update(Meeting).where(Meeting.id == last).values(held_on=AS_OF - timedelta(days=200))
        )
    stale = [
        k for k, _ in present(forum_briefing.briefing_status(db, admin, NETIVOT, AS_OF)).warnings
    ]
    assert "forum.health.no_forum_meeting" in stale
    with db.transaction() as s:
        s.execute(
            update(Meeting).where(Meeting.id == last).values(held_on=AS_OF - timedelta(days=10))
        )
    fresh = [
        k for k, _ in present(forum_briefing.briefing_status(db, admin, NETIVOT, AS_OF)).warnings
    ]
    assert "forum.health.no_forum_meeting" not in fresh
    assert set(fresh) <= set(before) | set(stale)


def test_editors_add_focuses_metrics_and_members(db: Database, actors: dict[str, Actor]) -> None:
    manager, member = actors["manager"], actors["member"]
    focus_id = forum_service.create_focus(db, manager, NETIVOT, "קשר עם מעסיקים", "")
    latest = forum_targets.latest
    with db.transaction() as s:
        _, now = present(latest(s, NETIVOT, "jobs"))
    forum_service.add_metric(
        db, manager, NETIVOT, focus_id, "jobs", now * 0.9, now * 1.1, date(2027, 12, 31)
    )
    metric = next(
        m for m in forum_targets.metric_progress(db, manager, NETIVOT) if m["focus_id"] == focus_id
    )
    assert metric["progress"] == pytest.approx(0.5)  # halfway from baseline to target
    with pytest.raises(ValidationError):
        forum_service.add_metric(
            db, manager, NETIVOT, focus_id, "no_such_code", 1, 2, date(2027, 1, 1)
        )
    view = present(forum_service.overview(db, manager, NETIVOT))
    team = next(t for t in view.teams if t["kind"] == "steering")
    with pytest.raises(NotFound):  # the member is a Sederot person: not Netivot's to seat
        forum_service.add_member(
            db, manager, NETIVOT, team["id"], present(member.person_id), "referent"
        )
    with db.transaction() as s:
        seated = select(Membership.person_id).where(Membership.team_id == team["id"])
        person = s.scalar(
            select(Person.id)
            .where(Person.locality_code == NETIVOT, Person.id.not_in(seated))
            .order_by(Person.id)
        )
    assert person is not None
    forum_service.add_member(db, manager, NETIVOT, team["id"], person, "referent")
    rows = [r for r in forum_service.members(db, manager, NETIVOT) if r["person_id"] == person]
    assert [(r["team_id"], r["role"]) for r in rows if r["team_id"] == team["id"]] == [
        (team["id"], "referent")
    ]
    with pytest.raises(ValidationError):  # already in that team
        forum_service.add_member(db, manager, NETIVOT, team["id"], person, "member")
    with pytest.raises(ValidationError) as refused:  # a role outside the fixed vocabulary
        forum_service.add_member(db, manager, NETIVOT, team["id"], person, "observer")
    assert set(refused.value.fields) == {"role"}
    for user in ("member", "mayor"):
        with pytest.raises(PermissionDenied):
            forum_service.create_focus(db, actors[user], SEDEROT, "x")
