"""Small lookups the forum tests share (read straight from the database they run on)."""

from __future__ import annotations

from sqlalchemy import select

from employdash.db import Database
from employdash.models.forum import Forum, Membership, Task, Team

SEDEROT = 1031


def forum_id(db: Database, code: int = SEDEROT) -> int:
    with db.transaction() as s:
        return s.scalar(select(Forum.id).where(Forum.locality_code == code))


def member_task(db: Database, person_id: int) -> Task:
    """A task the member owns."""
    with db.transaction() as s:
        return s.scalars(
            select(Task).where(Task.owner_person_id == person_id).order_by(Task.id)
        ).first()


def foreign_task(db: Database, person_id: int) -> Task:
    """A Sederot task neither owned by the person nor in any of their teams."""
    with db.transaction() as s:
        teams = select(Membership.team_id).where(Membership.person_id == person_id)
        return s.scalars(
            select(Task)
            .join(Team, Team.id == Task.team_id)
            .where(
                Task.forum_id == forum_id(db),
                Task.owner_person_id != person_id,
                Task.team_id.not_in(teams),
            )
            .order_by(Task.id)
        ).first()
