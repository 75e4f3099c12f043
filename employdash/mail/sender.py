"""Delivering the outbox over SMTP: nothing lost, nothing sent twice.

A sender first claims the rows that are due, in one statement of its own: it marks them
"sending" under a claim name no other sender has (host, process, a random part). The rows are
picked inside that UPDATE, so two senders at once take different rows: on PostgreSQL the pick is
`FOR UPDATE SKIP LOCKED` (a row another sender holds is passed over, not waited for); SQLite runs
one writing statement at a time, so the second sender's pick sees the first one's claim and takes
the next rows.

It then sends the claimed rows over one SMTP connection (STARTTLS and AUTH as configured) and
records each outcome in its own transaction right after the server answered: a message the
server accepted is marked sent before the next is sent, so a sender that dies mid-way leaves at
most the message in flight unrecorded. A claim older than `STALE_CLAIM` is such a dead sender's,
and is taken over (the stable Message-ID lets the receiving side drop a copy in that rare case);
a live sender never holds a claim that long: after `SEND_WINDOW` it gives back what it has not
sent.

A temporary failure (the server unreachable, a 4xx answer, the connection lost) puts the row
back in the queue with a growing delay; after `MAX_ATTEMPTS` it is failed. A permanent one (a 5xx
answer, an address that is not an address) fails the row at once with the reason, and the others
go on. The reason kept is short and names no secret (the server's answer or the error's kind).
"""

from __future__ import annotations

import os
import secrets
import smtplib
import socket
import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import and_, or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from employdash.config import Config
from employdash.db import Database
from employdash.mail import message
from employdash.models.base import utcnow
from employdash.models.mail import OutboxMessage

# Minutes to wait after the 1st, 2nd, ... temporary failure (the last repeats).
BACKOFF_MINUTES = (1, 5, 15, 60, 240, 720)
MAX_ATTEMPTS = 10  # about three days of retries, then failed: the admin may retry it
STALE_CLAIM = timedelta(minutes=10)  # a claim this old is a sender that died mid-way
# A run sends for this long at most, then gives back what it has not sent: a slow server never
# makes a live sender's claim look stale (another sender would take it over and send it too).
SEND_WINDOW = STALE_CLAIM / 2
TIMEOUT_SECONDS = 30
ERROR_LENGTH = 300


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(
            self.sent + other.sent, self.retried + other.retried, self.failed + other.failed
        )

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed


class _Temporary(Exception):
    """Worth trying again later: the server or the network, not the message."""


class _Permanent(Exception):
    """Trying again would fail the same way: the address or the message is refused."""


class _ConnectionLost(_Temporary):
    """The connection is gone: this message and every one after it wait for the next run."""


