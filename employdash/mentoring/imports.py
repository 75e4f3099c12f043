"""Importing mentoring participants and their stage events from CSV or Excel.

One row is one stage event: code, stage, date (and kind, reason). A code not yet stored is a new
participant, whose first row must also give role, program and population (age band and cohort
are optional). `plan_import` is the preview: rows read, participants and events to add, and the
rejected rows with their line number and reason; `ImportParticipants` (through `commit_import`)
re-plans the read file inside one transaction and writes every accepted row, or nothing at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypedDict

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from employdash.access import Actor, Area
from employdash.commands import Ref, Write, execute
from employdash.db import Database
from employdash.errors import PermissionDenied, ValidationError
from employdash.i18n import t
from employdash.limits import FIELDS, clean_text, strip_controls
from employdash.mentoring import state as spans
from employdash.mentoring.operations import (
    DROP_REASONS,
    PIPELINE_OF_ROLE,
    MentoringChange,
    NewParticipant,
    add,
    assign,
)
from employdash.models.mentoring import (
    AGE_BANDS,
    EVENT_KINDS,
    POPULATIONS,
    Cohort,
    Participant,
    PipelineStage,
    Program,
    StageEvent,
)
from employdash.reading import read_table, records

# Accepted headers (English and Hebrew) for each field.
HEADERS = {
    "code": ("code", "קוד"),
    "stage": ("stage", "שלב"),
    "date": ("date", "תאריך"),
    "kind": ("kind", "סוג"),
    "reason": ("reason", "סיבה"),
    "role": ("role", "תפקיד"),
    "program": ("program", "תוכנית"),
    "population": ("population", "אוכלוסייה"),
    "age_band": ("age_band", "קבוצת גיל"),
    "cohort": ("cohort", "מחזור"),
}
REQUIRED = ("code", "stage", "date")


@dataclass
class PlannedEvent:
    line: int
    code: str
    stage_id: int
    stage: str
    on: date
    kind: str
    reason: str | None
    locality_code: int | None = None  # the program's locality: where the audit entry goes


class PlannedParticipant(TypedDict):
    """A participant the file introduces, as planned (added on commit before its events)."""

    code: str
    role: str
    program_id: int
    population: str
    age_band: str | None
    cohort_id: int | None
    pipeline: str
    locality_code: int


@dataclass
class ImportPlan:
    rows_read: int = 0
    new_participants: list[PlannedParticipant] = field(default_factory=list)
    events: list[PlannedEvent] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, catalogue key)
    cohort_assignments: dict[str, int] = field(default_factory=dict)  # stored code → cohort
    program_ids: set[int] = field(default_factory=set)  # the programs the accepted rows touch


@dataclass(frozen=True)
class BatchRow:
    line: int
    values: dict[str, str]  # field → cleaned text
    on: date | None  # the row's date, read from text or a spreadsheet's date cell


@dataclass(frozen=True)
class Batch:
    """An uploaded file, read: its rows by field, before any of them is judged."""

    filename: str
    rows: tuple[BatchRow, ...]


def read_batch(filename: str, data: bytes) -> Batch:
    """The file's rows by field (English or Hebrew headers), or ValidationError when it has no
    rows or lacks a required column."""
    table = read_table(filename, data)
    if not table.rows:
        raise ValidationError({"file": "import.error.empty"})
    columns = _field_map(table.header)
    return Batch(
        filename,
        tuple(
            BatchRow(
                line,
                {name: _text(raw.get(column)) for name, column in columns.items()},
                _date(raw.get(columns["date"])),
            )
            for line, raw in records(table)
        ),
    )


def _field_map(header: list[str]) -> dict[str, str]:
    lowered = {h.strip().lower(): h for h in header}
    found = {}
    for name, aliases in HEADERS.items():
        for alias in aliases:
            if alias in lowered:
                found[name] = lowered[alias]
                break
    missing = [n for n in REQUIRED if n not in found]
    if missing:
        raise ValidationError({n: "ment.import.error.missing_column" for n in missing})
    return found


def _text(value: object) -> str:
    return "" if value is None else strip_controls(str(value)).strip()


def _date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


class _Reference:
    """Stages, programs and stored participants, loaded once per plan."""

    def __init__(self, s: Session, actor: Actor) -> None:
        self.stages: dict[tuple[str, str], PipelineStage] = {}
        for st in s.scalars(select(PipelineStage)):
            names = (st.code, t(st.name_key, "he"), t(st.name_key, "en"), st.label, st.label_en)
            for label in filter(None, names):
                self.stages[(st.pipeline_code, label.strip().lower())] = st
        self.programs: dict[str, Program] = {}
        for p in s.scalars(select(Program)):
            if actor.can_write(Area.MENTORING, p.locality_code):
                self.programs[str(p.id)] = p
                self.programs[p.name.strip().lower()] = p
        self.cohorts = {
            (c.program_id, c.name.strip().lower()): c for c in s.scalars(select(Cohort))
        }
        self.session = s
        self.stored: dict[str, tuple[int, int | None]] = {}  # code → (program, cohort)

    def participant(self, code: str) -> tuple[str, int, date | None, str | None] | None:
        """(pipeline, program locality, last event date, last kind) of a stored code."""
        row = self.session.execute(
            select(
                Participant.pipeline_code,
                Program.locality_code,
                Participant.id,
                Participant.program_id,
                Participant.cohort_id,
            )
            .join(Program, Program.id == Participant.program_id)
            .where(Participant.code == code)
        ).first()
        if row is None:
            return None
        last = self.session.execute(
            select(StageEvent.occurred_on, StageEvent.kind)
            .where(StageEvent.participant_id == row.id)
            .order_by(StageEvent.occurred_on.desc(), StageEvent.id.desc())
            .limit(1)
        ).first()
        self.stored[code] = (row.program_id, row.cohort_id)
        return row.pipeline_code, row.locality_code, *(last or (None, None))


def _new_participant(ref: _Reference, code: str, row: dict[str, str]) -> PlannedParticipant | str:
    role = row.get("role", "").lower()
    program = ref.programs.get(row.get("program", "").lower())
    population = row.get("population", "").lower()
    age = row.get("age_band") or None
    if role not in PIPELINE_OF_ROLE:
        return "ment.import.error.role"
    if program is None:
        return "ment.import.error.program"
    if population not in POPULATIONS:
        return "ment.import.error.population"
    if age is not None and age not in AGE_BANDS:
        return "ment.import.error.age_band"
    cohort = None
    if row.get("cohort"):
        found = ref.cohorts.get((program.id, row["cohort"].lower()))
        if found is None:
            return "ment.import.error.cohort"
        cohort = found.id
    return PlannedParticipant(
        code=code,
        role=role,
        program_id=program.id,
        population=population,
        age_band=age,
        cohort_id=cohort,
        pipeline=PIPELINE_OF_ROLE[role],
        locality_code=program.locality_code,
    )


def _plan(s: Session, actor: Actor, batch: Batch) -> ImportPlan:
    ref = _Reference(s, actor)
    plan = ImportPlan()
    # per code: (pipeline, last date, last kind, is new)
    state: dict[str, tuple[str, date | None, str | None]] = {}
    localities: dict[str, int] = {}
    programs: dict[str, int] = {}  # code → its program
    for line, row, on in ((r.line, r.values, r.on) for r in batch.rows):
        plan.rows_read += 1
        code = row["code"]
        if not code or len(code) > FIELDS["mentoring/participant_code"].max_len:
            plan.rejected.append((line, "ment.import.error.code"))
            continue
        if code not in state:
            stored = ref.participant(code)
            if stored is not None:
                pipeline, locality, last_on, last_kind = stored
                if not actor.can_write(Area.MENTORING, locality):
                    plan.rejected.append((line, "ment.import.error.scope"))
                    continue
                state[code] = (pipeline, last_on, last_kind)
                localities[code] = locality
                programs[code] = ref.stored[code][0]
                if row.get("cohort"):
                    program_id, cohort_id = ref.stored[code]
                    found = ref.cohorts.get((program_id, row["cohort"].lower()))
                    if found is None:
                        plan.rejected.append((line, "ment.import.error.cohort"))
                        del state[code]
                        continue
                    if found.id != cohort_id:
                        plan.cohort_assignments[code] = found.id
            else:
                created = _new_participant(ref, code, row)
                if isinstance(created, str):
                    plan.rejected.append((line, created))
                    continue
                plan.new_participants.append(created)
                state[code] = (created["pipeline"], None, None)
                localities[code] = created["locality_code"]
                programs[code] = created["program_id"]
        pipeline, last_on, last_kind = state[code]
        stage = ref.stages.get((pipeline, row["stage"].lower()))
        kind = (row.get("kind") or "forward").lower()
        reason = row.get("reason") or None
        error = None
        if stage is None:
            error = "ment.import.error.stage"
        elif on is None:
            error = "ment.import.error.date"
        elif kind not in EVENT_KINDS:
            error = "ment.import.error.kind"
        elif kind == "drop" and reason not in DROP_REASONS:
            error = "ment.import.error.reason"
        elif last_on is not None and on < last_on:
            error = "ment.import.error.order"
        elif last_on is None and (kind != "forward" or stage.position != 1):
            error = "ment.import.error.first_stage"
        if error:
            plan.rejected.append((line, error))
            continue
        assert stage is not None and on is not None  # an error was set above when either is None
        plan.events.append(
            PlannedEvent(
                line,
                code,
                stage.id,
                stage.code,
                on,
                kind,
                reason if kind == "drop" else None,
                localities[code],
            )
        )
        state[code] = (pipeline, on, kind)
    # a new participant whose every row was rejected is not added
    with_events = {e.code for e in plan.events}
    plan.new_participants = [p for p in plan.new_participants if p["code"] in with_events]
    plan.program_ids = {programs[code] for code in with_events}
    return plan


def _require_importer(actor: Actor) -> None:
    if not actor.can_write(Area.MENTORING):
        raise PermissionDenied(f"{actor.username} may not import mentoring files")


def plan_batch(db: Database, actor: Actor, batch: Batch) -> ImportPlan:
    """The preview of a read file: nothing is written."""
    _require_importer(actor)
    with db.transaction() as s:
        return _plan(s, actor, batch)


def plan_import(db: Database, actor: Actor, filename: str, data: bytes) -> ImportPlan:
    """The preview of an uploaded file: nothing is written."""
    _require_importer(actor)
    return plan_batch(db, actor, read_batch(filename, data))


@dataclass
class ImportParticipants(MentoringChange[ImportPlan], entity="ment_stage_event"):
    """Write every accepted row of a previewed file, re-judged inside the transaction, or none.

    The programs its rows name are handed references, all of one locality (a file naming two
    localities is refused: one file per locality); a row of any other program refuses the commit.
    The import's audit row carries its counts."""

    batch: Batch
    programs: list[Ref[Program]]

    @classmethod
    def of(cls, batch: Batch, plan: ImportPlan) -> ImportParticipants:
        if not plan.events:
            raise ValidationError({"file": "ment.import.error.nothing"})
        if len({e.locality_code for e in plan.events}) > 1:  # one locality's write, one audit row
            raise ValidationError({"file": "ment.import.error.localities"})
        return cls(batch, [Ref(Program, i) for i in sorted(plan.program_ids)])

    def where(self) -> Ref[Program]:
        return self.programs[0]

    def validate(self, w: Write) -> None:
        clean_text(self.batch.filename, "import/filename")  # its audit row names the file

    def run(self, w: Write) -> ImportPlan:
        s = w.session
        plan = _plan(s, w.actor, self.batch)
        handed = {p.id: w.get(p) for p in self.programs}
        if not plan.events or not plan.program_ids <= set(handed):
            raise ValidationError({"file": "ment.import.error.nothing"})
        first_events = {}
        for p in plan.new_participants:
            first = next(e for e in plan.events if e.code == p["code"])
            first_events[p["code"]] = first.line
            cohort = s.get(Cohort, p["cohort_id"]) if p["cohort_id"] else None
            new = NewParticipant(
                p["role"], p["population"], p["age_band"], first.on, p["code"], p["pipeline"]
            )
            add(w, handed[p["program_id"]], cohort, new)
        ids = dict(
            s.execute(
                select(Participant.code, Participant.id).where(
                    Participant.code.in_({e.code for e in plan.events})
                )
            ).all()
        )
        rows = [
            {
                "participant_id": ids[e.code],
                "stage_id": e.stage_id,
                "occurred_on": e.on,
                "kind": e.kind,
                "reason": e.reason,
            }
            for e in plan.events
            if first_events.get(e.code) != e.line
        ]
        if rows:
            s.execute(insert(StageEvent), rows)
        by_cohort: dict[int, list[int]] = {}
        for code, cohort_id in plan.cohort_assignments.items():
            by_cohort.setdefault(cohort_id, []).append(ids[code])
        for cohort_id, members in by_cohort.items():
            participants = s.scalars(select(Participant).where(Participant.id.in_(members)))
            assign(w, s.get_one(Cohort, cohort_id), list(participants))
        spans.refresh(s, ids.values())
        w.audit(
            "import",
            None,  # a file name can be longer than an entity id: it is kept in the values
            after={
                "file": self.batch.filename,
                "rows_read": plan.rows_read,
                "participants": len(plan.new_participants),
                "events": len(plan.events),
                "cohort_assignments": len(plan.cohort_assignments),
                "rejected": len(plan.rejected),
            },
        )
        return plan


def commit_import(db: Database, actor: Actor, filename: str, data: bytes) -> ImportPlan:
    """Preview the file, then write every accepted row in one transaction (re-judged inside)."""
    batch = read_batch(filename, data)
    command = ImportParticipants.of(batch, plan_batch(db, actor, batch))
    return execute(db, actor, command).value
