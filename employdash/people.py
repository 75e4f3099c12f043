"""The one register of people: create, edit, deactivate and search a Person of a locality.

One person record serves the forum (members, task owners), the stakeholder map and mentoring, so
a person is entered once. Creating a second "Dana Levi" of the same organisation is usually a
mistake: the save is refused with `LikelyDuplicate` (naming the existing record) unless the user
confirms it is a different person. An organisation is picked from the locality's (or a national
one) or named new, in which case it is created with its sector.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.orm import Session

from employdash.access import Actor, Area, ReadScope, only, read_scope
from employdash.addresses import address_problem
from employdash.commands import Command, Ref, Write, execute, ref
from employdash.db import Database
from employdash.errors import ValidationError
from employdash.handed_ids import in_locality
from employdash.models import Organisation, Person, User
from employdash.models.core import SECTORS as SECTORS  # the form offers these
from employdash.models.forum import Attendance, Invitee, Membership, Task, Team
from employdash.models.mail import MailPreference
from employdash.models.mentoring import Program
from employdash.models.stakeholders import Stakeholder
from employdash.trash import Link, keep

FIELDS = ("full_name", "job_title", "email", "phone", "organisation_id", "active")
TEXTS = {
    "full_name": "person/full_name",
    "job_title": "person/job_title",
    "email": "person/email",
    "phone": "person/phone",
    "new_organisation": "organisation/name",
}


class LikelyDuplicate(ValidationError):
    """A person of the same name and organisation exists in the locality."""

    message_key = "people.duplicate"

    def __init__(self, existing: list[int]) -> None:
        super().__init__({"full_name": "people.duplicate"})
        self.existing = existing


@dataclass
class PersonInput:
    full_name: str
    job_title: str = ""
    email: str = ""
    phone: str = ""
    organisation_id: int | None = None
    new_organisation: str = ""  # a name: created in the locality with `new_sector`
    new_sector: str = "municipality"


@dataclass(frozen=True)
class PersonRow:
    id: int
    full_name: str
    job_title: str | None
    organisation_id: int | None
    organisation: str | None
    email: str | None
    phone: str | None
    active: bool
    version: int
    locality_code: int | None
    users: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class OrganisationChoice:
    id: int
    name: str
    sector: str


def _norm(text: str) -> str:
    return " ".join((text or "").split()).casefold()


class Contact:
    """Mixed into a form's fields with a name and an e-mail address (a person's, an account's)."""

    full_name: str
    email: str | None

    def contact_errors(self) -> dict[str, str]:
        """The name is required; the address is refused when it is not one, else kept in its
        normal form."""
        errors: dict[str, str] = {}
        if not self.full_name:
            errors["full_name"] = "validation.required"
        self.email, problem = address_problem(self.email)
        if problem:
            errors["email"] = problem
        return errors


@dataclass
class PersonDetails(Contact):
    """What a person form enters (its texts bounded by `TEXTS` in the command that carries it)."""

    full_name: str
    job_title: str | None
    email: str | None
    phone: str | None
    organisation: Ref[Organisation] | None
    new_organisation: str | None
    new_sector: str
    allow_duplicate: bool

    @staticmethod
    def details(data: PersonInput, allow_duplicate: bool) -> dict[str, Any]:
        """The fields of a command carrying a person, from the form's input."""
        return {
            "full_name": data.full_name,
            "job_title": data.job_title,
            "email": data.email,
            "phone": data.phone,
            "organisation": ref(Organisation, data.organisation_id),
            "new_organisation": data.new_organisation,
            "new_sector": data.new_sector,
            "allow_duplicate": allow_duplicate,
        }

    def person_errors(self) -> dict[str, str]:
        """What is wrong with the person's fields beyond their length (checked by the pipeline)."""
        self.full_name = " ".join((self.full_name or "").split())
        errors = self.contact_errors()
        if self.new_organisation and self.new_sector not in SECTORS:
            errors["sector"] = "validation.invalid"
        return errors

    def validate(self, w: Write) -> None:
        """The command's rule (a command carrying more than a person checks more)."""
        if errors := self.person_errors():
            raise ValidationError(errors)

    def values(self, w: Write, locality_code: int) -> dict[str, Any]:
        """The person's stored values, creating a named new organisation (audited)."""
        return {
            "full_name": self.full_name,
            "job_title": self.job_title,
            "email": self.email,
            "phone": self.phone,
            "organisation_id": self._organisation_id(w, locality_code),
        }

    def _organisation_id(self, w: Write, locality_code: int) -> int | None:
        name = " ".join((self.new_organisation or "").split())
        if not name:
            chosen = w.get_optional(self.organisation)
            return None if chosen is None else chosen.id
        existing = w.session.scalar(
            select(Organisation.id).where(
                only(locality_code).of(Organisation.locality_code),
                func.lower(Organisation.name) == name.lower(),
            )
        )
        if existing is not None:
            return existing
        org = Organisation(name=name, sector=self.new_sector, locality_code=locality_code)
        w.create(org, {"name": name, "sector": self.new_sector}, entity="organisation")
        return org.id

    def refuse_namesakes(self, twins: list[int]) -> None:
        if twins and not self.allow_duplicate:
            raise LikelyDuplicate(twins)


