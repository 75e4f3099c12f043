"""The handed-ID guard: a record outside the scope is indistinguishable from a missing one.

The pipeline resolves every reference a command is handed; tests/foundation/commands/
swaps each for a record outside the actor's scope. Here: the guard's own rules, a read handed a
foreign ID, every command handed a record of the actor's *other* locality, and the forum's rule
for people (its members from elsewhere are accepted, an owner kept from older data is not
judged again).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import ColumnElement, select

from employdash.access import Action, Actor, allows
from employdash.commands import Command, Ref, execute
from employdash.db import Database
from employdash.errors import NotFound
from employdash.handed_ids import LOCALITY_OF, SHARED_MODELS, in_locality, in_scope, locality_of
from employdash.models import Organisation, Person
from employdash.models.forum import Team
from employdash.models.mentoring import PipelineStage
from tests.app.accounts import demo_actor
from tests.foundation.command_samples import load
from tests.foundation.commands.harness import COMMANDS, NATIONAL, PRODUCT, counts, with_ref
from tests.support.databases import RolledBackDatabase, copy_sqlite

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


def _person_of(db: Database, locality: int, name: str) -> int:
    with db.transaction() as s:
        person = Person(full_name=name, locality_code=locality)
        s.add(person)
        s.flush()
        return person.id


# --- every command refuses a record of another locality the actor may also write ---------------


def _locality(db: Database, command: Command[Any]) -> int | None:
    where = command.where()
    if isinstance(where, Ref):
        with db.transaction() as s:
            return locality_of(s, where.model, where.id)
    return where


def _of_other_locality(db: Database, actor: Actor, model: Any, locality: int) -> int | None:
    """A record of `model` in a locality of the actor's scope other than `locality` (a person
    made for the purpose, so that no forum of `locality` counts them among its members)."""
    other = next(code for code in sorted(actor.localities or ()) if code != locality)
    if model is Person:
        return _person_of(db, other, "Person of the actor's other locality")
    key = model.__mapper__.primary_key[0]
    with db.transaction() as s:
        for record_id in s.scalars(select(key).order_by(key)):
            if locality_of(s, model, record_id) == other:
                return int(record_id)
    return None


SAMPLES = load()


def _swaps(db: Database, writer: Actor, command: Command[Any]) -> dict[str, int]:
    """Each reference of `command` but the record it changes, by path, with a record of the
    writer's other locality to hand in its place; none for a command judged against the whole
    scope (of no one locality)."""
    locality = _locality(db, command)
    if locality is None:
        return {}
    target = command.where()
    found = {
        path: _of_other_locality(db, writer, reference.model, locality)
        for path, reference in command.refs().items()
        if reference is not target and reference.model not in SHARED_MODELS
    }
    return {path: other for path, other in found.items() if other is not None}


# The commands the manager writes: of the demo users, only they write for two localities.
MANAGERS = [
    n for n in sorted(set(PRODUCT) - NATIONAL) if allows("manager", COMMANDS[n].area, Action.WRITE)
]


def test_a_reference_of_the_actors_other_locality_is_not_found(
    sqlite_template: Path, tmp_path: Path
) -> None:
    """The pipeline's generic test hands each reference a record outside the actor's scope; this
    one hands a record of the actor's own other locality, which they may read and write, to a
    write for this one: one locality's person, team or focus attached to the other's record is
    refused like a missing ID, and nothing is written. The record the command changes is not
    swapped (that moves the whole write to the other locality, where it is allowed). The rule is
    the pipeline's, not the dialect's: SQLite alone, each command on the demo data as it is (one
    copy, every command's changes rolled back after it)."""
    checked, accepted = [], []
    db = RolledBackDatabase(copy_sqlite(sqlite_template, tmp_path / "demo.db"))
    actors = {a: demo_actor(db, a) for a in ("admin", "mayor", "manager", "member")}
    writer = actors["manager"]
    assert writer.localities == frozenset({SEDEROT, OTHER_OWN})
    for name in MANAGERS:
        with db.rolled_back():
            command = SAMPLES[name](db, actors)
            swaps = _swaps(db, writer, command)
            before = counts(db)
            for path, other in swaps.items():
                reference = command.refs()[path]
                try:
                    execute(
                        db,
                        writer,
                        with_ref(command, path, dataclasses.replace(reference, id=other)),
                    )
                except NotFound:
                    continue
                accepted.append(f"{name}: {path}")
            assert counts(db) == before, name
        if swaps:
            checked.append(name)
    db.dispose()
    assert accepted == [], "a record of the other locality was accepted"
    # the commands handed a reference besides their record (the rest judge the whole scope, or
    # are handed only the record they change): a sample that stops handing one shows here
    assert len(checked) >= 26, checked


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
