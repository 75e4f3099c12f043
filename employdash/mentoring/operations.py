"""Programs, cohorts, pipelines, participants and the writes that move them: advance, match,
end a match, outcome.

Each write is a command (`employdash.commands`) of a manager (or admin) of the program's
locality: the pipeline checks the role and locality, resolves the handed programs, cohorts,
participants and matches in that locality, and audits; `MentoringChange` declares what they share
(the mentoring figures and the mayor's briefing go stale). Pipelines are national: the admin
defines them. The participant list (pseudonymous codes) is shown only to managers of the program's
locality and admins: leadership sees aggregates only, members nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, Self, TypeVar, get_args, get_type_hints

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from employdash.access import Actor, Area, read_scope, require_read
from employdash.commands import Command, Handed, Ref, Write, as_refs, execute, ids
from employdash.db import Database
from employdash.errors import NotFound, ValidationError
from employdash.limits import FIELDS, clean_text
from employdash.mentoring import state
from employdash.mentoring.funnel import (
    Selection,
    current_state,
    idle_mentors_query,
    waiting_query,
)
from employdash.models import Organisation, Person
from employdash.models.base import Base
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
from employdash.writers import writer

R = TypeVar("R")
M = TypeVar("M", bound=Base)
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


def program_info(p: Program) -> ProgramInfo:
    """The program as its lists and its edit form read it."""
    return ProgramInfo(**{f.name: getattr(p, f.name) for f in fields(ProgramInfo)})


def programs(db: Database, actor: Actor, kind: str | None = None) -> list[ProgramInfo]:
    """Programs in the actor's scope (names of programs are not personal data)."""
    scope = read_scope(actor, Area.MENTORING)
    query = (
        select(Program)
        .where(scope.of(Program.locality_code))
        .order_by(Program.locality_code, Program.id)
    )
    if kind:
        query = query.where(Program.kind == kind)
    with db.transaction() as s:
        return [program_info(p) for p in s.scalars(query)]


