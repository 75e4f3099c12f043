"""Sample of the mail commands: sending a meeting's minutes to its members."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from employdash.access import Actor
from employdash.commands import Command
from employdash.db import Database
from employdash.mail.minutes import SendMinutes
from employdash.models.forum import Forum, Meeting
from tests.foundation.command_samples import SEDEROT, first, sample


@sample("employdash.mail.minutes.SendMinutes")
def _send(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    meeting = first(
        db, Meeting, Meeting.forum_id.in_(select(Forum.id).where(Forum.locality_code == SEDEROT))
    )
    return SendMinutes.of(meeting, "Please read the decisions before Sunday.")