def _duplicates(
    s: Session, locality_code: int, name: str, organisation_id: int | None, skip: int | None
) -> list[int]:
    rows = s.execute(
        select(Person.id, Person.full_name).where(
            only(locality_code).of(Person.locality_code),
            Person.organisation_id.is_(None)
            if organisation_id is None
            else Person.organisation_id == organisation_id,
            Person.id != (skip or -1),
        )
    )
    return [r.id for r in rows if _norm(r.full_name) == _norm(name)]


def namesakes(s: Session, locality_code: int, name: str) -> list[int]:
    """People of the locality with this name in any organisation (or none): an account made
    with a new person names no organisation, so any of them may be the same person."""
    rows = s.execute(
        select(Person.id, Person.full_name).where(only(locality_code).of(Person.locality_code))
    )
    return [r.id for r in rows if _norm(r.full_name) == _norm(name)]


def add_person(w: Write, details: PersonDetails, locality_code: int, namesake_ids: bool) -> int:
    """A new person of the locality, audited; a namesake (in the same organisation, or in any
    with `namesake_ids`) is refused unless confirmed as someone else."""
    values = details.values(w, locality_code)
    if namesake_ids:
        twins = namesakes(w.session, locality_code, details.full_name)
    else:
        twins = _duplicates(
            w.session, locality_code, details.full_name, values["organisation_id"], None
        )
    details.refuse_namesakes(twins)
    person = Person(**values, locality_code=locality_code)
    w.create(person, {f: getattr(person, f) for f in FIELDS}, entity="person")
    return person.id


R = TypeVar("R")


@dataclass
class PersonChange(
    PersonDetails,
    Command[R],
    area=Area.PEOPLE,
    entity="person",
    texts=TEXTS,
    invalidates=frozenset({Area.PEOPLE, Area.STAKEHOLDERS}),
):
    """What creating and editing a person share: the person's details, their bounds, and the
    people and stakeholder read models refreshed after."""


@dataclass
class CreatePerson(PersonChange[int], at="locality_code"):
    """A new person of the locality; `LikelyDuplicate` unless the user confirmed a namesake."""

    locality_code: int

    @classmethod
    def of(
        cls, locality_code: int, data: PersonInput, allow_duplicate: bool = False
    ) -> CreatePerson:
        return cls(**PersonDetails.details(data, allow_duplicate), locality_code=locality_code)

    def run(self, w: Write) -> int:
        return add_person(w, self, self.locality_code, namesake_ids=False)


@dataclass
class UpdatePerson(PersonChange[int], at="person"):
    """Edit (or deactivate, `active=False`) a person read at `version`; returns the new version."""

    person: Ref[Person]
    version: int
    active: bool

    @classmethod
    def of(
        cls,
        person_id: int,
        version: int,
        data: PersonInput,
        active: bool = True,
        allow_duplicate: bool = False,
    ) -> UpdatePerson:
        details = PersonDetails.details(data, allow_duplicate)
        return cls(**details, person=Ref(Person, person_id), version=version, active=active)

    def run(self, w: Write) -> int:
        person = w.get(self.person)
        code = int(person.locality_code or 0)
        values = self.values(w, code) | {"active": bool(self.active)}
        renamed = _norm(self.full_name) != _norm(person.full_name)
        if renamed or values["organisation_id"] != person.organisation_id:
            twins = _duplicates(
                w.session, code, self.full_name, values["organisation_id"], person.id
            )
            self.refuse_namesakes(twins)
        w.update(person, self.version, values)
        return person.version


@dataclass
class DeletePerson(
    Command[None],
    area=Area.PEOPLE,
    entity="person",
    reason="person/delete_reason",
    invalidates=frozenset({Area.PEOPLE, Area.STAKEHOLDERS, Area.FORUM}),
):
    """Delete a person entered by mistake, read at `version`, with the reason: the person goes
    to the trash with their team memberships, attendance and invitations; the tasks they owned
    and the teams they led are left without (and get them back on a restore). A person an
    account, a stakeholder or a mentoring program names is refused: deactivate them instead."""

    person: Ref[Person]
    version: int
    reason: str | None

    def validate(self, w: Write) -> None:
        pid, s = self.person.id, w.session
        named = (
            select(User.id).where(User.person_id == pid),
            select(Stakeholder.id).where(
                or_(Stakeholder.person_id == pid, Stakeholder.owner_person_id == pid)
            ),
            select(Program.id).where(
                or_(
                    Program.coordinator_person_id == pid,
                    Program.contact_person_id == pid,
                    Program.tevet_manager_person_id == pid,
                    Program.sponsor_person_id == pid,
                )
            ),
        )
        if any(s.execute(query.limit(1)).first() for query in named):
            raise ValidationError({"person": "record.people.in_use"})

    def run(self, w: Write) -> None:
        person, s = w.get(self.person), w.session
        pid = person.id
        owned = list(s.scalars(select(Task.id).where(Task.owner_person_id == pid)))
        led = list(s.scalars(select(Team.id).where(Team.lead_person_id == pid)))
        keep(
            s,
            locality_code=w.locality,
            entity="person",
            entity_id=pid,
            label=person.full_name,
            reason=self.reason,
            deleted_by=w.actor.username,
            tables=[
                (Person, Person.id == pid),
                (Membership, Membership.person_id == pid),
                (Attendance, Attendance.person_id == pid),
                (Invitee, Invitee.person_id == pid),
                (MailPreference, MailPreference.person_id == pid),
            ],
            links=[Link("task", "owner_person_id", owned), Link("team", "lead_person_id", led)],
        )
        s.execute(update(Task).where(Task.id.in_(owned)).values(owner_person_id=None))
        s.execute(update(Team).where(Team.id.in_(led)).values(lead_person_id=None))
        for model in (Membership, Attendance, Invitee, MailPreference):
            s.execute(delete(model).where(model.person_id == pid))
        before = {"full_name": person.full_name, "job_title": person.job_title, "tasks": owned}
        w.delete(person, before, version=self.version, after={"reason": self.reason})


