"""`notify` with mail on delivers in the same run what that run queued (a reminder made at
07:00 goes out at 07:00, not at the next run)."""

from __future__ import annotations

from datetime import date

import pytest

from employdash.db import Database
from employdash.mail.notify import notify
from tests.support.smtp import SmtpServer

MONDAY = date(2026, 12, 7)


def test_a_run_sends_the_reminders_it_queued(
    db: Database, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(smtp_server.cert_file))  # the default context trusts it
    report = notify(db, smtp_server.config(), today=MONDAY)
    queued = sum(report.queued.values())
    assert queued > 0 and report.mail_on
    assert (report.sent, report.retried, report.failed) == (queued, 0, 0)
    assert len(smtp_server.messages) == queued
