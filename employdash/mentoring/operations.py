"""Programs, cohorts, pipelines, participants and the writes that move them: advance, match,
end a match, outcome.

Writes need a manager (or admin) of the program's locality; each runs in one transaction with its
audit entry. The participant list (pseudonymous codes) is shown only to managers of the program's
locality and admins: leadership sees aggregates only, members nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from employdash import audit
from employdash.access import (
    Actor,
    Area,
    require_read,
    require_write,
    scope_clause,
)
from employdash.db import Database, rowcount
from employdash.errors import NotFound, StaleVersion, ValidationError
from employdash.handed_ids import in_locality, in_scope
from employdash.limits import clean_text
from employdash.mentoring import state
from employdash.mentoring.funnel import (
    Selection,
    current_state,
    idle_mentors_query,
    waiting_query,
)
from employdash.models import Organisation, Person
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
    contact_person_id: int | None = None
    sponsor_person_id: int | None = None
    tevet_manager_person_id: int | None = None
    started_on: date | None = None
    closed_on: date | None = None
    version: int = 1


@dataclass(frozen=True)
class CohortInfo:
    id: int
    program_id: int
    name: str
    starts_on: date | None


def programs(db: Database, actor: Actor, kind: str | None = None) -> list[ProgramInfo]:
    """Programs in the actor's scope (names of programs are not personal data)."""
    require_read(actor, Area.MENTORING)
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
                p.contact_person_id,
                p.sponsor_person_id,
                p.tevet_manager_person_id,
                p.started_on,
                p.closed_on,
                p.version,
            )
            for p in s.scalars(query)
        ]


def cohorts(db: Database, actor: Actor) -> list[CohortInfo]:
    require_read(actor, Area.MENTORING)
    query = (
        select(Cohort)
        .join(Program, Program.id == Cohort.program_id)
        .where(scope_clause(actor, Program.locality_code))
        .order_by(Cohort.starts_on)
    )
    with db.transaction() as s:
        return [CohortInfo(c.id, c.program_id, c.name, c.starts_on) for c in s.scalars(query)]


PROGRAM_PEOPLE = (
    "coordinator_person_id",
    "contact_person_id",
    "sponsor_person_id",
    "tevet_manager_person_id",
)


def check_program_links(
    s: Session,
    actor: Actor,
    locality_code: int,
    host_organisation_id: int | None,
    people: dict[str, int | None],
) -> None:
    """Every person and organisation a program names belongs to the program's own locality (a
    national organisation is shared by design): the same NotFound as a missing ID otherwise."""
    if host_organisation_id is not None:
        in_locality(s, actor, Organisation, host_organisation_id, locality_code)
    for person_id in people.values():
        if person_id is not None:
            in_locality(s, actor, Person, person_id, locality_code)


def validate_program(name: str, operating_model: str, target_population: str, kind: str) -> str:
    """The cleaned name, or ValidationError naming every bad field."""
    errors = {}
    cleaned = clean_text(name, "mentoring/program_name")
    if not cleaned:
        errors["name"] = "validation.required"
    if operating_model not in OPERATING_MODELS:
        errors["operating_model"] = "validation.invalid"
    if target_population not in (*POPULATIONS, "mixed"):
        errors["target_population"] = "validation.invalid"
    if kind not in PROGRAM_KINDS:
        errors["kind"] = "validation.invalid"
    if errors:
        raise ValidationError(errors)
    return cleaned


def create_program(
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
    contact_person_id: int | None = None,
    sponsor_person_id: int | None = None,
    tevet_manager_person_id: int | None = None,
    started_on: date | None = None,
) -> int:
    require_write(actor, Area.MENTORING, locality_code)
    people = {
        "coordinator_person_id": coordinator_person_id,
        "contact_person_id": contact_person_id,
        "sponsor_person_id": sponsor_person_id,
        "tevet_manager_person_id": tevet_manager_person_id,
    }
    with db.transaction() as s:
        check_program_links(s, actor, locality_code, host_organisation_id, people)
        cleaned = validate_program(name, operating_model, target_population, kind)
        program = Program(
            name=cleaned,
            kind=kind,
            operating_model=operating_model,
            target_population=target_population,
            locality_code=locality_code,
            host_organisation_id=host_organisation_id,
            started_on=started_on,
            **people,
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
                "host_organisation_id": host_organisation_id,
                "started_on": started_on,
                **people,
            },
            locality_code=locality_code,
        )
        return program.id


