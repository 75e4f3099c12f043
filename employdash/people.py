"""The one register of people: create, edit, deactivate and search a Person of a locality.

One person record serves the forum (members, task owners), the stakeholder map and mentoring, so
a person is entered once. Creating a second "Dana Levi" of the same organisation is usually a
mistake: the save is refused with `LikelyDuplicate` (naming the existing record) unless the user
confirms it is a different person. An organisation is picked from the locality's (or a national
one) or named new, in which case it is created with its sector.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session

from employdash import audit
from employdash.access import Actor, Area, require_read, require_write
from employdash.db import Database, rowcount
from employdash.errors import StaleVersion, ValidationError
from employdash.handed_ids import in_locality
from employdash.models import Organisation, Person, User
from employdash.models.core import SECTORS as SECTORS  # the form offers these

FIELDS = ("full_name", "job_title", "email", "phone", "organisation_id", "active")


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


def validated(data: PersonInput) -> dict[str, Any]:
    """The person's cleaned values, or `ValidationError` naming every field that is wrong."""
    errors: dict[str, str] = {}
    values = {
        "full_name": " ".join((data.full_name or "").split()),
        "job_title": (data.job_title or "").strip() or None,
        "email": (data.email or "").strip() or None,
        "phone": (data.phone or "").strip() or None,
    }
    if not values["full_name"]:
        errors["full_name"] = "validation.required"
    elif len(values["full_name"]) > 160:
        errors["full_name"] = "validation.too_long"
    if values["email"] and ("@" not in values["email"] or len(values["email"]) > 200):
        errors["email"] = "validation.invalid"
    if values["phone"] and len(values["phone"]) > 40:
        errors["phone"] = "validation.too_long"
    if values["job_title"] and len(values["job_title"]) > 160:
        errors["job_title"] = "validation.too_long"
    if data.new_organisation.strip() and data.new_sector not in SECTORS:
        errors["sector"] = "validation.invalid"
    if errors:
        raise ValidationError(errors)
    return values


def _organisation(
    s: Session, actor: Actor, locality_code: int, data: PersonInput
) -> tuple[int | None, dict[str, Any] | None]:
    """The organisation id to store, creating a named new one (returned for the audit)."""
    name = " ".join(data.new_organisation.split())
    if name:
        existing = s.scalar(
            select(Organisation.id).where(
                Organisation.locality_code == locality_code,
                func.lower(Organisation.name) == name.lower(),
            )
        )
        if existing is not None:
            return existing, None
        org = Organisation(name=name[:200], sector=data.new_sector, locality_code=locality_code)
        s.add(org)
        s.flush()
        return org.id, {"id": org.id, "name": org.name, "sector": org.sector}
    if data.organisation_id is not None:
        in_locality(s, actor, Organisation, data.organisation_id, locality_code)
    return data.organisation_id, None


