"""Events: rows saying what happened, written by `commands.execute` in the change's transaction.

Consumers (the outbox of mail and calendar invitations) read them after the commit and never run
inside the writer, so a slow or failing consumer cannot hold up or undo a change.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from employdash.audit import jsonable
from employdash.models import Event


class EventName(StrEnum):
    """Every event the product emits: the vocabulary its consumers (mail, calendar) read."""

    MEETING_SCHEDULED = "meeting.scheduled"  # a meeting's date, time or place is set or moved
    MEETING_SAVED = "meeting.saved"  # the outcomes entered: attendance, decisions, tasks
    MEETING_CORRECTED = "meeting.corrected"  # saved outcomes corrected afterwards
    PLAN_APPROVED = "plan.approved"  # the work plan approved (or its approval withdrawn)
    DECISION_CLOSED = "decision.closed"
    TASK_ASSIGNED = "task.assigned"  # a task has a new owner (made with one, or handed over)
    TASK_UPDATED = "task.updated"


def record_event(
    session: Session,
    name: str,
    username: str,
    locality_code: int | None,
    entity: str,
    entity_id: Any,
    payload: Mapping[str, Any],
) -> None:
    session.add(
        Event(
            name=name,
            username=username,
            locality_code=locality_code,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            payload=jsonable(dict(payload)),
        )
    )
