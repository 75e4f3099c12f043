"""Users, roles, scope and login throttling, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import bcrypt
import pytest
from argon2 import Type, extract_parameters
from sqlalchemy import select, update

from employdash import logins, users
from employdash.access import Actor
from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied, ValidationError
from employdash.models import AuditEntry, LoginThrottle, User
from employdash.models.base import utcnow
from tests.support.present import present

ROOT = Path(__file__).resolve().parents[2]


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
    assert actors["mayor"].role == "leadership" and actors["mayor"].localities == frozenset({1031})
    assert actors["manager"].localities == frozenset({1031, 246})
    assert actors["member"].role == "member" and actors["member"].person_id is not None


# --- password hashing: Argon2id at OWASP's parameters, bcrypt hashes from before still work ---

OWASP_PREFIX = "$argon2id$v=19$m=19456,t=2,p=1$"


def _bcrypt(password: str) -> str:
    """A hash as the app made them before Argon2id (cost 4 here only to keep the test quick)."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(4)).decode("ascii")


def _stored_hash(db: Database, username: str) -> str:
    with db.transaction() as s:
        hashed = s.scalar(select(User.password_hash).where(User.username == username))
    assert hashed is not None
    return hashed


def _set_hash(db: Database, username: str, hashed: str) -> None:
    with db.transaction() as s:
        s.execute(update(User).where(User.username == username).values(password_hash=hashed))


def test_a_new_hash_is_argon2id_at_owasps_parameters(
    db: Database, actors: dict[str, Actor]
) -> None:
    hashed = users.hash_password("  long-enough-pw ")  # the form strips spaces: so does hashing
    params = extract_parameters(hashed)
    assert (params.type, params.memory_cost, params.time_cost, params.parallelism) == (
        Type.ID,
        19456,
        2,
        1,
    )
    assert hashed.startswith(OWASP_PREFIX)
    assert users.check_password("long-enough-pw", hashed)
    assert not users.needs_rehash(hashed)
    assert users.rehash_for("long-enough-pw", hashed) is None
    # What the services store: a created user and a reset password.
    form = users.UserForm("new.hash", "x", "member", (1031,), None, "long-enough-pw")
    uid = users.create_user(db, actors["admin"], form)
    assert _stored_hash(db, "new.hash").startswith(OWASP_PREFIX)
    users.reset_password(db, actors["admin"], uid, "another-long-pw")
    assert _stored_hash(db, "new.hash").startswith(OWASP_PREFIX)
    assert users.check_password("another-long-pw", _stored_hash(db, "new.hash"))


def test_seeded_test_users_have_cheap_argon2id_hashes(db: Database) -> None:
    creds = users.authenticator_credentials(db)["usernames"]
    assert set(creds) >= {"admin", "mayor", "manager", "member"}
    for entry in creds.values():
        assert entry["password"].startswith("$argon2id$v=19$m=8,t=1,p=1$")
        assert users.check_password("demo", entry["password"])
        assert not users.check_password("Demo", entry["password"])
        assert users.needs_rehash(entry["password"])  # upgraded at the first login


@pytest.mark.parametrize("scheme", ["argon2id", "argon2id-cheap", "bcrypt"])
def test_right_and_wrong_passwords_for_each_hash_format(scheme: str) -> None:
    hashed = {
        "argon2id": lambda: users.hash_password("the right one"),
        "argon2id-cheap": lambda: users.hash_password("the right one", users.CHEAP),
        "bcrypt": lambda: _bcrypt("the right one"),
    }[scheme]()
    assert users.check_password("the right one", hashed)
    for wrong in ("the wrong one", "The right one", "", "ש" * 40):
        assert not users.check_password(wrong, hashed)
    assert users.needs_rehash(hashed) is (scheme != "argon2id")


def test_a_malformed_hash_refuses_every_password() -> None:
    for hashed in ("", "demo", "$2b$12$short", "$argon2id$v=19$m=8,t=1,p=1$broken"):
        assert not users.check_password("demo", hashed)
        assert users.hash_scheme(hashed) in ("unknown", "bcrypt")


def test_demo_password_check_sees_both_formats(db: Database) -> None:
    assert users.demo_credentials_in_use(db)  # the seeded Argon2id hashes
    for name in ("admin", "mayor", "manager", "member", "programme"):
        _set_hash(db, name, users.hash_password("not the demo one", users.CHEAP))
    assert not users.demo_credentials_in_use(db)
    _set_hash(db, "member", _bcrypt("demo"))  # an old database's demo password
    assert users.demo_credentials_in_use(db)


