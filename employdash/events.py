"""Events: rows saying what happened, written by `commands.execute` in the change's transaction.

A consumer (the mail that follows a change: invitations, their updates and cancellations) runs
in the same transaction as the event it consumes, so its outbox rows commit with the change or not
at all: nothing is lost if the process dies after the commit, and nothing is sent for a change that
rolled back. Delivery itself happens later, outside the writer (`employdash.mail.sender`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any, Concatenate, ParamSpec

from sqlalchemy import insert
from sqlalchemy.orm import Session

from employdash.audit import jsonable
from employdash.models import Event
from employdash.models.base import table_of


class EventName(StrEnum):
    """Every event the product emits: the vocabulary its consumers (mail, calendar) read."""

    MEETING_SCHEDULED = "meeting.scheduled"  # a meeting's date, time or place is set or moved
    MEETING_CANCELLED = "meeting.cancelled"  # a planned meeting is called off
    INVITATION_ANSWERED = "invitation.answered"  # an invitee answers coming, not coming, maybe
    MEETING_SAVED = "meeting.saved"  # the outcomes entered: attendance, decisions, tasks
    MEETING_CORRECTED = "meeting.corrected"  # saved outcomes corrected afterwards
    PLAN_APPROVED = "plan.approved"  # the work plan approved (or its approval withdrawn)
    DECISION_CLOSED = "decision.closed"
    TASK_ASSIGNED = "task.assigned"  # a task has a new owner (made with one, or handed over)
    TASK_UPDATED = "task.updated"


P = ParamSpec("P")
Consumer = Callable[[Session, Event], None]

# The modules whose consumers subscribe (loaded by name on the first event: the foundation imports
# no product area, and a process that writes must never miss a consumer because nothing happened
# to import it).
CONSUMER_MODULES = ("employdash.mail.consumers",)
_consumers: dict[str, list[Consumer]] = {}
_loaded: list[bool] = []


def consumes(*names: str) -> Callable[[Consumer], Consumer]:
    """Subscribe the decorated function to the events `names`, in the writer's transaction."""

    def subscribe(consumer: Consumer) -> Consumer:
        for name in names:
            _consumers.setdefault(name, []).append(consumer)
        return consumer

    return subscribe


def consumers_of(name: str) -> tuple[Consumer, ...]:
    if not _loaded:
        for module in CONSUMER_MODULES:
            importlib.import_module(module)
        _loaded.append(True)
    return tuple(_consumers.get(name, ()))


def event_row(
    name: str,
    username: str,
    locality_code: int | None,
    entity: str,
    entity_id: Any,
    payload: Mapping[str, Any],
) -> dict[str, Any]:
    """The columns of one event, as stored."""
    return {
        "name": name,
        "username": username,
        "locality_code": locality_code,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "payload": jsonable(dict(payload)),
    }


def _consumed(make: Callable[P, dict[str, Any]]) -> Callable[Concatenate[Session, P], None]:
    def record(session: Session, /, *args: P.args, **kwargs: P.kwargs) -> None:
        """Add the event and run its consumers on it, in the writer's transaction."""
        event = Event(**make(*args, **kwargs))
        session.add(event)
        for consumer in consumers_of(event.name):
            consumer(session, event)

    return record


# `record_event(session, name, username, locality_code, entity, entity_id, payload)`
record_event = _consumed(event_row)


def record_events(session: Session, rows: list[dict[str, Any]]) -> None:
    """Write the rows `event_row` made, of events no consumer follows, in one statement."""
    if rows:
        session.execute(_INSERT, rows)


_INSERT = insert(table_of(Event))
