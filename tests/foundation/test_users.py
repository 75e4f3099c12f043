"""Users, roles, scope and login throttling, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from employdash import users
from employdash.access import Actor
from employdash.db import Database
from employdash.errors import PermissionDenied, ValidationError
from employdash.models import AuditEntry, LoginThrottle
from employdash.models.base import utcnow


def _audit_actions(db: Database, username: str) -> list[str]:
    with db.transaction() as s:
        return list(
            s.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.entity_id == username)
                .order_by(AuditEntry.id)
            )
        )


def test_demo_users_have_their_roles_and_scope(actors: dict[str, Actor]) -> None:
    assert actors["admin"].role == "admin" and actors["admin"].localities is None
    assert actors["mayor"].role == "leadership" and actors["mayor"].localities == {1031}
    assert actors["manager"].localities == {1031, 246}
    assert actors["member"].role == "member" and actors["member"].person_id is not None


def test_passwords_are_bcrypt_hashes(db: Database) -> None:
    creds = users.authenticator_credentials(db)["usernames"]
    assert set(creds) >= {"admin", "mayor", "manager", "member"}
    for entry in creds.values():
        assert entry["password"].startswith("$2b$")
        assert users.check_password("demo", entry["password"])
        assert not users.check_password("Demo", entry["password"])


def test_failures_lock_the_username_in_the_database(db: Database, monkeypatch) -> None:
    monkeypatch.setenv("LOCKOUT_ATTEMPTS", "3")
    from employdash.config import get_config

    get_config.cache_clear()
    try:
        for _ in range(2):
            users.record_login(db, "member", succeeded=False)
        assert not users.is_locked(db, "member")
        users.record_login(db, "member", succeeded=False)
        assert users.is_locked(db, "member")
        # A locked user is not offered to the authenticator, so even the right password fails.
        assert "member" not in users.authenticator_credentials(db)["usernames"]
        # The lock is state in the database: a second gateway (another replica) sees it too.
        other = Database(db.url)
        assert users.is_locked(other, "member")
        other.dispose()
        assert _audit_actions(db, "member")[-2:] == ["login_failed", "login_locked"]
    finally:
        get_config.cache_clear()


def test_lock_expires_and_success_clears_the_count(db: Database) -> None:
    with db.transaction() as s:
        s.add(
            LoginThrottle(
                username="mayor", failures=0, locked_until=utcnow() - timedelta(minutes=1)
            )
        )
    assert not users.is_locked(db, "mayor")
    users.record_login(db, "mayor", succeeded=False)
    users.record_login(db, "mayor", succeeded=True)
    with db.transaction() as s:
        assert s.get(LoginThrottle, "mayor").failures == 0
    assert _audit_actions(db, "mayor")[-1] == "login"


def test_admin_manages_users_and_everything_is_audited(db: Database, actors) -> None:
    admin = actors["admin"]
    new_id = users.create_user(
        db,
        admin,
        users.UserForm(
            "referent.ofakim", "רפרנטית אופקים", "manager", (31,), None, "long-enough-pw"
        ),
    )
    actor = users.load_actor(db, "referent.ofakim")
    assert actor is not None and actor.localities == {31} and actor.role == "manager"

    users.update_user(
        db,
        admin,
        new_id,
        users.UserForm("referent.ofakim", "רפרנטית אופקים", "manager", (31, 1031), None),
        active=False,
    )
    assert users.load_actor(db, "referent.ofakim") is None  # deactivated
    assert "referent.ofakim" not in users.authenticator_credentials(db)["usernames"]

    users.reset_password(db, admin, new_id, "another-long-pw")
    with db.transaction() as s:
        entries = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "user", AuditEntry.entity_id == str(new_id))
            .order_by(AuditEntry.id)
        ).all()
        assert [e.action for e in entries] == ["create", "update", "reset_password"]
        assert entries[1].before == {"active": True, "localities": [31]}
        assert entries[1].after == {"active": False, "localities": [31, 1031]}
        assert all(e.username == "admin" for e in entries)


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (users.UserForm("ab", "x", "member", (1031,), None, "long-enough-pw"), "username"),
        (users.UserForm("manager", "x", "member", (1031,), None, "long-enough-pw"), "username"),
        (users.UserForm("newuser", "", "member", (1031,), None, "long-enough-pw"), "full_name"),
        (users.UserForm("newuser", "x", "boss", (1031,), None, "long-enough-pw"), "role"),
        (users.UserForm("newuser", "x", "member", (), None, "long-enough-pw"), "localities"),
        (users.UserForm("newuser", "x", "member", (999999,), None, "long-enough-pw"), "localities"),
        (users.UserForm("newuser", "x", "member", (1031,), None, "short"), "password"),
    ],
)
def test_bad_user_input_is_refused_with_the_field(db: Database, actors, form, field) -> None:
    with pytest.raises(ValidationError) as err:
        users.create_user(db, actors["admin"], form)
    assert field in err.value.fields
    assert users.load_actor(db, "newuser") is None


@pytest.mark.parametrize("who", ["mayor", "manager", "member"])
def test_only_admins_administer(db: Database, actors, who: str) -> None:
    with pytest.raises(PermissionDenied):
        users.list_users(db, actors[who])
    with pytest.raises(PermissionDenied):
        users.create_user(
            db, actors[who], users.UserForm("sneaky", "x", "admin", (), None, "long-enough-pw")
        )
    with pytest.raises(PermissionDenied):
        users.reset_password(db, actors[who], actors["admin"].user_id, "long-enough-pw")


def test_language_is_remembered_per_user(db: Database, actors) -> None:
    users.set_language(db, actors["member"], "en")
    assert users.load_actor(db, "member").language == "en"
    assert users.load_actor(db, "manager").language == "he"
    with pytest.raises(ValidationError):
        users.set_language(db, actors["member"], "fr")