def mail_is_on(config: Config) -> bool:
    """Mail goes out only with a server and a From address; otherwise it waits in the outbox."""
    return bool(config.SMTP_HOST and config.MAIL_FROM)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th temporary failure in a row."""
    return timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - STALE_CLAIM),
    )


def claim(db: Database, now: datetime, limit: int, claimer: str) -> list[int]:
    """Mark up to `limit` due rows as this sender's; their IDs, oldest due first."""
    picked = (
        select(OutboxMessage.id)
        .where(_due(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    if db.dialect == "postgresql":
        picked = picked.with_for_update(skip_locked=True)
    with db.transaction() as s:
        claimed = s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(picked), _due(now))
            .values(status="sending", claimed_by=claimer, claimed_at=now)
            .returning(OutboxMessage.id, OutboxMessage.next_attempt_at)
            .execution_options(synchronize_session=False)
        ).all()
    return [row_id for row_id, _ in sorted(claimed, key=lambda row: (row[1], row[0]))]


def _claimer() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _short(reason: str) -> str:
    return " ".join(reason.split())[:ERROR_LENGTH]


def _answer(code: int, text: bytes | str) -> str:
    said = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return _short(f"{code} {said}")


def _prepared(row: OutboxMessage, mail_from: str) -> EmailMessage:
    """The message to send, or `_Permanent` when the row cannot become one."""
    try:
        validate_email(row.to_address, check_deliverability=False)
    except EmailNotValidError as exc:
        raise _Permanent(_short(f"invalid address: {exc}")) from exc
    try:
        return message.build(row, mail_from)
    except (ValueError, TypeError) as exc:
        raise _Permanent(_short(f"cannot build the message: {exc}")) from exc


def _connect(config: Config, context: ssl.SSLContext | None) -> smtplib.SMTP:
    """A connection ready to send: TLS (verified) before the login when SMTP_STARTTLS."""
    smtp = smtplib.SMTP(config.SMTP_HOST, config.SMTP_PORT, timeout=TIMEOUT_SECONDS)
    try:
        smtp.ehlo()
        if config.SMTP_STARTTLS:
            smtp.starttls(context=context or ssl.create_default_context())
            smtp.ehlo()
        if config.SMTP_USER:
            smtp.login(config.SMTP_USER, config.SMTP_PASSWORD)
    except BaseException:
        smtp.close()
        raise
    return smtp


def _connection_error(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return _answer(exc.smtp_code, exc.smtp_error)
    return _short(f"connection: {type(exc).__name__} {getattr(exc, 'strerror', '') or ''}")


def _send(smtp: smtplib.SMTP, mail: EmailMessage, from_addr: str, to_addr: str) -> None:
    """Hand one message to the server; raises `_Temporary`/`_Permanent` with the reason."""
    try:
        smtp.send_message(mail, from_addr=from_addr, to_addrs=[to_addr])
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = next(iter(exc.recipients.values()))
        kind = _Temporary if 400 <= code < 500 else _Permanent
        raise kind(_answer(code, text)) from exc
    except smtplib.SMTPServerDisconnected as exc:
        raise _ConnectionLost(_connection_error(exc)) from exc
    except smtplib.SMTPResponseException as exc:  # the sender or the data refused
        kind = _Temporary if 400 <= exc.smtp_code < 500 else _Permanent
        raise kind(_answer(exc.smtp_code, exc.smtp_error)) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise _ConnectionLost(_connection_error(exc)) from exc


def _record(
    db: Database, row_id: int, mine: ColumnElement[bool], values: dict[str, object]
) -> None:
    """Write one outcome where `mine` still holds."""
    db.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, mine)
        .values(claimed_by=None, claimed_at=None, **values)
    )


class _Outcomes:
    """What happened to each claimed row, recorded as it happens."""

    def __init__(self, db: Database, claimer: str, now: datetime) -> None:
        self.db, self.claimer, self.now = db, claimer, now
        self.sent = self.retried = self.failed = 0

    def sent_one(self, row_id: int) -> None:
        # Whoever holds the claim now: the server took the message, so it is sent.
        values = {"status": "sent", "sent_at": self.now, "last_error": None}
        _record(self.db, row_id, OutboxMessage.status != "sent", values)
        self.sent += 1

    def failed_one(self, row_id: int, attempts: int, reason: str) -> None:
        self._set(row_id, status="failed", attempts=attempts + 1, last_error=reason)
        self.failed += 1

    def retry(self, row_id: int, attempts: int, reason: str) -> None:
        if attempts + 1 >= MAX_ATTEMPTS:
            self.failed_one(row_id, attempts, _short(f"gave up after {MAX_ATTEMPTS}: {reason}"))
            return
        self._set(
            row_id,
            status="queued",
            attempts=attempts + 1,
            next_attempt_at=self.now + backoff(attempts + 1),
            last_error=reason,
        )
        self.retried += 1

    def release(self, row_ids: Sequence[int]) -> None:
        """Back in the queue as they were, no attempt counted: the next run sends them."""
        for row_id in row_ids:
            self._set(row_id, status="queued")

    def _set(self, row_id: int, **values: object) -> None:
        """Only while the claim is still this sender's (not taken over as stale meanwhile)."""
        _record(self.db, row_id, OutboxMessage.claimed_by == self.claimer, values)

    def report(self) -> DeliveryReport:
        return DeliveryReport(self.sent, self.retried, self.failed)