def _duplicates(
    s: Session, locality_code: int, name: str, organisation_id: int | None, skip: int | None
) -> list[int]:
    rows = s.execute(
        select(Person.id, Person.full_name).where(
            Person.locality_code == locality_code,
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
        select(Person.id, Person.full_name).where(Person.locality_code == locality_code)
    )
    return [r.id for r in rows if _norm(r.full_name) == _norm(name)]


def _snapshot(p: Person) -> dict[str, Any]:
    return {f: getattr(p, f) for f in FIELDS}


def create_person(
    db: Database,
    actor: Actor,
    locality_code: int,
    data: PersonInput,
    allow_duplicate: bool = False,
) -> int:
    """A new person of the locality; `LikelyDuplicate` unless the user confirmed a namesake."""
    require_write(actor, Area.PEOPLE, locality_code)
    values = validated(data)
    with db.transaction() as s:
        return add_person(s, actor, locality_code, data, values, allow_duplicate)


def add_person(
    s: Session,
    actor: Actor,
    locality_code: int,
    data: PersonInput,
    values: dict[str, Any],
    allow_duplicate: bool = False,
) -> int:
    """`create_person` inside a caller's transaction (the Users page makes a person and their
    account in one): `values` are `validated(data)`, the caller has checked the actor's right."""
    org_id, new_org = _organisation(s, actor, locality_code, data)
    twins = _duplicates(s, locality_code, values["full_name"], org_id, None)
    if twins and not allow_duplicate:
        raise LikelyDuplicate(twins)
    person = Person(**values, organisation_id=org_id, locality_code=locality_code)
    s.add(person)
    s.flush()
    if new_org:
        audit.record(
            s,
            actor,
            "create",
            "organisation",
            org_id,
            after=new_org,
            locality_code=locality_code,
        )
    audit.record(
        s,
        actor,
        "create",
        "person",
        person.id,
        after=_snapshot(person),
        locality_code=locality_code,
    )
    return person.id


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
    """Edit (or deactivate, `active=False`) a person read at `version`; returns the new version."""
    require_write(actor, Area.PEOPLE, locality_code)
    values = validated(data)
    with db.transaction() as s:
        person = in_locality(s, actor, Person, person_id, locality_code)
        org_id, new_org = _organisation(s, actor, locality_code, data)
        before = _snapshot(person)
        if (
            _norm(values["full_name"]) != _norm(person.full_name)
            or org_id != person.organisation_id
        ):
            twins = _duplicates(s, locality_code, values["full_name"], org_id, person_id)
            if twins and not allow_duplicate:
                raise LikelyDuplicate(twins)
        after = {**values, "organisation_id": org_id, "active": bool(active)}
        result = s.execute(
            update(Person)
            .where(Person.id == person_id, Person.version == version)
            .values(**after, version=version + 1)
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            s.rollback()
            current = s.scalar(select(Person.version).where(Person.id == person_id))
            raise StaleVersion({}, current or version)
        if new_org:
            audit.record(
                s,
                actor,
                "create",
                "organisation",
                org_id,
                after=new_org,
                locality_code=locality_code,
            )
        old, new = audit.changed_fields(before, after)
        audit.record(
            s,
            actor,
            "update",
            "person",
            person_id,
            before=old,
            after=new,
            locality_code=locality_code,
        )
        return version + 1


def deactivate_person(
    db: Database, actor: Actor, locality_code: int, person_id: int, version: int
) -> int:
    """A person who left: kept for the history (meetings, tasks), no longer offered in lists."""
    row = get_person(db, actor, locality_code, person_id)
    data = PersonInput(
        row.full_name, row.job_title or "", row.email or "", row.phone or "", row.organisation_id
    )
    return update_person(
        db, actor, locality_code, person_id, version, data, active=False, allow_duplicate=True
    )


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


def _base() -> Select[Person, str]:
    """People with their organisation's name (None when they have none: an outer join)."""
    return select(Person, Organisation.name.label("organisation")).outerjoin(
        Organisation, Organisation.id == Person.organisation_id
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
    require_read(actor, Area.PEOPLE, locality_code)
    query = _base().where(Person.locality_code == locality_code)
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
    require_read(actor, Area.PEOPLE, locality_code)
    with db.transaction() as s:
        in_locality(s, actor, Person, person_id, locality_code)
        return _rows(s, _base().where(Person.id == person_id))[0]


def organisations(db: Database, actor: Actor, locality_code: int) -> list[OrganisationChoice]:
    """Organisations a person of the locality may belong to: the locality's and national ones."""
    require_read(actor, Area.PEOPLE, locality_code)
    with db.transaction() as s:
        rows = s.scalars(
            select(Organisation)
            .where(
                (Organisation.locality_code == locality_code) | Organisation.locality_code.is_(None)
            )
            .order_by(Organisation.name)
        )
        return [OrganisationChoice(o.id, o.name, o.sector) for o in rows]
