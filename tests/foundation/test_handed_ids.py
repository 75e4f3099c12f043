"""The handed-ID guard: a record outside the scope is indistinguishable from a missing one."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import ColumnElement, select

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import NotFound
from employdash.handed_ids import LOCALITY_OF, SHARED_MODELS, in_locality, in_scope, locality_of
from employdash.models import Organisation, Person
from employdash.models.forum import Team
from employdash.models.mentoring import PipelineStage
from tests.support.present import present

SEDEROT, OTHER_OWN, FOREIGN = 1031, 246, 31  # the manager's two localities, and one outside


def _first(db: Database, model: Any, where: ColumnElement[bool]) -> int:
    with db.transaction() as s:
        found: int | None = s.scalar(select(model.id).where(where).order_by(model.id))
    assert found is not None
    return found


def test_a_foreign_record_gets_the_same_error_as_a_missing_one(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    foreign = _first(db, Person, Person.locality_code == FOREIGN)
    own = _first(db, Person, Person.locality_code == SEDEROT)
    with db.transaction() as s:
        assert in_scope(s, manager, Person, own).id == own
        with pytest.raises(NotFound) as refused:
            in_scope(s, manager, Person, foreign)
        with pytest.raises(NotFound) as missing:
            in_scope(s, manager, Person, 10**9)
        assert type(refused.value) is type(missing.value)
        assert in_scope(s, actors["admin"], Person, foreign).id == foreign


def test_a_record_of_the_actors_other_locality_is_refused_for_this_locality(
    db: Database, actors: dict[str, Actor]
) -> None:
    team = _first(db, Team, Team.forum_id.is_not(None))
    with db.transaction() as s:
        code = locality_of(s, Team, team)
        other = OTHER_OWN if code == SEDEROT else SEDEROT
        assert code is not None
        assert in_locality(s, actors["admin"], Team, team, code).id == team
        with pytest.raises(NotFound):
            in_locality(s, actors["admin"], Team, team, other)


def test_national_organisations_and_pipelines_are_shared_by_design(
    db: Database, actors: dict[str, Actor]
) -> None:
    with db.transaction() as s:
        national = s.scalar(select(Organisation.id).where(Organisation.locality_code.is_(None)))
        stage = s.scalar(select(PipelineStage.id))
        assert stage is not None
        assert in_scope(s, actors["member"], PipelineStage, stage).id == stage
        if national is not None:
            assert in_scope(s, actors["member"], Organisation, national).id == national


def test_every_guarded_model_has_a_locality_rule() -> None:
    assert SHARED_MODELS.isdisjoint(LOCALITY_OF)


def test_target_progress_refuses_a_foreign_locality_or_program(
    db: Database, actors: dict[str, Actor]
) -> None:
    """Refused like every other read handed a foreign ID: a quiet empty list would hide the
    mistake."""
    from datetime import date

    from employdash.errors import PermissionDenied
    from employdash.mentoring import operations, targets

    admin, manager = actors["admin"], actors["manager"]
    program = operations.create_program(
        db,
        admin,
        name="Foreign program",
        locality_code=FOREIGN,
        operating_model="freelancer",
        target_population="haredi",
    )
    targets.set_target(db, admin, program, date(2025, 1, 1), date(2025, 12, 31), {"matches": 3})
    assert [r.program_id for r in targets.progress(db, admin, program_ids=(program,))] == [program]
    with pytest.raises(PermissionDenied):
        targets.progress(db, manager, (FOREIGN,))
    with pytest.raises(NotFound) as refused:
        targets.progress(db, manager, program_ids=(program,))
    with pytest.raises(NotFound) as missing:
        targets.progress(db, manager, program_ids=(10**9,))
    assert type(refused.value) is type(missing.value)
    assert targets.progress(db, manager, (SEDEROT, OTHER_OWN)) is not None


# --- every write that takes a handed ID refuses one outside the write's locality ----------------


def _foreign_ids(db: Database, actors) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A person and an organisation of a locality outside the manager's scope, and a team of the
    manager's other locality (outside the write's locality)."""
    with db.transaction() as s:
        org = Organisation(name="Foreign org", sector="ngo", locality_code=FOREIGN)
        person = Person(full_name="Foreign person", locality_code=FOREIGN)
        s.add_all([org, person])
        s.flush()
        ids = {"person": person.id, "organisation": org.id}
    ids["team"] = _first(db, Team, Team.forum_id.is_not(None))
    with db.transaction() as s:
        if locality_of(s, Team, ids["team"]) == SEDEROT:
            other = s.scalar(
                select(Team.id).where(Team.id.not_in([ids["team"]])).order_by(Team.id.desc())
            )
            assert other is not None and locality_of(s, Team, other) != SEDEROT
            ids["team"] = other
    return ids


