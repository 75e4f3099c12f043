"""Samples of the mail commands (the administrator's outbox)."""

from __future__ import annotations

from typing import Any

from employdash.access import Actor
from employdash.commands import Command
from employdash.db import Database
from employdash.mail import outbox_admin
from tests.foundation.command_samples import sample
from tests.mail.rows import failed_message


@sample("employdash.mail.outbox_admin.RetryMessage")
def _retry_message(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    with db.transaction() as s:
        return outbox_admin.RetryMessage.of(failed_message(s))
