"""Samples of the record's commands: restoring from the trash, attaching and removing documents."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from employdash import people
from employdash.access import Actor
from employdash.commands import Command
from employdash.db import Database
from employdash.forum import documents, tasks, trash
from employdash.models.forum import Forum, StrategicFocus
from employdash.models.record import TrashItem
from tests.foundation.command_samples import SEDEROT, first, of_forum, sample

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


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@sample("employdash.forum.documents.UploadDocument")
def _upload(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    forum = first(db, Forum, Forum.locality_code == SEDEROT)
    return documents.UploadDocument.of(
        forum, "focus", of_forum(db, StrategicFocus), "plan.pdf", PDF
    )


def uploaded(db: Database, actors: dict[str, Actor], code: int = SEDEROT) -> int:
    """A document an administrator attached to the work plan milestone of the locality `code`."""
    return documents.upload_document(
        db, actors["admin"], code, "milestone", "work_plan_written", "plan.pdf", PDF
    )


@sample("employdash.forum.documents.DeleteDocument")
def _delete_document(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    uploaded(db, actors, OFAKIM)  # another locality's, for the foreign-reference test
    return documents.DeleteDocument.of(uploaded(db, actors))


@sample("employdash.people.DeletePerson")
def _delete_person(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    manager = actors["manager"]
    person = people.create_person(db, manager, SEDEROT, people.PersonInput("Entered Twice"))
    return people.DeletePerson.of(person, 1, "Entered twice")