def _handed_writes(db: Database, actors):  # type: ignore[no-untyped-def]
    from datetime import date

    from employdash import people
    from employdash.forum import decisions, meetings, setup, tasks
    from employdash.forum import structure as forum
    from employdash.mentoring import operations

    manager = actors["manager"]
    plenary = next(
        t for t in present(forum.overview(db, manager, SEDEROT)).teams if t["kind"] == "forum"
    )
    task = tasks.create_task(db, manager, SEDEROT, {"title": "Own task"})
    meeting = meetings.save_meeting(
        db,
        manager,
        meetings.MeetingInput(
            locality_code=SEDEROT, team_id=plenary["id"], held_on=date(2026, 11, 1), decisions=["D"]
        ),
    )
    decision = next(
        d for d in decisions.list_decisions(db, manager, SEDEROT) if d.meeting_id == meeting
    )
    own_person = people.create_person(db, manager, SEDEROT, people.PersonInput("Own person"))

    def meeting_with(**changes: Any) -> meetings.MeetingInput:
        values: dict[str, Any] = {
            "locality_code": SEDEROT,
            "team_id": plenary["id"],
            "held_on": date(2026, 11, 2),
        }
        return meetings.MeetingInput(**{**values, **changes})

    program_args: dict[str, Any] = {
        "name": "Linked program",
        "locality_code": OTHER_OWN,
        "operating_model": "freelancer",
        "target_population": "haredi",
    }
    return {
        "add_member person": (
            "person",
            lambda i: forum.add_member(db, manager, SEDEROT, plenary["id"], i, "member"),
        ),
        "add_member team": (
            "team",
            lambda i: forum.add_member(db, manager, SEDEROT, i, own_person, "member"),
        ),
        "create_task owner": (
            "person",
            lambda i: tasks.create_task(db, manager, SEDEROT, {"title": "T", "owner_person_id": i}),
        ),
        "create_task team": (
            "team",
            lambda i: tasks.create_task(db, manager, SEDEROT, {"title": "T", "team_id": i}),
        ),
        "update_task owner": (
            "person",
            lambda i: tasks.update_task(db, manager, task, 1, {"owner_person_id": i}),
        ),
        "meeting attendance": (
            "person",
            lambda i: meetings.save_meeting(db, manager, meeting_with(attendance={i: True})),
        ),
        "meeting team": (
            "team",
            lambda i: meetings.save_meeting(db, manager, meeting_with(team_id=i)),
        ),
        "meeting task owner": (
            "person",
            lambda i: meetings.save_meeting(
                db,
                manager,
                meeting_with(tasks=[{"title": "X", "owner_person_id": i, "due_date": None}]),
            ),
        ),
        "decision_to_task owner": (
            "person",
            lambda i: decisions.decision_to_task(
                db, manager, SEDEROT, decision.id, decision.version, {"owner_person_id": i}
            ),
        ),
        "create_team lead": (
            "person",
            lambda i: setup.create_team(db, manager, SEDEROT, "task", "Team", lead_person_id=i),
        ),
        "create_program coordinator": (
            "person",
            lambda i: operations.create_program(
                db, manager, **program_args, coordinator_person_id=i
            ),
        ),
    }


def test_every_write_refuses_a_handed_id_outside_its_locality_like_a_missing_one(
    db: Database, actors: dict[str, Actor]
) -> None:
    """A manager handing another locality's person, team, organisation or
    participant to their own write gets the error a missing ID gets, and nothing is written."""
    from sqlalchemy import func

    from employdash.models import AuditEntry

    foreign = _foreign_ids(db, actors)
    wrong = []
    for name, (kind, write) in _handed_writes(db, actors).items():
        with db.transaction() as s:
            mark = s.scalar(select(func.max(AuditEntry.id)))
        errors: list[type[Exception] | None] = []
        for handed in (foreign[kind], 10**9):
            try:
                write(handed)
                errors.append(None)
            except Exception as exc:
                errors.append(type(exc))
        with db.transaction() as s:
            written = s.scalar(select(func.count()).where(AuditEntry.id > mark))
        if errors[0] is None or errors[0] is not errors[1] or written:
            wrong.append(f"{name}: foreign {errors[0]}, missing {errors[1]}, {written} written")
    assert not wrong, "\n".join(wrong)


# Writes for the manager's other locality (the program's): a person of Sederot is the "other".
WRITES_FOR_OTHER_OWN = {"create_program coordinator"}


def _person_of(db: Database, locality: int, name: str) -> int:
    with db.transaction() as s:
        person = Person(full_name=name, locality_code=locality)
        s.add(person)
        s.flush()
        return person.id


