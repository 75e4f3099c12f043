"""Editing and closing a program, and the people and organisations a program form may name.

A program links to people of its own locality (coordinator, organisation contact, senior sponsor,
TEVET program manager) and a host organisation; the choices offered come from here, and every
save checks the handed IDs again (employdash.handed_ids), so a form cannot reach another locality.
Saves are version-checked in the UPDATE itself: two managers editing one program never silently
overwrite each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from employdash import audit
from employdash.access import Actor, Area, require_read, require_write
from employdash.db import Database, rowcount
from employdash.errors import StaleVersion, ValidationError
from employdash.handed_ids import in_scope
from employdash.mentoring.operations import (
    PROGRAM_PEOPLE,
    check_program_links,
    validate_program,
)
from employdash.models import Organisation, Person
from employdash.models.mentoring import Program

EDITABLE = (
    "name",
    "operating_model",
    "target_population",
    "host_organisation_id",
    *PROGRAM_PEOPLE,
    "started_on",
)


@dataclass(frozen=True)
class Choice:
    """One entry of a picker: an id and the text to show (a person's or organisation's name)."""

    id: int
    label: str


def people_choices(db: Database, actor: Actor, locality_code: int) -> list[Choice]:
    """People of the locality a program may name (names only, for managers of the locality)."""
    require_write(actor, Area.MENTORING, locality_code)
    with db.transaction() as s:
        rows = s.execute(
            select(Person.id, Person.full_name)
            .where(Person.locality_code == locality_code)
            .order_by(Person.full_name)
        )
        return [Choice(i, n) for i, n in rows]


def organisation_choices(db: Database, actor: Actor, locality_code: int) -> list[Choice]:
    """Organisations of the locality, and national ones (shared by design)."""
    require_write(actor, Area.MENTORING, locality_code)
    with db.transaction() as s:
        rows = s.execute(
            select(Organisation.id, Organisation.name)
            .where(
                or_(
                    Organisation.locality_code == locality_code,
                    Organisation.locality_code.is_(None),
                )
            )
            .order_by(Organisation.name)
        )
        return [Choice(i, n) for i, n in rows]


class ProgramDetail(TypedDict):
    """A program as the edit form reads it: its editable values, where it is, and its version."""

    id: int
    version: int
    locality_code: int
    kind: str
    name: str
    operating_model: str
    target_population: str
    host_organisation_id: int | None
    coordinator_person_id: int | None
    contact_person_id: int | None
    sponsor_person_id: int | None
    tevet_manager_person_id: int | None
    started_on: date | None
    closed_on: date | None


def _snapshot(p: Program) -> dict[str, Any]:
    return {f: getattr(p, f) for f in EDITABLE} | {"closed_on": p.closed_on}


def _program(s: Session, actor: Actor, program_id: int) -> Program:
    require_write(actor, Area.MENTORING)
    program = in_scope(s, actor, Program, program_id)
    require_write(actor, Area.MENTORING, program.locality_code)
    return program


def _save(
    s: Session, actor: Actor, program: Program, version: int, values: dict[str, Any], action: str
) -> int:
    before = _snapshot(program)
    if program.version != version:
        changes = {k: (before[k], values.get(k)) for k in values if before.get(k) != values.get(k)}
        raise StaleVersion(changes, program.version)
    result = s.execute(
        update(Program)
        .where(Program.id == program.id, Program.version == version)
        .values(**values, version=version + 1)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:  # a writer slipped in between the read and this update
        current = s.scalar(select(Program.version).where(Program.id == program.id))
        raise StaleVersion({}, int(current or version))
    old, new = audit.changed_fields(before, {**before, **values})
    audit.record(
        s,
        actor,
        action,
        "ment_program",
        program.id,
        before=old,
        after=new,
        locality_code=program.locality_code,
    )
    return version + 1


def update_program(
    db: Database, actor: Actor, program_id: int, version: int, values: dict[str, Any]
) -> int:
    """Save the program's editable fields read at `version`; returns the new version."""
    values = {k: v for k, v in values.items() if k in EDITABLE}
    with db.transaction() as s:
        program = _program(s, actor, program_id)
        if program.closed_on is not None:
            raise ValidationError({"program": "ment.validation.program_closed"})
        merged = {**_snapshot(program), **values}
        values["name"] = validate_program(
            merged["name"], merged["operating_model"], merged["target_population"], program.kind
        )
        check_program_links(
            s,
            actor,
            program.locality_code,
            merged["host_organisation_id"],
            {k: merged[k] for k in PROGRAM_PEOPLE},
        )
        return _save(s, actor, program, version, values, "update")


def close_program(
    db: Database, actor: Actor, program_id: int, version: int, closed_on: date
) -> int:
    """Close a program on a date: it stays in every figure but takes no new participants."""
    with db.transaction() as s:
        program = _program(s, actor, program_id)
        if program.closed_on is not None:
            raise ValidationError({"program": "ment.validation.program_closed"})
        if program.started_on is not None and closed_on < program.started_on:
            raise ValidationError({"date": "ment.validation.date_before_last"})
        return _save(s, actor, program, version, {"closed_on": closed_on, "active": False}, "close")


def program_detail(db: Database, actor: Actor, program_id: int) -> ProgramDetail:
    """The program's editable values and version, for the edit form."""
    require_read(actor, Area.MENTORING)
    with db.transaction() as s:
        p = in_scope(s, actor, Program, program_id)
        return ProgramDetail(
            id=p.id,
            version=p.version,
            locality_code=p.locality_code,
            kind=p.kind,
            name=p.name,
            operating_model=p.operating_model,
            target_population=p.target_population,
            host_organisation_id=p.host_organisation_id,
            coordinator_person_id=p.coordinator_person_id,
            contact_person_id=p.contact_person_id,
            sponsor_person_id=p.sponsor_person_id,
            tevet_manager_person_id=p.tevet_manager_person_id,
            started_on=p.started_on,
            closed_on=p.closed_on,
        )
