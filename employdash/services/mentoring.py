"""Programs, participants and the writes of the mentoring area: advance, match, outcome.

Writes need a manager (or admin) of the program's locality; each runs in one transaction with its
audit entry. The participant list (pseudonymous codes) is shown only to managers of the program's
locality and admins: leadership sees aggregates only, members nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied, ValidationError
from employdash.limits import clean_text
from employdash.models.mentoring import (
    AGE_BANDS,
    OPERATING_MODELS,
    OUTCOME_KINDS,
    POPULATIONS,
    PROGRAM_KINDS,
    Cohort,
    Match,
    Outcome,
    Participant,
    Pipeline,
    PipelineStage,
    Program,
    StageEvent,
)
from employdash.services import audit
from employdash.services.access import (
    ADMIN,
    MANAGER,
    Actor,
    require_edit,
    require_locality,
    require_role,
    scope_clause,
)
from employdash.services.mentoring_funnel import (
    Selection,
    current_state,
    idle_mentors_query,
    require_reader,
    waiting_query,
)

DROP_REASONS = (
    "lost_contact",
    "found_job",
    "health",
    "family",
    "not_suitable",
    "moved",
    "no_mentor",
    "left_job",
    "failed_assessment",
    "other",
)
PIPELINE_OF_ROLE = {"mentee": "mentee", "mentor": "mentor", "trainee": "certification"}


@dataclass(frozen=True)
class ProgramInfo:
    id: int
    name: str
    kind: str
    operating_model: str
    target_population: str
    locality_code: int
    host_organisation_id: int | None
    coordinator_person_id: int | None


@dataclass(frozen=True)
class CohortInfo:
    id: int
    program_id: int
    name: str
    starts_on: date | None


def programs(db: Database, actor: Actor, kind: str | None = None) -> list[ProgramInfo]:
    """Programs in the actor's scope (names of programs are not personal data)."""
    require_reader(actor)
    query = (
        select(Program)
        .where(scope_clause(actor, Program.locality_code))
        .order_by(Program.locality_code, Program.id)
    )
    if kind:
        query = query.where(Program.kind == kind)
    with db.transaction() as s:
        return [
            ProgramInfo(
                p.id,
                p.name,
                p.kind,
                p.operating_model,
                p.target_population,
                p.locality_code,
                p.host_organisation_id,
                p.coordinator_person_id,
            )
            for p in s.scalars(query)
        ]


def cohorts(db: Database, actor: Actor) -> list[CohortInfo]:
    require_reader(actor)
    query = (
        select(Cohort)
        .join(Program, Program.id == Cohort.program_id)
        .where(scope_clause(actor, Program.locality_code))
        .order_by(Cohort.starts_on)
    )
    with db.transaction() as s:
        return [CohortInfo(c.id, c.program_id, c.name, c.starts_on) for c in s.scalars(query)]


def create_program(  # type: ignore[no-untyped-def]
    db: Database,
    actor: Actor,
    *,
    name: str,
    locality_code: int,
    operating_model: str,
    target_population: str,
    kind: str = "mentoring",
    host_organisation_id: int | None = None,
    coordinator_person_id: int | None = None,
    started_on: date | None = None,
) -> int:
    require_edit(actor, locality_code)
    name = clean_text(name, "mentoring/program_name")
    errors = {}
    if not name:
        errors["name"] = "validation.required"
    if operating_model not in OPERATING_MODELS:
        errors["operating_model"] = "validation.invalid"
    if target_population not in (*POPULATIONS, "mixed"):
        errors["target_population"] = "validation.invalid"
    if kind not in PROGRAM_KINDS:
        errors["kind"] = "validation.invalid"
    if errors:
        raise ValidationError(errors)
    with db.transaction() as s:
        program = Program(
            name=name.strip(),
            kind=kind,
            operating_model=operating_model,
            target_population=target_population,
            locality_code=locality_code,
            host_organisation_id=host_organisation_id,
            coordinator_person_id=coordinator_person_id,
            started_on=started_on,
        )
        s.add(program)
        s.flush()
        audit.record(
            s,
            actor,
            "create",
            "ment_program",
            program.id,
            after={
                "name": program.name,
                "operating_model": operating_model,
                "target_population": target_population,
                "kind": kind,
            },
            locality_code=locality_code,
        )
        return program.id


def create_cohort(
    db: Database, actor: Actor, program_id: int, name: str, starts_on: date | None = None
) -> int:
    name = clean_text(name, "mentoring/cohort_name")
    if not name:
        raise ValidationError({"name": "validation.required"})
    with db.transaction() as s:
        program = _program_for_edit(s, actor, program_id)
        cohort = Cohort(program_id=program.id, name=name.strip(), starts_on=starts_on)
        s.add(cohort)
        s.flush()
        audit.record(
            s,
            actor,
            "create",
            "ment_cohort",
            cohort.id,
            after={"name": cohort.name, "program_id": program.id},
            locality_code=program.locality_code,
        )
        return cohort.id


