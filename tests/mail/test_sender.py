"""The sender against a real SMTP server (STARTTLS and AUTH required), on SQLite and PostgreSQL:
what is queued arrives intact and once, a server down loses nothing, a refused recipient fails
alone with the reason, two senders at once send each message once."""

from __future__ import annotations

import importlib
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from employdash.db import Database
from employdash.mail import sender
from employdash.mail.notify import deliver_all
from employdash.mail.outbox import Attachment, Mail, enqueue_all
from employdash.mail.sender import STALE_CLAIM, backoff, deliver_due, mail_is_on
from employdash.models.mail import OutboxMessage
from tests.support.smtp import USER, SmtpServer

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def _mail(to: str, subject: str = "Forum meeting", **extra: object) -> Mail:
    fields: dict[str, object] = {
        "kind": "invitation",
        "to_address": to,
        "to_name": "Dana Levi",
        "language": "en",
        "subject": subject,
        "text_body": "Plain body",
    }
    return Mail(**(fields | extra))  # type: ignore[arg-type]


def _queue(db: Database, *mails: Mail) -> None:
    with db.transaction() as s:
        enqueue_all(s, mails)
        s.execute(update(OutboxMessage).values(created_at=NOW, next_attempt_at=NOW))


def _utc(when: datetime | None) -> datetime | None:
    """SQLite hands back its UTC times without the zone."""
    return when if when is None or when.tzinfo else when.replace(tzinfo=UTC)


def _rows(db: Database) -> dict[str, OutboxMessage]:
    with db.transaction() as s:
        return {r.to_address: r for r in s.scalars(select(OutboxMessage))}


def _deliver(db: Database, server: SmtpServer, now: datetime = NOW, **kw: int):  # type: ignore[no-untyped-def]
    return deliver_due(db, server.config(), now=now, context=server.client_context(), **kw)


def test_a_queued_message_arrives_whole_over_tls_and_auth(
    db: Database, smtp_server: SmtpServer
) -> None:
    pdf = Attachment("minutes.pdf", "application/pdf", b"%PDF-1.7 minutes")
    ics = Attachment("invite.ics", "text/calendar; method=REQUEST", b"BEGIN:VCALENDAR\r\n")
    _queue(
        db,
        _mail(
            "dana@example.org",
            subject="Forum meeting \u2014 \u05e4\u05d5\u05e8\u05d5\u05dd",
            html_body="<p>HTML body</p>",
            headers={"List-Unsubscribe": "<https://app.example/unsubscribe?t=x>"},
            attachments=(pdf, ics),
        ),
    )
    report = _deliver(db, smtp_server)
    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    [got] = smtp_server.messages
    assert got.tls and got.authenticated_as == USER
    assert got.rcpt_tos == ("dana@example.org",) and got.mail_from == "forum@test.example"
    msg = got.message
    assert msg["Subject"] == "Forum meeting \u2014 \u05e4\u05d5\u05e8\u05d5\u05dd"
    assert msg["To"].addresses[0].display_name == "Dana Levi"
    assert msg["List-Unsubscribe"] == "<https://app.example/unsubscribe?t=x>"
    assert msg.get_body(("html",)).get_content().strip() == "<p>HTML body</p>"  # type: ignore[union-attr]
    assert msg.get_body(("plain",)).get_content().strip() == "Plain body"  # type: ignore[union-attr]
    files = {a.get_filename(): a.get_content() for a in msg.iter_attachments()}
    assert files["minutes.pdf"] == b"%PDF-1.7 minutes"
    assert "BEGIN:VCALENDAR" in str(files["invite.ics"])
    row = _rows(db)["dana@example.org"]
    assert (row.status, _utc(row.sent_at), row.claimed_by) == ("sent", NOW, None)


def test_mail_is_off_without_a_server_and_the_queue_waits(
    db: Database, smtp_server: SmtpServer
) -> None:
    off = smtp_server.config(SMTP_HOST="")
    assert not mail_is_on(off) and mail_is_on(smtp_server.config())
    _queue(db, _mail("dana@example.org"))
    assert deliver_due(db, off, now=NOW).sent == 0
    assert _rows(db)["dana@example.org"].status == "queued"


def test_server_down_then_up_loses_nothing_and_sends_once(
    db: Database, smtp_server: SmtpServer
) -> None:
    _queue(db, _mail("a@example.org"), _mail("b@example.org"))
    smtp_server.stop()
    report = _deliver(db, smtp_server)
    assert (report.sent, report.retried) == (0, 2)
    for row in _rows(db).values():
        assert (row.status, row.attempts) == ("queued", 1)
        assert _utc(row.next_attempt_at) == NOW + backoff(1)
        assert row.last_error and "connection" in row.last_error
    smtp_server.start()
    assert _deliver(db, smtp_server).sent == 0  # not due yet: the backoff holds
    later = NOW + backoff(1)
    assert _deliver(db, smtp_server, now=later).sent == 2
    assert _deliver(db, smtp_server, now=later + timedelta(days=1)).sent == 0
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == ["a@example.org", "b@example.org"]
    assert {r.status for r in _rows(db).values()} == {"sent"}


