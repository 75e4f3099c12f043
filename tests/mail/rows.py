"""Outbox rows the tests put in place directly (as the sender would have left them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from employdash.models.mail import OutboxMessage

SEDEROT = 1031


def failed_message(s: Session, **fields: Any) -> int:
    """A message of Sederot the server refused for good; `fields` override its values."""
    row = OutboxMessage(
        **{
            "kind": "reminder",
            "locality_code": SEDEROT,
            "to_address": "gone@example.org",
            "language": "he",
            "subject": "Your tasks",
            "text_body": "Your tasks",
            "status": "failed",
            "attempts": 1,
            "last_error": "550 5.1.1 No such mailbox",
        }
        | fields
    )
    s.add(row)
    s.flush()
    return row.id
