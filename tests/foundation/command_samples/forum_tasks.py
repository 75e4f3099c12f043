"""Samples of the forum's decision and task commands."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from employdash.access import Actor
from employdash.commands import Command
from employdash.db import Database
from employdash.forum import decisions, tasks
from employdash.models.forum import Decision, Forum, Meeting, StrategicFocus, Task, Team
from tests.foundation.command_samples import SEDEROT, of_forum, sample


def _open_decision(db: Database) -> tuple[int, int]:
    with db.transaction() as s:
        row = s.execute(
            select(Decision.id, Decision.version)
            .join(Meeting, Meeting.id == Decision.meeting_id)
            .join(Forum, Forum.id == Meeting.forum_id)
            .where(Forum.locality_code == SEDEROT, Decision.is_open.is_(True))
            .order_by(Decision.id)
        ).first()
    assert row is not None, "the demo data has no open decision in Sederot"
    return int(row.id), int(row.version)


@sample("employdash.forum.decisions.CloseDecision")
def _close(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return decisions.CloseDecision.of(SEDEROT, *_open_decision(db), date.today(), "Fair held")


@sample("employdash.forum.decisions.DecisionToTask")
def _to_task(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    task = {
        "owner_person_id": actors["member"].person_id,
        "team_id": of_forum(db, Team),
        "focus_id": of_forum(db, StrategicFocus),
    }
    return decisions.DecisionToTask.of(SEDEROT, *_open_decision(db), task)


def _task(db: Database) -> tuple[int, int]:
    with db.transaction() as s:
        row = s.execute(
            select(Task.id, Task.version)
            .join(Forum, Forum.id == Task.forum_id)
            .where(Forum.locality_code == SEDEROT, Task.status != "cancelled")
            .order_by(Task.id)
        ).first()
    assert row is not None
    return int(row.id), int(row.version)


def _task_values(db: Database, actors: dict[str, Actor]) -> dict[str, Any]:
    return {
        "title": "Book the hall",
        "owner_person_id": actors["member"].person_id,
        "team_id": of_forum(db, Team),
        "focus_id": of_forum(db, StrategicFocus),
    }


@sample("employdash.forum.tasks.CreateTask")
def _create_task(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return tasks.CreateTask.of(SEDEROT, _task_values(db, actors))


@sample("employdash.forum.tasks.UpdateTask")
def _update_task(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    values = {**_task_values(db, actors), "status": "blocked"}
    return tasks.UpdateTask.of(*_task(db), values, note="Waiting for the hall")


@sample("employdash.forum.tasks.AddNote")
def _note(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return tasks.AddNote.of(_task(db)[0], "Called the hall")


@sample("employdash.forum.tasks.CancelTask")
def _cancel(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return tasks.CancelTask.of(*_task(db), "No longer needed")


@sample("employdash.forum.tasks.DeleteTask")
def _delete_task(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return tasks.DeleteTask.of(*_task(db), "Entered twice")
