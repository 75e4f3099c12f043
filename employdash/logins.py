"""A user's own session: a login counted (and the username locked after too many failures), a
password hash upgraded on login, logout everywhere, the interface language.

These writes are the user's own and some come before there is an actor (a login), so they are
no commands of an area: each one is audited here, in its transaction.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from employdash import audit
from employdash.access import Actor
from employdash.config import get_config
from employdash.db import Database, rowcount
from employdash.errors import NotFound, ValidationError
from employdash.models import LoginThrottle, User
from employdash.models.base import utcnow
from employdash.users import Rehash, hash_scheme


def _bump_session(s: Session, user_id: int) -> None:
    s.execute(
        update(User)
        .where(User.id == user_id)
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)
    )


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
