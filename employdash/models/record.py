"""What keeps the record whole: the trash a deleted record waits in, and the documents attached
to meetings, milestones, focuses and tasks.

A deleted record leaves its tables (so no read anywhere needs a "deleted" filter) and its rows,
with the rows that hung on it, wait serialized in `TrashItem` for `TRASH_DAYS`; a restore puts
them back with their own IDs. Documents live in the database, so backups and replicas carry them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from employdash.models.base import Base, JsonType, UtcDateTime, utcnow

# How long a deleted record can be restored; after that the trash forgets it (the audit stays).
TRASH_DAYS = 90
# What a document can be attached to.
DOCUMENT_OWNERS = ("meeting", "milestone", "focus", "task")


class TrashItem(Base):
    """A deleted record with the rows that hung on it: `{table: [row, ...]}` in the order they
    are put back (JSON values; dates as ISO text, bytes as base64)."""

    __tablename__ = "trash_item"
    __table_args__ = (Index("ix_trash_item_locality_deleted", "locality_code", "deleted_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    locality_code: Mapped[int | None] = mapped_column(ForeignKey("locality.code"))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str | None] = mapped_column(String(300))
    rows: Mapped[dict[str, Any]] = mapped_column(JsonType)
    deleted_by: Mapped[str] = mapped_column(String(60))
    deleted_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Document(Base):
    """A file attached to one record of a forum: a meeting, a stage milestone (by its key), a
    focus or a task. Its type was read from its content when it was uploaded."""

    __tablename__ = "document"
    __table_args__ = (Index("ix_document_forum_owner", "forum_id", "owner_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"))
    owner_kind: Mapped[str] = mapped_column(String(20))
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("task.id", ondelete="CASCADE"), index=True
    )
    focus_id: Mapped[int | None] = mapped_column(
        ForeignKey("strategic_focus.id", ondelete="CASCADE"), index=True
    )
    milestone_key: Mapped[str | None] = mapped_column(String(60))
    filename: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10), doc="pdf, word, excel, image")
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(60))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
