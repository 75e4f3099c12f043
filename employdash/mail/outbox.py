"""Writing to the outbox: one row per message and address, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from employdash.models.mail import OutboxAttachment, OutboxMessage


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "application/pdf", "text/calendar; method=REQUEST"
    content: bytes


@dataclass(frozen=True)
class Mail:
    """One message to one address, as built by a message kind (invitation, reminder, digest)."""

    kind: str
    to_address: str
    to_name: str | None
    language: str
    subject: str
    text_body: str
    html_body: str | None = None
    locality_code: int | None = None
    headers: Mapping[str, str] | None = None
    attachments: tuple[Attachment, ...] = ()
    dedupe_key: str | None = None


def _row(mail: Mail) -> OutboxMessage:
    return OutboxMessage(
        kind=mail.kind,
        locality_code=mail.locality_code,
        dedupe_key=mail.dedupe_key,
        to_address=mail.to_address,
        to_name=mail.to_name,
        language=mail.language,
        subject=mail.subject,
        text_body=mail.text_body,
        html_body=mail.html_body,
        headers=dict(mail.headers or {}),
        attachments=[
            OutboxAttachment(filename=a.filename, content_type=a.content_type, content=a.content)
            for a in mail.attachments
        ],
    )


def enqueue(session: Session, mail: Mail) -> OutboxMessage | None:
    """Queue `mail` in the caller's transaction; None when a message with its `dedupe_key` is
    already queued or sent (a scheduled run repeated the same day adds nothing)."""
    if mail.dedupe_key is not None and session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.dedupe_key == mail.dedupe_key)
    ):
        return None
    row = _row(mail)
    session.add(row)
    return row


def enqueue_all(session: Session, mails: Iterable[Mail]) -> int:
    """Queue each of `mails`; the number newly queued. The taken keys are read in one query and
    the rows written in one flush (a national reminder run queues thousands)."""
    mails = list(mails)
    keys = [m.dedupe_key for m in mails if m.dedupe_key is not None]
    taken = set(
        session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys)))
        if keys
        else ()
    )
    added = 0
    for mail in mails:
        if mail.dedupe_key is not None:
            if mail.dedupe_key in taken:
                continue
            taken.add(mail.dedupe_key)
        session.add(_row(mail))
        added += 1
    return added
