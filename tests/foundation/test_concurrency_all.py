"""Races the pipeline's version check does not settle by itself, so that no save is silently
lost: several processes save at once, on SQLite and on PostgreSQL. Exactly one save is accepted,
every other is refused (never silently lost, never a crash), the stored record equals the accepted
save, and the audit log holds exactly one row for it.

A command handed the version it read as `version` (or `edits`) is refused stale by the pipeline,
in the UPDATE itself (tests/foundation/commands/ proves both for every such command). Raced
here: the first save of a record that does not exist yet (two creates of the same key), a rule
checked against other rows (one active match per mentee), and the commands that take the version
they read under a name of their own (a value's, a note's, a participant's at each stage move);
`test_every_command_handed_a_version_is_refused_stale_or_raced` fails when a new one is neither.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from employdash.access import Actor
from employdash.db import Database
from employdash.forum import focuses, milestones
from employdash.forum import structure as forum
from employdash.mentoring import certification
from employdash.mentoring import operations as mentoring
from employdash.models import AuditEntry
from employdash.models.forum import MetricValue, MilestoneNote
from employdash.models.mentoring import (
    Assessment,
    Match,
    Participant,
    StageEvent,
    Standard,
)
from tests.foundation.commands.harness import COMMANDS, PRODUCT, READS_A_VERSION
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
    "employdash.indicators.local.EnterValue": "tests/indicators/test_local.py",
}


def run_race(db: Database, race_: Race) -> int:
    """Race every worker's save against the others in its own process; the one accepted.

    Refusals are a stale version, a busy database or a validation error from a check made after
    the winner committed (a match already running); anything else (an integrity error, a crash)
    fails the test."""
    entity, action = race_.audit
    mark = _last_audit(db)
    results = race(db.url, race_.username, race_.work, WORKERS)
    refused = ("stale", "busy", "error: ValidationError")
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


@case("employdash.forum.focuses.EnterValue")
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


@case("employdash.forum.focuses.EnterValue (first value of a period)")
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


@case("employdash.forum.milestones.SetNote")
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


@case("employdash.mentoring.operations.Advance")
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


@case("employdash.mentoring.operations.RecordMatch")
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


@case("employdash.mentoring.certification.SaveStandard (a new code)")
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


@case("employdash.mentoring.certification.RecordAssessment (first result)")
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


def _handed_a_version(name: str) -> bool:
    return any(
        f.name in ("version", "versions", "seen") or f.name.endswith("_version")
        for f in dataclasses.fields(COMMANDS[name])  # type: ignore[arg-type]  # commands are dataclasses
    )


def test_every_command_handed_a_version_is_refused_stale_or_raced() -> None:
    raced = {name.partition(" (")[0] for name in CASES} | set(RACED_ELSEWHERE)
    assert raced <= set(COMMANDS), f"stale entries: {sorted(raced - set(COMMANDS))}"
    unproven = {n for n in PRODUCT if _handed_a_version(n)} - set(READS_A_VERSION)
    assert sorted(unproven - raced) == []


@pytest.mark.parametrize("service", sorted(CASES))
def test_concurrent_saves_keep_exactly_the_accepted_one(
    db: Database, actors: dict[str, Actor], service: str
) -> None:
    run_race(db, CASES[service](db, actors))
