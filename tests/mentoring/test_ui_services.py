"""The services behind the mentoring UI and their integrity rules: programs
with person links, cohorts, ending a match, one active match per mentee in the database,
idempotent stage moves, defined pipelines, targets, sessions, certification, the import's audit
and the state spans that the funnel reads."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied, StaleVersion, ValidationError
from employdash.mentoring import certification, matches, programs, state, targets
from employdash.mentoring import operations as svc
from employdash.mentoring.briefing import briefing_snapshot
from employdash.mentoring.funnel import Selection, funnel, pipeline_stages
from employdash.mentoring.imports import commit_import
from employdash.models import AuditEntry, Person
from employdash.models.mentoring import Match, StageEvent, StateSpan
from tests.mentoring.conftest import Scenario

D = date


def person_of(db: Database, locality: int) -> int:
    with db.transaction() as s:
        return s.scalars(select(Person.id).where(Person.locality_code == locality).limit(1)).one()


def mentor_in(db: Database, manager: Actor, program_id: int, trained_on: date) -> int:
    """A mentor of the program moved to "trained" (available for a mentee)."""
    mentor = svc.add_participant(
        db,
        manager,
        program_id=program_id,
        role="mentor",
        population="other",
        age_band=None,
        entered_on=D(2025, 1, 1),
    )
    svc.advance(db, manager, [mentor], D(2025, 1, 5))
    svc.advance(db, manager, [mentor], trained_on)
    return mentor


def spans_snapshot(db: Database) -> list[tuple[object, ...]]:
    with db.transaction() as s:
        return [
            tuple(r)
            for r in s.execute(select(*StateSpan.__table__.c).order_by(StateSpan.event_id)).all()
        ]


def test_program_people_edit_close_and_foreign_ids(db: Database, actors: dict[str, Actor]) -> None:
    manager = actors["manager"]
    local, foreign = person_of(db, 246), person_of(db, 2800)
    with pytest.raises(NotFound):  # another locality's person: same error as a missing one
        svc.create_program(
            db,
            manager,
            name="P",
            locality_code=246,
            operating_model="freelancer",
            target_population="haredi",
            sponsor_person_id=foreign,
        )
    pid = svc.create_program(
        db,
        manager,
        name="  Netivot mentoring  ",
        locality_code=246,
        operating_model="program_coordinator",
        target_population="haredi",
        coordinator_person_id=local,
        contact_person_id=local,
        sponsor_person_id=local,
        tevet_manager_person_id=local,
    )
    detail = programs.program_detail(db, manager, pid)
    assert detail["name"] == "Netivot mentoring" and detail["sponsor_person_id"] == local
    # The typed read model carries every editable field the form reads, and its identity.
    assert set(detail) == {
        *programs.EDITABLE,
        "closed_on",
        "id",
        "version",
        "locality_code",
        "kind",
    }
    v2 = programs.update_program(
        db, manager, pid, 1, {"name": "Renamed", "contact_person_id": None}
    )
    with pytest.raises(StaleVersion):  # a second editor still holding version 1
        programs.update_program(db, manager, pid, 1, {"operating_model": "freelancer"})
    with pytest.raises(NotFound):
        programs.update_program(db, manager, pid, v2, {"tevet_manager_person_id": foreign})
    with pytest.raises(PermissionDenied):
        programs.update_program(db, actors["mayor"], pid, v2, {"name": "x"})
    programs.close_program(db, manager, pid, v2, D(2026, 1, 1))
    with pytest.raises(ValidationError):  # closed programs take no new participants
        svc.add_participant(
            db,
            manager,
            program_id=pid,
            role="mentee",
            population="haredi",
            age_band=None,
            entered_on=D(2026, 2, 1),
        )
    with db.transaction() as s:
        rows = s.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "ment_program", AuditEntry.entity_id == str(pid)
            )
        ).all()
    assert [r.action for r in rows] == ["create", "update", "close"]
    assert all(r.locality_code == 246 for r in rows)
    assert rows[1].before == {"name": "Netivot mentoring", "contact_person_id": local}


def test_cohort_assignment_on_create_in_bulk_and_its_limits(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    manager = actors["manager"]
    cohort = svc.create_cohort(
        db, manager, scenario.program_id, "A", D(2025, 1, 1), scenario.by_index(0, 1)
    )
    assert svc.assign_cohort(db, manager, cohort, scenario.by_index(2, 3, 4, 5)) == 4
    other = next(p for p in svc.programs(db, manager) if p.locality_code == 1031)
    stranger = svc.participants(db, manager, 1031, program_id=other.id)["participant_id"].iloc[0]
    with pytest.raises(NotFound):  # a participant of another locality
        svc.assign_cohort(db, manager, cohort, [scenario.ids[6], int(stranger)])
    neighbour = svc.create_program(
        db,
        manager,
        locality_code=246,
        name="Next door",
        operating_model="freelancer",
        target_population="haredi",
    )
    nearby = mentor_in(db, manager, neighbour, D(2025, 1, 10))
    with pytest.raises(ValidationError):  # a participant of another program of the locality
        svc.assign_cohort(db, manager, cohort, [scenario.ids[6], nearby])
    foreign = next(
        c for c in svc.cohorts(db, actors["admin"]) if c.program_id != scenario.program_id
    )
    with pytest.raises((NotFound, ValidationError)):
        svc.assign_cohort(db, manager, foreign.id, [scenario.ids[6]])
    table = funnel(db, manager, Selection(cohort_ids=(cohort,)), D(2025, 4, 1)).table
    assert int(table["reached"].iloc[0]) == 6  # the funnel follows the assignment at once


def test_ending_a_match_frees_the_mentor_for_another_mentee(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    manager = actors["manager"]
    mentor = mentor_in(db, manager, scenario.program_id, D(2025, 2, 1))
    first = svc.record_match(db, manager, mentor, scenario.ids[6], D(2025, 4, 1))
    _, idle = svc.waiting_lists(db, manager, 246, D(2025, 4, 2))
    assert mentor not in set(idle["participant_id"])
    with pytest.raises(ValidationError):
        svc.end_match(db, manager, first, D(2025, 5, 1), "ended_early", reason="no_such_reason")
    svc.end_match(db, manager, first, D(2025, 5, 1), "ended_early", reason="not_a_fit", version=1)
    with pytest.raises(ValidationError):  # already ended
        svc.end_match(db, manager, first, D(2025, 5, 2), "completed", version=2)
    _, idle = svc.waiting_lists(db, manager, 246, D(2025, 5, 2))
    assert mentor in set(idle["participant_id"])
    second = svc.record_match(db, manager, mentor, scenario.ids[7], D(2025, 5, 3))
    rows = {m.id: m for m in matches.matches(db, manager, 246, D(2025, 5, 4))}
    assert rows[first].status == "ended_early" and rows[first].end_reason == "not_a_fit"
    assert rows[second].status == "active" and rows[second].mentor_id == mentor


def test_one_active_match_per_mentee_is_a_database_rule(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    manager = actors["manager"]
    mentor = mentor_in(db, manager, scenario.program_id, D(2025, 2, 1))
    svc.record_match(db, manager, mentor, scenario.ids[6], D(2025, 4, 1), advance_stages=False)
    with pytest.raises(IntegrityError), db.transaction() as s:  # even bypassing the service
        s.execute(
            insert(Match).values(
                mentor_id=mentor,
                mentee_id=scenario.ids[6],
                started_on=D(2025, 4, 2),
                status="active",
            )
        )
    with db.transaction() as s:  # ended matches do not count
        s.execute(
            insert(Match).values(
                mentor_id=mentor,
                mentee_id=scenario.ids[6],
                started_on=D(2025, 1, 2),
                ended_on=D(2025, 2, 2),
                status="completed",
            )
        )


def test_two_concurrent_record_match_calls_give_one_match(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    manager = actors["manager"]
    mentors = [mentor_in(db, manager, scenario.program_id, D(2025, 2, 1)) for _ in range(2)]
    mentee = scenario.ids[7]
    barrier = threading.Barrier(2)
    results: list[object] = []

    def attempt(mentor: int) -> None:
        barrier.wait()
        try:
            results.append(svc.record_match(db, manager, mentor, mentee, D(2025, 4, 1), False))
        except Exception as exc:
            results.append(exc)

    threads = [threading.Thread(target=attempt, args=(m,)) for m in mentors]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(isinstance(r, int) for r in results) == 1, results
    with db.transaction() as s:
        active = s.scalar(
            select(func.count())
            .select_from(Match)
            .where(Match.mentee_id == mentee, Match.status == "active")
        )
    assert active == 1


def test_repeating_a_move_from_the_same_state_is_refused(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    manager = actors["manager"]
    pid = scenario.ids[11]
    seen = svc.participants(db, manager, 246, program_id=scenario.program_id).set_index(
        "participant_id"
    )
    versions = {pid: int(seen.at[pid, "version"])}
    with db.transaction() as s:
        before = s.scalars(select(func.count()).where(StageEvent.participant_id == pid)).one()
    svc.advance(db, manager, [pid], D(2025, 6, 1), versions=versions)
    with pytest.raises(StaleVersion):  # the second click carries the same state
        svc.advance(db, manager, [pid], D(2025, 6, 1), versions=versions)
    with db.transaction() as s:
        after = s.scalar(select(func.count()).where(StageEvent.participant_id == pid))
    assert after == before + 1


def test_a_pipeline_defined_with_closing_stages_and_drop_reasons(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    admin, manager = actors["admin"], actors["manager"]
    with pytest.raises(ValidationError):  # a closing stage must be one of the stages
        svc.define_pipeline(db, admin, "club", "mentee", ["a", "b"], terminal=["z"])
    svc.define_pipeline(
        db,
        admin,
        "club",
        "mentee",
        ["joined", "coached", "placed"],
        terminal=["placed"],
        drop_reasons=["moved_away", "other"],
        label="Job club",
        stage_labels={"joined": "Joined"},
    )
    listed = {p.code: p for p in svc.pipelines(db, manager)}
    assert list(listed)[:3] == ["mentee", "mentor", "certification"]
    assert listed["club"].label == "Job club"
    assert listed["club"].drop_reasons == ("moved_away", "other")
    pid = svc.add_participant(
        db,
        manager,
        program_id=scenario.program_id,
        role="mentee",
        population="arab",
        age_band=None,
        entered_on=D(2025, 1, 1),
        pipeline="club",
    )
    with pytest.raises(ValidationError):  # a shipped reason is not in this pipeline's list
        svc.advance(db, manager, [pid], D(2025, 2, 1), kind="drop", reason="health")
    svc.advance(db, manager, [pid], D(2025, 2, 1), kind="drop", reason="moved_away")


def test_a_defined_pipeline_keeps_its_names_in_both_languages(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    """Names given in the UI reach the engine's stages (the funnel names them, not codes), and
    the import recognises a stage by either name."""
    svc.define_pipeline(
        db,
        actors["admin"],
        "club",
        "mentee",
        ["joined", "placed"],
        label="מועדון תעסוקה",
        label_en="Job club",
        stage_labels={"joined": "הצטרפו", "placed": "הושמו"},
        stage_labels_en={"joined": "Joined"},
    )
    info = {p.code: p for p in svc.pipelines(db, actors["manager"])}["club"]
    assert (info.label, info.label_en) == ("מועדון תעסוקה", "Job club")
    stages = pipeline_stages(db, actors["manager"], "club")
    assert [(s.code, s.label, s.label_en) for s in stages] == [
        ("joined", "הצטרפו", "Joined"),
        ("placed", "הושמו", None),
    ]
    fun = funnel(db, actors["manager"], Selection(pipeline="club"), D(2025, 1, 1))
    assert [s.label for s in fun.stages] == ["הצטרפו", "הושמו"]


def test_targets_and_progress(db: Database, actors: dict[str, Actor], scenario: Scenario) -> None:
    manager = actors["manager"]
    mentor = mentor_in(db, manager, scenario.program_id, D(2025, 2, 1))
    tid = targets.set_target(
        db,
        manager,
        scenario.program_id,
        D(2025, 1, 1),
        D(2025, 12, 31),
        {"matches": 4, "outcomes": 2},
    )
    with pytest.raises(ValidationError):
        targets.set_target(
            db, manager, scenario.program_id, D(2025, 1, 1), D(2024, 1, 1), {"matches": 1}
        )
    with pytest.raises(PermissionDenied):
        targets.set_target(
            db, actors["mayor"], scenario.program_id, D(2025, 1, 1), D(2025, 12, 31), {"matches": 1}
        )
    match = svc.record_match(db, manager, mentor, scenario.ids[6], D(2025, 4, 1))
    svc.end_match(db, manager, match, D(2025, 8, 1), "completed", reason="goals_met")
    svc.record_outcome(db, manager, scenario.ids[6], "job", D(2025, 9, 1))
    [row] = targets.progress(db, manager, (246,), D(2025, 10, 1), (scenario.program_id,))
    assert row.id == tid and row.goals == {"matches": 4, "completions": None, "outcomes": 2}
    assert row.actual == {"matches": 1, "completions": 1, "outcomes": 1}
    assert row.share("matches") == 0.25
    snap = briefing_snapshot(db, manager, 246, D(2025, 10, 1))
    assert snap is not None
    assert [(x.metric, x.actual, x.goal) for x in snap.targets] == [
        ("matches", 1, 4),
        ("outcomes", 1, 2),
    ]
    leader = Actor(0, "lead246", "Leader", "leadership", frozenset({246}))
    [seen] = targets.progress(db, leader, (246,), D(2025, 10, 1), (scenario.program_id,))
    assert seen.actual == {"matches": None, "completions": None, "outcomes": None}  # aggregates
    targets.set_target(
        db, manager, scenario.program_id, D(2025, 1, 1), D(2025, 12, 31), {"matches": 5}, version=1
    )
    with pytest.raises(StaleVersion):
        targets.set_target(
            db,
            manager,
            scenario.program_id,
            D(2025, 1, 1),
            D(2025, 12, 31),
            {"matches": 6},
            version=1,
        )


def test_sessions_and_the_quiet_match_flag(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    manager = actors["manager"]
    mentor = mentor_in(db, manager, scenario.program_id, D(2025, 2, 1))
    match = svc.record_match(db, manager, mentor, scenario.ids[6], D(2025, 4, 1))
    with pytest.raises(ValidationError):  # before the match started
        matches.log_session(db, manager, match, D(2025, 3, 1), 60)
    with pytest.raises(ValidationError):
        matches.log_session(db, manager, match, D(2025, 4, 3), 0)
    matches.log_session(db, manager, match, D(2025, 4, 8), 60, "First meeting\x00 at the office")
    matches.log_session(db, manager, match, D(2025, 4, 20), 45)
    rows = {m.id: m for m in matches.matches(db, manager, 246, D(2025, 5, 1), weeks=4)}
    assert rows[match].sessions == 2 and rows[match].last_session == D(2025, 4, 20)
    assert rows[match].days_since == 11 and not rows[match].quiet
    later = {m.id: m for m in matches.matches(db, manager, 246, D(2025, 6, 1), weeks=4)}
    assert later[match].quiet and later[match].days_since == 42
    notes = [r.note for r in matches.sessions(db, manager, match)]
    assert notes == [None, "First meeting at the office"]
    with pytest.raises(PermissionDenied):
        matches.matches(db, actors["mayor"], 246)


def test_certification_standards_results_and_cohort_gaps(
    db: Database, actors: dict[str, Actor]
) -> None:
    admin, manager = actors["admin"], actors["manager"]
    listed = certification.standards(db, manager)
    assert len(listed) >= 5
    with pytest.raises(PermissionDenied):
        certification.save_standard(db, manager, "digital", "Digital skills", version=None)
    new = certification.save_standard(db, admin, "digital", "Digital skills", version=None)
    assert new in {s.id for s in certification.standards(db, manager)}
    cert = next(p for p in svc.programs(db, manager, kind="certification"))
    cohort = next(c for c in svc.cohorts(db, manager) if c.program_id == cert.id)
    trainees = svc.participants(
        db, manager, cert.locality_code, "certification", program_id=cert.id
    )
    ids = [
        int(i)
        for i, c in zip(trainees["participant_id"], trainees["cohort_id"], strict=True)
        if c == cohort.id
    ]
    assert len(ids) >= 10
    for i, pid in enumerate(ids[:10]):
        certification.record_assessment(
            db,
            manager,
            pid,
            listed[0].id,
            passed=i < 5,
            assessed_on=D(2025, 6, 1),
            gap_note=None if i < 5 else "needs employer work",
        )
    first = certification.assessments(db, manager, ids[9])[0]
    certification.record_assessment(
        db, manager, ids[9], listed[0].id, False, D(2025, 6, 2), "retake", version=first.version
    )
    with pytest.raises(StaleVersion):
        certification.record_assessment(
            db, manager, ids[9], listed[0].id, True, D(2025, 6, 3), version=first.version
        )
    gaps = {g.standard_id: g for g in certification.cohort_gaps(db, manager, cohort.id)}
    row = gaps[listed[0].id]
    assert (row.assessed, row.passed, row.failed, row.notes) == (10, 5, 5, 5)
    other = gaps[new]  # nobody assessed on the new standard yet
    assert (other.assessed, other.passed, other.failed) == (0, 0, 0)
    mentee = int(svc.participants(db, manager, 246)["participant_id"].iloc[0])
    with pytest.raises(ValidationError):
        certification.record_assessment(db, manager, mentee, listed[0].id, True, D(2025, 6, 1))


def test_import_audit_rows_carry_the_locality_and_assign_cohorts(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    manager = actors["manager"]
    svc.create_cohort(db, manager, scenario.program_id, "Autumn")
    frame = svc.participants(db, manager, 246, program_id=scenario.program_id).set_index(
        "participant_id"
    )
    existing = frame.at[scenario.ids[11], "code"]
    data = (
        "code,stage,date,kind,role,program,population,cohort\n"
        f"{existing},screened,2025-07-01,forward,,,,Autumn\n"
        f"NEW-1,referred,2025-07-01,forward,mentee,{scenario.program_id},arab,Autumn\n"
    ).encode()
    commit_import(db, manager, "moves.csv", data)
    with db.transaction() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.action == "import")).all()
    assert rows and all(r.locality_code == 246 for r in rows)
    after = svc.participants(db, manager, 246, program_id=scenario.program_id).set_index("code")
    assert after.at[existing, "cohort_id"] == after.at["NEW-1", "cohort_id"] is not None


def test_state_spans_always_equal_a_rebuild_from_the_events(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    manager = actors["manager"]
    mentor = mentor_in(db, manager, scenario.program_id, D(2025, 2, 1))
    svc.record_match(db, manager, mentor, scenario.ids[6], D(2025, 4, 1))
    svc.create_cohort(db, manager, scenario.program_id, "B", None, scenario.by_index(0, 1))
    kept = spans_snapshot(db)
    with db.transaction() as s:
        state.rebuild_all(s)
    assert spans_snapshot(db) == kept
