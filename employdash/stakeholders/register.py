"""The stakeholder register of a locality: add, edit, move on the grid, remove.

Every edit carries the version the user read; a save from a stale version is refused with what
the other person changed (`StaleVersion`), never silently overwritten. Each change of position
also updates this quarter's row in the position history, which is what "where was it last
quarter" reads.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, NamedTuple

import pandas as pd
from sqlalchemy import delete as sql_delete
from sqlalchemy import select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from employdash import audit
from employdash.access import Actor, Area, require_read, require_write
from employdash.db import Database, rowcount
from employdash.errors import StaleVersion, ValidationError
from employdash.handed_ids import in_locality, in_scope
from employdash.limits import clean_text
from employdash.models import SECTORS, Organisation, Person
from employdash.models.base import utcnow
from employdash.models.stakeholders import ENGAGEMENTS, STANCES, Stakeholder, StakeholderPosition
from employdash.stakeholders.common import (
    check_choice,
    check_scale,
    check_text,
    quarter_start,
    raise_if,
    stakeholders_named,
)
from employdash.stakeholders.rules import quadrant

EDITABLE = (
    "organisation_id",
    "person_id",
    "sector",
    "role",
    "power",
    "interest",
    "stance",
    "engagement",
    "owner_person_id",
    "notes",
    "last_contact",
)


@dataclass
class StakeholderInput:
    """What the register form sends; a new organisation is created when its name is given."""

    organisation_id: int | None = None
    new_organisation: str | None = None
    person_id: int | None = None
    sector: str = "municipality"
    role: str | None = None
    power: int = 3
    interest: int = 3
    stance: str = "neutral"
    engagement: str = "not_contacted"
    owner_person_id: int | None = None
    notes: str | None = None
    last_contact: date | None = None


@dataclass(frozen=True)
class PositionEdit:
    """One row of the grid's side table: the new power and interest, with the version read."""

    stakeholder_id: int
    version: int
    power: int
    interest: int


class OrganisationOption(NamedTuple):
    """One organisation the form can pick; a tuple at runtime, so positional readers still work."""

    id: int
    name: str
    sector: str


class PersonOption(NamedTuple):
    """One person the form can pick, with the organisation they belong to (if any)."""

    id: int
    name: str
    organisation_id: int | None


@dataclass
class Options:
    """Choices for the register form within one locality."""

    organisations: list[OrganisationOption] = field(default_factory=list)
    people: list[PersonOption] = field(default_factory=list)


def _state(row: Stakeholder) -> dict[str, Any]:
    return {k: getattr(row, k) for k in EDITABLE}