@pytest.mark.parametrize("old", ["bcrypt", "argon2id-cheap"])
def test_a_login_over_an_outdated_hash_stores_an_owasp_one_with_its_audit_row(
    db: Database, old: str
) -> None:
    before = _bcrypt("demo") if old == "bcrypt" else users.hash_password("demo", users.CHEAP)
    _set_hash(db, "member", before)
    rehash = users.rehash_for("demo", before)
    assert rehash is not None and "$" not in repr(rehash)  # no hash in a log line either
    version = logins.record_login(db, "member", succeeded=True, rehash=rehash)
    assert version == users.session_version(db, "member")  # the login itself as before
    after = _stored_hash(db, "member")
    assert after.startswith(OWASP_PREFIX) and after == rehash.new
    assert users.check_password("demo", after) and not users.check_password("Demo", after)
    with db.transaction() as s:
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.entity_id == "member").order_by(AuditEntry.id)
        ).all()
    assert [e.action for e in entries] == ["login", "rehash_password"]
    scheme = "bcrypt" if old == "bcrypt" else "argon2id m=8,t=1,p=1"
    assert entries[1].before == {"password": scheme}
    assert entries[1].after == {"password": "argon2id m=19456,t=2,p=1"}
    assert entries[1].username == "member"
    logged = repr([(e.before, e.after) for e in entries])
    assert before not in logged and after not in logged and "$2b$" not in logged
    # Current now: the next login replaces nothing.
    assert users.rehash_for("demo", after) is None


def test_a_rehash_never_overwrites_a_password_reset_meanwhile(
    db: Database, actors: dict[str, Actor]
) -> None:
    """The login checked the old hash; an admin resets the password before the login is
    recorded: the new password stays, the old one's upgrade is dropped, nothing is audited."""
    old = _stored_hash(db, "member")
    rehash = users.rehash_for("demo", old)
    assert rehash is not None
    users.reset_password(db, actors["admin"], actors["member"].user_id, "the-new-password")
    logins.record_login(db, "member", succeeded=True, rehash=rehash)
    assert users.check_password("the-new-password", _stored_hash(db, "member"))
    assert not users.check_password("demo", _stored_hash(db, "member"))
    assert "rehash_password" not in _audit_actions(db, "member")


def test_a_failed_login_stores_no_rehash(db: Database) -> None:
    old = _stored_hash(db, "member")
    rehash = users.rehash_for("demo", old)
    logins.record_login(db, "member", succeeded=False, rehash=rehash)
    assert _stored_hash(db, "member") == old
    assert _audit_actions(db, "member") == ["login_failed"]


def test_failures_lock_the_username_in_the_database(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOCKOUT_ATTEMPTS", "3")
    from employdash.config import get_config

    get_config.cache_clear()
    try:
        for _ in range(2):
            logins.record_login(db, "member", succeeded=False)
        assert not users.is_locked(db, "member")
        logins.record_login(db, "member", succeeded=False)
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
    logins.record_login(db, "mayor", succeeded=False)
    logins.record_login(db, "mayor", succeeded=True)
    with db.transaction() as s:
        assert present(s.get(LoginThrottle, "mayor")).failures == 0
    assert _audit_actions(db, "mayor")[-1] == "login"


def test_admin_manages_users_and_everything_is_audited(
    db: Database, actors: dict[str, Actor]
) -> None:
    admin = actors["admin"]
    new_id = users.create_user(
        db,
        admin,
        users.UserForm(
            "referent.ofakim", "רפרנטית אופקים", "manager", (31,), None, "long-enough-pw"
        ),
    )
    actor = users.load_actor(db, "referent.ofakim")
    assert actor is not None and actor.localities == frozenset({31}) and actor.role == "manager"

    users.update_user(
        db,
        admin,
        new_id,
        users.UserForm("referent.ofakim", "רפרנטית אופקים", "manager", (31, 1031), None),
        active=False,
        version=1,
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
        assert entries[1].before == {"active": True, "locality_codes": [31], "session_version": 1}
        assert entries[1].after == {
            "active": False,
            "locality_codes": [31, 1031],
            "session_version": 2,
        }
        assert all(e.username == "admin" for e in entries)
        assert [e.locality_code for e in entries] == [31, None, None]  # its only locality
        assert "another-long-pw" not in str(entries[2].after) and "$argon2" not in str(entries)


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (users.UserForm("ab", "x", "member", (1031,), None, "long-enough-pw"), "username"),
        (users.UserForm("manager", "x", "member", (1031,), None, "long-enough-pw"), "username"),
        (users.UserForm("newuser", "", "member", (1031,), None, "long-enough-pw"), "full_name"),
        (users.UserForm("newuser", "x", "boss", (1031,), None, "long-enough-pw"), "role"),
        (users.UserForm("newuser", "x", "member", (), None, "long-enough-pw"), "localities"),
        (users.UserForm("newuser", "x", "member", (1031,), None, "short"), "password"),
    ],
)
def test_bad_user_input_is_refused_with_the_field(
    db: Database, actors: dict[str, Actor], form: users.UserForm, field: str
) -> None:
    with pytest.raises(ValidationError) as err:
        users.create_user(db, actors["admin"], form)
    assert field in err.value.fields
    assert users.load_actor(db, "newuser") is None


