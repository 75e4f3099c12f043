"""Mail: the outbox every message is written to (in the transaction of the change that causes
it) and delivered from, people's mail preferences, and the runs of the scheduled messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from employdash.models.base import Base, JsonType, UtcDateTime, utcnow

OUTBOX_STATUSES = ("queued", "sending", "sent", "failed")


class OutboxMessage(Base):
    """One e-mail to one address. `dedupe_key` makes a scheduled message idempotent (a second
    run of the same day finds its key taken); `status`, `attempts` and `next_attempt_at` are the
    sender's, which claims a row before it sends it so two senders never send it twice."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("status IN ('queued','sending','sent','failed')", name="status"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    kind: Mapped[str] = mapped_column(String(40), doc="invitation, minutes, reminder, digest...")
    locality_code: Mapped[int | None] = mapped_column(Integer)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    to_address: Mapped[str] = mapped_column(String(200))
    to_name: Mapped[str | None] = mapped_column(String(160))
    language: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))

    attachments: Mapped[list[OutboxAttachment]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="OutboxAttachment.id"
    )


class OutboxAttachment(Base):
    """A file sent with a message: a calendar invitation (`text/calendar`), minutes, a PDF."""

    __tablename__ = "outbox_attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class MailPreference(Base):
    """What a person (or an account) has stopped receiving; `token` is the unsubscribe link's,
    so one click stops the mail without a login (RFC 8058) and names no one else."""

    __tablename__ = "mail_preference"
    __table_args__ = (
        CheckConstraint("person_id IS NOT NULL OR user_id IS NOT NULL", name="person_or_user"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), unique=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), unique=True
    )
    reminders_off: Mapped[bool] = mapped_column(Boolean, default=False)
    digest_off: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ScheduledRun(Base):
    """One run of a scheduled message kind for one period (a day, an ISO week): a second run of
    the same period finds it and builds nothing new; the admin's outbox page shows the last."""

    __tablename__ = "scheduled_run"
    __table_args__ = (UniqueConstraint("kind", "period", name="uq_scheduled_run_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(20), doc="2026-12-07, or 2026-W50")
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    messages: Mapped[int] = mapped_column(Integer, default=0)
