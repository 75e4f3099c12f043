"""A session already open, as the `Database` the area reads take: a mail built inside a running
transaction (a command's, a scheduled run's) reads through it, so what it shows is what that
transaction sees, and no second connection is opened beside it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from employdash.db import Database


class SessionDatabase(Database):
    """Each `transaction()` is the one session handed in; its caller commits or rolls back."""

    def __init__(self, session: Session) -> None:
        self._session = session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        yield self._session
