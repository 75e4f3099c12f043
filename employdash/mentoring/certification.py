"""Certification of employment promoters: the professional standards (a national list the admin
configures), each trainee's result per standard (pass or fail, a skill-gap note) and the cohort
summary of skill gaps the training centre's management reads.

The summary counts trainees per standard and is small-count suppressed like every aggregate;
the per-trainee results are shown only under pseudonymous codes to managers of the locality.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError

from employdash.access import Actor, Area, require_read
from employdash.commands import Ref, Write
from employdash.config import get_config
from employdash.db import Database
from employdash.errors import NotFound, ValidationError
from employdash.handed_ids import in_scope
from employdash.mentoring.operations import CatalogueChange, MentoringChange, SavesStored
from employdash.models.mentoring import Assessment, Cohort, Participant, Program, Standard
from employdash.privacy import suppress_group, suppress_total
from employdash.writers import reading_writer

Unique = TypeVar("Unique", Standard, Assessment)  # one per code; one per trainee and standard


@dataclass(frozen=True)
class StandardInfo:
    id: int
    code: str
    name: str
    position: int
    active: bool


@dataclass(frozen=True)
class AssessmentRow:
    id: int
    version: int
    standard_id: int
    passed: bool
    gap_note: str | None
    assessed_on: date


@dataclass(frozen=True)
class GapRow:
    """Per standard within a cohort: trainees assessed, passed, failed (None = suppressed)."""

    standard_id: int
    standard: str
    assessed: int | None
    passed: int | None
    failed: int | None
    notes: int  # failed results carrying a skill-gap note (suppressed to 0 when failed is)


def standards(db: Database, actor: Actor, include_inactive: bool = False) -> list[StandardInfo]:
    require_read(actor, Area.MENTORING)
    query = select(Standard).order_by(Standard.position, Standard.id)
    if not include_inactive:
        query = query.where(Standard.active.is_(True))
    with db.transaction() as s:
        return [StandardInfo(r.id, r.code, r.name, r.position, r.active) for r in s.scalars(query)]


def first_of_its_kind(w: Write, row: Unique, after: dict[str, Any], **key: Any) -> int:
    """Add `row`, the one record of its kind with the values `key` (a standard per code, a result
    per trainee and standard). When someone else added that record just now, the database refuses
    the second and so does this save, naming what they saved. The row and its audit are written
    in a savepoint, so it must be the command's only write: with SQLite's driver the savepoint is
    the transaction itself."""
    try:
        with w.session.begin_nested():
            w.create(row, after)
    except IntegrityError:
        theirs = w.session.scalar(select(type(row)).filter_by(**key))
        if theirs is None:
            raise
        # A save "over version 0": every stored version is newer, so this is refused as stale.
        w.update(theirs, 0, {k: v for k, v in after.items() if hasattr(theirs, k)})
        raise
    return row.id


@dataclass
class SaveStandard(
    SavesStored,
    CatalogueChange[int],
    entity="ment_standard",
    texts={"code": "mentoring/standard_code", "name": "mentoring/standard_name"},
):
    """Add a standard or rename / retire one by its code (the list is national: admins).

    `version` is the version of the standard the admin saw (None: there was none, so this adds
    it). A save over a version someone else has changed meanwhile, or adding a code someone else
    has just added, is refused with what they changed (`StaleVersion`)."""

    code: str | None
    name: str | None
    active: bool = True
    position: int | None = None
    version: int | None = None
    stored: Ref[Standard] | None = None

    def key(self) -> dict[str, Any]:
        return {"code": (self.code or "").strip()}

    def validate(self, w: Write) -> None:
        errors = {}
        if not self.code or not self.code.isidentifier():
            errors["code"] = "validation.invalid"
        if not self.name:
            errors["name"] = "validation.required"
        if errors:
            raise ValidationError(errors)
        if self.stored is None and self.version is not None:  # the one the admin saw is gone
            raise NotFound(f"standard {self.code}")

    def run(self, w: Write) -> int:
        values: dict[str, Any] = {"name": self.name, "active": self.active}
        if self.position is not None:
            values["position"] = self.position
        row = w.get_optional(self.stored)
        if row is not None:
            w.update(row, self.version or 0, values)
            return row.id
        last = w.session.scalar(select(func.max(Standard.position))) or 0
        new = Standard(code=self.code, **{"position": last + 1, **values})
        return first_of_its_kind(w, new, {"code": self.code, **values}, code=self.code)


save_standard = reading_writer(SaveStandard.of)


def standard_versions(db: Database, actor: Actor) -> dict[str, int]:
    """The version of every standard by its code (retired ones too): what a form drawn now saw."""
    require_read(actor, Area.MENTORING)
    with db.transaction() as s:
        return {
            code: version for code, version in s.execute(select(Standard.code, Standard.version))
        }


@dataclass
class RecordAssessment(
    SavesStored,
    MentoringChange[int],
    entity="ment_assessment",
    texts={"gap_note": "mentoring/gap_note"},
):
    """A trainee's result on one standard; a second result on it replaces the first.

    `version` is the version of the result the user saw (None: there was none). A result saved by
    someone else meanwhile, or a first result on the standard entered by someone else at the same
    moment (one result per trainee and standard), refuses the save (`StaleVersion`). A result
    dated after today is refused. The standards are national: any active one may be named."""

    participant: Ref[Participant]
    standard_id: int
    passed: bool
    assessed_on: date
    gap_note: str | None = None
    version: int | None = None
    stored: Ref[Assessment] | None = None

    def key(self) -> dict[str, Any]:
        return {"participant_id": self.participant.id, "standard_id": self.standard_id}

    def validate(self, w: Write) -> None:
        if self.assessed_on is None or self.assessed_on > date.today():
            raise ValidationError({"date": "validation.out_of_range"})
        if w.get(self.participant).role != "trainee":
            raise ValidationError({"participant": "ment.validation.trainee_only"})
        standard = w.session.get(Standard, self.standard_id)
        if standard is None or not standard.active:
            raise NotFound(f"standard {self.standard_id}")
        assessment = w.get_optional(self.stored)
        if assessment is not None and (
            assessment.participant_id,
            assessment.standard_id,
        ) != (self.participant.id, self.standard_id):
            raise ValidationError({"assessment": "validation.invalid"})
        if self.stored is None and self.version is not None:  # the result seen is gone
            raise NotFound(f"assessment of {self.participant.id} on {self.standard_id}")

    def run(self, w: Write) -> int:
        values = {
            "passed": bool(self.passed),
            "gap_note": self.gap_note,
            "assessed_on": self.assessed_on,
        }
        row = w.get_optional(self.stored)
        if row is not None:
            w.update(row, self.version or 0, values)
            return row.id
        trainee, standard = w.get(self.participant), w.session.get_one(Standard, self.standard_id)
        new = Assessment(participant_id=trainee.id, standard_id=standard.id, **values)
        after = {"participant": trainee.code, "standard": standard.code, **values}
        return first_of_its_kind(w, new, after, participant_id=trainee.id, standard_id=standard.id)


record_assessment = reading_writer(RecordAssessment.of)


def assessments(db: Database, actor: Actor, participant_id: int) -> list[AssessmentRow]:
    """One trainee's results (managers of the locality)."""
    require_read(actor, Area.PARTICIPANTS)
    with db.transaction() as s:
        trainee = in_scope(s, actor, Participant, participant_id)
        program = in_scope(s, actor, Program, trainee.program_id)
        require_read(actor, Area.PARTICIPANTS, program.locality_code)
        return [
            AssessmentRow(r.id, r.version, r.standard_id, r.passed, r.gap_note, r.assessed_on)
            for r in s.scalars(
                select(Assessment).where(Assessment.participant_id == participant_id)
            )
        ]