def cohorts(db: Database, actor: Actor) -> list[CohortInfo]:
    scope = read_scope(actor, Area.MENTORING)
    query = (
        select(Cohort)
        .join(Program, Program.id == Cohort.program_id)
        .where(scope.of(Program.locality_code))
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
# A change to programs, cohorts, participants or matches makes every mentoring figure stale, and
# the mayor's briefing shows the mentoring panel.
MENTORING_VIEWS = frozenset({Area.MENTORING, Area.BRIEFING})


@dataclass
class MentoringChange(
    Command[R], area=Area.MENTORING, entity="ment_program", invalidates=MENTORING_VIEWS
):
    """What every mentoring write shares: a manager (or admin) of the program's locality, and the
    mentoring read models and briefing refreshed after it."""


class SavesStored:
    """A save of a form that changes the one record its key finds (`key()`), or adds it when
    there is none. Mixed in before the command: `of(db, ...)` takes the command's fields in
    order, `version` among them (the version of the record the user saw; None: there was none),
    and hands the record found as `stored` (typed `Ref[Model] | None`: the model the key finds
    in; the pipeline resolves it in scope again)."""

    stored: Ref[Any] | None

    def key(self) -> dict[str, Any]:
        """The column values that find the record."""
        raise NotImplementedError

    @classmethod
    def of(cls, db: Database, *values: Any, **named: Any) -> Self:
        command: Self = super().of(*values, **named)  # type: ignore[misc]  # mixed before a Command
        declared = get_args(get_type_hints(cls)["stored"])[0]  # Ref[Model], of `Ref[Model] | None`
        model = get_args(declared)[0]
        with db.transaction() as s:
            found: Any = s.scalar(select(model).filter_by(**command.key()))
        command.stored = None if found is None else Ref(model, found.id)
        return command


# A program's handed IDs: the host organisation (a national one is shared by design) and the
# people, each of the program's own locality.
PROGRAM_REFS: dict[str, Handed] = {
    "host_organisation_id": Organisation,
    **dict.fromkeys(PROGRAM_PEOPLE, Person),
}


def program_refs(values: Mapping[str, Any]) -> dict[str, Any]:
    """A program's handed IDs as references (`PROGRAM_REFS`)."""
    return as_refs(PROGRAM_REFS, values)


def validate_program(
    name: str | None, operating_model: str, target_population: str, kind: str
) -> None:
    """ValidationError naming every bad field of a program (its name already cleaned)."""
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


@dataclass
class ProgramChange(
    MentoringChange[R],
    entity="ment_program",
    texts={"values.name": "mentoring/program_name"},
    id_fields={"values": PROGRAM_REFS},
):
    """A write of a program's values: its name bounded, its people and host handed IDs."""


@dataclass
class CreateProgram(ProgramChange[int]):
    """A program of the locality, with the people and host organisation it names."""

    locality_code: int
    values: dict[str, Any]

    @classmethod
    def of(cls, locality_code: int, **values: Any) -> CreateProgram:
        values.setdefault("kind", "mentoring")
        return cls(locality_code, program_refs(values))

    def validate(self, w: Write) -> None:
        v = self.values
        validate_program(
            v.get("name"), v.get("operating_model", ""), v.get("target_population", ""), v["kind"]
        )

    def run(self, w: Write) -> int:
        values = ids(self.values)
        program = Program(locality_code=self.locality_code, **values)
        return w.create(program, values).id


create_program = writer(CreateProgram.of)


def assign(w: Write, cohort: Cohort, participants: Iterable[Participant]) -> int:
    """Put participants of the cohort's program into the cohort, audited as one assignment."""
    before: dict[str, int | None] = {}
    for participant in participants:
        if participant.program_id != cohort.program_id:
            raise ValidationError({"participants": "ment.validation.same_program"})
        before[participant.code] = participant.cohort_id
        participant.cohort_id = cohort.id
    if not before:
        raise ValidationError({"participants": "validation.required"})
    w.session.flush()
    state.refresh(w.session, [p.id for p in participants])
    w.audit(
        "assign",
        cohort.id,
        before={"participants": before},
        after={"participants": {code: cohort.id for code in before}},
        entity="ment_cohort",
    )
    return len(before)


@dataclass
class CreateCohort(
    MentoringChange[int],
    entity="ment_cohort",
    texts={"name": "mentoring/cohort_name"},
):
    """A cohort of a program, optionally with participants assigned to it at once."""

    program: Ref[Program]
    name: str | None
    starts_on: date | None = None
    participants: list[Ref[Participant]] = field(default_factory=list)

    def validate(self, w: Write) -> None:
        if not self.name:
            raise ValidationError({"name": "validation.required"})

    def run(self, w: Write) -> int:
        program = w.get(self.program)
        cohort = Cohort(program_id=program.id, name=self.name, starts_on=self.starts_on)
        w.create(cohort, {"name": self.name, "program_id": program.id, "starts_on": self.starts_on})
        if self.participants:
            assign(w, cohort, [w.get(p) for p in self.participants])
        return cohort.id


def create_cohort(
    db: Database,
    actor: Actor,
    program_id: int,
    name: str,
    starts_on: date | None = None,
    participant_ids: Iterable[int] = (),
) -> int:
    command = CreateCohort.of(program_id, name, starts_on, list(participant_ids))
    return execute(db, actor, command).value


@dataclass
class AssignCohort(MentoringChange[int], entity="ment_cohort"):
    """Bulk assignment: every participant joins the cohort, or none does."""

    cohort: Ref[Cohort]
    participants: list[Ref[Participant]]

    def run(self, w: Write) -> int:
        return assign(w, w.get(self.cohort), [w.get(p) for p in self.participants])


def assign_cohort(
    db: Database, actor: Actor, cohort_id: int, participant_ids: Iterable[int]
) -> int:
    return execute(db, actor, AssignCohort.of(cohort_id, list(participant_ids))).value


def pipeline_drop_reasons(s: Session, pipeline: str) -> tuple[str, ...]:
    """The drop reasons a pipeline offers: its own list, or the shipped one."""
    own = s.scalar(select(Pipeline.drop_reasons).where(Pipeline.code == pipeline))
    return tuple(r for r in (own or "").split(",") if r) or DROP_REASONS


def _labels(labels: Mapping[str, str] | None) -> dict[str, str]:
    """Stage names, each bounded like a pipeline's name (their keys are the stages, so they are
    cleaned here rather than declared one by one)."""
    cleaned = {
        k: clean_text(v, "stage_labels", FIELDS["mentoring/pipeline_label"].max_len)
        for k, v in (labels or {}).items()
    }
    return {k: v for k, v in cleaned.items() if v}


@dataclass
class CatalogueChange(
    Command[R], area=Area.CATALOGUE, entity="ment_pipeline", invalidates=MENTORING_VIEWS
):
    """A change of the national mentoring catalogue (pipelines, standards): the admin's, in no
    one locality."""

    def where(self) -> None:
        return None


@dataclass
class DefinePipeline(
    CatalogueChange[str],
    texts={
        "code": "mentoring/pipeline_code",
        "label": "mentoring/pipeline_label",
        "label_en": "mentoring/pipeline_label",
    },
):
    """A new pipeline with its ordered stages, closing stages and drop reasons (admins: pipelines
    are national): the engine computes any pipeline's funnel. `label`/`stage_labels` name the
    pipeline and its stages (Hebrew, or the only name given); `label_en`/`stage_labels_en` their
    English names."""

    code: str | None
    role: str
    stages: list[str]
    terminal: frozenset[str] = frozenset()
    drop_reasons: list[str] = field(default_factory=list)
    label: str | None = None
    stage_labels: dict[str, str] = field(default_factory=dict)
    label_en: str | None = None
    stage_labels_en: dict[str, str] = field(default_factory=dict)

    def validate(self, w: Write) -> None:
        errors = {}
        reasons, stages = self.drop_reasons, self.stages
        if not self.code or not self.code.isidentifier():
            errors["code"] = "validation.required"
        if (
            self.role not in PIPELINE_OF_ROLE
            or len(stages) < 2
            or len(set(stages)) != len(stages)
            or not all(st.isidentifier() and len(st) <= 30 for st in stages)
            or not self.terminal <= set(stages)
        ):
            errors["stages"] = "validation.invalid"
        if (
            not all(r.isidentifier() and len(r) <= 40 for r in reasons)
            or len(",".join(reasons)) > 400
        ):
            errors["drop_reasons"] = "validation.invalid"
        if errors:
            raise ValidationError(errors)
        self.stage_labels, self.stage_labels_en = (
            _labels(self.stage_labels),
            _labels(self.stage_labels_en),
        )
        if w.session.get(Pipeline, self.code):
            raise ValidationError({"code": "validation.duplicate"})

    def run(self, w: Write) -> str:
        code = str(self.code)
        pipeline = Pipeline(
            code=code,
            role=self.role,
            name_key=f"ment.pipeline.{code}",
            label=self.label,
            label_en=self.label_en,
            drop_reasons=",".join(self.drop_reasons) or None,
        )
        w.session.add(pipeline)
        w.session.add_all(
            PipelineStage(
                pipeline_code=code,
                position=i,
                code=st,
                name_key=f"ment.stage.{code}.{st}",
                label=self.stage_labels.get(st),
                label_en=self.stage_labels_en.get(st),
                terminal=st in self.terminal,
            )
            for i, st in enumerate(self.stages, 1)
        )
        w.session.flush()
        w.audit(
            "create",
            code,
            after={
                "role": self.role,
                "label": self.label,
                "label_en": self.label_en,
                "stages": self.stages,
                "stage_labels": self.stage_labels,
                "stage_labels_en": self.stage_labels_en,
                "terminal": sorted(self.terminal),
                "drop_reasons": self.drop_reasons,
            },
        )
        return code


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
) -> str:
    command = DefinePipeline(
        code,
        role,
        list(stages),
        frozenset(terminal),
        list(dict.fromkeys(drop_reasons)),
        label,
        dict(stage_labels or {}),
        label_en,
        dict(stage_labels_en or {}),
    )
    return execute(db, actor, command).value


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