def delete_person(db: Database, actor: Actor, person_id: int, version: int, reason: str) -> None:
    execute(db, actor, DeletePerson.of(person_id, version, reason))


def create_person(
    db: Database,
    actor: Actor,
    locality_code: int,
    data: PersonInput,
    allow_duplicate: bool = False,
) -> int:
    return execute(db, actor, CreatePerson.of(locality_code, data, allow_duplicate)).value


def update_person(
    db: Database,
    actor: Actor,
    locality_code: int,
    person_id: int,
    version: int,
    data: PersonInput,
    active: bool = True,
    allow_duplicate: bool = False,
) -> int:
    """`UpdatePerson` of a person of `locality_code` (another locality's is not found)."""
    get_person(db, actor, locality_code, person_id)
    command = UpdatePerson.of(person_id, version, data, active, allow_duplicate)
    return execute(db, actor, command).value


def deactivate_person(
    db: Database, actor: Actor, locality_code: int, person_id: int, version: int
) -> int:
    """A person who left: kept for the history (meetings, tasks), no longer offered in lists."""
    row = get_person(db, actor, locality_code, person_id)
    data = PersonInput(
        row.full_name, row.job_title or "", row.email or "", row.phone or "", row.organisation_id
    )
    command = UpdatePerson.of(person_id, version, data, active=False, allow_duplicate=True)
    return execute(db, actor, command).value


def _rows(s: Session, query: Select[Person, str]) -> list[PersonRow]:
    people = s.execute(query).all()
    ids = [p.Person.id for p in people]
    logins: dict[int, list[str]] = {}
    for pid, username in s.execute(
        select(User.person_id, User.username).where(User.person_id.in_(ids))
    ):
        if pid is not None:
            logins.setdefault(pid, []).append(username)
    return [
        PersonRow(
            p.Person.id,
            p.Person.full_name,
            p.Person.job_title,
            p.Person.organisation_id,
            p.organisation,
            p.Person.email,
            p.Person.phone,
            p.Person.active,
            p.Person.version,
            p.Person.locality_code,
            logins.get(p.Person.id, []),
        )
        for p in people
    ]


def _base(scope: ReadScope) -> Select[Person, str]:
    """People of the scope with their organisation's name (None when they have none: an outer
    join)."""
    return (
        select(Person, Organisation.name.label("organisation"))
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(scope.of(Person.locality_code))
    )


def search_people(
    db: Database,
    actor: Actor,
    locality_code: int,
    text: str = "",
    include_inactive: bool = False,
    limit: int = 200,
) -> list[PersonRow]:
    """People of the locality whose name, job title, organisation or email contains `text`."""
    query = _base(read_scope(actor, Area.PEOPLE, locality_code))
    needle = (text or "").strip().lower()
    if needle:
        like = f"%{needle}%"
        query = query.where(
            or_(
                func.lower(Person.full_name).like(like),
                func.lower(Person.job_title).like(like),
                func.lower(Organisation.name).like(like),
                func.lower(Person.email).like(like),
            )
        )
    if not include_inactive:
        query = query.where(Person.active.is_(True))
    with db.transaction() as s:
        return _rows(s, query.order_by(Person.full_name, Person.id).limit(limit))


def get_person(db: Database, actor: Actor, locality_code: int, person_id: int) -> PersonRow:
    scope = read_scope(actor, Area.PEOPLE, locality_code)
    with db.transaction() as s:
        in_locality(s, actor, Person, person_id, locality_code)
        return _rows(s, _base(scope).where(Person.id == person_id))[0]


def organisations(db: Database, actor: Actor, locality_code: int) -> list[OrganisationChoice]:
    """Organisations a person of the locality may belong to: the locality's and national ones."""
    scope = read_scope(actor, Area.PEOPLE, locality_code)
    with db.transaction() as s:
        rows = s.scalars(
            select(Organisation)
            .where(scope.of(Organisation.locality_code, national=True))
            .order_by(Organisation.name)
        )
        return [OrganisationChoice(o.id, o.name, o.sector) for o in rows]
