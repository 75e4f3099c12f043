"""Samples of the mail commands (the administrator's outbox)."""

from __future__ import annotations

from typing import Any

from employdash.access import Actor
from employdash.commands import Command
from employdash.db import Database
from employdash.mail import outbox_admin
from employdash.models.mail import OutboxMessage
from tests.foundation.command_samples import SEDEROT, sample


@sample("employdash.mail.outbox_admin.RetryMessage")
def _retry_message(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    with db.transaction() as s:
        row = OutboxMessage(
            kind="reminder",
            locality_code=SEDEROT,
            to_address="gone@example.org",
            language="he",
            subject="Your tasks",
            text_body="Your tasks",
            status="failed",
            attempts=1,
            last_error="550 5.1.1 No such mailbox",
        )
        s.add(row)
        s.flush()
        return outbox_admin.RetryMessage.of(row.id)
