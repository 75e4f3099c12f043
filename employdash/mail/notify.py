"""`python -m employdash notify`: queue the scheduled messages due today, then deliver the outbox
(and forget what has been in the trash past restoring).

Idempotent: the scheduled kinds run once per period (`employdash.mail.schedule`) and the sender
sends each queued message once, so cron or a systemd timer may run it as often as it likes (every
ten minutes drains what invitations and minutes queued meanwhile). With mail off (no SMTP_HOST)
the messages are queued and wait for it.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from itertools import repeat

from employdash.config import Config
from employdash.db import Database
from employdash.i18n import local_today
from employdash.mail import schedule
from employdash.mail.sender import (
    DeliveryReport,
    drain_over_own_connection,
    mail_is_on,
)
from employdash.models.base import utcnow
from employdash.trash import purge_expired

DELIVERY_BATCH = 500
SENDERS = 4


@dataclass(frozen=True)
class NotifyReport:
    today: date
    queued: dict[str, int]
    mail_on: bool
    sent: int = 0
    retried: int = 0
    failed: int = 0
    purged: int = 0  # items past restoring the trash forgot

    def describe(self) -> str:
        parts = [f"{kind}: {n} queued" for kind, n in self.queued.items()]
        if self.purged:
            parts.append(f"trash: {self.purged} forgotten")
        if self.mail_on:
            parts.append(f"sent {self.sent}, to retry {self.retried}, failed {self.failed}")
        else:
            parts.append("mail is off (SMTP_HOST is empty): the outbox waits")
        return f"notify {self.today.isoformat()}: " + "; ".join(parts)


def _senders(processes: bool) -> Executor:
    if processes:
        # "spawn": a fresh interpreter, not a fork of a process whose threads hold locks.
        return ProcessPoolExecutor(SENDERS, mp_context=multiprocessing.get_context("spawn"))
    return ThreadPoolExecutor(SENDERS, thread_name_prefix="sender")


def deliver_all(
    db: Database, config: Config, now: datetime, *, processes: bool = False
) -> DeliveryReport:
    """The outbox drained by `SENDERS` senders at once, each claiming its own rows
    (`sender.claim`) over its own connection: a sender waits for the mail server's answer and
    for the commit that marks each message sent, so several overlap those waits. On SQLite too:
    its one writer at a time holds a claim or a message's outcome for a moment, while the
    sending itself runs in parallel. Building each message is Python under one interpreter
    lock, so the command line's `notify` runs its senders as processes, which use every core
    (measured in benchmarks/results/notify.md); inside the app server they are threads, as the
    server's own process must not be re-imported."""
    with _senders(processes) as pool:
        reports = pool.map(
            drain_over_own_connection,
            repeat(db.url, SENDERS),
            repeat(config, SENDERS),
            repeat(now, SENDERS),
            repeat(DELIVERY_BATCH, SENDERS),
        )
        return sum(reports, DeliveryReport())


def notify(
    db: Database,
    config: Config,
    *,
    today: date | None = None,
    now: datetime | None = None,
    processes: bool = False,
) -> NotifyReport:
    now = now or utcnow()
    today = today or local_today(now)
    queued = schedule.run_scheduled(db, today, now=now)
    with db.transaction() as s:
        purged = purge_expired(s, now)
    if not mail_is_on(config):
        return NotifyReport(today, queued, mail_on=False, purged=purged)
    # Due as of now, after queuing: what this run just queued goes out in this run too.
    delivered = deliver_all(db, config, max(now, utcnow()), processes=processes)
    return NotifyReport(
        today,
        queued,
        mail_on=True,
        sent=delivered.sent,
        retried=delivered.retried,
        failed=delivered.failed,
        purged=purged,
    )
