"""Samples of the forum's trash and documents commands."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from employdash.access import Actor
from employdash.commands import Command
from employdash.db import Database
from employdash.forum import tasks, trash
from employdash.models.forum import Forum, Task
from employdash.models.record import TrashItem
from tests.foundation.command_samples import SEDEROT, sample

OFAKIM = 31  # outside the manager's localities


def trashed_task(db: Database, actors: dict[str, Actor], code: int = SEDEROT) -> int:
    """The trash item of a task of the locality `code` just deleted by an administrator."""
    admin = actors["admin"]
    task_id = tasks.create_task(db, admin, code, {"title": "Entered by mistake"})
    tasks.delete_task(db, admin, task_id, 1, "Entered twice")
    with db.transaction() as s:
        found = s.scalar(
            select(TrashItem.id).where(
                TrashItem.entity == "task",
                TrashItem.entity_id == task_id,
                TrashItem.locality_code == code,
            )
        )
    assert found is not None
    return int(found)


@sample("employdash.forum.trash.RestoreFromTrash")
def _restore(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    trashed_task(db, actors, OFAKIM)  # another locality's, for the foreign-reference test
    return trash.RestoreFromTrash.of(SEDEROT, trashed_task(db, actors))


def forum_task(db: Database, code: int = SEDEROT) -> int:
    with db.transaction() as s:
        found = s.scalar(
            select(Task.id)
            .join(Forum, Forum.id == Task.forum_id)
            .where(Forum.locality_code == code)
            .order_by(Task.id)
            .limit(1)
        )
    assert found is not None
    return int(found)
