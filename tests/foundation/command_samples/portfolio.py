"""Samples of the programme's commands: a note on a locality."""

from __future__ import annotations

from datetime import date

from employdash.access import Actor
from employdash.commands import Command
from employdash.db import Database
from employdash.portfolio.notes import AddProgrammeNote
from tests.foundation.command_samples import SEDEROT, sample


@sample("employdash.portfolio.notes.AddProgrammeNote")
def add_note(db: Database, actors: dict[str, Actor]) -> Command[int]:
    return AddProgrammeNote(SEDEROT, date(2026, 11, 3), "Support visit: the forum met its quorum")
