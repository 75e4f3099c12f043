"""The administrator's view of the outbox: what was sent, what waits, what failed and why, the
last run of each scheduled message kind, and retrying a failed message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from employdash.access import Actor, Area, require_read
from employdash.commands import Command, Ref, Write, execute
from employdash.config import Config
from employdash.db import Database
from employdash.errors import ValidationError
from employdash.mail.sender import mail_is_on
from employdash.models.base import as_row, utcnow
from employdash.models.mail import OUTBOX_STATUSES, OutboxMessage, ScheduledRun

PAGE_SIZE = 200
STATUSES = OUTBOX_STATUSES  # the page's filter offers these


@dataclass(frozen=True)
class OutboxRow:
    id: int
    created_at: datetime
    kind: str
    to_address: str
    to_name: str | None
    subject: str
    status: str
    attempts: int
    last_error: str | None
    sent_at: datetime | None


@dataclass(frozen=True)
class RunRow:
    kind: str
    period: str
    started_at: datetime
    finished_at: datetime | None
    messages: int


@dataclass(frozen=True)
class OutboxState:
    """What the outbox page shows above the list."""

    mail_on: bool
    counts: dict[str, int]
    last_runs: list[RunRow]


def messages(
    db: Database, actor: Actor, status: str | None = None, limit: int = PAGE_SIZE
) -> list[OutboxRow]:
    """The newest messages first, of one status or all."""
    require_read(actor, Area.OUTBOX)
    query = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    with db.transaction() as s:
        return [as_row(OutboxRow, r) for r in s.scalars(query.limit(limit))]


def state(db: Database, actor: Actor, config: Config) -> OutboxState:
    """Whether mail goes out, the messages of each status, and each kind's last scheduled run."""
    require_read(actor, Area.OUTBOX)
    latest = (
        select(ScheduledRun.kind, func.max(ScheduledRun.started_at).label("at"))
        .group_by(ScheduledRun.kind)
        .subquery()
    )
    with db.transaction() as s:
        by_status = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        found = {status: int(n) for status, n in s.execute(by_status)}
        runs = s.scalars(
            select(ScheduledRun)
            .join(
                latest,
                (ScheduledRun.kind == latest.c.kind) & (ScheduledRun.started_at == latest.c.at),
            )
            .order_by(ScheduledRun.kind, ScheduledRun.id.desc())
        ).all()
        last = {r.kind: as_row(RunRow, r) for r in reversed(runs)}  # one per kind, the newest id
    counts = {status: found.get(status, 0) for status in OUTBOX_STATUSES}
    return OutboxState(mail_is_on(config), counts, [last[k] for k in sorted(last)])


@dataclass
class RetryMessage(
    Command[None], area=Area.OUTBOX, entity="outbox", invalidates=frozenset({Area.OUTBOX})
):
    """A failed message back in the queue, due now, its attempts counted afresh."""

    message: Ref[OutboxMessage]

    def validate(self, w: Write) -> None:
        if w.get(self.message).status != "failed":
            raise ValidationError({"message": "outbox.retry.not_failed"}, "not a failed message")

    def run(self, w: Write) -> None:
        row = w.get(self.message)
        before = {"status": row.status, "attempts": row.attempts, "last_error": row.last_error}
        row.status, row.attempts, row.next_attempt_at = "queued", 0, utcnow()
        w.session.flush()
        w.audit("retry", row.id, before=before, after={"status": "queued", "attempts": 0})


def retry_message(db: Database, actor: Actor, message_id: int) -> None:
    execute(db, actor, RetryMessage.of(message_id))