def create_cohort(
    db: Database,
    actor: Actor,
    program_id: int,
    name: str,
    starts_on: date | None = None,
    participant_ids: Iterable[int] = (),
) -> int:
    """A cohort of a program, optionally with participants assigned to it at once."""
    require_write(actor, Area.MENTORING)
    cleaned = clean_text(name, "mentoring/cohort_name")
    with db.transaction() as s:
        program = _program_for_edit(s, actor, program_id)
        if not cleaned:
            raise ValidationError({"name": "validation.required"})
        cohort = Cohort(program_id=program.id, name=cleaned, starts_on=starts_on)
        s.add(cohort)
        s.flush()
        audit.record(
            s,
            actor,
            "create",
            "ment_cohort",
            cohort.id,
            after={"name": cohort.name, "program_id": program.id, "starts_on": starts_on},
            locality_code=program.locality_code,
        )
        ids = list(dict.fromkeys(participant_ids))
        if ids:
            assign_cohort_in(s, actor, cohort.id, ids)
        return cohort.id


def assign_cohort_in(s: Session, actor: Actor, cohort_id: int, participant_ids: list[int]) -> int:
    """Put participants of the cohort's program into the cohort (caller's transaction)."""
    cohort = in_scope(s, actor, Cohort, cohort_id)
    program = _program_for_edit(s, actor, cohort.program_id)
    before: dict[str, int | None] = {}
    for pid in dict.fromkeys(participant_ids):
        participant = _participant_for_edit(s, actor, pid)
        if participant.program_id != cohort.program_id:
            raise ValidationError({"participants": "ment.validation.same_program"})
        before[participant.code] = participant.cohort_id
        participant.cohort_id = cohort.id
    if not before:
        raise ValidationError({"participants": "validation.required"})
    s.flush()
    state.refresh(s, participant_ids)
    audit.record(
        s,
        actor,
        "assign",
        "ment_cohort",
        cohort.id,
        before={"participants": before},
        after={"participants": {code: cohort.id for code in before}},
        locality_code=program.locality_code,
    )
    return len(before)


def assign_cohort(
    db: Database, actor: Actor, cohort_id: int, participant_ids: Iterable[int]
) -> int:
    """Bulk assignment: every participant joins the cohort, or none does."""
    require_write(actor, Area.MENTORING)
    with db.transaction() as s:
        return assign_cohort_in(s, actor, cohort_id, list(participant_ids))


def pipeline_drop_reasons(s: Session, pipeline: str) -> tuple[str, ...]:
    """The drop reasons a pipeline offers: its own list, or the shipped one."""
    own = s.scalar(select(Pipeline.drop_reasons).where(Pipeline.code == pipeline))
    return tuple(r for r in (own or "").split(",") if r) or DROP_REASONS


def define_pipeline(
    db: Database,
    actor: Actor,
    code: str,
    role: str,
    stages: list[str],
    *,
    terminal: Iterable[str] = (),
    drop_reasons: Iterable[str] = (),
    label: str | None = None,
    stage_labels: dict[str, str] | None = None,
    label_en: str | None = None,
    stage_labels_en: dict[str, str] | None = None,
) -> None:
    """A new pipeline with its ordered stages, closing stages and drop reasons (admins): the
    engine computes any pipeline's funnel. `label`/`stage_labels` name the pipeline and its
    stages (Hebrew, or the only name given); `label_en`/`stage_labels_en` their English names."""
    require_write(actor, Area.CATALOGUE)
    code = clean_text(code, "mentoring/pipeline_code")
    for stage in stages:
        clean_text(stage, "mentoring/pipeline_code", multiline=False)
    errors = {}
    terminal = set(terminal)
    reasons = list(dict.fromkeys(drop_reasons))
    if not code or not code.isidentifier() or len(code) > 30:
        errors["code"] = "validation.required"
    if (
        role not in PIPELINE_OF_ROLE
        or len(stages) < 2
        or len(set(stages)) != len(stages)
        or not all(st.isidentifier() and len(st) <= 30 for st in stages)
        or not terminal <= set(stages)
    ):
        errors["stages"] = "validation.invalid"
    if not all(r.isidentifier() and len(r) <= 40 for r in reasons) or len(",".join(reasons)) > 400:
        errors["drop_reasons"] = "validation.invalid"
    if errors:
        raise ValidationError(errors)
    labels = stage_labels or {}
    labels_en = stage_labels_en or {}
    with db.transaction() as s:
        if s.get(Pipeline, code):
            raise ValidationError({"code": "validation.duplicate"})
        s.add(
            Pipeline(
                code=code,
                role=role,
                name_key=f"ment.pipeline.{code}",
                label=clean_text(label, "label", 120) or None,
                label_en=clean_text(label_en, "label", 120) or None,
                drop_reasons=",".join(reasons) or None,
            )
        )
        s.add_all(
            PipelineStage(
                pipeline_code=code,
                position=i,
                code=st,
                name_key=f"ment.stage.{code}.{st}",
                label=clean_text(labels.get(st), "label", 120) or None,
                label_en=clean_text(labels_en.get(st), "label", 120) or None,
                terminal=st in terminal,
            )
            for i, st in enumerate(stages, 1)
        )
        audit.record(
            s,
            actor,
            "create",
            "ment_pipeline",
            code,
            after={
                "role": role,
                "label": label,
                "label_en": label_en,
                "stages": stages,
                "stage_labels": labels,
                "stage_labels_en": labels_en,
                "terminal": sorted(terminal),
                "drop_reasons": reasons,
            },
        )


