"""Writes (advance, match, outcome), their audit rows, all-or-nothing batches, and who may see
participant lists and the briefing snapshot."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied, ValidationError
from employdash.mentoring import operations as svc
from employdash.mentoring.briefing import briefing_snapshot
from employdash.mentoring.funnel import Selection, funnel, waiting_summary
from employdash.models import AuditEntry
from employdash.models.mentoring import StageEvent
from tests.mentoring.conftest import Scenario

pytestmark = pytest.mark.rolled_back


def events_of(db: Database, pid: int) -> int:
    with db.transaction() as s:
        return s.scalars(
            select(func.count()).select_from(StageEvent).where(StageEvent.participant_id == pid)
        ).one()


def audits(db: Database, entity: str) -> int:
    with db.transaction() as s:
        return s.scalars(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == entity)
        ).one()


def test_advance_many_is_all_or_nothing_and_audited(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    manager = actors["manager"]
    before = [events_of(db, p) for p in scenario.ids]
    audited = audits(db, "ment_stage_event")
    # participant 10 dropped: it cannot move "back" → the whole batch is refused
    with pytest.raises(ValidationError):
        svc.advance(db, manager, scenario.by_index(0, 1, 10), date(2025, 4, 1), kind="back")
    assert [events_of(db, p) for p in scenario.ids] == before
    # a date before the last event is refused too
    with pytest.raises(ValidationError):
        svc.advance(db, manager, scenario.by_index(0), date(2025, 1, 2))
    svc.advance(db, manager, scenario.by_index(0, 1, 2), date(2025, 4, 1))
    assert audits(db, "ment_stage_event") == audited + 3
    frame = svc.participants(
        db, manager, 246, as_of=date(2025, 4, 2), program_id=scenario.program_id
    ).set_index("participant_id")
    assert list(frame.loc[scenario.by_index(0, 1, 2), "stage"]) == ["in_sessions"] * 3
    assert frame.at[scenario.ids[10], "kind"] == "drop"
    assert frame.at[scenario.ids[10], "reason"] == "moved"


def test_drop_needs_a_reason(db: Database, actors: dict[str, Actor], scenario: Scenario) -> None:
    with pytest.raises(ValidationError):
        svc.advance(db, actors["manager"], scenario.by_index(11), date(2025, 5, 1), kind="drop")


def test_writes_outside_scope_or_by_readers_are_refused(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    with pytest.raises(PermissionDenied):
        svc.advance(db, actors["mayor"], scenario.by_index(0), date(2025, 4, 1))
    with pytest.raises(PermissionDenied):
        svc.create_program(
            db,
            actors["manager"],
            name="x",
            locality_code=2800,
            operating_model="freelancer",
            target_population="arab",
        )
    other = next(p for p in svc.programs(db, actors["admin"]) if p.locality_code == 2800)
    # another locality's program is "not found", exactly like a missing one (no hint it exists)
    with pytest.raises(NotFound):
        svc.add_participant(
            db,
            actors["manager"],
            program_id=other.id,
            role="mentee",
            population="arab",
            age_band=None,
            entered_on=date(2025, 1, 1),
        )


def test_participant_lists_only_for_local_managers_and_admins(
    db: Database, actors: dict[str, Actor]
) -> None:
    frame = svc.participants(db, actors["manager"], 1031, as_of=date(2026, 11, 1))
    assert len(frame) > 0 and set(frame.columns) >= {"code", "stage", "population"}
    assert frame["code"].str.match(r"^ME-[A-Z0-9]{6}$").all()
    assert len(svc.participants(db, actors["admin"], 2800, as_of=date(2026, 11, 1))) > 0
    for name, code in (("mayor", 1031), ("member", 1031), ("manager", 2800)):
        with pytest.raises(PermissionDenied):
            svc.participants(db, actors[name], code)


def test_match_and_outcome_move_stages_and_update_waiting(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    manager = actors["manager"]
    mentor = svc.add_participant(
        db,
        manager,
        program_id=scenario.program_id,
        role="mentor",
        population="other",
        age_band="45_54",
        entered_on=date(2025, 1, 1),
    )
    svc.advance(db, manager, [mentor], date(2025, 1, 10))
    svc.advance(db, manager, [mentor], date(2025, 2, 10))  # trained
    sel = Selection(program_ids=(scenario.program_id,))
    waiting, idle = svc.waiting_lists(db, manager, 246, date(2025, 4, 1))
    mine_waiting = set(waiting["participant_id"]) & set(scenario.ids)
    assert mine_waiting == set(scenario.by_index(6, 7, 5))
    assert mentor in set(idle["participant_id"])
    mentee = scenario.ids[6]
    with pytest.raises(ValidationError):  # two mentees are not a pair
        svc.record_match(db, manager, scenario.ids[7], mentee, date(2025, 4, 2))
    svc.record_match(db, manager, mentor, mentee, date(2025, 4, 2))
    waiting, idle = svc.waiting_lists(db, manager, 246, date(2025, 4, 3))
    assert mentee not in set(waiting["participant_id"])
    assert mentor not in set(idle["participant_id"])
    frame = svc.participants(db, manager, 246, "mentor", date(2025, 4, 3)).set_index(
        "participant_id"
    )
    assert frame.at[mentor, "stage"] == "matched"
    summary = waiting_summary(db, manager, sel, date(2025, 4, 3))
    # 2 left in the program: hidden, and so is the total that would reveal them
    assert summary["waiting_mentees"].tolist() == [None, None]
    assert summary["program_id"].iloc[0] == scenario.program_id
    svc.record_outcome(db, manager, mentee, "job", date(2025, 9, 1))
    assert audits(db, "ment_outcome") >= 1 and audits(db, "ment_match") >= 1


def test_briefing_snapshot(db: Database, actors: dict[str, Actor]) -> None:
    snap = briefing_snapshot(db, actors["mayor"], 1031, date(2026, 11, 1))
    assert snap is not None and snap.programs == 2
    keys = [k for k, _ in snap.funnel]
    assert keys[0] == "ment.stage.mentee.referred" and len(keys) == 7
    counts = [n for _, n in snap.funnel]
    assert counts[0] and all(n is None or n >= 5 for n in counts)
    assert all(a is None or b is None or a >= b for a, b in pairwise(counts))
    earlier = briefing_snapshot(db, actors["mayor"], 1031, date(2024, 6, 1))
    assert earlier is not None and counts[0] is not None
    first_then = earlier.funnel[0][1]
    assert first_then is not None and first_then < counts[0]
    assert briefing_snapshot(db, actors["admin"], 1161, date(2026, 11, 1)) is None
    with pytest.raises(PermissionDenied):
        briefing_snapshot(db, actors["mayor"], 246)
    with pytest.raises(PermissionDenied):
        briefing_snapshot(db, actors["member"], 1031)


def test_a_defined_pipeline_runs_on_the_same_engine(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    with pytest.raises(PermissionDenied):
        svc.define_pipeline(db, actors["manager"], "job_club", "mentee", ["joined", "placed"])
    svc.define_pipeline(db, actors["admin"], "job_club", "mentee", ["joined", "coached", "placed"])
    with pytest.raises(ValidationError):
        svc.define_pipeline(db, actors["admin"], "job_club", "mentee", ["a", "b"])
    manager = actors["manager"]
    ids = [
        svc.add_participant(
            db,
            manager,
            program_id=scenario.program_id,
            role="mentee",
            population="haredi",
            age_band=None,
            entered_on=date(2025, 1, 1),
            pipeline="job_club",
        )
        for _ in range(7)
    ]
    with pytest.raises(ValidationError):  # a mentor cannot join a mentee pipeline
        svc.add_participant(
            db,
            manager,
            program_id=scenario.program_id,
            role="mentor",
            population="other",
            age_band=None,
            entered_on=date(2025, 1, 1),
            pipeline="job_club",
        )
    svc.advance(db, manager, ids[:6], date(2025, 2, 1))
    svc.advance(db, manager, ids[:5], date(2025, 3, 1))
    with pytest.raises(ValidationError):  # no stage after the last one
        svc.advance(db, manager, ids[:1], date(2025, 4, 1))
    table = funnel(db, manager, Selection(pipeline="job_club"), date(2025, 3, 1)).table
    assert list(table["stage"]) == ["joined", "coached", "placed"]
    assert list(table["reached"]) == [7, 6, 5]
    assert funnel(db, manager, Selection(pipeline="job_club"), date(2025, 2, 15)).table[
        "reached"
    ].tolist() == [7, 6, 0]


def test_cohorts_and_ending_a_match_are_audited(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    manager = actors["manager"]
    cohort = svc.create_cohort(db, manager, scenario.program_id, "Spring 2025", date(2025, 3, 1))
    assert cohort in {c.id for c in svc.cohorts(db, manager)}
    mentor = svc.add_participant(
        db,
        manager,
        program_id=scenario.program_id,
        role="mentor",
        population="other",
        age_band=None,
        entered_on=date(2025, 1, 1),
        cohort_id=cohort,
    )
    match = svc.record_match(
        db, manager, mentor, scenario.ids[6], date(2025, 4, 1), advance_stages=False
    )
    with pytest.raises(PermissionDenied):
        svc.end_match(db, actors["mayor"], match, date(2025, 5, 1), "completed")
    svc.end_match(db, manager, match, date(2025, 5, 1), "completed")
    waiting, _ = svc.waiting_lists(db, manager, 246, date(2025, 5, 2))
    assert scenario.ids[6] in set(waiting["participant_id"])  # waiting again once it ended
    assert audits(db, "ment_cohort") == 1 and audits(db, "ment_match") == 2
