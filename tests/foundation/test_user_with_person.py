"""An account and the person it is, made and linked in one transaction, on SQLite and PostgreSQL:
audited, all or nothing, duplicates refused with their reasons, only admins."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from employdash import people, users
from employdash.access import Actor
from employdash.db import Database
from employdash.errors import PermissionDenied, ValidationError
from employdash.models import AuditEntry, Person, User
from tests.support.present import present

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

SEDEROT, NETIVOT = 1031, 246
PASSWORD = "a long enough password"


def _form(
    username: str, name: str = "Noa Member", localities: tuple[int, ...] = (SEDEROT,)
) -> users.UserForm:
    return users.UserForm(username, name, "member", localities, "noa@example.org", PASSWORD)


def _counts(db: Database) -> tuple[int, int]:
    with db.transaction() as s:
        return (
            s.scalar(select(func.count()).select_from(User)) or 0,
            s.scalar(select(func.count()).select_from(Person)) or 0,
        )


def test_one_form_makes_the_person_the_account_and_the_link(
    db: Database, actors: dict[str, Actor]
) -> None:
    admin = actors["admin"]
    uid, pid = users.create_user_with_person(
        db,
        admin,
        _form("noa"),
        SEDEROT,
        people.PersonInput("Noa Member", "Coordinator", "noa@example.org", "050-7"),
    )
    row = next(u for u in users.list_users(db, admin) if u["id"] == uid)
    assert row["person_id"] == pid and row["localities"] == [SEDEROT]
    person = people.get_person(db, admin, SEDEROT, pid)
    assert (person.full_name, person.job_title, person.users) == (
        "Noa Member",
        "Coordinator",
        ["noa"],
    )
    assert present(users.load_actor(db, "noa")).person_id == pid  # the member sees their own tasks
    with db.transaction() as s:
        audited = s.execute(
            select(AuditEntry.entity, AuditEntry.entity_id, AuditEntry.username).where(
                AuditEntry.action == "create",
                ((AuditEntry.entity == "person") & (AuditEntry.entity_id == str(pid)))
                | ((AuditEntry.entity == "user") & (AuditEntry.entity_id == str(uid))),
            )
        ).all()
    assert {(e, i) for e, i, _ in audited} == {("person", str(pid)), ("user", str(uid))}
    assert {a for _, _, a in audited} == {"admin"}


def test_a_refusal_of_either_part_leaves_neither(db: Database, actors: dict[str, Actor]) -> None:
    admin = actors["admin"]
    before = _counts(db)
    with pytest.raises(ValidationError) as both:  # every problem at once
        users.create_user_with_person(
            db,
            admin,
            users.UserForm("admin", "Dup", "member", (SEDEROT,), None, "short"),
            SEDEROT,
            people.PersonInput("Dup", email="not-an-email"),
        )
    assert both.value.fields == {
        "username": "admin.users.username_taken",
        "password": "validation.weak_password",
        "email": "validation.email",
    }
    with pytest.raises(ValidationError) as outside:  # a member of Sederot, a person of Netivot
        users.create_user_with_person(
            db, admin, _form("noa"), NETIVOT, people.PersonInput("Noa Member")
        )
    assert outside.value.fields == {"person": "admin.users.person_outside"}
    assert _counts(db) == before


def test_a_likely_namesake_is_refused_unless_confirmed(
    db: Database, actors: dict[str, Actor]
) -> None:
    admin = actors["admin"]
    existing = people.create_person(  # in an organisation: the new person names none
        db, admin, SEDEROT, people.PersonInput("Dana Twin", new_organisation="Sapir College")
    )
    before = _counts(db)
    with pytest.raises(people.LikelyDuplicate) as twin:
        users.create_user_with_person(
            db, admin, _form("dana", "Dana Twin"), SEDEROT, people.PersonInput("dana  twin")
        )
    assert twin.value.existing == [existing]
    assert _counts(db) == before  # nothing made: pick the existing person instead, or confirm
    _, pid = users.create_user_with_person(
        db,
        admin,
        _form("dana", "Dana Twin"),
        SEDEROT,
        people.PersonInput("Dana Twin"),
        allow_duplicate=True,
    )
    assert pid != existing and _counts(db) == (before[0] + 1, before[1] + 1)


def test_an_existing_person_gets_one_account_only(db: Database, actors: dict[str, Actor]) -> None:
    admin = actors["admin"]
    pid = people.create_person(db, admin, SEDEROT, people.PersonInput("Once Only"))
    users.create_user(db, admin, users.UserForm(**{**_form("once").__dict__, "person_id": pid}))
    with pytest.raises(ValidationError) as taken:
        users.create_user(
            db, admin, users.UserForm(**{**_form("twice").__dict__, "person_id": pid})
        )
    assert taken.value.fields == {"person": "admin.users.person_taken"}
    assert taken.value.field_params == {"person": {"username": "once"}}


@pytest.mark.parametrize("user", ["manager", "mayor", "member"])
def test_only_admins_make_accounts(db: Database, actors: dict[str, Actor], user: str) -> None:
    """Managers manage people, not accounts: the combined form is the admin's."""
    with pytest.raises(PermissionDenied):
        users.create_user_with_person(
            db, actors[user], _form("nobody"), SEDEROT, people.PersonInput("Nobody")
        )
