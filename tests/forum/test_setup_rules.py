"""Set-up without guessing, in the domain: a new forum lists what it lacks instead of being
healthy, a team's lead sits in the team, and a focus never has two metrics of one name."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from employdash import people
from employdash.access import Actor
from employdash.db import Database
from employdash.errors import ValidationError
from employdash.forum import focuses, meetings, membership, setup
from employdash.forum import structure as forum_service
from employdash.forum.health import forum_health
from employdash.models import AuditEntry, Locality
from employdash.models.forum import Forum
from employdash.models.indicators import IndicatorDefinition
from tests.forum.helpers import SEDEROT
from tests.support.present import present

pytestmark = pytest.mark.rolled_back

NEXT_YEAR = date.today() + timedelta(days=365)


def _new_forum(db: Database, admin: Actor) -> int:
    """A forum made today in a locality the seed left without one."""
    with db.transaction() as s:
        code = s.scalar(
            select(Locality.code)
            .where(Locality.code.not_in(select(Forum.locality_code)))
            .order_by(Locality.code)
        )
    assert code is not None
    setup.create_forum(db, admin, code, "New forum", date.today())
    return int(code)


def _keys(db: Database, actor: Actor, code: int) -> list[str]:
    return [w.key for w in forum_health(db, actor, code)]


def test_a_new_forum_lists_what_it_lacks_until_it_has_it(
    db: Database, actors: dict[str, Actor]
) -> None:
    admin = actors["admin"]
    code = _new_forum(db, admin)
    missing = "forum.health.missing."
    assert _keys(db, admin, code) == [missing + "members", missing + "focus", missing + "meeting"]

    person = people.create_person(db, admin, code, people.PersonInput("First Member"))
    plenary = next(
        t for t in present(forum_service.overview(db, admin, code)).teams if t["kind"] == "forum"
    )
    forum_service.add_member(db, admin, code, plenary["id"], person, "member")
    assert _keys(db, admin, code) == [missing + "focus", missing + "meeting"]

    forum_service.create_focus(db, admin, code, "Youth")
    assert _keys(db, admin, code) == [missing + "meeting"]

    meetings.save_meeting(
        db,
        admin,
        meetings.MeetingInput(
            locality_code=code,
            team_id=plenary["id"],
            held_on=date.today(),
            attendance={person: True},
        ),
    )
    assert _keys(db, admin, code) == []
    # the seeded Sederot forum has everything: none of its warnings is a missing part
    assert not [k for k in _keys(db, admin, SEDEROT) if k.startswith(missing)]


def test_a_lead_named_for_a_team_is_seated_in_it(db: Database, actors: dict[str, Actor]) -> None:
    admin = actors["admin"]
    code = _new_forum(db, admin)
    lead = people.create_person(db, admin, code, people.PersonInput("Team Lead"))
    other = people.create_person(db, admin, code, people.PersonInput("Next Lead"))
    team = setup.create_team(db, admin, code, "task", "Youth team", lead)

    def seated(tid: int) -> dict[int, str | None]:
        rows = forum_service.members(db, admin, code)
        return {r["person_id"]: r["role"] for r in rows if r["team_id"] == tid}

    assert seated(team) == {lead: "team_lead"}
    with db.transaction() as s:
        entry = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "membership")
            .order_by(AuditEntry.id.desc())
        ).first()
        assert entry is not None and present(entry.after)["person_id"] == lead

    setup.update_team(db, admin, code, team, 1, {"lead_person_id": other})
    assert seated(team) == {lead: "team_lead", other: "team_lead"}

    # a lead who left the team comes back to their seat when named again
    row = next(r for r in forum_service.members(db, admin, code) if r["person_id"] == lead)
    membership.end_membership(
        db, admin, code, row["membership_id"], row["membership_version"], date.today()
    )
    assert lead not in seated(team)
    setup.update_team(db, admin, code, team, 2, {"lead_person_id": lead})
    assert seated(team)[lead] == "team_lead"


def test_a_focus_refuses_a_second_metric_of_one_name(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    focus = forum_service.create_focus(db, manager, SEDEROT, "Names focus")
    other_focus = forum_service.create_focus(db, manager, SEDEROT, "Another focus")
    start = date.today() - timedelta(days=30)

    def manual(name: str, on: int = focus) -> int:
        return focuses.add_manual_metric(
            db, manager, SEDEROT, on, name, "#", "up", 1, start, 5, NEXT_YEAR
        )

    placements = manual("Placements")
    with pytest.raises(ValidationError) as twin:  # spaces and case do not make a new name
        manual("  placements ")
    assert twin.value.fields == {"name": "forum.metric.duplicate"}
    manual("Placements", other_focus)  # another focus may use the name

    visits = manual("Visits")
    with pytest.raises(ValidationError) as renamed:
        focuses.update_metric(db, manager, SEDEROT, visits, 1, {"name": "PLACEMENTS"})
    assert renamed.value.fields == {"name": "forum.metric.duplicate"}
    focuses.update_metric(db, manager, SEDEROT, placements, 1, {"name": "Placements"})  # itself

    forum_service.add_metric(db, manager, SEDEROT, focus, "jobs", 1, 2, NEXT_YEAR)
    with pytest.raises(ValidationError) as again:  # the same catalogue indicator twice
        forum_service.add_metric(db, manager, SEDEROT, focus, "jobs", 1, 3, NEXT_YEAR)
    assert again.value.fields == {"indicator": "forum.metric.duplicate"}
    with db.transaction() as s:
        jobs = s.get_one(IndicatorDefinition, "jobs")
        names = (jobs.name_he, jobs.name_en)
    for name in names:  # a manual metric named as the indicator already on the focus
        with pytest.raises(ValidationError):
            manual(name)

    # a retired metric frees its name
    focuses.update_metric(db, manager, SEDEROT, placements, 1, {"retired": True})  # (unchanged)
    manual("Placements")
