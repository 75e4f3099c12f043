"""Documents on meetings, milestones, focuses and tasks: the type read from the content, the size
bounded, stored in the database, listed and downloaded by whoever reads the forum, removed through
the pipeline with an audit row, listed in the minutes, and carried to the trash with a meeting."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from sqlalchemy import select

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import PermissionDenied, ValidationError
from employdash.file_types import sniff
from employdash.forum import documents, meeting_edits, meetings, minutes, trash
from employdash.limits import MAX_DOCUMENT_BYTES
from employdash.models import AuditEntry
from employdash.models.forum import StrategicFocus
from tests.forum.helpers import SEDEROT, forum_id
from tests.forum.test_meetings import _input

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx() -> bytes:
    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


def _xlsx() -> bytes:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


def test_the_type_is_read_from_the_content_and_must_agree_with_the_name() -> None:
    kinds = [sniff(PDF, "plan.pdf"), sniff(_docx(), "Plan.DOCX"), sniff(_xlsx(), "numbers.xlsx")]
    assert [k.kind if k else None for k in kinds] == ["pdf", "word", "excel"]
    image = sniff(PNG, "photo.png")
    assert image is not None and image.kind == "image"
    assert sniff(b"MZ\x90\x00 not a pdf", "plan.pdf") is None  # a program named .pdf
    assert sniff(PNG, "plan.pdf") is None  # a picture named .pdf
    assert sniff(_xlsx(), "plan.docx") is None  # a workbook named as a Word file
    assert sniff(PDF, "plan.exe") is None  # a PDF under a name the forum does not take


def test_a_document_is_stored_listed_downloaded_and_named_in_the_minutes(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager, member = actors["manager"], actors["member"]
    mid = meetings.save_meeting(db, manager, _input(db, manager, member.person_id))
    doc = documents.upload_document(
        db, manager, SEDEROT, "meeting", mid, "C:\\Users\\dana\\תוכנית.pdf", PDF
    )
    listed = documents.list_documents(db, member, SEDEROT, "meeting", mid)
    assert [(d.id, d.filename, d.kind, d.size) for d in listed] == [
        (doc, "תוכנית.pdf", "pdf", len(PDF))
    ]
    stored = documents.document_file(db, member, doc)
    assert (stored.content, stored.media_type) == (PDF, "application/pdf")
    _, parts = minutes.sections(meetings.meeting_record(db, member, mid), "en")
    assert ("Documents attached in the app", ["תוכנית.pdf · PDF · 1 KB"]) in parts
    with pytest.raises(PermissionDenied):
        documents.upload_document(db, member, SEDEROT, "meeting", mid, "more.pdf", PDF)


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("plan.pdf", b"<html>not a pdf</html>", "record.documents.wrong_type"),
        ("plan.pdf", PNG, "record.documents.wrong_type"),
        ("big.pdf", PDF + b"0" * MAX_DOCUMENT_BYTES, "record.documents.too_large"),
    ],
)
def test_a_file_not_what_its_name_says_or_too_large_is_refused(
    db: Database, actors: dict[str, Actor], name: str, content: bytes, problem: str
) -> None:
    with db.transaction() as s:
        focus = s.scalar(
            select(StrategicFocus.id).where(StrategicFocus.forum_id == forum_id(db)).limit(1)
        )
    assert focus is not None
    with pytest.raises(ValidationError) as refused:
        documents.upload_document(db, actors["manager"], SEDEROT, "focus", focus, name, content)
    assert refused.value.fields == {"file": problem}
    assert documents.list_documents(db, actors["manager"], SEDEROT, "focus", focus) == []


def test_milestone_and_task_documents_and_their_removal_audited(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    doc = documents.upload_document(
        db, manager, SEDEROT, "milestone", "work_plan_written", "plan.docx", _docx()
    )
    assert [
        d.kind
        for d in documents.list_documents(db, manager, SEDEROT, "milestone", "work_plan_written")
    ] == ["word"]
    with pytest.raises(ValidationError):
        documents.upload_document(db, manager, SEDEROT, "milestone", "no_such_step", "p.pdf", PDF)
    documents.delete_document(db, manager, doc)
    assert documents.list_documents(db, manager, SEDEROT, "milestone", "work_plan_written") == []
    with db.transaction() as s:
        actions = [
            (a.action, (a.after or a.before or {}).get("filename"))
            for a in s.scalars(
                select(AuditEntry).where(
                    AuditEntry.entity == "document", AuditEntry.entity_id == str(doc)
                )
            )
        ]
    assert actions == [("create", "plan.docx"), ("delete", "plan.docx")]


def test_a_meetings_documents_go_to_the_trash_with_it_and_come_back(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    mid = meetings.save_meeting(db, manager, _input(db, manager, actors["member"].person_id))
    uploaded = _xlsx()
    documents.upload_document(db, manager, SEDEROT, "meeting", mid, "slides.xlsx", uploaded)
    _, version = meeting_edits.meeting_input(db, manager, mid)
    meeting_edits.delete_meeting(db, manager, SEDEROT, mid, version, "Entered twice")
    assert documents.list_documents(db, manager, SEDEROT, "meeting", mid) == []
    item = next(r.id for r in trash.list_trash(db, manager, SEDEROT) if r.entity_id == mid)
    trash.restore_from_trash(db, manager, SEDEROT, item)
    back = documents.list_documents(db, manager, SEDEROT, "meeting", mid)
    assert [d.filename for d in back] == ["slides.xlsx"]
    assert documents.document_file(db, manager, back[0].id).content == uploaded
