"""An outbox row as a MIME message: no header injection, the parts and attachments intact, and
the outbox row written with the change that caused it or not at all."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from employdash.db import Database
from employdash.events import consumes, record_event
from employdash.mail.message import build
from employdash.mail.outbox import Attachment, Mail, enqueue
from employdash.models import Event
from employdash.models.mail import OutboxAttachment, OutboxMessage

pytestmark = pytest.mark.rolled_back

ICS = b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


def _row(**changes: object) -> OutboxMessage:
    values: dict[str, object] = {
        "id": 7,
        "created_at": datetime(2026, 12, 7, 8, 0, tzinfo=UTC),
        "to_address": "dana@example.org",
        "to_name": "Dana",
        "language": "he",
        "subject": "Forum meeting",
        "text_body": "plain",
        "html_body": "<p>html</p>",
        "headers": {},
        "attachments": [],
    }
    return OutboxMessage(**(values | changes))


def _sent(row: OutboxMessage) -> EmailMessage:
    parsed = message_from_bytes(build(row, "forum@city.example").as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_a_line_break_in_a_name_or_subject_adds_no_header() -> None:
    msg = _sent(_row(to_name="Dana\r\nBcc: spy@evil.example", subject="Hi\nBcc: spy@evil.example"))
    assert msg["Bcc"] is None
    assert msg["Subject"] == "Hi Bcc: spy@evil.example"
    assert msg["To"].addresses[0].addr_spec == "dana@example.org"


def test_parts_attachments_and_headers_survive() -> None:
    row = _row(
        headers={"List-Unsubscribe": "<https://app.example/mail/unsubscribe?token=t>"},
        attachments=[
            OutboxAttachment(
                filename="invite.ics",
                content_type="text/calendar; method=REQUEST; charset=utf-8",
                content=ICS,
            ),
            OutboxAttachment(
                filename="minutes.pdf", content_type="application/pdf", content=b"%PDF"
            ),
        ],
    )
    msg = _sent(row)
    assert msg["Content-Language"] == "he"
    assert msg["Message-ID"] == "<outbox-7@city.example>"
    assert msg["List-Unsubscribe"] == "<https://app.example/mail/unsubscribe?token=t>"
    body = msg.get_body(preferencelist=("html",))
    assert body is not None and body.get_content().strip() == "<p>html</p>"
    calendar = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    assert {p.get_param("method") for p in calendar} == {"REQUEST"}
    files = {a.get_filename(): a.get_payload(decode=True) for a in msg.iter_attachments()}
    assert files["invite.ics"] == ICS and files["minutes.pdf"] == b"%PDF"


def test_a_long_unsubscribe_link_goes_out_as_written() -> None:
    """Not as encoded words (`=?utf-8?q?=3Chttps...`), which a mail client does not read as a
    link: the one-click unsubscribe would be lost."""
    link = "<https://app.example/mail/unsubscribe?token=" + "t" * 64 + ">"
    sent = build(_row(headers={"List-Unsubscribe": link}), "forum@city.example").as_bytes()
    assert b"\r\nList-Unsubscribe: " + link.encode() + b"\r\n" in sent
    assert _sent(_row(headers={"List-Unsubscribe": link}))["List-Unsubscribe"] == link


def _count(db: Database) -> int:
    with db.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


def _mail(key: str | None = None) -> Mail:
    return Mail(
        kind="test",
        to_address="dana@example.org",
        to_name="Dana",
        language="en",
        subject="s",
        text_body="t",
        attachments=(Attachment("a.txt", "text/plain", b"a"),),
        dedupe_key=key,
    )


def test_a_taken_dedupe_key_queues_nothing_more(db: Database) -> None:
    before = _count(db)
    with db.transaction() as s:
        assert enqueue(s, _mail("test:dedupe")) is not None
    with db.transaction() as s:
        assert enqueue(s, _mail("test:dedupe")) is None
        assert enqueue(s, _mail()) is not None
    assert _count(db) == before + 2


@consumes("test.outbox_probe")
def _probe(session: Session, event: Event) -> None:
    enqueue(session, _mail())


def test_a_consumer_writes_in_the_writers_transaction(db: Database) -> None:
    before = _count(db)
    with pytest.raises(RuntimeError), db.transaction() as s:
        record_event(s, "test.outbox_probe", "tester", None, "test", 1, {})
        raise RuntimeError("the change fails after its event")
    assert _count(db) == before
    with db.transaction() as s:
        record_event(s, "test.outbox_probe", "tester", None, "test", 1, {})
    assert _count(db) == before + 1


def test_control_characters_in_a_name_or_subject_do_not_reach_the_message() -> None:
    unsafe = "".join(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F))
    msg = _sent(_row(to_name=f"Da{unsafe}na", subject=f"Fo{unsafe}rum"))
    assert str(msg["To"]) == "Dana <dana@example.org>"
    assert msg["Subject"] == "Forum"


def test_control_characters_do_not_reach_a_calendar_invitation() -> None:
    from datetime import date, time

    from employdash.mail.calendar import CalendarMeeting, CalendarPerson, ics

    unsafe = "".join(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F))
    meeting = CalendarMeeting(
        uid="u@example",
        sequence=0,
        on_date=date(2026, 12, 20),
        starts=time(9),
        ends=time(10),
        summary=f"Fo{unsafe}rum",
        location=f"Ha{unsafe}ll",
        description=f"Line{unsafe}\nnext",
        organiser=CalendarPerson("forum@city.example", f"Ci{unsafe}ty"),
        attendees=[CalendarPerson("dana@example.org", f"Da{unsafe}na")],
    )
    made = ics(meeting, cancelled=False, stamp=datetime(2026, 12, 7, 8, 0, tzinfo=UTC))
    text = made.decode()
    assert not set(text) & set(unsafe.replace("\t", "")) - {"\r", "\n"}
    assert "CN=Dana" in text and "SUMMARY:Forum" in text and "LOCATION:Hall" in text
