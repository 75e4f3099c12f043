"""Documents attached to a forum's meetings, stage milestones, focuses and tasks.

A manager uploads a PDF, Word, Excel or image file; its type is read from its content
(`employdash.file_types`), its size bounded by `limits.MAX_DOCUMENT_BYTES`, and it is stored in
the database, so backups and replicas carry it. Everyone who reads the forum lists and downloads
them; upload and delete are commands, audited (the audit keeps the name, type and size, not the
content). A meeting's or task's documents go to the trash with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Self

from sqlalchemy import ColumnElement, func, select

from employdash.access import Actor, Area, read_scope
from employdash.commands import Ref, Write, execute, ref
from employdash.db import Database
from employdash.errors import NotFound, ValidationError
from employdash.file_types import base_name, sniff
from employdash.forum.stages import ALL_MILESTONES
from employdash.forum.structure import ForumChange, forum_id_of
from employdash.handed_ids import in_scope
from employdash.i18n import t
from employdash.limits import MAX_DOCUMENT_BYTES, MAX_DOCUMENTS_PER_RECORD, MIB, TOO_MANY
from employdash.models.forum import Forum, Meeting, StrategicFocus, Task
from employdash.models.record import DOCUMENT_OWNERS, Document
from employdash.writers import writer

TOO_LARGE = "record.documents.too_large"
WRONG_TYPE = "record.documents.wrong_type"


@dataclass(frozen=True)
class DocumentRow:
    id: int
    filename: str
    kind: str
    size: int
    uploaded_by: str
    uploaded_at: datetime


@dataclass(frozen=True)
class DocumentFile:
    filename: str
    media_type: str
    content: bytes


def size_text(size: int, lang: str) -> str:
    """A file's size as people read it: KB below a megabyte, MB with one decimal above."""
    if size < MIB:
        return t("record.documents.kb", lang, n=max(1, round(size / 1024)))
    return t("record.documents.mb", lang, n=f"{size / MIB:.1f}")


def describe(filename: str, kind: str, size: int, lang: str) -> str:
    """A document as one line of text (the minutes, the mail): its name, type and size."""
    return t(
        "record.documents.line",
        lang,
        name=filename,
        kind=t(f"record.documents.kind.{kind}", lang),
        size=size_text(size, lang),
    )


def _owned_by(forum_id: Any, owner_kind: str, owner: int | str) -> ColumnElement[bool]:
    """The documents of one record of the forum (`forum_id` an ID or a column)."""
    column = {
        "meeting": Document.meeting_id,
        "task": Document.task_id,
        "focus": Document.focus_id,
        "milestone": Document.milestone_key,
    }[owner_kind]
    owned: ColumnElement[bool] = (Document.forum_id == forum_id) & (column == owner)
    return owned


