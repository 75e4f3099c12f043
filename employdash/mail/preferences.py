"""Who has stopped which scheduled mail, and the token of each one-click unsubscribe link.

One token per person (the owner reminders) and one per account (the manager's summary, the
digest). A click on either stops every scheduled message to that human, reminders, summary and
digest alike, never invitations or minutes (those are about a meeting the person is part of,
not a subscription). A person linked to an account is one human: a stop on either record
counts for both.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from employdash.audit import record
from employdash.config import get_config
from employdash.db import Database
from employdash.models import Person, User
from employdash.models.base import utcnow
from employdash.models.mail import MailPreference

AUDIT_USERNAME = "unsubscribe-link"
IN_BATCH = 900  # ids per IN list: well under every driver's limit on bound parameters


def tokens_for(
    session: Session, *, person_ids: Iterable[int] = (), user_ids: Iterable[int] = ()
) -> dict[tuple[str, int], str]:
    """Each holder's unsubscribe token, made the first time a message needs one, keyed
    ("person", id) or ("user", id); read and made in a few statements for a whole run."""
    wanted = [("person", i) for i in sorted(set(person_ids))] + [
        ("user", i) for i in sorted(set(user_ids))
    ]
    found: dict[tuple[str, int], str] = {}
    for column, kind in ((MailPreference.person_id, "person"), (MailPreference.user_id, "user")):
        ids = [i for k, i in wanted if k == kind]
        for start in range(0, len(ids), IN_BATCH):
            rows = session.execute(
                select(column, MailPreference.token).where(
                    column.in_(ids[start : start + IN_BATCH])
                )
            )
            found.update(((kind, h), token) for h, token in rows if h is not None)
    missing = [holder for holder in wanted if holder not in found]
    for kind, holder in missing:
        found[(kind, holder)] = secrets.token_urlsafe(32)
    if missing:
        session.execute(
            insert(MailPreference),
            [
                {
                    "token": found[(kind, holder)],
                    "person_id": holder if kind == "person" else None,
                    "user_id": holder if kind == "user" else None,
                    "reminders_off": False,
                    "digest_off": False,
                    "changed_at": utcnow(),
                }
                for kind, holder in missing
            ],
        )
    return found


def token_for(session: Session, *, person_id: int | None = None, user_id: int | None = None) -> str:
    """One holder's unsubscribe token (see `tokens_for`)."""
    if person_id is not None:
        return tokens_for(session, person_ids=[person_id])[("person", person_id)]
    assert user_id is not None, "a token belongs to a person or an account"
    return tokens_for(session, user_ids=[user_id])[("user", user_id)]


@dataclass(frozen=True)
class Stopped:
    """The people and accounts that get no scheduled mail (either record of a linked pair)."""

    person_ids: frozenset[int]
    user_ids: frozenset[int]


def stopped(session: Session, column: str = "reminders_off") -> Stopped:
    off = getattr(MailPreference, column).is_(True)
    holders = session.execute(select(MailPreference.person_id, MailPreference.user_id).where(off))
    people: set[int] = set()
    users: set[int] = set()
    for person_id, user_id in holders:
        if person_id is not None:
            people.add(person_id)
        if user_id is not None:
            users.add(user_id)
    linked = session.execute(
        select(User.id, User.person_id).where(
            User.person_id.is_not(None),
            or_(User.id.in_(sorted(users)), User.person_id.in_(sorted(people))),
        )
    ).all()
    for user_id, person_id in linked:
        if person_id is not None:
            people.add(person_id)
        users.add(user_id)
    return Stopped(frozenset(people), frozenset(users))


@dataclass(frozen=True)
class Subscription:
    """What the unsubscribe page shows for a token: the holder's language and state."""

    language: str
    stopped: bool


def _language(session: Session, pref: MailPreference) -> str:
    if pref.user_id is not None:
        user = session.get(User, pref.user_id)
        if user is not None:
            return user.language
    elif pref.person_id is not None:
        language = session.scalar(
            select(User.language)
            .where(User.person_id == pref.person_id, User.active.is_(True))
            .order_by(User.id)
        )
        if language:
            return language
    return str(get_config().DEFAULT_LANGUAGE)


def _by_token(session: Session, token: str) -> MailPreference | None:
    if not token or len(token) > 64:
        return None
    return session.scalar(select(MailPreference).where(MailPreference.token == token))


def subscription(db: Database, token: str) -> Subscription | None:
    """None for a token nobody holds (the page then says only that the link is not valid)."""
    with db.transaction() as s:
        pref = _by_token(s, token)
        if pref is None:
            return None
        return Subscription(_language(s, pref), pref.reminders_off and pref.digest_off)


def set_stopped(db: Database, token: str, stop: bool) -> Subscription | None:
    """Stop (or resume) the holder's reminders, summaries and digests; audited as the link's.

    Not a `Command`: the link is the only credential (RFC 8058 one-click, no login), and it can
    change nothing but its own holder's two switches."""
    with db.transaction() as s:
        pref = _by_token(s, token)
        if pref is None:
            return None
        before = {"reminders_off": pref.reminders_off, "digest_off": pref.digest_off}
        pref.reminders_off = pref.digest_off = stop
        pref.changed_at = utcnow()
        after = {"reminders_off": stop, "digest_off": stop}
        if before != after:
            locality = (
                s.scalar(select(Person.locality_code).where(Person.id == pref.person_id))
                if pref.person_id is not None
                else None
            )
            record(
                s,
                AUDIT_USERNAME,
                "unsubscribe" if stop else "resubscribe",
                "mail_preference",
                pref.id,
                before=before,
                after=after,
                locality_code=locality,
            )
        return Subscription(_language(s, pref), stop)
