"""The scheduled messages: one declared list of kinds, each built once per period.

`run_scheduled` runs every kind whose period (the day, or the Israeli work week) has no finished
run yet. A kind's run is claimed by inserting its `ScheduledRun(kind, period)` row (unique): of
two processes starting at once, one inserts and the other builds nothing; a second run of the same
period finds the row and builds nothing either. Each message also carries a dedupe key, so even a
run taken over after a crash adds no message twice.

A kind is built in one read (its builder) and queued in batches of `BATCH` messages, each batch
its own transaction: a national run never holds one long write transaction on the outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from employdash.db import Database
from employdash.mail import attendance, digest, reminders
from employdash.mail.outbox import Mail, enqueue_all
from employdash.models.base import utcnow
from employdash.models.mail import ScheduledRun

_LOG = logging.getLogger(__name__)
BATCH = 500
# A run started this long ago and never finished died midway: the next run takes it over.
STALE_AFTER = timedelta(minutes=30)

Cadence = Literal["daily", "weekly"]
Builder = Callable[[Session, date], Sequence[Mail]]


@dataclass(frozen=True)
class ScheduledKind:
    name: str
    cadence: Cadence
    build: Builder

    def period(self, today: date) -> str:
        return today.isoformat() if self.cadence == "daily" else reminders.week_of(today)


KINDS: tuple[ScheduledKind, ...] = (
    ScheduledKind(reminders.REMINDER, "daily", reminders.owner_reminders),
    ScheduledKind(attendance.KIND, "daily", attendance.warnings_due),
    ScheduledKind(reminders.SUMMARY, "weekly", reminders.manager_summaries),
    ScheduledKind(digest.KIND, "weekly", digest.weekly_digests),
)


def _claim(db: Database, kind: str, period: str, now: datetime) -> int | None:
    """The id of this process's run of `kind` for `period`, or None when it is done or under way
    elsewhere."""
    with db.transaction() as s:
        run = s.scalar(
            select(ScheduledRun).where(ScheduledRun.kind == kind, ScheduledRun.period == period)
        )
        if run is not None:
            if run.finished_at is not None or run.started_at > now - STALE_AFTER:
                return None
            run.started_at = now  # taken over: the earlier run died before it finished
            return run.id
        try:
            with s.begin_nested():
                run = ScheduledRun(kind=kind, period=period, started_at=now, messages=0)
                s.add(run)
        except IntegrityError:
            return None  # another process claimed it a moment ago
        return run.id


def _run_kind(db: Database, kind: ScheduledKind, today: date, now: datetime) -> int:
    run_id = _claim(db, kind.name, kind.period(today), now)
    if run_id is None:
        return 0
    with db.transaction() as s:
        mails = kind.build(s, today)  # also makes the unsubscribe tokens the mails name
    queued = 0
    for start in range(0, len(mails), BATCH):
        batch = mails[start : start + BATCH]
        with db.transaction() as s:
            queued += enqueue_all(s, batch)
    with db.transaction() as s:
        run = s.get(ScheduledRun, run_id)
        if run is not None:
            run.finished_at = utcnow()
            run.messages += queued
    return queued


def run_scheduled(
    db: Database,
    today: date,
    *,
    now: datetime | None = None,
    kinds: Sequence[ScheduledKind] = KINDS,
) -> dict[str, int]:
    """Messages newly queued per kind (0 for a kind whose period already ran)."""
    now = now or utcnow()
    return {kind.name: _run_kind(db, kind, today, now) for kind in kinds}
