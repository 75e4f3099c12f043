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
from sqlalchemy import select
from sqlalchemy.orm import Session

from employdash.access import Actor, Area, read_scope
from employdash.commands import Ref, Write, ids, ref
from employdash.db import Database
from employdash.errors import ValidationError
from employdash.models import SECTORS, Organisation, Person
from employdash.models.base import utcnow
from employdash.models.stakeholders import ENGAGEMENTS, STANCES, Stakeholder, StakeholderPosition
from employdash.stakeholders.common import (
    StakeholderChange,
    check_choice,
    check_scale,
    quarter_start,
    raise_if,
    stakeholders_named,
)
from employdash.stakeholders.rules import quadrant
from employdash.writers import writer

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


def _validate(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    check_choice(errors, "sector", values["sector"], SECTORS)
    check_scale(errors, "power", values["power"])
    check_scale(errors, "interest", values["interest"])
    check_choice(errors, "stance", values["stance"], STANCES)
    check_choice(errors, "engagement", values["engagement"], ENGAGEMENTS)
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


# The fields that hold another record's ID, and the record each names: handed to the pipeline as
# references, so another locality's person or organisation is refused like a missing one.
_REFERENCES: dict[str, type[Organisation | Person]] = {
    "organisation_id": Organisation,
    "person_id": Person,
    "owner_person_id": Person,
}
_TEXTS = {"role": "stakeholder/role", "notes": "stakeholder/notes"}


def _as_refs(values: dict[str, Any]) -> dict[str, Any]:
    return {k: ref(_REFERENCES[k], v) if k in _REFERENCES else v for k, v in values.items()}


@dataclass
class CreateStakeholder(
    StakeholderChange[int],
    texts={"new_organisation": "organisation/name"} | {f"values.{k}": v for k, v in _TEXTS.items()},
    id_fields={"values": _REFERENCES},
):
    """A new player on the map; a new organisation is created when its name is given."""

    locality_code: int
    values: dict[str, Any]
    new_organisation: str | None = None
    as_of: date | None = None

    @classmethod
    def of(
        cls, locality_code: int, data: StakeholderInput, as_of: date | None = None
    ) -> CreateStakeholder:
        values = asdict(data)
        new_organisation = values.pop("new_organisation")
        return cls(locality_code, _as_refs(values), new_organisation, as_of)

    def run(self, w: Write) -> int:
        values = ids(self.values)
        if self.new_organisation:
            org = w.create(
                Organisation(
                    name=self.new_organisation,
                    sector=values["sector"],
                    locality_code=self.locality_code,
                ),
                {"name": self.new_organisation, "sector": values["sector"]},
                entity="organisation",
            )
            values["organisation_id"] = org.id
        _validate(values)
        row = w.create(Stakeholder(locality_code=self.locality_code, **values), values)
        _snapshot(w.session, row, self.as_of or date.today())
        return row.id


@dataclass
class UpdateStakeholder(
    StakeholderChange[int],
    texts={f"changes.{k}": v for k, v in _TEXTS.items()},
    id_fields={"changes": _REFERENCES},
):
    """Some of the editable fields, read at `version`; returns the new version."""

    stakeholder: Ref[Stakeholder]
    version: int
    changes: dict[str, Any]
    as_of: date | None = None

    @classmethod
    def of(
        cls, stakeholder_id: int, version: int, changes: dict[str, Any], as_of: date | None = None
    ) -> UpdateStakeholder:
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise ValidationError({k: "validation.invalid" for k in sorted(unknown)})
        return cls(Ref(Stakeholder, stakeholder_id), version, _as_refs(dict(changes)), as_of)

    def run(self, w: Write) -> int:
        row = w.get(self.stakeholder)
        changes = ids(self.changes)
        _validate({**_state(row), **changes})
        if w.update(row, self.version, changes):
            _snapshot(w.session, row, self.as_of or date.today())
        return row.version


@dataclass
class MoveStakeholders(StakeholderChange[int]):
    """The grid table's power/interest edits together: all of them, or none when any row was
    changed by someone else since it was read. Returns how many stakeholders moved."""

    locality_code: int
    targets: list[Ref[Stakeholder]]
    edits: list[PositionEdit]
    as_of: date | None = None

    @classmethod
    def of(
        cls, locality_code: int, edits: list[PositionEdit], as_of: date | None = None
    ) -> MoveStakeholders:
        targets = [Ref(Stakeholder, e.stakeholder_id) for e in edits]
        return cls(locality_code, targets, edits, as_of)

    def validate(self, w: Write) -> None:
        errors: dict[str, str] = {}
        for edit in self.edits:
            check_scale(errors, f"{edit.stakeholder_id}.power", edit.power)
            check_scale(errors, f"{edit.stakeholder_id}.interest", edit.interest)
        raise_if(errors)

    def run(self, w: Write) -> int:
        moved = 0
        for target, edit in zip(self.targets, self.edits, strict=True):
            row = w.get(target)
            mine = {"power": edit.power, "interest": edit.interest}
            if w.update(row, edit.version, mine, action="move"):
                _snapshot(w.session, row, self.as_of or date.today())
                moved += 1
        return moved


@dataclass
class DeleteStakeholder(StakeholderChange[None]):
    stakeholder: Ref[Stakeholder]
    version: int

    def run(self, w: Write) -> None:
        row = w.get(self.stakeholder)
        w.delete(row, _state(row), version=self.version)


def options(db: Database, actor: Actor, locality_code: int) -> Options:
    scope = read_scope(actor, Area.STAKEHOLDERS, locality_code)
    with db.transaction() as s:
        orgs = s.execute(
            select(Organisation.id, Organisation.name, Organisation.sector)
            .where(scope.of(Organisation.locality_code))
            .order_by(Organisation.name)
        ).all()
        people = s.execute(
            select(Person.id, Person.full_name, Person.organisation_id)
            .where(scope.of(Person.locality_code))
            .order_by(Person.full_name)
        ).all()
    return Options([OrganisationOption(*r) for r in orgs], [PersonOption(*r) for r in people])


def register(db: Database, actor: Actor, locality_code: int) -> pd.DataFrame:
    """The register as a table: one row per stakeholder, with its quadrant."""
    scope = read_scope(actor, Area.STAKEHOLDERS, locality_code)
    query = stakeholders_named(
        scope,
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


create = writer(CreateStakeholder.of)


update = writer(UpdateStakeholder.of)


move = writer(MoveStakeholders.of)


delete = writer(DeleteStakeholder.of)