def define_pipeline(db: Database, actor: Actor, code: str, role: str, stages: list[str]) -> None:
    """A new pipeline with its ordered stages (admins): the engine handles any pipeline."""
    require_role(actor, ADMIN)
    code = clean_text(code, "mentoring/pipeline_code")
    for stage in stages:
        clean_text(stage, "mentoring/pipeline_code", multiline=False)
    errors = {}
    if not code or not code.isidentifier():
        errors["code"] = "validation.required"
    if (
        role not in PIPELINE_OF_ROLE
        or len(stages) < 2
        or len(set(stages)) != len(stages)
        or not all(st.isidentifier() for st in stages)
    ):
        errors["stages"] = "validation.invalid"
    if errors:
        raise ValidationError(errors)
    with db.transaction() as s:
        if s.get(Pipeline, code):
            raise ValidationError({"code": "validation.duplicate"})
        s.add(Pipeline(code=code, role=role, name_key=f"ment.pipeline.{code}"))
        s.add_all(
            PipelineStage(
                pipeline_code=code, position=i, code=st, name_key=f"ment.stage.{code}.{st}"
            )
            for i, st in enumerate(stages, 1)
        )
        audit.record(s, actor, "create", "ment_pipeline", code, after={"stages": stages})


def _program_for_edit(s: Session, actor: Actor, program_id: int) -> Program:
    program = s.get(Program, program_id)
    if program is None:
        raise NotFound(f"program {program_id}")
    require_edit(actor, program.locality_code)
    return program


def _participant_for_edit(s: Session, actor: Actor, participant_id: int) -> Participant:
    participant = s.get(Participant, participant_id)
    if participant is None:
        raise NotFound(f"participant {participant_id}")
    _program_for_edit(s, actor, participant.program_id)
    return participant


def new_code(role: str) -> str:
    prefix = {"mentee": "ME", "mentor": "MR", "trainee": "TR"}[role]
    return f"{prefix}-{secrets.token_hex(3).upper()}"


def _validate_participant(role: str, population: str, age_band: str | None) -> None:
    errors = {}
    if role not in PIPELINE_OF_ROLE:
        errors["role"] = "validation.invalid"
    if population not in POPULATIONS:
        errors["population"] = "validation.invalid"
    if age_band is not None and age_band not in AGE_BANDS:
        errors["age_band"] = "validation.invalid"
    if errors:
        raise ValidationError(errors)


def add_participant_in(
    s: Session,
    actor: Actor,
    *,
    program_id: int,
    role: str,
    population: str,
    age_band: str | None,
    entered_on: date,
    cohort_id: int | None = None,
    code: str | None = None,
    pipeline: str | None = None,
) -> int:
    """Insert a participant and their first-stage event inside the caller's transaction.

    The pipeline defaults to the role's shipped one; a defined pipeline must serve the role."""
    _validate_participant(role, population, age_band)
    program = _program_for_edit(s, actor, program_id)
    if cohort_id is not None:
        cohort = s.get(Cohort, cohort_id)
        if cohort is None or cohort.program_id != program.id:
            raise ValidationError({"cohort": "validation.invalid"})
    code = code or new_code(role)
    if s.scalar(select(Participant.id).where(Participant.code == code)):
        raise ValidationError({"code": "validation.duplicate"})
    pipeline = pipeline or PIPELINE_OF_ROLE[role]
    defined = s.get(Pipeline, pipeline)
    if defined is None or defined.role != role:
        raise ValidationError({"pipeline": "validation.invalid"})
    first = s.scalar(
        select(PipelineStage.id).where(
            PipelineStage.pipeline_code == pipeline, PipelineStage.position == 1
        )
    )
    row = Participant(
        code=code,
        role=role,
        pipeline_code=pipeline,
        program_id=program.id,
        cohort_id=cohort_id,
        population=population,
        age_band=age_band,
    )
    s.add(row)
    s.flush()
    s.add(StageEvent(participant_id=row.id, stage_id=first, occurred_on=entered_on, kind="forward"))
    audit.record(
        s,
        actor,
        "create",
        "ment_participant",
        row.id,
        after={
            "code": code,
            "role": role,
            "program_id": program.id,
            "population": population,
            "age_band": age_band,
            "entered_on": entered_on,
        },
        locality_code=program.locality_code,
    )
    return row.id