def test_a_locality_not_in_the_catalogue_is_not_found(
    db: Database, actors: dict[str, Actor]
) -> None:
    form = users.UserForm("newuser", "x", "member", (999999,), None, "long-enough-pw")
    with pytest.raises(NotFound):
        users.create_user(db, actors["admin"], form)
    assert users.load_actor(db, "newuser") is None


@pytest.mark.parametrize("who", ["mayor", "manager", "member"])
def test_only_admins_administer(db: Database, actors: dict[str, Actor], who: str) -> None:
    with pytest.raises(PermissionDenied):
        users.list_users(db, actors[who])
    with pytest.raises(PermissionDenied):
        users.create_user(
            db, actors[who], users.UserForm("sneaky", "x", "admin", (), None, "long-enough-pw")
        )
    with pytest.raises(PermissionDenied):
        users.reset_password(db, actors[who], actors["admin"].user_id, "long-enough-pw")


def test_language_is_remembered_per_user(db: Database, actors: dict[str, Actor]) -> None:
    logins.set_language(db, actors["member"], "en")
    assert present(users.load_actor(db, "member")).language == "en"
    assert present(users.load_actor(db, "manager")).language == "he"
    with pytest.raises(ValidationError):
        logins.set_language(db, actors["member"], "fr")


# --- passwords beyond 72 bytes (bcrypt's limit, kept: see users.MAX_PASSWORD_BYTES) ---------

HEBREW_40 = "ש" * 40  # 80 bytes in UTF-8
HEBREW_36 = "ש" * 36  # exactly 72 bytes


def test_a_password_over_72_bytes_is_a_clear_validation_error(
    db: Database, actors: dict[str, Actor]
) -> None:
    admin = actors["admin"]
    form = users.UserForm("long.pw", "x", "member", (1031,), None, HEBREW_40)
    with pytest.raises(ValidationError) as err:
        users.create_user(db, admin, form)
    assert err.value.fields == {"password": "validation.password_too_long"}
    assert users.load_actor(db, "long.pw") is None
    with pytest.raises(ValidationError) as err:
        users.reset_password(db, admin, actors["member"].user_id, "a" * 73)
    assert err.value.fields == {"password": "validation.password_too_long"}


def test_a_72_byte_hebrew_password_works(db: Database, actors: dict[str, Actor]) -> None:
    admin = actors["admin"]
    form = users.UserForm("hebrew.pw", "x", "member", (1031,), None, HEBREW_36)
    users.create_user(db, admin, form)
    hashed = users.authenticator_credentials(db)["usernames"]["hebrew.pw"]["password"]
    assert users.check_password(HEBREW_36, hashed)
    assert not users.check_password(HEBREW_40, hashed)  # no crash on a long attempt either


# --- the lock-out is counted by the database, atomically -------------------------------------

# Each process says it is ready once its imports are done, then waits for the word to go: all
# fire at once however long the imports took (a start time fixed in advance waited 3 s in vain on
# a quiet machine and passed before the imports ended on a loaded one).
_HAMMER = """
import sys
from employdash.db import Database
from employdash import logins
url, n = sys.argv[1], int(sys.argv[2])
db = Database(url)
print("ready", flush=True)
sys.stdin.readline()
for _ in range(n):
    logins.record_login(db, "manager", succeeded=False)
db.dispose()
"""