@dataclass
class UploadDocument(ForumChange[int], entity="document", texts={"filename": "document/filename"}):
    """Attach a file to one record of the forum (exactly one of `meeting`, `task`, `focus`,
    `milestone`); returns the document's ID."""

    forum: Ref[Forum]
    meeting: Ref[Meeting] | None
    task: Ref[Task] | None
    focus: Ref[StrategicFocus] | None
    milestone: str | None
    filename: str | None
    content: bytes

    @classmethod
    def of(  # named by the record it attaches to, not by its fields
        cls, forum_id: int, owner_kind: str, owner: int | str, filename: str, content: bytes
    ) -> Self:
        if owner_kind not in DOCUMENT_OWNERS:
            raise ValidationError({"owner": "validation.invalid"})
        number = owner if isinstance(owner, int) else None
        return cls(
            Ref(Forum, forum_id),
            ref(Meeting, number if owner_kind == "meeting" else None),
            ref(Task, number if owner_kind == "task" else None),
            ref(StrategicFocus, number if owner_kind == "focus" else None),
            str(owner) if owner_kind == "milestone" else None,
            base_name(filename),
            content,
        )

    def owner(self) -> tuple[str, int | str]:
        given = [
            (kind, value)
            for kind, value in (
                ("meeting", self.meeting.id if self.meeting else None),
                ("task", self.task.id if self.task else None),
                ("focus", self.focus.id if self.focus else None),
                ("milestone", self.milestone),
            )
            if value is not None
        ]
        if len(given) != 1:
            raise ValidationError({"owner": "validation.invalid"})
        return given[0]

    def validate(self, w: Write) -> None:
        kind, owner = self.owner()
        if kind == "milestone" and owner not in ALL_MILESTONES:
            raise ValidationError({"owner": "validation.invalid"})
        for record in (
            w.get_optional(self.meeting),
            w.get_optional(self.task),
            w.get_optional(self.focus),
        ):
            if record is not None and record.forum_id != self.forum.id:
                raise NotFound(f"{type(record).__name__} {record.id} of another forum")
        if not self.filename:
            raise ValidationError({"file": "validation.required"})
        if len(self.content) > MAX_DOCUMENT_BYTES:
            raise ValidationError(
                {"file": TOO_LARGE},
                f"{len(self.content)} bytes",
                {"file": {"max_mib": MAX_DOCUMENT_BYTES // MIB}},
            )
        if sniff(self.content, self.filename) is None:
            raise ValidationError({"file": WRONG_TYPE}, f"{self.filename}: not what its name says")
        held = w.session.scalar(select(func.count()).where(_owned_by(self.forum.id, kind, owner)))
        if (held or 0) >= MAX_DOCUMENTS_PER_RECORD:
            raise ValidationError(
                {"file": TOO_MANY}, "", {"file": {"max": MAX_DOCUMENTS_PER_RECORD}}
            )

    def run(self, w: Write) -> int:
        kind, owner = self.owner()
        found = sniff(self.content, self.filename or "")
        assert found is not None  # checked in validate
        row = Document(
            forum_id=self.forum.id,
            owner_kind=kind,
            meeting_id=self.meeting.id if self.meeting else None,
            task_id=self.task.id if self.task else None,
            focus_id=self.focus.id if self.focus else None,
            milestone_key=self.milestone,
            filename=self.filename,
            kind=found.kind,
            media_type=found.media_type,
            size=len(self.content),
            content=self.content,
            uploaded_by=w.actor.username,
        )
        after: dict[str, Any] = {
            "filename": self.filename,
            "kind": found.kind,
            "size": len(self.content),
            "attached_to": kind,
            "record": owner,
        }
        return w.create(row, after).id


def upload_document(
    db: Database,
    actor: Actor,
    locality_code: int,
    owner_kind: str,
    owner: int | str,
    filename: str,
    content: bytes,
) -> int:
    forum_id = forum_id_of(db, actor, locality_code)
    command = UploadDocument.of(forum_id, owner_kind, owner, filename, content)
    return execute(db, actor, command).value


@dataclass
class DeleteDocument(ForumChange[None], entity="document"):
    """Remove a document; the audit row keeps its name, type and size."""

    document: Ref[Document]

    def run(self, w: Write) -> None:
        row = w.get(self.document)
        before = {
            "filename": row.filename,
            "kind": row.kind,
            "size": row.size,
            "attached_to": row.owner_kind,
        }
        w.delete(row, before)


delete_document = writer(DeleteDocument.of)


def list_documents(
    db: Database, actor: Actor, locality_code: int, owner_kind: str, owner: int | str
) -> list[DocumentRow]:
    """The documents of one record of the locality's forum, oldest first (without content)."""
    scope = read_scope(actor, Area.FORUM, locality_code)
    if owner_kind not in DOCUMENT_OWNERS:
        raise ValidationError({"owner": "validation.invalid"})
    with db.transaction() as s:
        rows = s.execute(
            select(
                Document.id,
                Document.filename,
                Document.kind,
                Document.size,
                Document.uploaded_by,
                Document.uploaded_at,
            )
            .join(Forum, Forum.id == Document.forum_id)
            .where(scope.of(Forum.locality_code), _owned_by(Forum.id, owner_kind, owner))
            .order_by(Document.id)
        ).all()
    return [DocumentRow(*r) for r in rows]


def document_file(db: Database, actor: Actor, document_id: int) -> DocumentFile:
    """A document's content to download, for whoever reads its forum."""
    with db.transaction() as s:
        row = in_scope(s, actor, Document, document_id)
        read_scope(actor, Area.FORUM, s.get_one(Forum, row.forum_id).locality_code)
        return DocumentFile(row.filename, row.media_type, row.content)