def add_participant(db: Database, actor: Actor, **fields) -> int:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        return add_participant_in(s, actor, **fields)


def _state(s: Session, participant_id: int) -> tuple[PipelineStage, StageEvent]:
    """The participant's latest event and its stage (current state, ignoring the as-of date)."""
    last = s.scalars(
        select(StageEvent)
        .where(StageEvent.participant_id == participant_id)
        .order_by(StageEvent.occurred_on.desc(), StageEvent.id.desc())
        .limit(1)
    ).first()
    if last is None:
        raise NotFound(f"events of participant {participant_id}")
    return s.get(PipelineStage, last.stage_id), last  # type: ignore[return-value]


def move_in(
    s: Session,
    actor: Actor,
    participant_id: int,
    kind: str,
    on: date,
    reason: str | None = None,
    stage_code: str | None = None,
) -> int:
    """Record one stage change in the caller's transaction; returns the new event id.

    forward: to the next stage (or `stage_code` further on); back: to `stage_code` or the
    previous stage; drop: out of the current stage with a reason. Dates may not go backwards.
    """
    participant = _participant_for_edit(s, actor, participant_id)
    stage, last = _state(s, participant_id)
    if on < last.occurred_on:
        raise ValidationError({"date": "ment.validation.date_before_last"})
    if last.kind == "drop" and kind != "forward":
        raise ValidationError({"kind": "ment.validation.dropped"})
    all_stages = {
        st.code: st
        for st in s.scalars(
            select(PipelineStage).where(PipelineStage.pipeline_code == participant.pipeline_code)
        )
    }
    by_position = {st.position: st for st in all_stages.values()}
    if kind == "drop":
        if reason not in DROP_REASONS:
            raise ValidationError({"reason": "validation.required"})
        target = stage
    elif kind == "forward":
        target = (
            all_stages.get(stage_code)
            if stage_code
            else by_position.get(stage.position + (0 if last.kind == "drop" else 1))
        )
        if (
            target is None
            or target.position < stage.position
            or (target.position == stage.position and last.kind != "drop")
        ):
            raise ValidationError({"stage": "ment.validation.no_next_stage"})
    elif kind == "back":
        target = all_stages.get(stage_code) if stage_code else by_position.get(stage.position - 1)
        if target is None or target.position >= stage.position:
            raise ValidationError({"stage": "ment.validation.no_previous_stage"})
    else:
        raise ValidationError({"kind": "validation.invalid"})
    event = StageEvent(
        participant_id=participant_id,
        stage_id=target.id,
        occurred_on=on,
        kind=kind,
        reason=reason if kind == "drop" else None,
    )
    s.add(event)
    s.flush()
    program = s.get(Program, participant.program_id)
    audit.record(
        s,
        actor,
        kind,
        "ment_stage_event",
        event.id,
        before={"participant": participant.code, "stage": stage.code, "kind": last.kind},
        after={
            "participant": participant.code,
            "stage": target.code,
            "on": on,
            "reason": event.reason,
        },
        locality_code=program.locality_code if program else None,
    )
    return event.id


def advance(
    db: Database,
    actor: Actor,
    participant_ids: Iterable[int],
    on: date,
    kind: str = "forward",
    reason: str | None = None,
    stage_code: str | None = None,
) -> list[int]:
    """Move one or many participants in ONE transaction: all move, or none does."""
    ids = list(dict.fromkeys(participant_ids))
    if not ids:
        raise ValidationError({"participants": "validation.required"})
    with db.transaction() as s:
        return [move_in(s, actor, pid, kind, on, reason, stage_code) for pid in ids]


def record_match(
    db: Database,
    actor: Actor,
    mentor_id: int,
    mentee_id: int,
    started_on: date,
    advance_stages: bool = True,
) -> int:
    """Pair a mentor and a mentee of the same program; optionally move both to 'matched'."""
    with db.transaction() as s:
        mentor = _participant_for_edit(s, actor, mentor_id)
        mentee = _participant_for_edit(s, actor, mentee_id)
        if mentor.role != "mentor" or mentee.role != "mentee":
            raise ValidationError({"match": "ment.validation.roles"})
        if mentor.program_id != mentee.program_id:
            raise ValidationError({"match": "ment.validation.same_program"})
        running = s.scalar(
            select(func.count())
            .select_from(Match)
            .where(Match.mentee_id == mentee_id, Match.status == "active")
        )
        if running:
            raise ValidationError({"mentee": "ment.validation.already_matched"})
        match = Match(
            mentor_id=mentor_id, mentee_id=mentee_id, started_on=started_on, status="active"
        )
        s.add(match)
        s.flush()
        if advance_stages:
            for pid in (mentee_id, mentor_id):
                stage, last = _state(s, pid)
                if stage.code in ("accepted", "trained") and last.kind != "drop":
                    move_in(s, actor, pid, "forward", started_on, stage_code="matched")
        program = s.get(Program, mentee.program_id)
        audit.record(
            s,
            actor,
            "create",
            "ment_match",
            match.id,
            after={"mentor": mentor.code, "mentee": mentee.code, "started_on": started_on},
            locality_code=program.locality_code if program else None,
        )
        return match.id