def test_parallel_failures_on_several_processes_cannot_outrun_the_lock(db: Database) -> None:
    processes, each, limit = 4, 25, 5
    env = {**os.environ, "LOCKOUT_ATTEMPTS": str(limit), "DEMO_MODE": "false"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _HAMMER, db.url, str(each)],
            env=env,
            cwd=os.environ.get("HAMMER_CODE", ROOT),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(processes)
    ]
    for proc in procs:
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"ready\n", proc.communicate()[1].decode()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(b"go\n")
        proc.stdin.flush()
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    with db.transaction() as s:
        entries = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity_id == "manager", AuditEntry.action.like("login_%"))
            .order_by(AuditEntry.id)
        ).all()
    failed = [present(e.after)["failures"] for e in entries if e.action == "login_failed"]
    # Every one of the 20 failures was counted once: the counts 1..5 each appear 4 times, and
    # exactly 4 locks were taken (a read-modify-write counter loses increments here).
    assert len(failed) == processes * each
    assert sorted(failed) == sorted(list(range(1, limit + 1)) * (processes * each // limit))
    assert sum(e.action == "login_locked" for e in entries) == processes * each // limit
    assert users.is_locked(db, "manager")


# --- revocable sessions ---------------------------------------------------------------------


def _version(db: Database, username: str) -> int:
    version = users.session_version(db, username)
    assert version is not None
    return version


def test_a_session_lives_only_at_the_current_version(
    db: Database, actors: dict[str, Actor]
) -> None:
    v = _version(db, "member")
    assert users.resume_session(db, "member", v) == actors["member"]
    assert users.resume_session(db, "member", v - 1) is None
    assert users.resume_session(db, "member", None) is None
    assert users.resume_session(db, "member", "1") is None
    assert users.resume_session(db, "nobody", v) is None
    assert logins.record_login(db, "member", succeeded=True) == v  # a login does not revoke


def test_logout_ends_every_session_of_the_user(db: Database, actors: dict[str, Actor]) -> None:
    v = _version(db, "member")
    logins.record_logout(db, actors["member"])
    assert users.resume_session(db, "member", v) is None
    assert users.resume_session(db, "member", v + 1) is not None
    assert _version(db, "manager") == v  # others are untouched
    other = Database(db.url)  # another replica sees it at once
    assert users.resume_session(other, "member", v) is None
    other.dispose()


def _record_version(db: Database, user_id: int) -> int:
    """The account's record version (what an edit form reads)."""
    with db.transaction() as s:
        return s.get_one(User, user_id).version


def test_reset_role_change_and_deactivation_revoke_sessions(
    db: Database, actors: dict[str, Actor]
) -> None:
    admin, member = actors["admin"], actors["member"]
    v = _version(db, "member")
    users.reset_password(db, admin, member.user_id, "a-new-long-password")
    assert users.resume_session(db, "member", v) is None
    v = _version(db, "member")
    same = users.UserForm("member", "חבר חדש", "member", (1031,), "m@example.org")
    saved = _record_version(db, member.user_id)
    saved = users.update_user(db, admin, member.user_id, same, active=True, version=saved)
    assert _version(db, "member") == v  # a new name does not log anyone out
    promoted = users.UserForm("member", "חבר חדש", "manager", (1031,), "m@example.org")
    saved = users.update_user(db, admin, member.user_id, promoted, active=True, version=saved)
    assert users.resume_session(db, "member", v) is None
    v = _version(db, "member")
    users.update_user(db, admin, member.user_id, promoted, active=False, version=saved)
    assert users.resume_session(db, "member", v) is None
    assert users.session_version(db, "member") is None  # inactive: no session at all


def test_update_user_refuses_a_save_over_a_stale_version(
    db: Database, actors: dict[str, Actor]
) -> None:
    """Two admins edit the same account: the second save, read at the old version, is refused
    and changes nothing: the first admin's save is never silently overwritten."""
    from employdash.errors import StaleVersion

    admin, member = actors["admin"], actors["member"]
    row = next(u for u in users.list_users(db, admin) if u["id"] == member.user_id)
    seen = row["version"]
    first = users.UserForm("member", "First admin's name", "member", (1031,), "m@example.org")
    users.update_user(db, admin, member.user_id, first, active=True, version=seen)
    second = users.UserForm("member", "Second admin's name", "member", (1031,), "x@example.org")
    with pytest.raises(StaleVersion):
        users.update_user(db, admin, member.user_id, second, active=True, version=seen)
    row = next(u for u in users.list_users(db, admin) if u["id"] == member.user_id)
    assert (row["full_name"], row["email"], row["version"]) == (
        "First admin's name",
        "m@example.org",
        seen + 1,
    )
