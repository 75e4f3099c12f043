"""Samples of the mentoring commands: programs, cohorts, participants, matches, targets,
certification, the import, and the national catalogue (standards, pipelines) the admin writes."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from employdash.access import Actor
from employdash.commands import Command
from employdash.db import Database
from employdash.mentoring import certification, imports, matches, programs, targets
from employdash.mentoring import operations as ops
from employdash.models import Organisation, Person
from employdash.models.mentoring import Program, Standard
from tests.foundation.command_samples import SEDEROT, first, sample

TODAY = date.today()


def _program(db: Database) -> tuple[int, int]:
    """An open program of Sederot and its version."""
    with db.transaction() as s:
        row = s.execute(
            select(Program.id, Program.version)
            .where(Program.locality_code == SEDEROT, Program.closed_on.is_(None))
            .order_by(Program.id)
        ).first()
    assert row is not None, "the demo data has no open program in Sederot"
    return int(row.id), int(row.version)


def _newcomer(db: Database, actors: dict[str, Actor], role: str = "mentee") -> int:
    """A participant just added to Sederot's program, at the first stage since today."""
    program, _ = _program(db)
    return ops.add_participant(
        db,
        actors["manager"],
        program_id=program,
        role=role,
        population="haredi",
        age_band=None,
        entered_on=TODAY,
    )


def _abroad(db: Database, actors: dict[str, Actor]) -> int:
    """An open program of a locality outside the manager's scope: the records a sample needs
    there for the generic test's foreign references (cohorts, targets and results of another
    locality) are added to it as the admin."""
    manager = actors["manager"]
    with db.transaction() as s:
        found = [
            (pid, code)
            for pid, code in s.execute(
                select(Program.id, Program.locality_code)
                .where(Program.closed_on.is_(None))
                .order_by(Program.id)
            )
            if not manager.can_see(code)
        ]
    assert found, "the demo data has no open program outside the manager's scope"
    return int(found[0][0])


def _match(db: Database, actors: dict[str, Actor]) -> int:
    """A match started today between two newcomers of Sederot's program."""
    mentor, mentee = _newcomer(db, actors, "mentor"), _newcomer(db, actors)
    return ops.record_match(db, actors["manager"], mentor, mentee, TODAY)


@sample("employdash.mentoring.operations.CreateProgram")
def _create_program(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return ops.CreateProgram.of(
        SEDEROT,
        name="Night shift mentors",
        operating_model="freelancer",
        target_population="haredi",
        host_organisation_id=first(db, Organisation, Organisation.locality_code == SEDEROT),
        coordinator_person_id=first(db, Person, Person.locality_code == SEDEROT),
    )


@sample("employdash.mentoring.programs.UpdateProgram")
def _update_program(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    person = first(db, Person, Person.locality_code == SEDEROT)
    values = {"name": "Renamed program", "sponsor_person_id": person}
    return programs.UpdateProgram.of(*_program(db), values)


@sample("employdash.mentoring.programs.CloseProgram")
def _close_program(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return programs.CloseProgram.of(*_program(db), TODAY)


@sample("employdash.mentoring.operations.CreateCohort")
def _create_cohort(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    program, _ = _program(db)
    return ops.CreateCohort.of(program, "Spring", TODAY, [_newcomer(db, actors)])


@sample("employdash.mentoring.operations.AssignCohort")
def _assign_cohort(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    program, _ = _program(db)
    cohort = ops.create_cohort(db, actors["manager"], program, "Autumn")
    ops.create_cohort(db, actors["admin"], _abroad(db, actors), "Elsewhere")
    return ops.AssignCohort.of(cohort, [_newcomer(db, actors)])


@sample("employdash.mentoring.operations.AddParticipant")
def _add_participant(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    program, _ = _program(db)
    cohort = ops.create_cohort(db, actors["manager"], program, "Autumn")
    ops.create_cohort(db, actors["admin"], _abroad(db, actors), "Elsewhere")
    return ops.AddParticipant.of(
        program_id=program,
        role="mentee",
        population="arab",
        age_band=None,
        entered_on=TODAY,
        cohort_id=cohort,
        code="ME-SAMPLE",
    )


@sample("employdash.mentoring.operations.Advance")
def _advance(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return ops.Advance.of([_newcomer(db, actors), _newcomer(db, actors)], TODAY)


@sample("employdash.mentoring.operations.RecordMatch")
def _record_match(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return ops.RecordMatch.of(_newcomer(db, actors, "mentor"), _newcomer(db, actors), TODAY)


@sample("employdash.mentoring.operations.EndMatch")
def _end_match(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return ops.EndMatch.of(_match(db, actors), TODAY, "completed", "goals_met", version=1)


@sample("employdash.mentoring.operations.RecordOutcome")
def _record_outcome(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return ops.RecordOutcome.of(_newcomer(db, actors), "job", TODAY)


@sample("employdash.mentoring.matches.LogSession")
def _log_session(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return matches.LogSession.of(_match(db, actors), TODAY, 45, "Talked about interviews")


@sample("employdash.mentoring.targets.SetTarget")
def _set_target(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    program, _ = _program(db)
    start, end = date(2031, 1, 1), date(2031, 12, 31)
    targets.set_target(db, actors["manager"], program, start, end, {"matches": 10})
    targets.set_target(db, actors["admin"], _abroad(db, actors), start, end, {"matches": 3})
    return targets.SetTarget.of(db, program, start, end, {"matches": 12}, version=1)


@sample("employdash.mentoring.certification.RecordAssessment")
def _record_assessment(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    trainee = _newcomer(db, actors, "trainee")
    standard = first(db, Standard, Standard.active.is_(True))
    certification.record_assessment(db, actors["manager"], trainee, standard, False, TODAY)
    admin = actors["admin"]
    elsewhere = ops.add_participant(
        db,
        admin,
        program_id=_abroad(db, actors),
        role="trainee",
        population="arab",
        age_band=None,
        entered_on=TODAY,
    )
    certification.record_assessment(db, admin, elsewhere, standard, True, TODAY)
    return certification.RecordAssessment.of(
        db, trainee, standard, False, TODAY, "Needs practice with employers", version=1
    )


@sample("employdash.mentoring.imports.ImportParticipants")
def _import(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    program, _ = _program(db)
    data = (
        "code,role,program,population,stage,date\n"
        f"IMP-S1,mentee,{program},haredi,referred,{TODAY.isoformat()}\n"
    ).encode()
    batch = imports.read_batch("sample.csv", data)
    return imports.ImportParticipants.of(batch, imports.plan_batch(db, actors["manager"], batch))


@sample("employdash.mentoring.certification.SaveStandard")
def _save_standard(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    with db.transaction() as s:
        code, version = s.execute(
            select(Standard.code, Standard.version).order_by(Standard.id).limit(1)
        ).one()
    return certification.SaveStandard.of(db, code, "Renamed standard", version=version)


@sample("employdash.mentoring.operations.DefinePipeline")
def _define_pipeline(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return ops.DefinePipeline(
        "sample_pipeline", "mentee", ["referred", "placed"], label="Sample pipeline"
    )