def test_the_backoff_grows_and_gives_up_with_the_reason(
    db: Database, smtp_server: SmtpServer
) -> None:
    _queue(db, _mail("busy@example.org"))
    smtp_server.refuse("busy@example.org", "451 4.3.0 Mailbox busy, try later")
    now, waits = NOW, []
    for _ in range(30):
        report = _deliver(db, smtp_server, now=now)
        row = _rows(db)["busy@example.org"]
        if row.status == "failed":
            break
        due = _utc(row.next_attempt_at)
        assert due is not None
        waits.append(due - now)
        now = due
    assert report.failed == 1 and row.last_error is not None
    assert "451 4.3.0 Mailbox busy" in row.last_error and "gave up" in row.last_error
    assert waits == sorted(waits) and waits[0] == timedelta(minutes=1)
    assert not smtp_server.messages


def test_a_refused_recipient_fails_alone_with_the_reason(
    db: Database, smtp_server: SmtpServer
) -> None:
    _queue(
        db,
        _mail("first@example.org"),
        _mail("gone@example.org"),
        _mail("not an address"),
        _mail("last@example.org"),
    )
    smtp_server.refuse("gone@example.org", "550 5.1.1 No such mailbox")
    report = _deliver(db, smtp_server)
    assert (report.sent, report.retried, report.failed) == (2, 0, 2)
    rows = _rows(db)
    assert rows["gone@example.org"].status == "failed"
    assert rows["gone@example.org"].last_error == "550 5.1.1 No such mailbox"
    assert rows["not an address"].status == "failed"
    assert "invalid address" in (rows["not an address"].last_error or "")
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == [
        "first@example.org",
        "last@example.org",
    ]
    assert _deliver(db, smtp_server, now=NOW + timedelta(days=1)) == type(report)()
    assert len(smtp_server.messages) == 2


def test_a_wrong_password_is_retried_and_not_written_down(
    db: Database, smtp_server: SmtpServer
) -> None:
    _queue(db, _mail("dana@example.org"))
    wrong = smtp_server.config(SMTP_PASSWORD="not-the-password")
    report = deliver_due(db, wrong, now=NOW, context=smtp_server.client_context())
    row = _rows(db)["dana@example.org"]
    assert report.retried == 1 and row.status == "queued"
    assert row.last_error and "not-the-password" not in row.last_error
    assert row.last_error.startswith("535")  # the server's refusal, not a timeout
    assert not smtp_server.messages


def test_a_sender_that_skips_tls_is_refused_by_the_server(
    db: Database, smtp_server: SmtpServer
) -> None:
    """The server really requires STARTTLS: the delivery above proves the sender uses it."""
    _queue(db, _mail("dana@example.org"))
    plain = smtp_server.config(SMTP_STARTTLS="false")
    assert deliver_due(db, plain, now=NOW).retried == 1
    assert not smtp_server.messages


def test_a_stale_claim_is_taken_over_and_a_fresh_one_is_not(
    db: Database, smtp_server: SmtpServer
) -> None:
    _queue(db, _mail("stale@example.org"), _mail("busy@example.org"))
    with db.transaction() as s:
        ages = {"stale@example.org": STALE_CLAIM * 2, "busy@example.org": timedelta(minutes=1)}
        for address, age in ages.items():
            s.execute(
                update(OutboxMessage)
                .where(OutboxMessage.to_address == address)
                .values(status="sending", claimed_by="dead-host:1:ab", claimed_at=NOW - age)
            )
    assert _deliver(db, smtp_server).sent == 1
    rows = _rows(db)
    assert rows["stale@example.org"].status == "sent"
    assert rows["busy@example.org"].status == "sending"  # its sender may still be at it
    assert [m.rcpt_tos for m in smtp_server.messages] == [("stale@example.org",)]


