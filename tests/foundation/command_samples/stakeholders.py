"""Samples of the stakeholder register's and network's commands."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from employdash.access import Actor
from employdash.commands import Command
from employdash.db import Database
from employdash.models import Organisation, Person
from employdash.models.stakeholders import Stakeholder, StakeholderRelation
from employdash.stakeholders import network, register
from employdash.stakeholders.register import PositionEdit, StakeholderInput
from tests.foundation.command_samples import SEDEROT, first, sample


def stakeholder(db: Database) -> tuple[int, int]:
    """The first stakeholder of Sederot and its version."""
    with db.transaction() as s:
        row = s.scalars(
            select(Stakeholder).where(Stakeholder.locality_code == SEDEROT).order_by(Stakeholder.id)
        ).first()
        assert row is not None
        return row.id, row.version


@sample("employdash.stakeholders.register.CreateStakeholder")
def _create(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    person = first(db, Person, Person.locality_code == SEDEROT)
    org = first(db, Organisation, Organisation.locality_code == SEDEROT)
    data = StakeholderInput(organisation_id=org, person_id=person, role="Head", notes="Met twice")
    return register.CreateStakeholder.of(SEDEROT, data)


@sample("employdash.stakeholders.register.UpdateStakeholder")
def _update(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    sid, version = stakeholder(db)
    person = first(db, Person, Person.locality_code == SEDEROT)
    changes = {"power": 5, "notes": "Keen", "owner_person_id": person}
    return register.UpdateStakeholder.of(sid, version, changes)


@sample("employdash.stakeholders.register.MoveStakeholders")
def _move(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    sid, version = stakeholder(db)
    with db.transaction() as s:
        power = s.get_one(Stakeholder, sid).power
    return register.MoveStakeholders.of(SEDEROT, [PositionEdit(sid, version, power % 5 + 1, 3)])


@sample("employdash.stakeholders.register.DeleteStakeholder")
def _delete(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return register.DeleteStakeholder.of(*stakeholder(db))


def _two_stakeholders(db: Database) -> tuple[int, int]:
    with db.transaction() as s:
        first, second = s.scalars(
            select(Stakeholder.id)
            .where(Stakeholder.locality_code == SEDEROT)
            .order_by(Stakeholder.id)
            .limit(2)
        ).all()
    return first, second


@sample("employdash.stakeholders.network.AddRelation")
def _relate(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    source, target = _two_stakeholders(db)
    with db.transaction() as s:
        s.execute(delete(StakeholderRelation).where(StakeholderRelation.source_id == source))
    return network.AddRelation.of(SEDEROT, source, target, "funds", "Pays the hall")


@sample("employdash.stakeholders.network.DeleteRelation")
def _unrelate(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    relation = first(db, StakeholderRelation, StakeholderRelation.locality_code == SEDEROT)
    return network.DeleteRelation.of(relation)
