"""The programme staff's dated notes on a locality (after a support visit, a call), which the
locality's manager reads beside the forum. A note is never edited: a later one says what
changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from employdash.access import Actor, Area, read_scope
from employdash.commands import Command, Write, execute
from employdash.db import Database
from employdash.errors import NotFound, ValidationError
from employdash.i18n import local_today
from employdash.models import Locality
from employdash.models.portfolio import ProgrammeNote

NOTES_SHOWN = 50  # the newest notes a locality's page lists


@dataclass
class AddProgrammeNote(
    Command[int],
    area=Area.PROGRAMME_NOTES,
    entity="programme_note",
    texts={"body": "programme/note"},
    invalidates=frozenset({Area.PROGRAMME_NOTES}),
):
    """A note on `locality_code` dated `noted_on` (not in the future), by the actor."""

    locality_code: int
    noted_on: date
    body: str

    def validate(self, w: Write) -> None:
        errors = {}
        if not self.body:
            errors["body"] = "validation.required"
        if self.noted_on is None or self.noted_on > local_today():
            errors["noted_on"] = "validation.out_of_range"
        if errors:
            raise ValidationError(errors)
        locality = w.session.get(Locality, self.locality_code)
        if locality is None or not locality.is_program:
            raise NotFound(f"locality {self.locality_code}")

    def run(self, w: Write) -> int:
        author = w.actor.full_name or w.actor.username
        row = ProgrammeNote(
            locality_code=self.locality_code,
            noted_on=self.noted_on,
            body=self.body,
            author=w.actor.username,
            author_name=author,
        )
        w.create(row, {"noted_on": self.noted_on, "body": self.body, "author": w.actor.username})
        return row.id


def add_note(db: Database, actor: Actor, locality_code: int, noted_on: date, body: str) -> int:
    return execute(db, actor, AddProgrammeNote(locality_code, noted_on, body)).value


@dataclass(frozen=True)
class NoteView:
    id: int
    noted_on: date
    body: str
    author_name: str


def notes(db: Database, actor: Actor, locality_code: int) -> list[NoteView]:
    """The locality's notes, newest first (the newest `NOTES_SHOWN`)."""
    scope = read_scope(actor, Area.PROGRAMME_NOTES, locality_code)
    with db.transaction() as s:
        rows = s.execute(
            select(
                ProgrammeNote.id,
                ProgrammeNote.noted_on,
                ProgrammeNote.body,
                ProgrammeNote.author_name,
            )
            .where(scope.of(ProgrammeNote.locality_code))
            .order_by(ProgrammeNote.noted_on.desc(), ProgrammeNote.id.desc())
            .limit(NOTES_SHOWN)
        ).all()
    return [NoteView(*r) for r in rows]