def new_code(role: str) -> str:
    prefix = {"mentee": "ME", "mentor": "MR", "trainee": "TR"}[role]
    return f"{prefix}-{secrets.token_hex(3).upper()}"


@dataclass(frozen=True)
class NewParticipant:
    """A participant to add: who they are (under a code) and the day they entered."""

    role: str
    population: str
    age_band: str | None
    entered_on: date
    code: str | None = None
    pipeline: str | None = None


def _validate_participant(new: NewParticipant) -> None:
    errors = {}
    if new.role not in PIPELINE_OF_ROLE:
        errors["role"] = "validation.invalid"
    if new.population not in POPULATIONS:
        errors["population"] = "validation.invalid"
    if new.age_band is not None and new.age_band not in AGE_BANDS:
        errors["age_band"] = "validation.invalid"
    if errors:
        raise ValidationError(errors)


def _enter(s: Session, event: StageEvent) -> StageEvent:
    """Write a participant's stage event and bring their state spans up to date with it."""
    s.add(event)
    state.refresh(s, [event.participant_id])
    return event


def add(w: Write, program: Program, cohort: Cohort | None, new: NewParticipant) -> int:
    """Add a participant and their first-stage event in the running command.

    The pipeline defaults to the role's shipped one; a defined pipeline must serve the role."""
    s = w.session
    if program.closed_on is not None:
        raise ValidationError({"program": "ment.validation.program_closed"})
    if cohort is not None and cohort.program_id != program.id:
        raise ValidationError({"cohort": "validation.invalid"})
    _validate_participant(new)
    code = new.code or new_code(new.role)
    if s.scalar(select(Participant.id).where(Participant.code == code)):
        raise ValidationError({"code": "validation.duplicate"})
    pipeline = new.pipeline or PIPELINE_OF_ROLE[new.role]
    defined = s.get(Pipeline, pipeline)
    if defined is None or defined.role != new.role:
        raise ValidationError({"pipeline": "validation.invalid"})
    first = s.scalar(
        select(PipelineStage.id).where(
            PipelineStage.pipeline_code == pipeline, PipelineStage.position == 1
        )
    )
    values = {
        "code": code,
        "role": new.role,
        "program_id": program.id,
        "cohort_id": cohort.id if cohort else None,
        "population": new.population,
        "age_band": new.age_band,
    }
    after = {**values, "entered_on": new.entered_on}
    row = w.create(Participant(pipeline_code=pipeline, **values), after, entity="ment_participant")
    first_event = StageEvent(
        participant_id=row.id, stage_id=first, occurred_on=new.entered_on, kind="forward"
    )
    _enter(s, first_event)
    return row.id


