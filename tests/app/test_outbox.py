"""The admin's outbox page: with no mail server it says mail is off and the app works; a failed
message is listed with its reason and put back in the queue from the page; user text in a
message stays plain text."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from employdash.config import get_config
from employdash.db import get_database
from employdash.models import AuditEntry
from employdash.models.mail import OutboxMessage, ScheduledRun
from tests.mail.rows import failed_message
from tests.support.apptest import app_as, texts

PAGE = "pages/outbox.py"


def _fill(url: str) -> int:
    """A sent message, a failed one (its subject typed with Markdown) and a scheduled run."""
    db = get_database(url)
    with db.transaction() as s:
        common = {"locality_code": 1031, "language": "he", "text_body": "body"}
        s.add(
            OutboxMessage(
                kind="reminder",
                to_address="dana@example.org",
                to_name="Dana Levi",
                subject="Your tasks",
                status="sent",
                sent_at=datetime(2026, 12, 7, 6, 1, tzinfo=UTC),
                **common,
            )
        )
        failed = failed_message(
            s, kind="invitation", subject="**Forum** [meeting](http://evil.example)"
        )
        s.add(ScheduledRun(kind="reminder", period="2026-12-07", messages=1))
        return failed


def test_mail_off_is_said_and_the_outbox_is_listed(app_db: str) -> None:
    _fill(app_db)
    at = app_as("admin", page=PAGE, lang="en")
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Mail is off: no mail server is configured" in shown
    assert "Queued: 0 · Sending: 0 · Sent: 1 · Failed: 1" in shown
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "Created", "Kind", "To", "Subject", "Status", "Attempts", "Last error", "Sent at",
    ]  # fmt: skip
    assert list(table["Status"]) == ["Failed", "Sent"]  # newest first
    failed = table.iloc[0]
    assert failed["Subject"] == "**Forum** [meeting](http://evil.example)"  # as typed, not read
    assert failed["Last error"] == "550 5.1.1 No such mailbox"
    assert table.iloc[1]["To"] == "dana@example.org"
    assert table.iloc[1]["Sent at"] == "07/12/2026 08:01"  # Israel time
    runs = at.dataframe[1].value
    assert list(runs["Kind"]) == ["Reminder"] and list(runs["Period"]) == ["2026-12-07"]

    at.selectbox(key="outbox_status_en").set_value("sent").run()
    assert list(at.dataframe[0].value["Status"]) == ["Sent"]


def test_a_failed_message_is_put_back_in_the_queue(app_db: str) -> None:
    failed_id = _fill(app_db)
    at = app_as("admin", page=PAGE, lang="he")
    assert not at.exception, at.exception
    assert "הדואר כבוי" in texts(at)
    assert at.selectbox(key="outbox_retry_pick_he").value == failed_id
    at.button(key="outbox_retry").click().run()
    assert not at.exception, at.exception
    assert "ההודעה הוחזרה לתור" in texts(at)
    assert "אין הודעות שנכשלו." in texts(at)
    db = get_database(get_config().DATABASE_URL)
    with db.transaction() as s:
        row = s.get_one(OutboxMessage, failed_id)
        assert (row.status, row.attempts) == ("queued", 0)
        audit = s.scalars(select(AuditEntry).where(AuditEntry.entity == "outbox")).one()
        assert (audit.action, audit.username, audit.entity_id) == ("retry", "admin", str(failed_id))
