"""Certification of employment promoters: the professional standards (a national list the admin
configures), each trainee's result per standard (pass or fail, a skill-gap note) and the cohort
summary of skill gaps the training centre's management reads.

The summary counts trainees per standard and is small-count suppressed like every aggregate;
the per-trainee results are shown only under pseudonymous codes to managers of the locality.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError

from employdash import audit
from employdash.access import Actor, Area, require_read, require_write
from employdash.config import get_config
from employdash.db import Database, rowcount
from employdash.errors import NotFound, StaleVersion, ValidationError
from employdash.handed_ids import in_scope
from employdash.limits import clean_text
from employdash.models.mentoring import Assessment, Cohort, Participant, Program, Standard
from employdash.privacy import suppress_group, suppress_total


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


def save_standard(
    db: Database,
    actor: Actor,
    code: str,
    name: str,
    active: bool = True,
    position: int | None = None,
    *,
    version: int | None,
) -> int:
    """Add a standard or rename / retire one by its code (the list is national: admins).

    `version` is the version of the standard with this code the admin saw (None: there was
    none, so this adds it). A save over a version someone else has changed meanwhile, or adding
    a code someone else has just added, is refused with what they changed (`StaleVersion`)."""
    require_write(actor, Area.CATALOGUE)
    code = code.strip()
    cleaned = clean_text(name, "name", 200)
    errors = {}
    if not code.isidentifier() or len(code) > 30:
        errors["code"] = "validation.invalid"
    if not cleaned:
        errors["name"] = "validation.required"
    if errors:
        raise ValidationError(errors)
    with db.transaction() as s:
        row = s.scalar(select(Standard).where(Standard.code == code))
        yours = {"name": cleaned, "active": active}
        if row is None and version is None:
            last = s.scalar(select(func.max(Standard.position))) or 0
            new = Standard(
                code=code, name=cleaned, active=active, position=position or last + 1, version=1
            )
            s.add(new)
            try:
                s.flush()
            except IntegrityError as exc:  # the same code added by someone else just now
                raise StaleVersion({"code": (code, code)}, 1) from exc
            audit.record(
                s, actor, "create", "ment_standard", new.id, after={"code": code, "name": cleaned}
            )
            return new.id
        if row is None:
            raise NotFound(f"standard {code}")
        before = {"name": row.name, "active": row.active, "position": row.position}
        if row.version != version:
            changes = {k: (before[k], v) for k, v in yours.items() if before[k] != v}
            raise StaleVersion(changes or {"name": (row.name, cleaned)}, row.version)
        values = {**yours, "position": row.position if position is None else position}
        result = s.execute(
            update(Standard)
            .where(Standard.id == row.id, Standard.version == version)
            .values(**values, version=version + 1)
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:  # a writer slipped in between our read and this update
            s.rollback()
            current = s.execute(
                select(Standard.name, Standard.active, Standard.version).where(
                    Standard.id == row.id
                )
            ).first()
            theirs = {"name": current[0], "active": current[1]} if current else before
            raise StaleVersion(
                {k: (theirs[k], v) for k, v in yours.items()}, current[2] if current else 0
            )
        old, new_values = audit.changed_fields(before, values)
        audit.record(s, actor, "update", "ment_standard", row.id, before=old, after=new_values)
        return row.id


def standard_versions(db: Database, actor: Actor) -> dict[str, int]:
    """The version of every standard by its code (retired ones too): what a form drawn now saw."""
    require_read(actor, Area.MENTORING)
    with db.transaction() as s:
        return {
            code: version for code, version in s.execute(select(Standard.code, Standard.version))
        }


def record_assessment(
    db: Database,
    actor: Actor,
    participant_id: int,
    standard_id: int,
    passed: bool,
    assessed_on: date,
    gap_note: str | None = None,
    version: int | None = None,
) -> int:
    """A trainee's result on one standard; a second result on it replaces the first.

    `version` is the version of the result the user saw (None: there was none). A result saved
    by someone else meanwhile, or a first result on the standard entered by someone else at the
    same moment (one result per trainee and standard), refuses the save (`StaleVersion`). A
    result dated after today is refused."""
    require_write(actor, Area.MENTORING)
    if assessed_on is None or assessed_on > date.today():
        raise ValidationError({"date": "validation.out_of_range"})
    with db.transaction() as s:
        trainee = in_scope(s, actor, Participant, participant_id)
        program = in_scope(s, actor, Program, trainee.program_id)
        require_write(actor, Area.MENTORING, program.locality_code)
        standard = in_scope(s, actor, Standard, standard_id)
        if trainee.role != "trainee":
            raise ValidationError({"participant": "ment.validation.trainee_only"})
        if not standard.active:
            raise NotFound(f"standard {standard_id}")
        values = {
            "passed": bool(passed),
            "gap_note": clean_text(gap_note, "gap_note", 500, multiline=True) or None,
            "assessed_on": assessed_on,
        }
        row = s.scalar(
            select(Assessment).where(
                Assessment.participant_id == trainee.id, Assessment.standard_id == standard.id
            )
        )
        if row is None and version is not None:  # the result the user saw is gone
            raise StaleVersion({"passed": (None, values["passed"])}, 0)
        if row is None:
            row = Assessment(participant_id=trainee.id, standard_id=standard.id, **values)
            s.add(row)
            try:
                s.flush()
            except IntegrityError as exc:  # a first result entered by someone else just now
                raise StaleVersion({"passed": (None, values["passed"])}, 1) from exc
            audit.record(
                s,
                actor,
                "create",
                "ment_assessment",
                row.id,
                after={"participant": trainee.code, "standard": standard.code, **values},
                locality_code=program.locality_code,
            )
            return row.id
        before = {k: getattr(row, k) for k in values}
        changes = {k: (before[k], values[k]) for k in values if before[k] != values[k]}
        if version is None:  # a result was entered since the user looked
            raise StaleVersion(changes, row.version)
        result = s.execute(
            update(Assessment)
            .where(Assessment.id == row.id, Assessment.version == version)
            .values(**values, version=version + 1)
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            raise StaleVersion(changes, row.version)
        old, new = audit.changed_fields(before, values)
        audit.record(
            s,
            actor,
            "update",
            "ment_assessment",
            row.id,
            before={"participant": trainee.code, "standard": standard.code, **old},
            after=new,
            locality_code=program.locality_code,
        )
        return row.id


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
