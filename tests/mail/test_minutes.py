"""The minutes by e-mail: one message per member or attendee with an address, in their language,
the minutes PDF attached; the others named as not reachable; a corrected meeting's minutes say
they replace the earlier ones; only the manager of the meeting's locality may send them."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import or_, select, update

from employdash.access import Actor
from employdash.commands import execute
from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied
from employdash.forum import documents, meeting_edits, meetings
from employdash.i18n import fmt_date
from employdash.mail import minutes
from employdash.mail.message import build
from employdash.models import Person, User
from employdash.models.forum import Attendance, Forum, Meeting, Membership
from employdash.models.mail import OutboxMessage
from tests.foundation.command_samples.forum_meetings import meeting_input


def _send(
    db: Database, actor: Actor, meeting_id: int, note: str | None = None
) -> minutes.MinutesSent:
    return execute(db, actor, minutes.SendMinutes.of(meeting_id, note)).value


def _rows(db: Database) -> list[OutboxMessage]:
    with db.transaction() as s:
        rows = list(
            s.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.kind == "minutes")
                .order_by(OutboxMessage.id)
            )
        )
        for row in rows:
            _ = row.attachments
        return rows


def _pdf_text(content: bytes) -> str:
    return " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())


def _people(db: Database, meeting_id: int) -> dict[int, tuple[str, str | None]]:
    """The team's current members and the meeting's attendees: id -> (name, e-mail)."""
    with db.transaction() as s:
        meeting = s.get_one(Meeting, meeting_id)
        members = select(Membership.person_id).where(
            Membership.team_id == meeting.team_id, Membership.ended_on.is_(None)
        )
        attendees = select(Attendance.person_id).where(Attendance.meeting_id == meeting_id)
        return {
            p.id: (p.full_name, p.email)
            for p in s.scalars(
                select(Person).where(
                    or_(Person.id.in_(members), Person.id.in_(attendees)), Person.active
                )
            )
        }


@pytest.fixture
def meeting(db: Database, actors: dict[str, Actor]) -> int:
    return meetings.save_meeting(db, actors["manager"], meeting_input(db, actors))


def test_one_message_per_reachable_person_in_their_language_with_the_pdf(
    db: Database, actors: dict[str, Actor], meeting: int
) -> None:
    people = _people(db, meeting)
    member = actors["member"]
    assert member.person_id in people
    silent = next(pid for pid in people if pid != member.person_id)
    with db.transaction() as s:  # one person without an e-mail; the member reads English
        s.execute(update(Person).where(Person.id == silent).values(email=None))
        s.execute(update(User).where(User.id == member.user_id).values(language="en"))

    preview = minutes.recipients(db, actors["manager"], meeting)
    sent = _send(db, actors["manager"], meeting, "Read <b>before</b> Sunday")

    reachable = {pid for pid, (_, mail) in people.items() if mail and pid != silent}
    assert sent.queued == len(reachable) == len(preview.reachable)
    assert set(sent.unreachable) == {people[silent][0], "Dana Guest"} == set(preview.unreachable)
    rows = _rows(db)
    assert sorted(r.to_address for r in rows) == sorted(people[pid][1] or "" for pid in reachable)
    by_address = {r.to_address: r for r in rows}
    english = by_address[people[member.person_id][1] or ""]
    hebrew = next(r for r in rows if r is not english)
    assert english.language == "en" and hebrew.language == "he"
    held = fmt_date(date(2026, 11, 20), "en")
    assert english.subject.startswith("Minutes:") and held in english.subject
    assert hebrew.subject.startswith("סיכום ישיבה")
    assert "1 decision" not in english.text_body and "One decision was made" in english.text_body
    assert "Book the hall" in english.text_body  # the task, with its owner
    assert "Read &lt;b&gt;before&lt;/b&gt; Sunday" in (english.html_body or "")
    assert f"/forum?locality=1031&meeting={meeting}" in english.text_body
    [pdf] = english.attachments
    assert pdf.content_type == "application/pdf" and pdf.filename.endswith("_en.pdf")
    assert "Start the youth team" in _pdf_text(pdf.content)
    assert hebrew.attachments[0].filename.endswith("_he.pdf")
    assert hebrew.attachments[0].content != pdf.content
    message = build(english, "forum@example.org")  # the MIME message the sender hands to SMTP
    assert [p.get_filename() for p in message.iter_attachments()] == [pdf.filename]
    with db.transaction() as s:
        forum = s.scalar(
            select(Forum.locality_code)
            .join(Meeting, Meeting.forum_id == Forum.id)
            .where(Meeting.id == meeting)
        )
    assert {r.locality_code for r in rows} == {forum}


def test_a_corrected_meeting_is_sent_as_replacing_the_first_sending(
    db: Database, actors: dict[str, Actor], meeting: int
) -> None:
    manager = actors["manager"]
    first = _send(db, manager, meeting)
    assert first.replaces is None and first.queued > 0
    again = _send(db, manager, meeting)  # the same version again: nobody gets it twice
    assert (again.queued, again.already) == (0, first.queued)

    data, version = meeting_edits.meeting_input(db, manager, meeting)
    data.decisions = [*data.decisions, "Open a second job fair"]
    execute(db, manager, meeting_edits.CorrectMeeting.of(meeting, version, data, []))
    second = _send(db, manager, meeting)
    [one, two] = minutes.sendings(db, manager, meeting)
    assert second.queued == first.queued and second.replaces == one.on
    assert (one.count, two.count) == (first.queued, second.queued) and two.version > one.version
    corrected = _rows(db)[first.queued :]
    assert len(corrected) == second.queued
    sent_on = fmt_date(one.on, "he")
    for row in corrected:
        assert sent_on in row.subject and sent_on in row.text_body
        assert "מתוקן" in row.subject
    # a second correction, read by a member in English: it replaces the second sending
    with db.transaction() as s:
        s.execute(update(User).where(User.id == actors["member"].user_id).values(language="en"))
    data, version = meeting_edits.meeting_input(db, manager, meeting)
    data.issues = "Corrected once more"
    execute(db, manager, meeting_edits.CorrectMeeting.of(meeting, version, data, []))
    _send(db, manager, meeting)
    member_mail = next(r for r in _rows(db) if r.language == "en" and "replacing" in r.subject)
    assert f"replacing those sent on {fmt_date(two.on, 'en')}" in member_mail.subject
    assert "replace the minutes sent on" in member_mail.text_body
    assert "Open a second job fair" in _pdf_text(member_mail.attachments[0].content)


def test_only_a_manager_of_the_meeting_s_locality_sends_it(
    db: Database, actors: dict[str, Actor], meeting: int
) -> None:
    for who in ("member", "mayor"):
        with pytest.raises(PermissionDenied):
            _send(db, actors[who], meeting)
    manager = actors["manager"]
    assert manager.localities is not None
    with db.transaction() as s:
        elsewhere = s.scalar(
            select(Meeting.id)
            .join(Forum, Forum.id == Meeting.forum_id)
            .where(Forum.locality_code.not_in(manager.localities))
            .limit(1)
        )
    assert elsewhere is not None
    with pytest.raises((NotFound, PermissionDenied)):
        _send(db, manager, elsewhere)
    with pytest.raises((NotFound, PermissionDenied)):
        minutes.recipients(db, manager, elsewhere)
    assert _rows(db) == []


def test_the_minutes_mail_lists_the_meetings_documents(
    db: Database, actors: dict[str, Actor], meeting: int
) -> None:
    manager = actors["manager"]
    documents.upload_document(
        db, manager, 1031, "meeting", meeting, "slides.pdf", b"%PDF-1.7\n%%EOF\n"
    )
    _send(db, manager, meeting)
    bodies = [r.text_body for r in _rows(db)]
    assert bodies and all("מסמכים מצורפים באפליקציה" in body for body in bodies)  # Hebrew readers
    assert all("slides.pdf\u2069 · PDF · 1 KB" in body for body in bodies)
    pdf = _pdf_text(next(a.content for r in _rows(db) for a in r.attachments))
    assert "slides.pdf" in pdf
