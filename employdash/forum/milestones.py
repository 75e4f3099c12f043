"""Notes and document links on the stage milestones, and what the employer-survey milestone can
see for itself: whether survey responses exist for the locality.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from employdash import audit
from employdash.access import Actor, Area, require_read, require_write
from employdash.db import Database, rowcount
from employdash.errors import StaleVersion, ValidationError
from employdash.forum.stages import ALL_MILESTONES
from employdash.forum.structure import forum_row, require_forum
from employdash.models.forum import MilestoneNote
from employdash.models.stakeholders import EmployerSurveyResponse


@dataclass(frozen=True)
class NoteRow:
    note: str | None
    link_title: str | None
    link_url: str | None
    version: int


def notes(db: Database, actor: Actor, locality_code: int) -> dict[str, NoteRow]:
    require_read(actor, Area.FORUM, locality_code)
    with db.transaction() as s:
        forum = forum_row(s, locality_code)
        if forum is None:
            return {}
        return {
            n.milestone_key: NoteRow(n.note, n.link_title, n.link_url, n.version)
            for n in s.scalars(select(MilestoneNote).where(MilestoneNote.forum_id == forum.id))
        }


def survey_responses(db: Database, actor: Actor, locality_code: int) -> int:
    """How many employer-survey responses the locality has (the survey milestone's evidence)."""
    require_read(actor, Area.FORUM, locality_code)
    with db.transaction() as s:
        return (
            s.scalar(
                select(func.count()).where(EmployerSurveyResponse.locality_code == locality_code)
            )
            or 0
        )


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
    """Write the milestone's note and link (`version` None: there was none yet)."""
    require_write(actor, Area.FORUM, locality_code)
    if key not in ALL_MILESTONES:
        raise ValidationError({"milestone": "validation.invalid"})
    link_url = (link_url or "").strip()
    if link_url and not link_url.lower().startswith(("https://", "http://")):
        raise ValidationError({"link_url": "validation.invalid"})
    values = {
        "note": (note or "").strip() or None,
        "link_title": (link_title or "").strip()[:200] or None,
        "link_url": link_url[:500] or None,
    }
    with db.transaction() as s:
        forum = require_forum(s, locality_code)
        row = s.scalar(
            select(MilestoneNote).where(
                MilestoneNote.forum_id == forum.id, MilestoneNote.milestone_key == key
            )
        )
        current = row.version if row else None
        if current != version:
            raise StaleVersion({}, current or 0)
        before = {k: getattr(row, k) for k in values} if row else None
        if row is None:
            row = MilestoneNote(forum_id=forum.id, milestone_key=key, **values)
            s.add(row)
        else:  # the version in the WHERE clause: a concurrent writer makes this touch no row
            result = s.execute(
                update(MilestoneNote)
                .where(MilestoneNote.id == row.id, MilestoneNote.version == version)
                .values(**values, version=MilestoneNote.version + 1)
                .execution_options(synchronize_session=False)
            )
            if rowcount(result) != 1:
                s.rollback()
                raise StaleVersion({}, current or 0)
        s.flush()
        audit.record(
            s,
            actor,
            "update" if before else "create",
            "milestone_note",
            f"{forum.id}:{key}",
            before=before,
            after=values,
            locality_code=locality_code,
        )
        return (version or 0) + 1