def _validate(s: Session, code: int, values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    check_choice(errors, "sector", values["sector"], SECTORS)
    check_scale(errors, "power", values["power"])
    check_scale(errors, "interest", values["interest"])
    check_choice(errors, "stance", values["stance"], STANCES)
    check_choice(errors, "engagement", values["engagement"], ENGAGEMENTS)
    values["role"] = check_text(errors, "role", values.get("role"), "stakeholder/role")
    values["notes"] = check_text(errors, "notes", values.get("notes"), "stakeholder/notes")
    if values.get("organisation_id") is None:
        errors["organisation_id"] = "validation.required"
    last = values.get("last_contact")
    if last is not None and last > date.today():
        errors["last_contact"] = "validation.out_of_range"
    raise_if(errors)


def _snapshot(s: Session, row: Stakeholder, as_of: date) -> None:
    """Keep this quarter's review row equal to the latest position within the quarter."""
    period = quarter_start(as_of)
    snap = s.scalar(
        select(StakeholderPosition).where(
            StakeholderPosition.stakeholder_id == row.id,
            StakeholderPosition.review_period == period,
        )
    )
    if snap is None:
        snap = StakeholderPosition(stakeholder_id=row.id, review_period=period)
        s.add(snap)
    snap.power, snap.interest = row.power, row.interest
    snap.stance, snap.engagement = row.stance, row.engagement
    snap.recorded_at = utcnow()


def _handed(s: Session, actor: Actor, code: int, values: dict[str, Any]) -> None:
    """Every ID the form hands in must belong to this very locality (or be a national body):
    another locality's person or organisation gets the same `NotFound` as a missing one."""
    if values.get("organisation_id") is not None:
        in_locality(s, actor, Organisation, values["organisation_id"], code)
    for key in ("person_id", "owner_person_id"):
        if values.get(key) is not None:
            in_locality(s, actor, Person, values[key], code)


def _load(s: Session, actor: Actor, stakeholder_id: int) -> Stakeholder:
    require_write(actor, Area.STAKEHOLDERS)  # the role first: a refused role learns nothing more
    row = in_scope(s, actor, Stakeholder, stakeholder_id)
    require_write(actor, Area.STAKEHOLDERS, row.locality_code)
    return row


def _guarded_update(s: Session, row: Stakeholder, version: int, values: dict[str, Any]) -> int:
    """Write `values` only if the row is still at `version` (the check and the write are one
    statement, so a concurrent save on another replica cannot slip in between); returns the new
    version and refreshes `row`."""
    result = s.execute(
        sql_update(Stakeholder)
        .where(Stakeholder.id == row.id, Stakeholder.version == version)
        .values(**values, version=version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        s.rollback()
        current = s.scalar(select(Stakeholder.version).where(Stakeholder.id == row.id))
        raise StaleVersion({}, current or version)
    s.refresh(row)
    return version + 1


def _check_version(
    row: Stakeholder, version: int, mine: dict[str, Any], theirs: dict[str, Any] | None = None
) -> None:
    if row.version != version:
        current = theirs or _state(row)
        changes = {k: (current.get(k), v) for k, v in mine.items() if current.get(k) != v}
        raise StaleVersion(changes, row.version)


def options(db: Database, actor: Actor, locality_code: int) -> Options:
    require_read(actor, Area.STAKEHOLDERS, locality_code)
    with db.transaction() as s:
        orgs = s.execute(
            select(Organisation.id, Organisation.name, Organisation.sector)
            .where(Organisation.locality_code == locality_code)
            .order_by(Organisation.name)
        ).all()
        people = s.execute(
            select(Person.id, Person.full_name, Person.organisation_id)
            .where(Person.locality_code == locality_code)
            .order_by(Person.full_name)
        ).all()
    return Options([OrganisationOption(*r) for r in orgs], [PersonOption(*r) for r in people])


def register(db: Database, actor: Actor, locality_code: int) -> pd.DataFrame:
    """The register as a table: one row per stakeholder, with its quadrant."""
    require_read(actor, Area.STAKEHOLDERS, locality_code)
    query = stakeholders_named(
        locality_code,
        Stakeholder.sector,
        Stakeholder.role,
        Stakeholder.power,
        Stakeholder.interest,
        Stakeholder.stance,
        Stakeholder.engagement,
        Stakeholder.notes,
        Stakeholder.last_contact,
        Stakeholder.version,
        Stakeholder.organisation_id,
        Stakeholder.person_id,
        Stakeholder.owner_person_id,
    ).order_by(Organisation.name, Stakeholder.id)
    with db.transaction() as s:
        result = s.execute(query)
        frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    if frame.empty:
        return pd.DataFrame(
            columns=[
                "id",
                "organisation",
                "person",
                "sector",
                "role",
                "power",
                "interest",
                "quadrant",
                "stance",
                "engagement",
                "owner",
                "notes",
                "last_contact",
                "version",
            ]
        )
    frame.insert(
        7, "quadrant", [quadrant(p, i) for p, i in zip(frame.power, frame.interest, strict=True)]
    )
    return frame


def create(
    db: Database,
    actor: Actor,
    locality_code: int,
    data: StakeholderInput,
    as_of: date | None = None,
) -> int:
    require_write(actor, Area.STAKEHOLDERS, locality_code)
    values = asdict(data)
    new_org = clean_text(values.pop("new_organisation"), "organisation/name")
    with db.transaction() as s:
        if new_org:
            org = Organisation(name=new_org, sector=values["sector"], locality_code=locality_code)
            s.add(org)
            s.flush()
            values["organisation_id"] = org.id
            audit.record(
                s,
                actor,
                "create",
                "organisation",
                org.id,
                after={"name": new_org, "sector": org.sector},
                locality_code=locality_code,
            )
        _handed(s, actor, locality_code, values)
        _validate(s, locality_code, values)
        row = Stakeholder(locality_code=locality_code, **values)
        s.add(row)
        s.flush()
        _snapshot(s, row, as_of or date.today())
        audit.record(
            s,
            actor,
            "create",
            "stakeholder",
            row.id,
            after=_state(row),
            locality_code=locality_code,
        )
        return row.id


def update(
    db: Database,
    actor: Actor,
    stakeholder_id: int,
    version: int,
    changes: dict[str, Any],
    as_of: date | None = None,
) -> int:
    """Apply `changes` (a subset of the editable fields) read at `version`; returns the new one."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError({k: "validation.invalid" for k in sorted(unknown)})
    with db.transaction() as s:
        row = _load(s, actor, stakeholder_id)
        _check_version(row, version, changes)
        before = _state(row)
        values = {**before, **changes}
        _handed(s, actor, row.locality_code, changes)
        _validate(s, row.locality_code, values)
        old, new = audit.changed_fields(before, {k: values[k] for k in EDITABLE})
        if not new:
            return row.version
        new_version = _guarded_update(s, row, version, new)
        _snapshot(s, row, as_of or date.today())
        audit.record(
            s,
            actor,
            "update",
            "stakeholder",
            row.id,
            before=old,
            after=new,
            locality_code=row.locality_code,
        )
        return new_version


def move(
    db: Database,
    actor: Actor,
    locality_code: int,
    edits: list[PositionEdit],
    as_of: date | None = None,
) -> int:
    """Save the grid table's power/interest edits together: all of them, or none when any row
    was changed by someone else since it was read. Returns how many stakeholders moved."""
    require_write(actor, Area.STAKEHOLDERS, locality_code)
    errors: dict[str, str] = {}
    for edit in edits:
        check_scale(errors, f"{edit.stakeholder_id}.power", edit.power)
        check_scale(errors, f"{edit.stakeholder_id}.interest", edit.interest)
    raise_if(errors)
    moved = 0
    with db.transaction() as s:
        for edit in edits:
            row = in_locality(s, actor, Stakeholder, edit.stakeholder_id, locality_code)
            mine = {"power": edit.power, "interest": edit.interest}
            _check_version(row, edit.version, mine)
            before = {"power": row.power, "interest": row.interest}
            if before == mine:
                continue
            _guarded_update(s, row, edit.version, mine)
            _snapshot(s, row, as_of or date.today())
            audit.record(
                s,
                actor,
                "move",
                "stakeholder",
                row.id,
                before=before,
                after=mine,
                locality_code=locality_code,
            )
            moved += 1
    return moved


def delete(db: Database, actor: Actor, stakeholder_id: int, version: int) -> None:
    with db.transaction() as s:
        row = _load(s, actor, stakeholder_id)
        _check_version(row, version, {})
        before = _state(row)
        result = s.execute(
            sql_delete(Stakeholder).where(
                Stakeholder.id == stakeholder_id, Stakeholder.version == version
            )
        )
        if rowcount(result) != 1:
            s.rollback()
            raise StaleVersion({}, version)
        s.expunge(row)
        audit.record(
            s,
            actor,
            "delete",
            "stakeholder",
            stakeholder_id,
            before=before,
            locality_code=row.locality_code,
        )
