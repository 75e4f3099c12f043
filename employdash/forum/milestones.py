"""Notes and document links on the stage milestones, and what the employer-survey milestone can
see for itself: whether survey responses exist for the locality.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from employdash.access import Actor, Area, read_scope
from employdash.commands import Ref, Write, execute
from employdash.db import Database
from employdash.errors import ValidationError
from employdash.forum.stages import ALL_MILESTONES
from employdash.forum.structure import ForumChange, forum_id_of, reading_forum
from employdash.models.forum import Forum, MilestoneNote
from employdash.models.stakeholders import EmployerSurveyResponse


@dataclass(frozen=True)
class NoteRow:
    note: str | None
    link_title: str | None
    link_url: str | None
    version: int


def notes(db: Database, actor: Actor, locality_code: int) -> dict[str, NoteRow]:
    with reading_forum(db, actor, locality_code) as (s, forum):
        if forum is None:
            return {}
        return {
            n.milestone_key: NoteRow(n.note, n.link_title, n.link_url, n.version)
            for n in s.scalars(select(MilestoneNote).where(MilestoneNote.forum_id == forum.id))
        }


def survey_responses(db: Database, actor: Actor, locality_code: int) -> int:
    """How many employer-survey responses the locality has (the survey milestone's evidence)."""
    scope = read_scope(actor, Area.FORUM, locality_code)
    with db.transaction() as s:
        responses = select(func.count()).where(scope.of(EmployerSurveyResponse.locality_code))
        return s.scalar(responses) or 0


NOTE_FIELDS = ("note", "link_title", "link_url")


@dataclass
class SetNote(
    ForumChange[int],
    entity="milestone_note",
    texts={
        "note": "forum/milestone_note",
        "link_title": "forum/milestone_link_title",
        "link_url": "forum/milestone_link_url",
    },
):
    """Write a milestone's note and link over the note read at `note_version` (None: there was
    none yet); returns the new version. Audited under "forum:milestone"."""

    forum: Ref[Forum]
    key: str
    note_version: int | None
    note: str | None
    link_title: str | None = None
    link_url: str | None = None

    def validate(self, w: Write) -> None:
        if self.key not in ALL_MILESTONES:
            raise ValidationError({"milestone": "validation.invalid"})
        url = self.link_url
        if url and not url.lower().startswith(("https://", "http://")):
            raise ValidationError({"link_url": "validation.invalid"})

    def run(self, w: Write) -> int:
        values = {"note": self.note, "link_title": self.link_title, "link_url": self.link_url}
        record_id = f"{self.forum.id}:{self.key}"
        row = w.session.scalar(
            select(MilestoneNote).where(
                MilestoneNote.forum_id == self.forum.id, MilestoneNote.milestone_key == self.key
            )
        )
        if row is None and self.note_version is None:
            row = MilestoneNote(forum_id=self.forum.id, milestone_key=self.key, **values)
            w.session.add(row)
            w.session.flush()
            w.audit("create", record_id, after=values)
            return row.version
        if row is None:  # read with a version, gone since
            raise ValidationError({"milestone": "validation.invalid"})
        w.update(row, self.note_version or 0, values)
        return row.version


def set_note(
    db: Database,
    actor: Actor,
    locality_code: int,
    key: str,
    version: int | None,
    note: str,
    link_title: str = "",
    link_url: str = "",
) -> int:
    forum_id = forum_id_of(db, actor, locality_code)
    command = SetNote.of(forum_id, key, version, note, link_title, link_url)
    return execute(db, actor, command).value