@dataclass(frozen=True)
class PipelineInfo:
    code: str
    role: str
    name_key: str
    label: str | None
    drop_reasons: tuple[str, ...]
    label_en: str | None = None


def pipelines(db: Database, actor: Actor) -> list[PipelineInfo]:
    """Every pipeline in the database (configuration shared nationally), shipped ones first."""
    require_read(actor, Area.MENTORING)
    shipped = {"mentee": 0, "mentor": 1, "certification": 2}
    with db.transaction() as s:
        rows = list(s.scalars(select(Pipeline)))
        return [
            PipelineInfo(
                p.code,
                p.role,
                p.name_key,
                p.label,
                pipeline_drop_reasons(s, p.code),
                p.label_en,
            )
            for p in sorted(rows, key=lambda p: (shipped.get(p.code, 9), p.code))
        ]


def _program_for_edit(s: Session, actor: Actor, program_id: int) -> Program:
    """The program, if it exists in the actor's scope (else NotFound) and they may write it."""
    require_write(actor, Area.MENTORING)
    program = in_scope(s, actor, Program, program_id)
    require_write(actor, Area.MENTORING, program.locality_code)
    return program


def _participant_for_edit(s: Session, actor: Actor, participant_id: int) -> Participant:
    require_write(actor, Area.MENTORING)
    participant = in_scope(s, actor, Participant, participant_id)
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
    program = _program_for_edit(s, actor, program_id)
    if program.closed_on is not None:
        raise ValidationError({"program": "ment.validation.program_closed"})
    if cohort_id is not None:
        cohort = in_scope(s, actor, Cohort, cohort_id)
        if cohort.program_id != program.id:
            raise ValidationError({"cohort": "validation.invalid"})
    _validate_participant(role, population, age_band)
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
    state.refresh(s, [row.id])
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
            "cohort_id": cohort_id,
            "population": population,
            "age_band": age_band,
            "entered_on": entered_on,
        },
        locality_code=program.locality_code,
    )
    return row.id