def end_match(db: Database, actor: Actor, match_id: int, ended_on: date, status: str) -> None:
    if status not in ("completed", "ended_early"):
        raise ValidationError({"status": "validation.invalid"})
    with db.transaction() as s:
        match = s.get(Match, match_id)
        if match is None:
            raise NotFound(f"match {match_id}")
        mentee = _participant_for_edit(s, actor, match.mentee_id)
        if ended_on < match.started_on:
            raise ValidationError({"date": "ment.validation.date_before_last"})
        before = {"status": match.status, "ended_on": match.ended_on}
        match.status, match.ended_on = status, ended_on
        program = s.get(Program, mentee.program_id)
        audit.record(
            s,
            actor,
            "update",
            "ment_match",
            match.id,
            before=before,
            after={"status": status, "ended_on": ended_on},
            locality_code=program.locality_code if program else None,
        )


def record_outcome(
    db: Database, actor: Actor, participant_id: int, kind: str, reached_on: date
) -> int:
    if kind not in OUTCOME_KINDS:
        raise ValidationError({"kind": "validation.invalid"})
    with db.transaction() as s:
        participant = _participant_for_edit(s, actor, participant_id)
        outcome = Outcome(participant_id=participant_id, kind=kind, reached_on=reached_on)
        s.add(outcome)
        s.flush()
        program = s.get(Program, participant.program_id)
        audit.record(
            s,
            actor,
            "create",
            "ment_outcome",
            outcome.id,
            after={"participant": participant.code, "kind": kind, "reached_on": reached_on},
            locality_code=program.locality_code if program else None,
        )
        return outcome.id


def _require_list_access(actor: Actor, locality_code: int) -> None:
    """Participant lists: managers of that locality and admins only."""
    if actor.role not in (ADMIN, MANAGER):
        raise PermissionDenied(f"{actor.username} ({actor.role}) may not list participants")
    require_locality(actor, locality_code)


def participants(
    db: Database,
    actor: Actor,
    locality_code: int,
    pipeline: str = "mentee",
    as_of: date | None = None,
    program_id: int | None = None,
) -> pd.DataFrame:
    """The locality's participants under their codes, with their stage as of the date."""
    _require_list_access(actor, locality_code)
    as_of = as_of or date.today()
    sel = Selection(
        pipeline=pipeline,
        locality_codes=(locality_code,),
        program_ids=(program_id,) if program_id else None,
    )
    cur = current_state(actor, sel, as_of)
    query = (
        select(
            cur.c.participant_id,
            cur.c.code,
            cur.c.program_id,
            cur.c.population,
            cur.c.age_band,
            cur.c.cohort_id,
            cur.c.stage,
            cur.c.position,
            cur.c.kind,
            cur.c.reason,
            cur.c.occurred_on,
        )
        .where(cur.c.rn == 1)
        .order_by(cur.c.code)
    )
    columns = [
        "participant_id",
        "code",
        "program_id",
        "population",
        "age_band",
        "cohort_id",
        "stage",
        "position",
        "kind",
        "reason",
        "since",
    ]
    with db.transaction() as s:
        return pd.DataFrame(s.execute(query).all(), columns=columns)


def waiting_lists(
    db: Database, actor: Actor, locality_code: int, as_of: date | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mentees waiting for a mentor and mentors without a mentee (codes, days waiting)."""
    _require_list_access(actor, locality_code)
    as_of = as_of or date.today()
    sel = Selection(locality_codes=(locality_code,))
    frames = []
    with db.transaction() as s:
        for query in (waiting_query(actor, sel, as_of), idle_mentors_query(actor, sel, as_of)):
            sub = query.subquery()
            rows = s.execute(
                select(
                    sub.c.participant_id,
                    sub.c.code,
                    sub.c.program_id,
                    sub.c.stage,
                    sub.c.occurred_on,
                ).order_by(sub.c.occurred_on)
            )
            frame = pd.DataFrame(
                rows.all(), columns=["participant_id", "code", "program_id", "stage", "since"]
            )
            frame["days"] = [(as_of - d).days for d in frame["since"]]
            frames.append(frame)
    return frames[0], frames[1]