def cohort_gaps(db: Database, actor: Actor, cohort_id: int) -> list[GapRow]:
    """Per standard: how many of the cohort's trainees were assessed, passed and failed."""
    require_read(actor, Area.MENTORING)
    threshold = int(get_config().SUPPRESSION_THRESHOLD)
    with db.transaction() as s:
        cohort = in_scope(s, actor, Cohort, cohort_id)
        program = in_scope(s, actor, Program, cohort.program_id)
        require_read(actor, Area.MENTORING, program.locality_code)
        counts = {
            sid: (int(n), int(ok or 0), int(noted or 0))
            for sid, n, ok, noted in s.execute(
                select(
                    Assessment.standard_id,
                    func.count(),
                    func.sum(case((Assessment.passed.is_(True), 1), else_=0)),
                    func.sum(
                        case(
                            (
                                Assessment.passed.is_(False) & Assessment.gap_note.is_not(None),
                                1,
                            ),
                            else_=0,
                        )
                    ),
                )
                .join(Participant, Participant.id == Assessment.participant_id)
                .where(Participant.cohort_id == cohort.id)
                .group_by(Assessment.standard_id)
            )
        }
        listed = list(s.scalars(select(Standard).order_by(Standard.position, Standard.id)))
    rows = []
    for st in listed:
        if st.id not in counts and not st.active:
            continue
        n, ok, noted = counts.get(st.id, (0, 0, 0))
        split = suppress_group({"passed": ok, "failed": n - ok}, threshold)
        failed = split["failed"]
        rows.append(
            GapRow(
                st.id,
                st.name,
                suppress_total(n, threshold),
                split["passed"],
                failed,
                noted if failed is not None else 0,
            )
        )
    return rows