def test_a_claim_waiting_for_another_takes_the_next_rows(db: Database) -> None:
    """A sender whose claim meets another sender's claim still open takes the rows after it,
    not the same ones, and not nothing (SQLite makes it wait for the other's commit, PostgreSQL
    passes over the locked rows): both send, neither stops early believing the queue empty."""
    _queue(db, *(_mail(f"member{i}@example.org") for i in range(6)))
    with db.transaction() as s:
        first = list(s.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id).limit(3)))
    got: list[list[int]] = []
    with db.engine.connect() as other:
        with other.begin():
            other.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(first))
                .values(status="sending", claimed_by="other:1:ab", claimed_at=NOW)
            )
            waiting = threading.Thread(target=lambda: got.append(sender.claim(db, NOW, 3, "me")))
            waiting.start()
            time.sleep(1)  # the claim meets the other's open transaction
        waiting.join(timeout=60)
    [mine] = got
    assert len(mine) == 3 and not set(mine) & set(first)
    with db.transaction() as s:
        claimed = dict(s.execute(select(OutboxMessage.id, OutboxMessage.claimed_by)).all())
    assert {claimed[i] for i in first} == {"other:1:ab"} and {claimed[i] for i in mine} == {"me"}


def test_two_senders_at_once_send_each_message_once(db: Database, smtp_server: SmtpServer) -> None:
    addresses = [f"member{i}@example.org" for i in range(60)]
    _queue(db, *(_mail(a) for a in addresses))
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def sender() -> None:
        try:
            start.wait()
            while _deliver(db, smtp_server, limit=7).sent:
                pass
        except BaseException as exc:  # reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    delivered = Counter(m.rcpt_tos[0] for m in smtp_server.messages)
    assert delivered == Counter(addresses)
    assert len({m["Message-ID"] for m in smtp_server.messages}) == len(addresses)
    assert {r.status for r in _rows(db).values()} == {"sent"}


def test_the_certificate_is_verified_by_default(
    db: Database, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a context the sender verifies the server's certificate against the system's
    trusted ones: the test server's self-signed one is refused (and the message waits) until
    the environment names it (`SSL_CERT_FILE`, as `env()` does for a process it starts)."""
    _queue(db, _mail("dana@example.org"))
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    report = deliver_due(db, smtp_server.config(), now=NOW)
    row = _rows(db)["dana@example.org"]
    assert report.retried == 1 and "SSLCertVerificationError" in (row.last_error or "")
    monkeypatch.setenv("SSL_CERT_FILE", smtp_server.env()["SSL_CERT_FILE"])
    assert deliver_due(db, smtp_server.config(), now=NOW + backoff(1)).sent == 1
    assert len(smtp_server.messages) == 1


def test_a_run_past_its_window_gives_back_what_it_has_not_sent(
    db: Database, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow server must not make a live claim look stale: past its window a run stops and
    puts the rest back in the queue as it was (no attempt counted); the next run sends it."""
    _queue(db, _mail("a@example.org"), _mail("b@example.org"))
    monkeypatch.setattr(sender, "SEND_WINDOW", timedelta(seconds=-1))
    assert _deliver(db, smtp_server) == sender.DeliveryReport()
    for row in _rows(db).values():
        assert (row.status, row.attempts, row.claimed_by, row.last_error) == (
            "queued",
            0,
            None,
            None,
        )
    monkeypatch.undo()
    assert _deliver(db, smtp_server).sent == 2
    assert len(smtp_server.messages) == 2


def test_a_time_given_in_israel_counts_as_the_same_moment(
    db: Database, smtp_server: SmtpServer
) -> None:
    """10:00 in Israel is 08:00 UTC: a message due at 09:00 UTC is not due yet."""
    _queue(db, _mail("dana@example.org"))
    with db.transaction() as s:
        s.execute(update(OutboxMessage).values(next_attempt_at=NOW + timedelta(hours=1)))
    israel = NOW.astimezone(ZoneInfo("Asia/Jerusalem"))
    assert israel.hour == 10
    assert _deliver(db, smtp_server, now=israel).sent == 0
    assert _deliver(db, smtp_server, now=israel + timedelta(hours=1)).sent == 1


def test_sender_processes_send_each_message_once(
    db: Database, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line's senders run as processes, on SQLite too: each claims its own rows
    over its own connection, and the certificate is verified in each (the system's trust, here
    the test server's through SSL_CERT_FILE, which the spawned processes inherit)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(smtp_server.cert_file))
    # A spawned process first re-imports the parent's __main__ (`python -m employdash` on the
    # command line). In a test process an AppTest run earlier leaves the app's script there, and
    # each sender would run the whole app before its work (and die of it): the command line's.
    monkeypatch.setitem(sys.modules, "__main__", importlib.import_module("employdash.__main__"))
    addresses = [f"member{i}@example.org" for i in range(40)]
    _queue(db, *(_mail(a) for a in addresses))
    report = deliver_all(db, smtp_server.config(), NOW, processes=True)
    assert (report.sent, report.retried, report.failed) == (len(addresses), 0, 0)
    assert Counter(m.rcpt_tos[0] for m in smtp_server.messages) == Counter(addresses)
    assert {r.status for r in _rows(db).values()} == {"sent"}