def add_participant(
    db: Database,
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
    with db.transaction() as s:
        return add_participant_in(
            s,
            actor,
            program_id=program_id,
            role=role,
            population=population,
            age_band=age_band,
            entered_on=entered_on,
            cohort_id=cohort_id,
            code=code,
            pipeline=pipeline,
        )


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
    stage = s.get(PipelineStage, last.stage_id)
    if stage is None:
        raise NotFound(f"stage {last.stage_id}")
    return stage, last


def claim(s: Session, participant: Participant, expected_version: int | None) -> None:
    """Compare-and-set the participant's version: the move is based on the state the user saw.

    A second click on "advance" (or a concurrent move) finds the version already bumped and is
    refused, so the same move is never written twice. The UPDATE also locks the row until commit.
    """
    seen = participant.version if expected_version is None else expected_version
    result = s.execute(
        update(Participant)
        .where(Participant.id == participant.id, Participant.version == seen)
        .values(version=seen + 1)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        current = s.scalar(select(Participant.version).where(Participant.id == participant.id))
        raise StaleVersion({"stage": (seen, current)}, int(current or seen))
    participant.version = seen + 1


def move_in(
    s: Session,
    actor: Actor,
    participant_id: int,
    kind: str,
    on: date,
    reason: str | None = None,
    stage_code: str | None = None,
    expected_version: int | None = None,
) -> int:
    """Record one stage change in the caller's transaction; returns the new event id.

    forward: to the next stage (or `stage_code` further on); back: to `stage_code` or the
    previous stage; drop: out of the current stage with a reason. Dates may not go backwards.
    `expected_version` is the participant's version the user saw: a stale one is refused.
    """
    participant = _participant_for_edit(s, actor, participant_id)
    claim(s, participant, expected_version)
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
    target: PipelineStage | None
    if kind == "drop":
        if reason not in pipeline_drop_reasons(s, participant.pipeline_code):
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
    state.refresh(s, [participant_id])
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
    versions: Mapping[int, int] | None = None,
) -> list[int]:
    """Move one or many participants in ONE transaction: all move, or none does.

    `versions` (participant id → version the user saw) makes a repeated submission a refusal
    instead of a second move."""
    ids = list(dict.fromkeys(participant_ids))
    if not ids:
        raise ValidationError({"participants": "validation.required"})
    seen = versions or {}
    with db.transaction() as s:
        return [move_in(s, actor, pid, kind, on, reason, stage_code, seen.get(pid)) for pid in ids]


def record_match(
    db: Database,
    actor: Actor,
    mentor_id: int,
    mentee_id: int,
    started_on: date,
    advance_stages: bool = True,
) -> int:
    """Pair a mentor and a mentee of the same program; optionally move both to 'matched'.

    One active match per mentee is a partial unique index: of two concurrent calls for the same
    mentee, the second fails at the database and is refused here."""
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
        try:
            s.flush()
        except IntegrityError as exc:
            raise ValidationError({"mentee": "ment.validation.already_matched"}) from exc
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


MATCH_END_REASONS = (
    "goals_met",
    "mentee_found_job",
    "mentee_withdrew",
    "mentor_withdrew",
    "no_contact",
    "not_a_fit",
    "other",
)


def end_match(
    db: Database,
    actor: Actor,
    match_id: int,
    ended_on: date,
    status: str,
    reason: str | None = None,
    version: int | None = None,
) -> None:
    """End a running match on a date with a reason: the mentor is available again from then.

    `version` is the match's version the user saw; a match changed meanwhile is refused."""
    require_write(actor, Area.MENTORING)
    if status not in ("completed", "ended_early"):
        raise ValidationError({"status": "validation.invalid"})
    if reason is not None and reason not in MATCH_END_REASONS:
        raise ValidationError({"reason": "validation.invalid"})
    with db.transaction() as s:
        match = in_scope(s, actor, Match, match_id)
        mentee = _participant_for_edit(s, actor, match.mentee_id)
        if match.status != "active":
            raise ValidationError({"match": "ment.validation.match_ended"})
        if ended_on < match.started_on:
            raise ValidationError({"date": "ment.validation.date_before_last"})
        seen = match.version if version is None else version
        before = {"status": match.status, "ended_on": match.ended_on, "reason": match.end_reason}
        result = s.execute(
            update(Match)
            .where(Match.id == match_id, Match.version == seen)
            .values(status=status, ended_on=ended_on, end_reason=reason, version=seen + 1)
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            raise StaleVersion({"status": (before["status"], status)}, match.version)
        program = s.get(Program, mentee.program_id)
        audit.record(
            s,
            actor,
            "update",
            "ment_match",
            match.id,
            before=before,
            after={"status": status, "ended_on": ended_on, "reason": reason},
            locality_code=program.locality_code if program else None,
        )


def record_outcome(
    db: Database, actor: Actor, participant_id: int, kind: str, reached_on: date
) -> int:
    require_write(actor, Area.MENTORING)
    with db.transaction() as s:
        participant = _participant_for_edit(s, actor, participant_id)
        if kind not in OUTCOME_KINDS:
            raise ValidationError({"kind": "validation.invalid"})
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


def participants(
    db: Database,
    actor: Actor,
    locality_code: int,
    pipeline: str = "mentee",
    as_of: date | None = None,
    program_id: int | None = None,
) -> pd.DataFrame:
    """The locality's participants under their codes, with their stage as of the date."""
    require_read(actor, Area.PARTICIPANTS, locality_code)
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
            cur.c.version,
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
        "version",
    ]
    with db.transaction() as s:
        return pd.DataFrame(s.execute(query).all(), columns=columns)


def waiting_lists(
    db: Database, actor: Actor, locality_code: int, as_of: date | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mentees waiting for a mentor and mentors without a mentee (codes, days waiting)."""
    require_read(actor, Area.PARTICIPANTS, locality_code)
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
