"""Helpers for the stakeholder tests: a locality with no demo data, where figures are known."""

from __future__ import annotations

from datetime import date

import pytest

from employdash.access import Actor
from employdash.db import Database
from employdash.models import Organisation, Person
from employdash.models.forum import Forum, Membership, Team
from employdash.stakeholders import register as stakeholders
from employdash.stakeholders.register import StakeholderInput

EMPTY = 5000  # Tel Aviv: not a program locality, so the demo seeds nothing there


@pytest.fixture
def empty_code() -> int:
    return EMPTY


def add_org(db: Database, name: str, sector: str, code: int = EMPTY) -> int:
    with db.transaction() as s:
        org = Organisation(name=name, sector=sector, locality_code=code)
        s.add(org)
        s.flush()
        return org.id


def add_person(db: Database, name: str, org_id: int, code: int = EMPTY) -> int:
    with db.transaction() as s:
        person = Person(full_name=name, organisation_id=org_id, locality_code=code)
        s.add(person)
        s.flush()
        return person.id


def add_stakeholder(
    db: Database,
    actor: Actor,
    name: str,
    sector: str,
    power: int,
    interest: int,
    code: int = EMPTY,
    last_contact: date | None = None,
    engagement: str = "contacted",
    as_of: date | None = None,
) -> int:
    org_id = add_org(db, name, sector, code)
    return stakeholders.create(
        db,
        actor,
        code,
        StakeholderInput(
            organisation_id=org_id,
            sector=sector,
            power=power,
            interest=interest,
            engagement=engagement,
            last_contact=last_contact,
        ),
        as_of=as_of,
    )


def add_forum_members(
    db: Database, person_ids: list[int], code: int = EMPTY, kind: str = "forum"
) -> None:
    with db.transaction() as s:
        forum = Forum(locality_code=code, name="פורום בדיקה")
        s.add(forum)
        s.flush()
        team = Team(forum_id=forum.id, kind=kind, name="צוות")
        s.add(team)
        s.flush()
        s.add_all([Membership(team_id=team.id, person_id=p) for p in person_ids])