@dataclass
class AddParticipant(
    MentoringChange[int],
    entity="ment_participant",
    texts={"code": "mentoring/participant_code"},
):
    """A participant of a program (and optionally a cohort of it), at the pipeline's first stage."""

    program: Ref[Program]
    cohort: Ref[Cohort] | None
    role: str
    population: str
    age_band: str | None
    entered_on: date
    code: str | None = None
    pipeline: str | None = None

    @classmethod
    def of(cls, *, program_id: int, cohort_id: int | None = None, **values: Any) -> Self:
        """The command from the form's values, which name the program's and cohort's IDs."""
        return super().of(program=program_id, cohort=cohort_id, **values)

    def run(self, w: Write) -> int:
        new = NewParticipant(
            self.role, self.population, self.age_band, self.entered_on, self.code, self.pipeline
        )
        return add(w, w.get(self.program), w.get_optional(self.cohort), new)


add_participant = writer(AddParticipant.of)


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


@dataclass(frozen=True)
class Move:
    """One stage change: forward to the next stage (or `stage_code` further on), back to
    `stage_code` or the previous stage, or a drop out of the current stage with a reason."""

    kind: str
    on: date
    reason: str | None = None
    stage_code: str | None = None


def _target(
    s: Session, participant: Participant, move: Move
) -> tuple[PipelineStage, PipelineStage, StageEvent]:
    """(the stage now, the stage the move goes to, the latest event), or ValidationError."""
    stage, last = _state(s, participant.id)
    if move.on < last.occurred_on:
        raise ValidationError({"date": "ment.validation.date_before_last"})
    if last.kind == "drop" and move.kind != "forward":
        raise ValidationError({"kind": "ment.validation.dropped"})
    all_stages = {
        st.code: st
        for st in s.scalars(
            select(PipelineStage).where(PipelineStage.pipeline_code == participant.pipeline_code)
        )
    }
    by_position = {st.position: st for st in all_stages.values()}
    target: PipelineStage | None
    if move.kind == "drop":
        if move.reason not in pipeline_drop_reasons(s, participant.pipeline_code):
            raise ValidationError({"reason": "validation.required"})
        target = stage
    elif move.kind == "forward":
        target = (
            all_stages.get(move.stage_code)
            if move.stage_code
            else by_position.get(stage.position + (0 if last.kind == "drop" else 1))
        )
        if (
            target is None
            or target.position < stage.position
            or (target.position == stage.position and last.kind != "drop")
        ):
            raise ValidationError({"stage": "ment.validation.no_next_stage"})
    elif move.kind == "back":
        target = (
            all_stages.get(move.stage_code)
            if move.stage_code
            else by_position.get(stage.position - 1)
        )
        if target is None or target.position >= stage.position:
            raise ValidationError({"stage": "ment.validation.no_previous_stage"})
    else:
        raise ValidationError({"kind": "validation.invalid"})
    return stage, target, last


