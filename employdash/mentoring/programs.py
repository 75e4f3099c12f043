"""Editing and closing a program, and the people and organisations a program form may name.

A program links to people of its own locality (coordinator, organisation contact, senior sponsor,
TEVET program manager) and a host organisation; the choices offered come from here, and every
save is a command whose handed IDs the pipeline resolves again, so a form cannot reach another
locality. Saves name the version read: two managers editing one program never silently overwrite
each other.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, TypedDict, cast

from sqlalchemy import select

from employdash.access import Actor, Area, only, require_read
from employdash.commands import ChangeAtVersion, Ref, Write, execute
from employdash.db import Database
from employdash.errors import PermissionDenied, ValidationError
from employdash.handed_ids import in_scope
from employdash.mentoring.operations import (
    PROGRAM_PEOPLE,
    MentoringChange,
    ProgramChange,
    program_info,
    program_refs,
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


def _require_program_writer(actor: Actor, locality_code: int) -> None:
    """The pickers are part of the program form: only who may save it reads their names."""
    if not actor.can_write(Area.MENTORING, locality_code):
        raise PermissionDenied(f"{actor.username} may not edit programs of {locality_code}")


def people_choices(db: Database, actor: Actor, locality_code: int) -> list[Choice]:
    """People of the locality a program may name (names only, for managers of the locality)."""
    _require_program_writer(actor, locality_code)
    with db.transaction() as s:
        rows = s.execute(
            select(Person.id, Person.full_name)
            .where(only(locality_code).of(Person.locality_code))
            .order_by(Person.full_name)
        )
        return [Choice(i, n) for i, n in rows]


def organisation_choices(db: Database, actor: Actor, locality_code: int) -> list[Choice]:
    """Organisations of the locality, and national ones (shared by design)."""
    _require_program_writer(actor, locality_code)
    with db.transaction() as s:
        rows = s.execute(
            select(Organisation.id, Organisation.name)
            .where(only(locality_code).of(Organisation.locality_code, national=True))
            .order_by(Organisation.name)
        )
        return [Choice(i, n) for i, n in rows]


class ProgramDetail(TypedDict):
    """A program as the edit form reads it: its editable values, where it is, and its version
    (the fields of `ProgramInfo`, as the mapping the form keeps)."""

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


def _open(program: Program) -> Program:
    """The program, refused once closed: a closed program takes no change."""
    if program.closed_on is not None:
        raise ValidationError({"program": "ment.validation.program_closed"})
    return program


@dataclass
class UpdateProgram(ChangeAtVersion[Program], ProgramChange[int]):
    """Save the editable fields of an open program read at `version`; the people and
    organisation it names are of its own locality (a national organisation is shared by
    design). Returns the new version."""

    model = Program
    editable = EDITABLE

    @classmethod
    def handed(cls, values: dict[str, Any]) -> dict[str, Any]:
        return program_refs(values)

    def validate(self, w: Write) -> None:
        program = _open(w.get(self.record))
        merged = {**_snapshot(program), **self.values}
        validate_program(
            merged["name"], merged["operating_model"], merged["target_population"], program.kind
        )


@dataclass
class CloseProgram(MentoringChange[int], entity="ment_program"):
    """Close an open program read at `version` on a date: it stays in every figure but takes no
    new participants. Returns the new version."""

    program: Ref[Program]
    version: int
    closed_on: date = field(default_factory=date.today)

    def validate(self, w: Write) -> None:
        started = _open(w.get(self.program)).started_on
        if started is not None and self.closed_on < started:
            raise ValidationError({"date": "ment.validation.date_before_last"})

    def run(self, w: Write) -> int:
        program = w.get(self.program)
        values = {"closed_on": self.closed_on, "active": False}
        w.update(program, self.version, values, action="close")
        return program.version


def update_program(
    db: Database, actor: Actor, program_id: int, version: int, values: dict[str, Any]
) -> int:
    return execute(db, actor, UpdateProgram.of(program_id, version, values)).value


def close_program(
    db: Database, actor: Actor, program_id: int, version: int, closed_on: date
) -> int:
    return execute(db, actor, CloseProgram.of(program_id, version, closed_on)).value


def program_detail(db: Database, actor: Actor, program_id: int) -> ProgramDetail:
    """The program's editable values and version, for the edit form."""
    require_read(actor, Area.MENTORING)
    with db.transaction() as s:
        return cast(ProgramDetail, asdict(program_info(in_scope(s, actor, Program, program_id))))
