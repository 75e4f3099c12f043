"""The demo accounts the page tests act as. The seed creates every one of them, so a missing
account is a broken test database, never a case a test means to handle."""

from __future__ import annotations

from employdash.access import Actor
from employdash.db import Database
from employdash.users import load_actor


def demo_actor(db: Database, username: str) -> Actor:
    actor = load_actor(db, username)
    assert actor is not None, f"the seed has no account {username!r}"
    return actor