def test_every_write_refuses_a_person_of_the_actors_other_locality(
    db: Database, actors: dict[str, Actor]
) -> None:
    """One rule for every write handed a person: the person belongs to the
    locality the write is for. A person of the manager's *other* locality (one they may see and
    write for) is refused like a missing one, and nothing is written."""
    from sqlalchemy import func

    from employdash.models import AuditEntry

    of_other = _person_of(db, OTHER_OWN, "Person of the other own locality")
    of_sederot = _person_of(db, SEDEROT, "Person of Sederot")
    wrong = []
    writes = _handed_writes(db, actors)
    person_writes = {n: w for n, (kind, w) in writes.items() if kind == "person"}
    assert {
        "add_member person",
        "create_task owner",
        "update_task owner",
        "meeting attendance",
        "meeting task owner",
        "decision_to_task owner",
        "create_team lead",
    } <= set(person_writes)
    for name, write in person_writes.items():
        handed = of_sederot if name in WRITES_FOR_OTHER_OWN else of_other
        with db.transaction() as s:
            mark = s.scalar(select(func.max(AuditEntry.id)))
        errors: list[type[Exception] | None] = []
        for person in (handed, 10**9):
            try:
                write(person)
                errors.append(None)
            except Exception as exc:
                errors.append(type(exc))
        with db.transaction() as s:
            written = s.scalar(select(func.count()).where(AuditEntry.id > mark))
        if errors[0] is None or errors[0] is not errors[1] or written:
            wrong.append(f"{name}: other own {errors[0]}, missing {errors[1]}, {written} written")
    assert not wrong, "\n".join(wrong)


def test_a_person_of_the_locality_or_already_in_its_forum_is_accepted(
    db: Database, actors: dict[str, Actor]
) -> None:
    """The other side of the same rule: the locality's own people, and a member of its forum
    who comes from elsewhere (the forum's people lists offer them), are accepted by every forum
    write handed a person."""
    from employdash.handed_ids import forum_people
    from employdash.models.forum import Forum, Membership

    own = _person_of(db, SEDEROT, "Sederot person")
    guest = _person_of(db, OTHER_OWN, "Sits in the Sederot forum")
    outsider = _person_of(db, OTHER_OWN, "Sits in no Sederot team")
    with db.transaction() as s:
        team = s.scalar(
            select(Team.id)
            .join(Forum, Forum.id == Team.forum_id)
            .where(Forum.locality_code == SEDEROT, Team.kind == "forum")
        )
        assert team is not None
        s.add(Membership(team_id=team, person_id=guest, role="member"))
    with db.transaction() as s:
        assert forum_people(s, [own, guest, outsider, 10**9], SEDEROT) == {own, guest}
        assert forum_people(s, [own, guest, outsider], OTHER_OWN) == {guest, outsider}
    from datetime import date

    from employdash.forum import decisions, meetings, setup, tasks
    from employdash.forum import structure as forum

    manager = actors["manager"]
    other_team = setup.create_team(db, manager, SEDEROT, "task", "Second team")
    for n, person in enumerate((own, guest)):
        if person == own:
            forum.add_member(db, manager, SEDEROT, team, person, "member")
        forum.add_member(db, manager, SEDEROT, other_team, person, "member")
        setup.create_team(db, manager, SEDEROT, "task", f"Led {n}", lead_person_id=person)
        task = tasks.create_task(db, manager, SEDEROT, {"title": "T", "owner_person_id": person})
        tasks.update_task(db, manager, task, 1, {"owner_person_id": None})
        tasks.update_task(db, manager, task, 2, {"owner_person_id": person})
        meeting = meetings.save_meeting(
            db,
            manager,
            meetings.MeetingInput(
                locality_code=SEDEROT,
                team_id=team,
                held_on=date(2026, 11, 1 + n),
                attendance={person: True},
                tasks=[{"title": "X", "owner_person_id": person, "due_date": None}],
                decisions=["D"],
            ),
        )
        decision = next(
            d for d in decisions.list_decisions(db, manager, SEDEROT) if d.meeting_id == meeting
        )
        decisions.decision_to_task(
            db, manager, SEDEROT, decision.id, decision.version, {"owner_person_id": person}
        )


def test_an_owner_or_lead_kept_from_before_the_rule_does_not_block_an_edit(
    db: Database, actors: dict[str, Actor]
) -> None:
    """A task owner or team lead of another locality stored before the rule (older data) is
    not re-judged when the record is edited with it unchanged; choosing one anew is refused."""
    from sqlalchemy import update

    from employdash.forum import setup, tasks
    from employdash.models.forum import Task

    manager = actors["manager"]
    legacy = _person_of(db, OTHER_OWN, "Owner from before the rule")
    another = _person_of(db, OTHER_OWN, "Another of the other locality")
    task = tasks.create_task(db, manager, SEDEROT, {"title": "Old task"})
    team = setup.create_team(db, manager, SEDEROT, "task", "Old team")
    with db.transaction() as s:
        s.execute(update(Task).where(Task.id == task).values(owner_person_id=legacy))
        s.execute(update(Team).where(Team.id == team).values(lead_person_id=legacy))
    tasks.update_task(db, manager, task, 1, {"title": "Renamed", "owner_person_id": legacy})
    setup.update_team(db, manager, SEDEROT, team, 1, {"name": "Renamed", "lead_person_id": legacy})
    with pytest.raises(NotFound):
        tasks.update_task(db, manager, task, 2, {"owner_person_id": another})
    with pytest.raises(NotFound):
        setup.update_team(db, manager, SEDEROT, team, 2, {"lead_person_id": another})