def move(w: Write, participant: Participant, change: Move, version: int | None = None) -> int:
    """Record one stage change in the running command; returns the new event's ID.

    `version` is the participant's version the user saw: a repeated or concurrent move finds it
    taken and is refused, so the same move is never written twice. Dates may not go backwards."""
    w.claim(participant, participant.version if version is None else version)
    stage, target, last = _target(w.session, participant, change)
    event = _enter(
        w.session,
        StageEvent(
            participant_id=participant.id,
            stage_id=target.id,
            occurred_on=change.on,
            kind=change.kind,
            reason=change.reason if change.kind == "drop" else None,
        ),
    )
    w.audit(
        change.kind,
        event.id,
        before={"participant": participant.code, "stage": stage.code, "kind": last.kind},
        after={
            "participant": participant.code,
            "stage": target.code,
            "on": change.on,
            "reason": event.reason,
        },
        entity="ment_stage_event",
    )
    return event.id


@dataclass
class Advance(MentoringChange[list[int]], entity="ment_stage_event"):
    """Move one or many participants of a locality: all move, or none does.

    `versions` (participant ID → the version the user saw) makes a repeated submission a refusal
    instead of a second move."""

    participants: list[Ref[Participant]]
    change: Move
    versions: dict[int, int] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        participant_ids: Iterable[int],
        on: date,
        kind: str = "forward",
        reason: str | None = None,
        stage_code: str | None = None,
        versions: Mapping[int, int] | None = None,
    ) -> Advance:
        refs = [Ref(Participant, int(i)) for i in dict.fromkeys(participant_ids)]
        if not refs:
            raise ValidationError({"participants": "validation.required"})
        return cls(refs, Move(kind, on, reason, stage_code), dict(versions or {}))

    def where(self) -> Ref[Participant]:
        return self.participants[0]

    def run(self, w: Write) -> list[int]:
        return [move(w, w.get(p), self.change, self.versions.get(p.id)) for p in self.participants]


advance = writer(Advance.of)


