"""Users, login throttling, revocable sessions and the credentials streamlit-authenticator checks.

Credentials live in the database as Argon2id hashes at OWASP's parameters; a bcrypt hash from a
database made before them still logs in and is replaced on that login. The authenticator gets a
fresh dictionary built from the active, unlocked users on every run, so a deactivation or a lock
takes effect at once on every replica. Failed logins are counted by the database itself (one atomic
upsert), so parallel attempts on several replicas cannot outrun the lock-out. Each user has a
session version that is signed into the login cookie and checked on every run; logout, a password
reset, a role change and a deactivation bump it, so every older cookie and open session of that user
ends at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import cache
from typing import Any, TypedDict

import bcrypt
from argon2 import PasswordHasher, Type, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from employdash import audit, people
from employdash.access import (
    ADMIN,
    ROLES,
    Actor,
    Area,
    Scope,
    policy_of,
    require_read,
    require_write,
)
from employdash.config import DEMO_PASSWORD, Config, check_production_safety, get_config
from employdash.db import Database, rowcount
from employdash.errors import NotFound, StaleVersion, ValidationError
from employdash.models import Locality, LoginThrottle, Person, User, UserLocality
from employdash.models.base import utcnow

USERNAME_RE = re.compile(r"^[a-z0-9._-]{3,60}$")
MIN_PASSWORD = 10
# The bound stays with Argon2id (which reads any length): the bcrypt hashes of databases made
# before it are checked by bcrypt, which reads 72 bytes at most (bcrypt 5 refuses longer input),
# and a release rolled back to bcrypt must still be able to hash every password in use. It also
# caps what an anonymous login attempt makes the server hash. 72 bytes: 36 Hebrew letters.
MAX_PASSWORD_BYTES = 72


def password_problem(password: str | None) -> str | None:
    """The catalogue key of what is wrong with a new password, or None when it is acceptable.

    The login form strips surrounding spaces, so the same is done before measuring and hashing.
    """
    text = (password or "").strip()
    if len(text) < MIN_PASSWORD:
        return "validation.weak_password"
    if len(text.encode("utf-8")) > MAX_PASSWORD_BYTES:
        return "validation.password_too_long"
    return None


@dataclass(frozen=True)
class PasswordHashing:
    """Argon2id's cost. The app hashes at OWASP's recommended parameters (the defaults: 19 MiB,
    two passes, one lane; OWASP's Password Storage Cheat Sheet), always: only test and benchmark
    seeding pass CHEAP, so that building their databases costs nothing. A hash made at other
    parameters (CHEAP's included) is replaced by an OWASP one at its user's next login."""

    memory_kib: int = 19456
    time_cost: int = 2
    parallelism: int = 1

    def describe(self) -> str:
        return f"argon2id m={self.memory_kib},t={self.time_cost},p={self.parallelism}"


OWASP = PasswordHashing()
CHEAP = PasswordHashing(memory_kib=8, time_cost=1, parallelism=1)  # seeding tests only
_BCRYPT_PREFIXES = ("$2a$", "$2b$", "$2y$")


@cache
def _hasher(hashing: PasswordHashing) -> PasswordHasher:
    return PasswordHasher(
        time_cost=hashing.time_cost,
        memory_cost=hashing.memory_kib,
        parallelism=hashing.parallelism,
        type=Type.ID,
    )


def hash_password(password: str, hashing: PasswordHashing = OWASP) -> str:
    return _hasher(hashing).hash(password.strip())


def check_password(password: str, hashed: str) -> bool:
    """Whether `password` is the one `hashed` was made from: an Argon2 hash (at whatever
    parameters it records) or a bcrypt hash from before Argon2id. Never raises on a malformed
    hash or an over-long password (no password over MAX_PASSWORD_BYTES was ever accepted)."""
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        return False
    if hashed.startswith(_BCRYPT_PREFIXES):
        try:
            return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
        except ValueError:
            return False
    try:
        return _hasher(OWASP).verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(hashed: str) -> bool:
    """Whether a hash that just matched should be replaced: bcrypt, or Argon2 at parameters other
    than the current ones (argon2's own check_needs_rehash)."""
    if hashed.startswith(_BCRYPT_PREFIXES):
        return True
    try:
        return _hasher(OWASP).check_needs_rehash(hashed)
    except InvalidHashError:
        return False


def hash_scheme(hashed: str) -> str:
    """What a hash is, for the audit log (never the hash itself): "bcrypt" or the Argon2 type
    and parameters."""
    if hashed.startswith(_BCRYPT_PREFIXES):
        return "bcrypt"
    try:
        p = extract_parameters(hashed)
    except InvalidHashError:
        return "unknown"
    return f"argon2{p.type.name.lower()} m={p.memory_cost},t={p.time_cost},p={p.parallelism}"


@dataclass(frozen=True)
class Rehash:
    """A successful login's hash upgrade: the stored hash that was checked, and its replacement
    at the current parameters. `record_login` stores it with the login, only over that hash."""

    checked: str
    new: str

    def __repr__(self) -> str:  # never a hash in a log or a traceback
        return f"Rehash({hash_scheme(self.checked)} -> {hash_scheme(self.new)})"


def rehash_for(password: str, hashed: str) -> Rehash | None:
    """After `check_password(password, hashed)` succeeded: the replacement of an outdated hash
    (bcrypt, or other Argon2 parameters), or None when `hashed` is current."""
    return Rehash(hashed, hash_password(password)) if needs_rehash(hashed) else None


def _actor_of(user: User) -> Actor:
    scope = (
        None
        if policy_of(user.role).scope is Scope.ALL
        else frozenset(ul.locality_code for ul in user.localities)
    )
    return Actor(
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        localities=scope,
        person_id=user.person_id,
        language=user.language,
    )


def load_actor(db: Database, username: str) -> Actor | None:
    """The active user behind a login, with role and scope as the database says now."""
    with db.transaction() as s:
        user = s.scalar(select(User).where(User.username == username, User.active.is_(True)))
        return _actor_of(user) if user else None


def session_version(db: Database, username: str) -> int | None:
    """The current session version of an active user (None: no such active user)."""
    with db.transaction() as s:
        return s.scalar(
            select(User.session_version).where(User.username == username, User.active.is_(True))
        )


def resume_session(db: Database, username: str, version: object) -> Actor | None:
    """The acting user for a session started at `version`, or None once that session is revoked.

    Called on every run, so a logout elsewhere, a password reset, a role change or a deactivation
    ends the session on its next click, on whichever replica it lives.
    """
    if not isinstance(version, int) or isinstance(version, bool):
        return None
    with db.transaction() as s:
        user = s.scalar(
            select(User).where(
                User.username == username,
                User.active.is_(True),
                User.session_version == version,
            )
        )
        return _actor_of(user) if user else None


def _bump_session(s: Session, user_id: int) -> None:
    s.execute(
        update(User)
        .where(User.id == user_id)
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)
    )


def _locked_usernames(s: Session) -> set[str]:
    now = utcnow()
    rows = s.scalars(select(LoginThrottle.username).where(LoginThrottle.locked_until > now))
    return set(rows)


def authenticator_credentials(db: Database) -> dict[str, Any]:
    """The credentials dictionary streamlit-authenticator expects, for active unlocked users."""
    with db.transaction() as s:
        locked = _locked_usernames(s)
        users = s.scalars(select(User).where(User.active.is_(True))).all()
        return {
            "usernames": {
                u.username: {
                    "email": u.email or f"{u.username}@example.invalid",
                    "first_name": u.full_name,
                    "last_name": "",
                    "password": u.password_hash,
                    "roles": [u.role],
                }
                for u in users
                if u.username not in locked
            }
        }


def _count_failure(s: Session, username: str) -> int:
    """Add one failure in a single statement and return the new count.

    `INSERT ... ON CONFLICT DO UPDATE SET failures = failures + 1` is atomic on both databases:
    PostgreSQL locks the row for the rest of the transaction, SQLite takes its write lock. Two
    replicas counting at once therefore never both read 4 and write 5.
    """
    dialect = s.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    upsert = (
        insert(LoginThrottle)
        .values(username=username, failures=1, locked_until=None)
        .on_conflict_do_update(
            index_elements=[LoginThrottle.username],
            set_={"failures": LoginThrottle.failures + 1},
        )
        .returning(LoginThrottle.failures)
    )
    return int(s.execute(upsert).scalar_one())


def record_login(
    db: Database, username: str, succeeded: bool, rehash: Rehash | None = None
) -> int | None:
    """Count a failure (locking the username after too many) or clear the count on success.

    On success, returns the user's session version, which the login cookie then carries, and
    stores `rehash` (the checked password's hash at the current parameters) in the same
    transaction, audited. It replaces only the hash that was checked: if the password was reset
    meanwhile, the new password stays and the upgrade is dropped.
    """
    cfg = get_config()
    with db.transaction() as s:
        if succeeded:
            before = s.scalar(
                select(LoginThrottle.failures).where(LoginThrottle.username == username)
            )
            s.execute(
                update(LoginThrottle)
                .where(LoginThrottle.username == username)
                .values(failures=0, locked_until=None)
            )
            version = s.scalar(
                select(User.session_version).where(User.username == username, User.active.is_(True))
            )
            audit.record(
                s,
                username,
                "login",
                "user",
                username,
                before={"failures": before or 0},
                after={"failures": 0, "session_version": version},
            )
            if rehash is not None:
                _store_rehash(s, username, rehash)
            return version
        failures = _count_failure(s, username)
        audit.record(
            s,
            username,
            "login_failed",
            "user",
            username,
            before={"failures": failures - 1},
            after={"failures": failures},
        )
        if failures >= cfg.LOCKOUT_ATTEMPTS:
            locked_until = utcnow() + timedelta(minutes=cfg.LOCKOUT_MINUTES)
            # Only the attempt that reached the limit locks (and resets the count): the row is
            # ours until commit, so a parallel attempt sees the reset count, not a second lock.
            locked = rowcount(
                s.execute(
                    update(LoginThrottle)
                    .where(
                        LoginThrottle.username == username,
                        LoginThrottle.failures >= cfg.LOCKOUT_ATTEMPTS,
                    )
                    .values(failures=0, locked_until=locked_until)
                )
            )
            if locked:
                audit.record(
                    s,
                    username,
                    "login_locked",
                    "user",
                    username,
                    after={"locked_until": locked_until},
                )
        return None


def _store_rehash(s: Session, username: str, rehash: Rehash) -> None:
    replaced = rowcount(
        s.execute(
            update(User)
            .where(User.username == username, User.password_hash == rehash.checked)
            .values(password_hash=rehash.new)
            .execution_options(synchronize_session=False)
        )
    )
    if replaced:
        audit.record(  # the scheme and its parameters, never the hash
            s,
            username,
            "rehash_password",
            "user",
            username,
            before={"password": hash_scheme(rehash.checked)},
            after={"password": hash_scheme(rehash.new)},
        )


def is_locked(db: Database, username: str) -> bool:
    with db.transaction() as s:
        return username in _locked_usernames(s)


def record_logout(db: Database, actor: Actor) -> None:
    """Log out everywhere: the user's session version moves on, so every cookie of theirs dies."""
    with db.transaction() as s:
        before = s.scalar(select(User.session_version).where(User.id == actor.user_id))
        _bump_session(s, actor.user_id)
        audit.record(
            s,
            actor,
            "logout",
            "user",
            actor.username,
            before={"session_version": before},
            after={"session_version": (before or 0) + 1},
        )


def set_language(db: Database, actor: Actor, language: str) -> None:
    if language not in ("he", "en"):
        raise ValidationError({"language": "validation.invalid"})
    with db.transaction() as s:
        user = s.get(User, actor.user_id)
        if user is None:
            raise NotFound("user")
        before = user.language
        user.language = language
        audit.record(
            s,
            actor,
            "update",
            "user",
            user.id,
            before={"language": before},
            after={"language": language},
        )


# --- administration -------------------------------------------------------------------------


@dataclass(frozen=True)
class UserForm:
    username: str
    full_name: str
    role: str
    localities: tuple[int, ...]
    email: str | None = None
    password: str | None = None
    person_id: int | None = None  # the person this account is (their tasks, their teams)


def _validate(s: Session, form: UserForm, creating: bool) -> None:
    errors: dict[str, str] = {}
    params: dict[str, dict[str, Any]] = {}
    if creating and not USERNAME_RE.match(form.username or ""):
        errors["username"] = "validation.invalid"
    if creating and s.scalar(select(User.id).where(User.username == form.username)):
        errors["username"] = "admin.users.username_taken"
    if not (form.full_name or "").strip():
        errors["full_name"] = "validation.required"
    if form.role not in ROLES:
        errors["role"] = "validation.invalid"
    if form.role in ROLES and policy_of(form.role).scope is Scope.ASSIGNED and not form.localities:
        errors["localities"] = "validation.required"
    known = set(s.scalars(select(Locality.code).where(Locality.code.in_(form.localities))))
    if set(form.localities) - known:
        errors["localities"] = "validation.invalid"
    if form.person_id is not None:
        person_locality = s.scalar(select(Person.locality_code).where(Person.id == form.person_id))
        if person_locality is None or (
            form.role in ROLES
            and policy_of(form.role).scope is Scope.ASSIGNED
            and person_locality not in form.localities
        ):
            errors["person"] = "admin.users.person_outside"
        taken = s.scalar(select(User.username).where(User.person_id == form.person_id))
        if creating and taken is not None:  # one person, one account: their tasks, their login
            errors["person"] = "admin.users.person_taken"
            params["person"] = {"username": taken}
    if creating and (problem := password_problem(form.password)):
        errors["password"] = problem
    if errors:
        raise ValidationError(errors, field_params=params)


def _snapshot(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "active": user.active,
        "email": user.email,
        "localities": sorted(ul.locality_code for ul in user.localities),
        "person_id": user.person_id,
    }


class UserRow(TypedDict):
    """A user as the Users page lists it."""

    id: int
    username: str
    full_name: str
    role: str
    active: bool
    email: str | None
    localities: list[int]
    person_id: int | None
    version: int


def list_users(db: Database, actor: Actor) -> list[UserRow]:
    require_read(actor, Area.USERS)
    with db.transaction() as s:
        users = s.scalars(select(User).order_by(User.username)).all()
        return [
            UserRow(
                id=u.id,
                username=u.username,
                full_name=u.full_name,
                role=u.role,
                active=u.active,
                email=u.email,
                localities=sorted(ul.locality_code for ul in u.localities),
                person_id=u.person_id,
                version=u.version,
            )
            for u in users
        ]


def create_user(db: Database, actor: Actor, form: UserForm) -> int:
    require_write(actor, Area.USERS)
    with db.transaction() as s:
        return _add_user(s, actor, form)


def create_user_with_person(
    db: Database,
    actor: Actor,
    form: UserForm,
    locality_code: int,
    person: people.PersonInput,
    allow_duplicate: bool = False,
) -> tuple[int, int]:
    """A new account and the new person it is, of `locality_code`, made and linked in one
    transaction (both audited): an admin adding a forum member who logs in does it in one step,
    and a refusal of either leaves neither. Only admins manage accounts (USERS), and the person
    needs the PEOPLE write for the locality, as on the People page. Returns (user, person) ids.

    Every field's problem is reported at once; a person of the same name in the locality (in any
    organisation) is refused with `LikelyDuplicate` unless confirmed as someone else (if it is
    them, the existing person is picked instead: `create_user` with their `person_id`)."""
    require_write(actor, Area.USERS)
    require_write(actor, Area.PEOPLE, locality_code)
    person_errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    try:
        values = people.validated(person)
    except ValidationError as exc:
        person_errors = exc.fields
    with db.transaction() as s:
        errors: dict[str, str] = {}
        params: dict[str, dict[str, Any]] = {}
        try:
            _validate(s, form, creating=True)
        except ValidationError as exc:
            errors, params = dict(exc.fields), dict(exc.field_params)
        for name, problem in person_errors.items():  # in the form's order: the account first
            errors.setdefault(name, problem)
        if s.get(Locality, locality_code) is None:
            errors.setdefault("person", "validation.invalid")
        elif (
            form.role in ROLES
            and policy_of(form.role).scope is Scope.ASSIGNED
            and form.localities
            and locality_code not in form.localities
        ):
            errors.setdefault("person", "admin.users.person_outside")
        if errors:
            raise ValidationError(errors, field_params=params)
        twins = people.namesakes(s, locality_code, values["full_name"])
        if twins and not allow_duplicate:
            raise people.LikelyDuplicate(twins)
        person_id = people.add_person(s, actor, locality_code, person, values, True)
        user_id = _add_user(s, actor, replace(form, person_id=person_id))
        return user_id, person_id


def _add_user(s: Session, actor: Actor, form: UserForm) -> int:
    _validate(s, form, creating=True)
    user = User(
        username=form.username,
        full_name=form.full_name.strip(),
        email=form.email,
        role=form.role,
        password_hash=hash_password(form.password or ""),
        person_id=form.person_id,
        localities=[UserLocality(locality_code=c) for c in form.localities],
    )
    s.add(user)
    s.flush()
    audit.record(s, actor, "create", "user", user.id, after=_snapshot(user))
    return user.id


def update_user(
    db: Database,
    actor: Actor,
    user_id: int,
    form: UserForm,
    active: bool,
    version: int | None = None,
) -> None:
    """Change an account read at `version` (None: as it is now). The version is compared and
    bumped in one UPDATE, so of two admins saving the same account one is refused."""
    require_write(actor, Area.USERS)
    with db.transaction() as s:
        user = s.get(User, user_id)
        if user is None:
            raise NotFound("user")
        _validate(s, form, creating=False)
        before = _snapshot(user)
        seen = user.version if version is None else version
        claimed = s.execute(
            update(User)
            .where(User.id == user_id, User.version == seen)
            .values(version=seen + 1)
            .execution_options(synchronize_session=False)
        )
        if rowcount(claimed) != 1:
            s.rollback()
            raise StaleVersion({}, s.scalar(select(User.version).where(User.id == user_id)) or 0)
        s.expire(user, ["version"])
        user.full_name = form.full_name.strip()
        user.email = form.email
        user.role = form.role
        user.active = active
        user.localities = [UserLocality(locality_code=c) for c in form.localities]
        if user.role != before["role"] or not active:
            user.session_version += 1  # the old role's (or a deactivated user's) sessions end
        s.flush()
        old, new = audit.changed_fields(before, _snapshot(user))
        audit.record(s, actor, "update", "user", user.id, before=old, after=new)


def link_person(
    db: Database, actor: Actor, user_id: int, version: int, person_id: int | None
) -> int:
    """Link an account to the person it is (or unlink it): a member then sees their tasks.

    The person must be of one of the account's localities (any, for an admin account)."""
    require_write(actor, Area.USERS)
    with db.transaction() as s:
        user = s.get(User, user_id)
        if user is None:
            raise NotFound("user")
        if person_id is not None:
            locality = s.scalar(select(Person.locality_code).where(Person.id == person_id))
            scoped = policy_of(user.role).scope is Scope.ASSIGNED
            codes = {ul.locality_code for ul in user.localities}
            if locality is None or (scoped and locality not in codes):
                raise ValidationError({"person": "admin.users.person_outside"})
        before = user.person_id
        result = s.execute(
            update(User)
            .where(User.id == user_id, User.version == version)
            .values(person_id=person_id, version=version + 1)
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            s.rollback()
            raise StaleVersion({}, s.scalar(select(User.version).where(User.id == user_id)) or 0)
        audit.record(
            s,
            actor,
            "update",
            "user",
            user_id,
            before={"person_id": before},
            after={"person_id": person_id},
            locality_code=locality if person_id is not None else None,
        )
        return version + 1


def reset_password(db: Database, actor: Actor, user_id: int, new_password: str) -> None:
    require_write(actor, Area.USERS)
    if problem := password_problem(new_password):
        raise ValidationError({"password": problem})
    with db.transaction() as s:
        user = s.get(User, user_id)
        if user is None:
            raise NotFound("user")
        before = user.session_version
        user.password_hash = hash_password(new_password)
        user.session_version += 1  # whoever knew the old password is logged out everywhere
        s.merge(LoginThrottle(username=user.username, failures=0, locked_until=None))
        audit.record(  # the hash itself is never logged
            s,
            actor,
            "reset_password",
            "user",
            user.id,
            before={"session_version": before},
            after={"session_version": before + 1, "password": "changed"},
        )


def demo_credentials_in_use(db: Database) -> bool:
    """Whether any active user can still log in with the public demo password."""
    with db.transaction() as s:
        hashes = s.scalars(select(User.password_hash).where(User.active.is_(True))).all()
    return any(check_password(DEMO_PASSWORD, h) for h in hashes)


def bootstrap_admin(db: Database, username: str, password: str) -> None:
    """The first administrator of a production database, created from the command line."""
    system = Actor(0, "system", "system", ADMIN, None)
    create_user(db, system, UserForm(username, username, ADMIN, (), None, password))


_verified: set[tuple[str, str, bool]] = set()


def ensure_safe_to_serve(db: Database, config: Config) -> None:
    """Refuse to serve with a published or weak cookie key, or (outside demo mode) a demo password.

    The demo-password check costs a password check per user (Argon2id, or bcrypt for hashes from
    before it), so a passing check is remembered for the process; a failing one is checked again
    on the next run, once someone has fixed it.
    """
    key = (db.url, config.COOKIE_KEY, config.DEMO_MODE)
    if key in _verified:
        return
    check_production_safety(config, False if config.DEMO_MODE else demo_credentials_in_use(db))
    _verified.add(key)
