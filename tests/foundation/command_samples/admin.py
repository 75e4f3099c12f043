"""Samples of the accounts', people's and served localities' commands (the admin's and, for
people, the manager's)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from employdash import localities, people, users
from employdash.access import Actor
from employdash.commands import Command
from employdash.db import Database
from employdash.models import Locality, Organisation, Person, User
from tests.foundation.command_samples import SEDEROT, first, sample

PASSWORD = "a-long-enough-password"


def _without_account(db: Database) -> int:
    """A person of Sederot no account is linked to."""
    taken = select(User.person_id).where(User.person_id.is_not(None))
    return first(db, Person, Person.locality_code == SEDEROT, Person.id.not_in(taken))


def _user(db: Database, username: str) -> tuple[int, int]:
    with db.transaction() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        return user.id, user.version


@sample("employdash.users.CreateUser")
def _create_user(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    form = users.UserForm(
        "noa.levi", "Noa Levi", "member", (SEDEROT,), "noa@example.org", PASSWORD,
        person_id=_without_account(db),
    )  # fmt: skip
    return users.CreateUser.of(form)


@sample("employdash.users.CreateUserWithPerson")
def _create_user_with_person(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    form = users.UserForm("dan.cohen", "Dan Cohen", "member", (SEDEROT,), None, PASSWORD)
    org = first(db, Organisation, Organisation.locality_code == SEDEROT)
    person = people.PersonInput("Dan Cohen", "Job coach", "dan@example.org", "08-1234567", org)
    return users.CreateUserWithPerson.of(form, SEDEROT, person)


@sample("employdash.users.UpdateUser")
def _update_user(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    user_id, version = _user(db, "member")
    form = users.UserForm("member", "Renamed Member", "member", (SEDEROT,), "m@example.org")
    return users.UpdateUser.of(user_id, version, form, active=True)


@sample("employdash.users.LinkPerson")
def _link_person(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    user_id, version = _user(db, "member")
    return users.LinkPerson.of(user_id, version, _without_account(db))


@sample("employdash.users.ResetPassword")
def _reset_password(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return users.ResetPassword.of(_user(db, "member")[0], PASSWORD)


@sample("employdash.people.CreatePerson")
def _create_person(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    org = first(db, Organisation, Organisation.locality_code == SEDEROT)
    data = people.PersonInput("Rina Peretz", "Employer liaison", "rina@example.org", "", org)
    return people.CreatePerson.of(SEDEROT, data)


@sample("employdash.people.UpdatePerson")
def _update_person(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    org = first(db, Organisation, Organisation.locality_code == SEDEROT)
    with db.transaction() as s:
        person = s.get_one(Person, _without_account(db))
        data = people.PersonInput(person.full_name, "New title", "", "", org)
        return people.UpdatePerson.of(person.id, person.version, data, allow_duplicate=True)


@sample("employdash.localities.EnableLocalities")
def _enable(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    with db.transaction() as s:  # Sederot, as if it was not served yet
        s.execute(update(Locality).where(Locality.code == SEDEROT).values(is_program=False))
    return localities.EnableLocalities.of([SEDEROT])


@sample("employdash.localities.DisableLocality")
def _disable(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    with db.transaction() as s:  # a locality served, with no forum or user yet
        code = s.scalars(select(Locality.code).where(Locality.is_program.is_(False))).first()
        assert code is not None
        s.execute(update(Locality).where(Locality.code == code).values(is_program=True))
    return localities.DisableLocality.of(code)