@dataclass(frozen=True)
class _Claimed:
    id: int
    attempts: int
    to_address: str
    mail: EmailMessage | None
    refused: str | None  # why it cannot be sent at all


def _load(db: Database, ids: Sequence[int], mail_from: str) -> list[_Claimed]:
    loaded: list[_Claimed] = []
    with db.transaction() as s:
        rows = s.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))).all()
        by_id = {row.id: row for row in rows}
        for row in (by_id[row_id] for row_id in ids if row_id in by_id):
            try:
                built, refused = _prepared(row, mail_from), None
            except _Permanent as exc:
                built, refused = None, str(exc)
            loaded.append(_Claimed(row.id, row.attempts, row.to_address, built, refused))
    return loaded


def _send_all(
    smtp: smtplib.SMTP, pending: Sequence[_Claimed], outcomes: _Outcomes, mail_from: str
) -> None:
    """Send each message in turn over `smtp`, recording each outcome as it comes."""
    deadline = time.monotonic() + SEND_WINDOW.total_seconds()
    for index, item in enumerate(pending):
        if time.monotonic() > deadline:
            outcomes.release([left.id for left in pending[index:]])
            return
        assert item.mail is not None
        try:
            _send(smtp, item.mail, mail_from, item.to_address)
        except _ConnectionLost as exc:
            for left in pending[index:]:
                outcomes.retry(left.id, left.attempts, str(exc))
            return
        except _Temporary as exc:
            outcomes.retry(item.id, item.attempts, str(exc))
        except _Permanent as exc:
            outcomes.failed_one(item.id, item.attempts, str(exc))
        else:
            outcomes.sent_one(item.id)


def deliver_due(
    db: Database,
    config: Config,
    *,
    now: datetime | None = None,
    limit: int = 500,
    context: ssl.SSLContext | None = None,
) -> DeliveryReport:
    """Send what is due (see the module's docstring); with mail off, nothing (it waits).

    `context` is the TLS context for STARTTLS: by default the system's, which verifies the
    server's certificate (tests hand one that trusts their own server's)."""
    if not mail_is_on(config):
        return DeliveryReport()
    # In UTC: SQLite keeps a time without its zone, so every time compared there must be UTC.
    now = (now or utcnow()).astimezone(UTC)
    claimer = _claimer()
    ids = claim(db, now, limit, claimer)
    if not ids:
        return DeliveryReport()
    outcomes = _Outcomes(db, claimer, now)
    pending: list[_Claimed] = []
    for item in _load(db, ids, config.MAIL_FROM):
        if item.refused is not None:
            outcomes.failed_one(item.id, item.attempts, item.refused)
        else:
            pending.append(item)
    if not pending:
        return outcomes.report()
    try:
        smtp = _connect(config, context)
    except (OSError, smtplib.SMTPException) as exc:
        for item in pending:
            outcomes.retry(item.id, item.attempts, _connection_error(exc))
        return outcomes.report()
    try:
        _send_all(smtp, pending, outcomes, config.MAIL_FROM)
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return outcomes.report()


def drain(db: Database, config: Config, now: datetime, batch: int) -> DeliveryReport:
    """Batches of `deliver_due` until one finds fewer rows than it may take."""
    total = DeliveryReport()
    while True:
        report = deliver_due(db, config, now=now, limit=batch)
        total += report
        if report.handled < batch:
            return total


def drain_over_own_connection(
    url: str, config: Config, now: datetime, batch: int
) -> DeliveryReport:
    """`drain` for a sender of its own (a thread or a process): its own engine, closed after.
    Here and not in `notify`, so a sender process imports only what sending needs."""
    db = Database(url)
    try:
        return drain(db, config, now, batch)
    finally:
        db.dispose()