@dataclass
class RecordMatch(MentoringChange[int], entity="ment_match", at="mentee"):
    """Pair a mentor and a mentee of the same program; optionally move both to 'matched'.

    One active match per mentee is a partial unique index: of two concurrent matches of the same
    mentee, the second fails at the database and is refused here."""

    mentor: Ref[Participant]
    mentee: Ref[Participant]
    started_on: date
    advance_stages: bool = True

    def validate(self, w: Write) -> None:
        mentor, mentee = w.get(self.mentor), w.get(self.mentee)
        if mentor.role != "mentor" or mentee.role != "mentee":
            raise ValidationError({"match": "ment.validation.roles"})
        if mentor.program_id != mentee.program_id:
            raise ValidationError({"match": "ment.validation.same_program"})
        running = w.session.scalar(
            select(func.count())
            .select_from(Match)
            .where(Match.mentee_id == mentee.id, Match.status == "active")
        )
        if running:
            raise ValidationError({"mentee": "ment.validation.already_matched"})

    def run(self, w: Write) -> int:
        mentor, mentee = w.get(self.mentor), w.get(self.mentee)
        match = Match(
            mentor_id=mentor.id, mentee_id=mentee.id, started_on=self.started_on, status="active"
        )
        try:
            w.create(
                match,
                {"mentor": mentor.code, "mentee": mentee.code, "started_on": self.started_on},
            )
        except IntegrityError as exc:
            raise ValidationError({"mentee": "ment.validation.already_matched"}) from exc
        if self.advance_stages:
            for participant in (mentee, mentor):
                stage, last = _state(w.session, participant.id)
                if stage.code in ("accepted", "trained") and last.kind != "drop":
                    move(w, participant, Move("forward", self.started_on, stage_code="matched"))
        return match.id


record_match = writer(RecordMatch.of)


MATCH_END_REASONS = (
    "goals_met",
    "mentee_found_job",
    "mentee_withdrew",
    "mentor_withdrew",
    "no_contact",
    "not_a_fit",
    "other",
)


@dataclass
class EndMatch(MentoringChange[None], entity="ment_match"):
    """End a running match on a date with a reason: the mentor is available again from then.

    `version` is the match's version the user saw (None: the current one)."""

    match: Ref[Match]
    ended_on: date
    status: str
    reason: str | None = None
    version: int | None = None

    def validate(self, w: Write) -> None:
        if self.status not in ("completed", "ended_early"):
            raise ValidationError({"status": "validation.invalid"})
        if self.reason is not None and self.reason not in MATCH_END_REASONS:
            raise ValidationError({"reason": "validation.invalid"})
        match = w.get(self.match)
        stale = self.version is not None and self.version != match.version
        if (
            match.status != "active" and not stale
        ):  # (a stale save is refused as such, by the update)
            raise ValidationError({"match": "ment.validation.match_ended"})
        if self.ended_on < match.started_on:
            raise ValidationError({"date": "ment.validation.date_before_last"})

    def run(self, w: Write) -> None:
        match = w.get(self.match)
        values = {"status": self.status, "ended_on": self.ended_on, "end_reason": self.reason}
        w.update(match, match.version if self.version is None else self.version, values)


end_match = writer(EndMatch.of)


@dataclass
class RecordOutcome(MentoringChange[int], entity="ment_outcome"):
    """An outcome a participant reached (a job, a promotion, ...) on a day."""

    participant: Ref[Participant]
    kind: str
    reached_on: date

    def validate(self, w: Write) -> None:
        if self.kind not in OUTCOME_KINDS:
            raise ValidationError({"kind": "validation.invalid"})

    def run(self, w: Write) -> int:
        participant = w.get(self.participant)
        outcome = Outcome(participant_id=participant.id, kind=self.kind, reached_on=self.reached_on)
        after = {"participant": participant.code, "kind": self.kind, "reached_on": self.reached_on}
        return w.create(outcome, after).id


record_outcome = writer(RecordOutcome.of)


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
