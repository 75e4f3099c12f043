"""Users, login throttling and the credentials streamlit-authenticator checks against.

Credentials live in the database as bcrypt hashes. The authenticator gets a fresh dictionary built
from the active, unlocked users on every run, so a deactivation or a lock takes effect at once on
every replica.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import bcrypt
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from employdash import audit
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
from employdash.db import Database
from employdash.errors import NotFound, StaleVersion, ValidationError
from employdash.models import Locality, LoginThrottle, Person, User, UserLocality
from employdash.models.base import utcnow

USERNAME_RE = re.compile(r"^[a-z0-9._-]{3,60}$")
MIN_PASSWORD = 10


def hash_password(password: str, rounds: int = 12) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


def check_password(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
    except ValueError:
        return False


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


def _locked_usernames(s: Session) -> set[str]:
    now = utcnow()
    rows = s.scalars(select(LoginThrottle.username).where(LoginThrottle.locked_until > now))
    return set(rows)


def authenticator_credentials(db: Database) -> dict:
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


def record_login(db: Database, username: str, succeeded: bool) -> None:
    """Count a failure (locking the username after too many) or clear the count on success."""
    cfg = get_config()
    with db.transaction() as s:
        row = s.get(LoginThrottle, username) or LoginThrottle(username=username, failures=0)
        s.add(row)
        if succeeded:
            row.failures = 0
            row.locked_until = None
            audit.record(s, username, "login", "user", username)
            return
        row.failures = (row.failures or 0) + 1
        audit.record(
            s, username, "login_failed", "user", username, after={"failures": row.failures}
        )
        if row.failures >= cfg.LOCKOUT_ATTEMPTS:
            row.locked_until = utcnow() + timedelta(minutes=cfg.LOCKOUT_MINUTES)
            row.failures = 0
            audit.record(
                s,
                username,
                "login_locked",
                "user",
                username,
                after={"locked_until": row.locked_until},
            )


def is_locked(db: Database, username: str) -> bool:
    with db.transaction() as s:
        return username in _locked_usernames(s)


def record_logout(db: Database, actor: Actor) -> None:
    with db.transaction() as s:
        audit.record(s, actor, "logout", "user", actor.username)


def set_language(db: Database, actor: Actor, language: str) -> None:
    if language not in ("he", "en"):
        raise ValidationError({"language": "validation.invalid"})
    with db.transaction() as s:
        user = s.get(User, actor.user_id)
        if user is None:
            raise NotFound("user")
        user.language = language


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
    if creating and not USERNAME_RE.match(form.username or ""):
        errors["username"] = "validation.invalid"
    if creating and s.scalar(select(User.id).where(User.username == form.username)):
        errors["username"] = "validation.duplicate"
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
    if creating and len(form.password or "") < MIN_PASSWORD:
        errors["password"] = "validation.weak_password"
    if errors:
        raise ValidationError(errors)


def _snapshot(user: User) -> dict:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "active": user.active,
        "email": user.email,
        "localities": sorted(ul.locality_code for ul in user.localities),
        "person_id": user.person_id,
    }


def list_users(db: Database, actor: Actor) -> list[dict]:
    require_read(actor, Area.USERS)
    with db.transaction() as s:
        users = s.scalars(select(User).order_by(User.username)).all()
        return [{"id": u.id, "version": u.version, **_snapshot(u)} for u in users]


def create_user(db: Database, actor: Actor, form: UserForm) -> int:
    require_write(actor, Area.USERS)
    with db.transaction() as s:
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


def update_user(db: Database, actor: Actor, user_id: int, form: UserForm, active: bool) -> None:
    require_write(actor, Area.USERS)
    with db.transaction() as s:
        user = s.get(User, user_id)
        if user is None:
            raise NotFound("user")
        _validate(s, form, creating=False)
        before = _snapshot(user)
        user.full_name = form.full_name.strip()
        user.email = form.email
        user.role = form.role
        user.active = active
        user.localities = [UserLocality(locality_code=c) for c in form.localities]
        user.version += 1
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
        if result.rowcount != 1:
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
    if len(new_password) < MIN_PASSWORD:
        raise ValidationError({"password": "validation.weak_password"})
    with db.transaction() as s:
        user = s.get(User, user_id)
        if user is None:
            raise NotFound("user")
        user.password_hash = hash_password(new_password)
        s.merge(LoginThrottle(username=user.username, failures=0, locked_until=None))
        audit.record(s, actor, "reset_password", "user", user.id)


def demo_credentials_in_use(db: Database) -> bool:
    """Whether any active user can still log in with the public demo password."""
    with db.transaction() as s:
        hashes = s.scalars(select(User.password_hash).where(User.active.is_(True))).all()
    return any(check_password(DEMO_PASSWORD, h) for h in hashes)


def bootstrap_admin(db: Database, username: str, password: str) -> None:
    """The first administrator of a production database, created from the command line."""
    system = Actor(0, "system", "system", ADMIN, None)
    create_user(db, system, UserForm(username, username, ADMIN, (), None, password))


_verified: set[tuple[str, str]] = set()


def ensure_safe_to_serve(db: Database, config: Config) -> None:
    """Outside demo mode, refuse to serve while the public demo secrets are in place.

    The demo-password check costs a bcrypt round per user, so a passing check is remembered for
    the process; a failing one is checked again on the next run, once someone has fixed it.
    """
    if config.DEMO_MODE:
        return
    key = (db.url, config.COOKIE_KEY)
    if key in _verified:
        return
    check_production_safety(config, demo_credentials_in_use(db))
    _verified.add(key)
