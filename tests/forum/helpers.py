"""Small lookups the forum tests share (read straight from the database they run on)."""

from __future__ import annotations

from sqlalchemy import select

from employdash.db import Database
from employdash.models.forum import Forum, Membership, Task, Team

SEDEROT = 1031


def forum_id(db: Database, code: int = SEDEROT) -> int:
    with db.transaction() as s:
        found = s.scalar(select(Forum.id).where(Forum.locality_code == code))
    assert found is not None
    return found


def team_of_kind(db: Database, kind: str = "forum", code: int = SEDEROT) -> int:
    """The first team of `kind` in the locality's forum (the plenary by default)."""
    with db.transaction() as s:
        found = s.scalar(
            select(Team.id)
            .where(Team.forum_id == forum_id(db, code), Team.kind == kind)
            .order_by(Team.id)
            .limit(1)
        )
    assert found is not None
    return found


def member_task(db: Database, person_id: int | None) -> Task:
    """A task the member owns (the person of the member's account, which has one)."""
    assert person_id is not None
    with db.transaction() as s:
        task = s.scalars(
            select(Task).where(Task.owner_person_id == person_id).order_by(Task.id)
        ).first()
    assert task is not None
    return task


def foreign_task(db: Database, person_id: int | None) -> Task:
    """A Sederot task neither owned by the person nor in any of their teams."""
    assert person_id is not None
    with db.transaction() as s:
        teams = select(Membership.team_id).where(Membership.person_id == person_id)
        task = s.scalars(
            select(Task)
            .join(Team, Team.id == Task.team_id)
            .where(
                Task.forum_id == forum_id(db),
                Task.owner_person_id != person_id,
                Task.team_id.not_in(teams),
            )
            .order_by(Task.id)
        ).first()
    assert task is not None
    return task
