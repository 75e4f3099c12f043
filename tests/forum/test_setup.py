"""Setting a forum up from nothing, the people register, focuses and manual metrics, and the
mayor's approval: role, scope, foreign IDs, versions and audit on both databases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from employdash import people
from employdash.access import Actor
from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied, StaleVersion, ValidationError
from employdash.forum import approval, focuses, meetings, setup, targets
from employdash.forum import briefing as forum_briefing
from employdash.forum import structure as forum_service
from employdash.models import AuditEntry, Person
from tests.forum.helpers import SEDEROT
from tests.support.present import present

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

NETIVOT = 246
NO_FORUM = 2200  # a locality the seed gives no forum (outside the manager's scope)


def _last_audit(db: Database, entity: str) -> AuditEntry:
    with db.transaction() as s:
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id.desc())
        ).first()
    assert entry is not None
    return entry


def _fresh_locality(db: Database, admin: Actor) -> int:
    """A locality without a forum (the seed sets up some, not all)."""
    from employdash.models import Locality
    from employdash.models.forum import Forum

    with db.transaction() as s:
        taken = select(Forum.locality_code)
        code = s.scalar(
            select(Locality.code).where(Locality.code.not_in(taken)).order_by(Locality.code)
        )
    assert code is not None
    return code


def test_people_are_created_searched_edited_and_deactivated(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    pid = people.create_person(
        db,
        manager,
        SEDEROT,
        people.PersonInput(
            "Dana  Levi", "Referent", "dana@example.org", "050-1", None, "City Hall"
        ),
    )
    with pytest.raises(people.LikelyDuplicate) as twin:
        people.create_person(
            db, manager, SEDEROT, people.PersonInput("dana levi", new_organisation="city hall")
        )
    assert twin.value.existing == [pid]
    people.create_person(
        db,
        manager,
        SEDEROT,
        people.PersonInput("dana levi", new_organisation="city hall"),
        allow_duplicate=True,
    )
    found = people.search_people(db, manager, SEDEROT, "referent")
    assert [p.full_name for p in found] == ["Dana Levi"] and found[0].organisation == "City Hall"
    row = people.get_person(db, manager, SEDEROT, pid)
    data = people.PersonInput("Dana Levi-Cohen", "Referent", organisation_id=row.organisation_id)
    version = people.update_person(db, manager, SEDEROT, pid, row.version, data)
    with pytest.raises(StaleVersion):
        people.update_person(db, manager, SEDEROT, pid, row.version, data)
    people.deactivate_person(db, manager, SEDEROT, pid, version)
    assert pid not in {p.id for p in people.search_people(db, manager, SEDEROT, "dana")}
    assert pid in {p.id for p in people.search_people(db, manager, SEDEROT, "", True)}
    assert _last_audit(db, "person").after == {"active": False}
    with pytest.raises(PermissionDenied):
        people.create_person(db, actors["member"], SEDEROT, people.PersonInput("X"))
    with pytest.raises(PermissionDenied):
        people.create_person(db, manager, NO_FORUM, people.PersonInput("X"))
    with pytest.raises(NotFound):  # a Netivot person edited as if of Sederot
        netivot = people.search_people(db, manager, NETIVOT)[0]
        people.update_person(db, manager, SEDEROT, netivot.id, netivot.version, data)


def test_a_forum_is_set_up_from_nothing(db: Database, actors: dict[str, Actor]) -> None:
    admin = actors["admin"]
    code = _fresh_locality(db, admin)
    assert forum_service.overview(db, admin, code) is None
    with pytest.raises(ValidationError):
        setup.create_forum(db, admin, code, "  ", date.today())
    setup.create_forum(db, admin, code, "Employment forum", date.today() - timedelta(days=30), 2)
    with pytest.raises(ValidationError):
        setup.create_forum(db, admin, code, "Again", date.today())
    view = present(forum_service.overview(db, admin, code))
    assert view.stage == 2 and [t["kind"] for t in view.teams] == ["forum"]

    lead = people.create_person(db, admin, code, people.PersonInput("Team Lead"))
    focus = forum_service.create_focus(db, admin, code, "Youth")
    team = setup.create_team(db, admin, code, "task", "Youth team", lead, focus)
    other = people.search_people(db, admin, SEDEROT)[0].id
    with pytest.raises(NotFound):  # another locality's person may not lead this team
        setup.create_team(db, admin, code, "task", "Bad", other)
    with pytest.raises(ValidationError):  # naming them lead seated them in the team
        forum_service.add_member(db, admin, code, team, lead, "team_lead")
    row = next(t for t in setup.list_teams(db, admin, code) if t.id == team)
    version = setup.update_team(db, admin, code, team, row.version, {"name": "Youth employment"})
    setup.update_team(db, admin, code, team, version, {"active": False})
    assert team not in {t["id"] for t in present(forum_service.overview(db, admin, code)).teams}
    with pytest.raises(StaleVersion):
        setup.update_team(db, admin, code, team, version, {"active": True})
    v = setup.forum_version(db, admin, code)
    setup.rename_forum(db, admin, code, v, "The employment forum")
    assert present(forum_service.overview(db, admin, code)).name == "The employment forum"
    assert _last_audit(db, "forum").after == {"name": "The employment forum"}


def test_managers_set_up_only_their_localities(db: Database, actors: dict[str, Actor]) -> None:
    with pytest.raises(PermissionDenied):
        setup.create_forum(db, actors["manager"], NO_FORUM, "Not mine", date.today())
    with pytest.raises(PermissionDenied):
        setup.create_team(db, actors["mayor"], SEDEROT, "task", "No")


def test_focuses_reorder_and_retire_and_a_manual_metric_shows_progress(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    first = forum_service.create_focus(db, manager, SEDEROT, "First new focus")
    second = forum_service.create_focus(db, manager, SEDEROT, "Second new focus")
    focuses.move_focus(db, manager, SEDEROT, second, -1)
    titles = [f["title"] for f in present(forum_service.overview(db, manager, SEDEROT)).focuses]
    assert titles.index("Second new focus") < titles.index("First new focus")

    start = date.today() - timedelta(days=90)
    with pytest.raises(ValidationError):  # a target below the baseline for an "up" metric
        focuses.add_manual_metric(
            db, manager, SEDEROT, first, "Placements", "#", "up", 10, start, 5, date(2027, 12, 31)
        )
    mid = focuses.add_manual_metric(
        db, manager, SEDEROT, first, "Placements", "#", "up", 10, start, 50, date(2027, 12, 31)
    )
    focuses.enter_value(db, manager, SEDEROT, mid, date.today().replace(day=1), 30, None)
    row = next(m for m in targets.metric_progress(db, manager, SEDEROT) if m["id"] == mid)
    assert row["latest"] == 30 and row["progress"] == pytest.approx(0.5)
    assert row["baseline_date"] == start
    brief = present(forum_briefing.briefing_status(db, actors["mayor"], SEDEROT))
    expected: object = ("First new focus", pytest.approx(0.5))
    assert expected in brief.focus_progress

    version = focuses.update_metric(db, manager, SEDEROT, mid, 1, {"target": 70})
    with pytest.raises(StaleVersion):
        focuses.update_metric(db, manager, SEDEROT, mid, 1, {"target": 80})
    focuses.update_metric(db, manager, SEDEROT, mid, version, {"retired": True})
    assert mid not in {m["id"] for m in targets.metric_progress(db, manager, SEDEROT)}
    focus_row = next(
        f for f in present(forum_service.overview(db, manager, SEDEROT)).focuses if f["id"] == first
    )
    focuses.update_focus(db, manager, SEDEROT, first, focus_row["version"], {"retired": True})
    assert first not in {
        f["id"] for f in present(forum_service.overview(db, manager, SEDEROT)).focuses
    }
    with pytest.raises(NotFound):  # the Netivot forum may not touch a Sederot metric
        focuses.enter_value(db, manager, NETIVOT, mid, date.today(), 1, None)
    with pytest.raises(PermissionDenied):
        focuses.enter_value(db, actors["member"], SEDEROT, mid, date.today(), 1, None)


def test_leadership_approves_the_plan_and_the_briefing_shows_it(
    db: Database, actors: dict[str, Actor]
) -> None:
    mayor = actors["mayor"]
    with pytest.raises(ValidationError):
        approval.approve_plan(db, mayor, SEDEROT, date.today() + timedelta(days=1))
    approval.approve_plan(db, mayor, SEDEROT, date.today(), "Approved at the council")
    brief = present(forum_briefing.briefing_status(db, mayor, SEDEROT))
    assert brief.approval is not None and brief.approval.approved_on == date.today()
    assert present(_last_audit(db, "work_plan").after)["note"] == "Approved at the council"
    with pytest.raises(PermissionDenied):
        approval.approve_plan(db, actors["manager"], SEDEROT, date.today())
    with pytest.raises(PermissionDenied):
        approval.approve_plan(db, mayor, NETIVOT, date.today())  # not the mayor's locality


def test_a_new_person_in_another_locality_is_refused_as_a_meeting_guest_of_record(
    db: Database, actors: dict[str, Actor]
) -> None:
    """A person of the manager's other locality is no attendee of this forum's meetings."""
    with db.transaction() as s:
        other = s.scalar(select(Person.id).where(Person.locality_code == NETIVOT))
    assert other is not None
    view = present(forum_service.overview(db, actors["manager"], SEDEROT))
    data = meetings.MeetingInput(
        SEDEROT, view.teams[0]["id"], date.today(), attendance={other: True}
    )
    with pytest.raises(NotFound):  # refused like a missing one
        meetings.save_meeting(db, actors["manager"], data)


def test_a_milestone_keeps_a_note_and_a_link(db: Database, actors: dict[str, Actor]) -> None:
    from employdash.forum import milestones

    manager = actors["manager"]
    with pytest.raises(ValidationError):
        milestones.set_note(db, manager, SEDEROT, "employer_survey", None, "x", "Doc", "ftp://x")
    v = milestones.set_note(
        db, manager, SEDEROT, "employer_survey", None, "Sent in May", "Report", "https://x.org/r"
    )
    with pytest.raises(StaleVersion):
        milestones.set_note(db, manager, SEDEROT, "employer_survey", None, "again")
    milestones.set_note(db, manager, SEDEROT, "employer_survey", v, "Sent in May and June")
    row = milestones.notes(db, actors["mayor"], SEDEROT)["employer_survey"]
    assert (row.note, row.link_url) == ("Sent in May and June", None)
    assert milestones.survey_responses(db, manager, SEDEROT) > 0  # the seed has responses
    with pytest.raises(PermissionDenied):
        milestones.set_note(db, actors["member"], SEDEROT, "employer_survey", v + 1, "no")
    assert present(_last_audit(db, "milestone_note").after)["note"] == "Sent in May and June"
