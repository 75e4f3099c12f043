"""Every editable entity under a real race, so that no save is silently lost: several processes
save the same record from the same version at once, on SQLite and on PostgreSQL. Exactly one save is
accepted, every other is refused (never silently lost, never a crash), the stored record equals
the accepted save, and the audit log holds exactly one row for it.

One case per editable entity: every service that takes the version the user read, stage moves and
match creation. Entities raced elsewhere with the same helper are listed in RACED_ELSEWHERE, and
`test_every_versioned_service_is_raced` fails when a new versioned service appears unlisted.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from employdash.access import Actor
from employdash.db import Database
from employdash.forum import (
    decisions,
    focuses,
    meetings,
    milestones,
    tasks,
)
from employdash.forum import structure as forum
from employdash.mentoring import certification
from employdash.mentoring import operations as mentoring
from employdash.models import AuditEntry
from employdash.models.forum import (
    Decision,
    MetricValue,
    MilestoneNote,
    Task,
)
from employdash.models.mentoring import (
    Assessment,
    Match,
    Participant,
    StageEvent,
    Standard,
)
from employdash.models.stakeholders import Stakeholder
from employdash.stakeholders import register as stakeholders
from employdash.stakeholders.register import StakeholderInput
from tests.support.concurrency import race
from tests.support.present import present
from tests.support.registry import registrar

SEDEROT, NETIVOT = 1031, 246
WORKERS = [1, 2, 3]

Work = Callable[[Database, Actor, int], object]
Check = Callable[[Database, int], None]


@dataclass(frozen=True)
class Race:
    """What a case hands the helper: the save each worker makes (worker n saves its own values),
    who saves, the check that the stored record is worker n's save, and the audit row (entity,
    action) each accepted save leaves."""

    work: Work
    check: Check
    audit: tuple[str, str]
    username: str = "manager"


Case = Callable[[Database, dict[str, Actor]], Race]
CASES: dict[str, Case] = {}


case = registrar(CASES)


# Raced by processes on both databases in another file (with tests.support.concurrency.race).
RACED_ELSEWHERE = {
    "employdash.stakeholders.register.update": "tests/stakeholders/test_concurrency.py",
    "employdash.stakeholders.register.move": "tests/stakeholders/test_concurrency.py",
    "employdash.stakeholders.organisations.save_profile": "tests/stakeholders/test_concurrency.py",
    "employdash.stakeholders.surveys.update_response": "tests/stakeholders/test_survey_annex2.py",
    # commands: the pipeline's version check (mapper's version_id_col), for every command
    "employdash.forum.meeting_edits.correct_meeting": "tests/foundation/test_commands.py",
    "employdash.forum.meeting_edits.delete_meeting": "tests/foundation/test_commands.py",
    "employdash.mentoring.operations.end_match": "tests/foundation/test_commands.py",
    "employdash.mentoring.programs.update_program": "tests/foundation/test_commands.py",
    "employdash.mentoring.programs.close_program": "tests/foundation/test_commands.py",
    "employdash.mentoring.targets.set_target": "tests/foundation/test_commands.py",
}
# Take a version but edit nothing on their own.
NOT_EDITS = {
    "employdash.users.resume_session": "checks a session's version, writes nothing",
    "employdash.stakeholders.surveys.delete_response": "a delete, refused stale by the pipeline",
    "employdash.mentoring.operations.move": "inside advance and record_match (raced there)",
}


def run_race(db: Database, race_: Race) -> int:
    """Race every worker's save against the others in its own process; the one accepted.

    Refusals are a stale version, a busy database, a validation error from a check made after
    the winner committed (a match already running, a decision already closed) or, for a delete,
    the record already gone; anything else
    (an integrity error, a crash) fails the test."""
    entity, action = race_.audit
    mark = _last_audit(db)
    results = race(db.url, race_.username, race_.work, WORKERS)
    refused: tuple[str, ...] = ("stale", "busy", "error: ValidationError")
    if action == "delete":  # the winner deleted it: the others find it gone
        refused = (*refused, "error: NotFound")
    assert all(r == "ok" or r.startswith(refused) for r in results.values()), results
    accepted = [n for n, r in results.items() if r == "ok"]
    assert len(accepted) == 1, results  # exactly one save per version wins
    winner: int
    (winner,) = accepted
    race_.check(db, winner)
    with db.transaction() as s:
        audited = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.id > mark, AuditEntry.entity == entity, AuditEntry.action == action)
        )
    assert audited == 1, (entity, action, audited)
    return winner


def _last_audit(db: Database) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.max(AuditEntry.id))) or 0


def _get(db: Database, model: type[Any], row_id: int) -> Any:
    with db.transaction() as s:
        row = s.get(model, row_id)
        if row is not None:
            s.expunge(row)
        return row


# --- forum -----------------------------------------------------------------------------------


def _plenary(db: Database, actor: Actor) -> int:
    return int(
        next(t for t in present(forum.overview(db, actor, SEDEROT)).teams if t["kind"] == "forum")[
            "id"
        ]
    )


@case("employdash.forum.tasks.update_task")
def _task_update(db: Database, actors: dict[str, Actor]) -> Race:
    tid = tasks.create_task(db, actors["manager"], SEDEROT, {"title": "Raced task"})

    def check(db: Database, n: int) -> None:
        row = _get(db, Task, tid)
        assert (row.progress, row.version) == (n * 10, 2)

    return Race(
        lambda db, a, n: tasks.update_task(db, a, tid, 1, {"progress": n * 10}),
        check,
        ("task", "update"),
    )


@case("employdash.forum.tasks.cancel_task")
def _task_cancel(db: Database, actors: dict[str, Actor]) -> Race:
    tid = tasks.create_task(db, actors["manager"], SEDEROT, {"title": "Raced cancel"})

    def check(db: Database, n: int) -> None:
        row = _get(db, Task, tid)
        assert (row.status, row.version) == ("cancelled", 2)
        assert tasks.notes(db, actors["manager"], tid)[-1].body == f"reason {n}"

    return Race(
        lambda db, a, n: tasks.cancel_task(db, a, tid, 1, f"reason {n}"),
        check,
        ("task", "cancel"),
    )


@case("employdash.forum.tasks.delete_task")
def _task_delete(db: Database, actors: dict[str, Actor]) -> Race:
    tid = tasks.create_task(db, actors["manager"], SEDEROT, {"title": "Raced delete"})

    def check(db: Database, n: int) -> None:
        assert _get(db, Task, tid) is None

    return Race(
        lambda db, a, n: tasks.delete_task(db, a, tid, 1, f"reason {n}"),
        check,
        ("task", "delete"),
    )


def _decision(db: Database, manager: Actor, text: str) -> int:
    data = meetings.MeetingInput(
        locality_code=SEDEROT,
        team_id=_plenary(db, manager),
        held_on=date(2026, 11, 21),
        decisions=[text],
    )
    meeting = meetings.save_meeting(db, manager, data)
    with db.transaction() as s:
        found = s.scalar(select(Decision.id).where(Decision.meeting_id == meeting))
    assert found is not None
    return found


@case("employdash.forum.decisions.close_decision")
def _decision_close(db: Database, actors: dict[str, Actor]) -> Race:
    did = _decision(db, actors["manager"], "Raced decision")

    def check(db: Database, n: int) -> None:
        row = _get(db, Decision, did)
        assert (row.is_open, row.outcome, row.version) == (False, f"outcome {n}", 2)

    return Race(
        lambda db, a, n: decisions.close_decision(
            db, a, SEDEROT, did, 1, date(2026, 11, 22), f"outcome {n}"
        ),
        check,
        ("decision", "close"),
    )


@case("employdash.forum.decisions.decision_to_task")
def _decision_task(db: Database, actors: dict[str, Actor]) -> Race:
    did = _decision(db, actors["manager"], "Raced into a task")

    def check(db: Database, n: int) -> None:
        row = _get(db, Decision, did)
        assert row.task_id is not None and not row.is_open
        with db.transaction() as s:
            titles = s.scalars(select(Task.title).where(Task.title.like("task from %"))).all()
        assert titles == [f"task from {n}"]  # the refused saves left no task behind

    return Race(
        lambda db, a, n: decisions.decision_to_task(
            db, a, SEDEROT, did, 1, {"title": f"task from {n}"}
        ),
        check,
        ("decision", "close"),
    )


def _manual_metric(db: Database, manager: Actor, name: str) -> int:
    fid = forum.create_focus(db, manager, SEDEROT, f"{name} focus")
    return focuses.add_manual_metric(
        db, manager, SEDEROT, fid, name, "", "up", 1.0, date(2026, 1, 1), 5.0, date(2027, 1, 1)
    )


def _metric_value(db: Database, mid: int) -> tuple[float, int]:
    with db.transaction() as s:
        rows = s.execute(
            select(MetricValue.value, MetricValue.version).where(MetricValue.metric_id == mid)
        ).all()
    assert len(rows) == 1, rows  # one value per period, however many raced
    return rows[0][0], rows[0][1]


@case("employdash.forum.focuses.enter_value")
def _metric_value_replace(db: Database, actors: dict[str, Actor]) -> Race:
    mid = _manual_metric(db, actors["manager"], "Replaced value")
    month = date(2026, 3, 1)
    version = focuses.enter_value(db, actors["manager"], SEDEROT, mid, month, 1.0, None)

    def check(db: Database, n: int) -> None:
        assert _metric_value(db, mid) == (10.0 + n, version + 1)

    return Race(
        lambda db, a, n: focuses.enter_value(db, a, SEDEROT, mid, month, 10.0 + n, version),
        check,
        ("metric_value", "update"),
    )


@case("employdash.forum.focuses.enter_value (first value of a period)")
def _metric_value_first(db: Database, actors: dict[str, Actor]) -> Race:
    mid = _manual_metric(db, actors["manager"], "First value")
    month = date(2026, 4, 1)

    def check(db: Database, n: int) -> None:
        assert _metric_value(db, mid) == (20.0 + n, 1)

    return Race(
        lambda db, a, n: focuses.enter_value(db, a, SEDEROT, mid, month, 20.0 + n, None),
        check,
        ("metric_value", "create"),
    )


# Each worker a different role of the fixed vocabulary (the member starts as "member").
RACED_ROLES = dict(enumerate(("chair", "referent", "team_lead"), start=1))


@case("employdash.forum.milestones.set_note")
def _milestone_note(db: Database, actors: dict[str, Actor]) -> Race:
    from employdash.forum.stages import ALL_MILESTONES

    manager = actors["manager"]
    key = next(iter(ALL_MILESTONES))
    current = milestones.notes(db, manager, SEDEROT).get(key)
    version = milestones.set_note(
        db, manager, SEDEROT, key, current.version if current else None, "first"
    )

    def check(db: Database, n: int) -> None:
        with db.transaction() as s:
            row = s.scalar(select(MilestoneNote).where(MilestoneNote.milestone_key == key))
            assert row is not None
            assert (row.note, row.version) == (f"note {n}", version + 1)

    return Race(
        lambda db, a, n: milestones.set_note(db, a, SEDEROT, key, version, f"note {n}"),
        check,
        ("milestone_note", "update"),
    )


# --- people, users, stakeholders -----------------------------------------------------------------


@case("employdash.stakeholders.register.delete")
def _stakeholder_delete(db: Database, actors: dict[str, Actor]) -> Race:
    sid = stakeholders.create(
        db, actors["manager"], SEDEROT, StakeholderInput(new_organisation="Raced", sector="ngo")
    )

    def check(db: Database, n: int) -> None:
        assert _get(db, Stakeholder, sid) is None

    return Race(
        lambda db, a, n: stakeholders.delete(db, a, sid, 1),
        check,
        ("stakeholder", "delete"),
    )


# --- mentoring -----------------------------------------------------------------------------------


def _program(db: Database, actor: Actor, name: str = "Raced program") -> int:
    return mentoring.create_program(
        db,
        actor,
        name=name,
        locality_code=NETIVOT,
        operating_model="freelancer",
        target_population="haredi",
        started_on=date(2025, 1, 1),
    )


def _participant(db: Database, actor: Actor, program: int, role: str = "mentee") -> int:
    return mentoring.add_participant(
        db,
        actor,
        program_id=program,
        role=role,
        population="haredi",
        age_band=None,
        entered_on=date(2025, 1, 1),
    )


@case("employdash.mentoring.operations.advance")
def _stage_move(db: Database, actors: dict[str, Actor]) -> Race:
    manager = actors["manager"]
    pid = _participant(db, manager, _program(db, manager))
    seen = _get(db, Participant, pid).version

    def events() -> int:
        with db.transaction() as s:
            return present(s.scalar(select(func.count()).where(StageEvent.participant_id == pid)))

    before = events()

    def check(db: Database, n: int) -> None:
        assert events() == before + 1  # one move, however many clicks raced
        with db.transaction() as s:
            on = s.scalar(
                select(func.max(StageEvent.occurred_on)).where(StageEvent.participant_id == pid)
            )
        assert on == date(2025, 2, n)
        assert _get(db, Participant, pid).version == seen + 1

    return Race(
        lambda db, a, n: mentoring.advance(db, a, [pid], date(2025, 2, n), versions={pid: seen}),
        check,
        ("ment_stage_event", "forward"),
    )


@case("employdash.mentoring.operations.record_match")
def _match_create(db: Database, actors: dict[str, Actor]) -> Race:
    manager = actors["manager"]
    program = _program(db, manager)
    mentee = _participant(db, manager, program)
    mentors = {n: _participant(db, manager, program, "mentor") for n in WORKERS}

    def check(db: Database, n: int) -> None:
        with db.transaction() as s:
            active = s.scalars(
                select(Match.mentor_id).where(Match.mentee_id == mentee, Match.status == "active")
            ).all()
        assert active == [mentors[n]]  # one active match per mentee

    return Race(
        lambda db, a, n: mentoring.record_match(
            db, a, mentors[n], mentee, date(2025, 3, 1), advance_stages=False
        ),
        check,
        ("ment_match", "create"),
    )


@case("employdash.mentoring.certification.save_standard")
def _standard_rename(db: Database, actors: dict[str, Actor]) -> Race:
    sid = certification.save_standard(db, actors["admin"], "renamed_std", "Safety", version=None)

    def check(db: Database, n: int) -> None:
        row = _get(db, Standard, sid)
        assert (row.name, row.version) == (f"Standard {n}", 2)

    return Race(
        lambda db, a, n: certification.save_standard(
            db, a, "renamed_std", f"Standard {n}", version=1
        ),
        check,
        ("ment_standard", "update"),
        username="admin",
    )


@case("employdash.mentoring.certification.save_standard (a new code)")
def _standard_add(db: Database, actors: dict[str, Actor]) -> Race:
    def check(db: Database, n: int) -> None:
        with db.transaction() as s:
            rows = s.execute(
                select(Standard.name, Standard.version).where(Standard.code == "added_std")
            ).all()
        assert [tuple(r) for r in rows] == [(f"Added {n}", 1)]

    return Race(
        lambda db, a, n: certification.save_standard(
            db, a, "added_std", f"Added {n}", version=None
        ),
        check,
        ("ment_standard", "create"),
        username="admin",
    )


@case("employdash.mentoring.certification.record_assessment")
def _assessment(db: Database, actors: dict[str, Actor]) -> Race:
    manager = actors["manager"]
    standard = certification.save_standard(db, actors["admin"], "raced_std", "Safety", version=None)
    trainee = _participant(db, manager, _program(db, manager), "trainee")
    aid = certification.record_assessment(db, manager, trainee, standard, False, date(2025, 4, 1))

    def check(db: Database, n: int) -> None:
        row = _get(db, Assessment, aid)
        assert (row.gap_note, row.version) == (f"gap {n}", 2)

    return Race(
        lambda db, a, n: certification.record_assessment(
            db, a, trainee, standard, False, date(2025, 5, 1), f"gap {n}", version=1
        ),
        check,
        ("ment_assessment", "update"),
    )


@case("employdash.mentoring.certification.record_assessment (first result)")
def _assessment_first(db: Database, actors: dict[str, Actor]) -> Race:
    manager = actors["manager"]
    standard = certification.save_standard(
        db, actors["admin"], "first_result_std", "Safety", version=None
    )
    trainee = _participant(db, manager, _program(db, manager), "trainee")

    def check(db: Database, n: int) -> None:
        with db.transaction() as s:
            rows = s.execute(
                select(Assessment.gap_note, Assessment.version).where(
                    Assessment.participant_id == trainee
                )
            ).all()
        assert [tuple(r) for r in rows] == [(f"gap {n}", 1)]  # one result, never replaced

    return Race(
        lambda db, a, n: certification.record_assessment(
            db, a, trainee, standard, False, date(2025, 5, 1), f"gap {n}"
        ),
        check,
        ("ment_assessment", "create"),
    )


# --- the tests ---------------------------------------------------------------------------------


def _versioned_services() -> set[str]:
    modules = ["employdash.users", "employdash.people"]
    for area in ("indicators", "briefing", "forum", "stakeholders", "mentoring"):
        package = importlib.import_module(f"employdash.{area}")
        modules += [f"employdash.{area}.{i.name}" for i in pkgutil.iter_modules(package.__path__)]
    found = set()
    for name in modules:
        module = importlib.import_module(name)
        for fn_name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != name or fn_name.startswith("_"):
                continue
            if "execute(" in inspect.getsource(fn):
                continue  # a command's: its version is refused by the pipeline (test_commands)
            params = inspect.signature(fn).parameters
            if any("version" in p or p == "seen" for p in params):
                found.add(f"{name}.{fn_name}")
    return found


def test_every_versioned_service_is_raced() -> None:
    listed = set(CASES) | set(RACED_ELSEWHERE) | set(NOT_EDITS)
    assert _versioned_services() - listed == set()
    assert {"employdash.mentoring.operations.record_match"} <= set(CASES)  # match creation


@pytest.mark.parametrize("service", sorted(CASES))
def test_concurrent_saves_keep_exactly_the_accepted_one(
    db: Database, actors: dict[str, Actor], service: str
) -> None:
    run_race(db, CASES[service](db, actors))
