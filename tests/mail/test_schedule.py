"""The scheduled kinds run once per period; `python -m employdash notify` is idempotent."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from employdash.access import Actor
from employdash.db import Database
from employdash.mail import reminders, schedule
from employdash.mail.outbox import Mail, enqueue_all
from employdash.mail.schedule import ScheduledKind, run_scheduled
from employdash.models.forum import Task
from employdash.models.mail import OutboxMessage, ScheduledRun
from tests.support.cli import employdash
from tests.support.databases import copy_sqlite

MONDAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)


def _outbox(db: Database, kind: str) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).where(OutboxMessage.kind == kind)) or 0


def _due_tomorrow(db: Database, person_id: int | None) -> None:
    with db.transaction() as s:
        s.execute(
            update(Task)
            .where(Task.owner_person_id == person_id)
            .values(due_date=MONDAY + timedelta(days=1), status="in_progress")
        )


def test_a_second_run_of_the_same_day_queues_nothing(
    db: Database, actors: dict[str, Actor]
) -> None:
    _due_tomorrow(db, actors["member"].person_id)
    first = run_scheduled(db, MONDAY, now=NOW)
    assert first["reminder"] > 0 and first["summary"] > 0
    assert _outbox(db, "reminder") == first["reminder"]
    assert run_scheduled(db, MONDAY, now=NOW + timedelta(minutes=10)) == dict.fromkeys(first, 0)
    assert _outbox(db, "reminder") == first["reminder"]
    with db.transaction() as s:
        runs = s.execute(
            select(ScheduledRun.kind, ScheduledRun.period, ScheduledRun.messages)
        ).all()
        assert all(r.finished_at is not None for r in s.scalars(select(ScheduledRun)))
    assert sorted(runs) == [
        ("attendance_warning", "2026-12-07", first["attendance_warning"]),
        ("digest", "2026-W50", first["digest"]),
        ("reminder", "2026-12-07", first["reminder"]),
        ("summary", "2026-W50", first["summary"]),
    ]


def test_the_next_day_brings_reminders_and_the_weekly_summary_waits_for_its_week(
    db: Database, actors: dict[str, Actor]
) -> None:
    _due_tomorrow(db, actors["member"].person_id)
    run_scheduled(db, MONDAY, now=NOW)
    tuesday = run_scheduled(db, MONDAY + timedelta(days=1), now=NOW + timedelta(days=1))
    assert tuesday["reminder"] > 0 and tuesday["summary"] == 0
    sunday = run_scheduled(db, date(2026, 12, 13), now=NOW + timedelta(days=6))
    assert sunday["summary"] > 0  # Sunday opens the Israeli work week


def test_a_run_that_died_midway_is_taken_over_without_a_message_twice(db: Database) -> None:
    with db.transaction() as s:
        s.add(ScheduledRun(kind="reminder", period="2026-12-07", started_at=NOW, messages=0))
    # under way elsewhere (started just now): left alone
    assert run_scheduled(db, MONDAY, now=NOW + timedelta(minutes=5))["reminder"] == 0
    with db.transaction() as s:  # half of its messages were queued before it died
        half = reminders.owner_reminders(s, MONDAY)[:3]
    assert len(half) == 3
    with db.transaction() as s:
        enqueue_all(s, half)
    later = NOW + schedule.STALE_AFTER + timedelta(minutes=1)
    taken_over = run_scheduled(db, MONDAY, now=later)["reminder"]
    with db.transaction() as s:
        keys = s.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == "reminder"))
        assert len(set(keys.all())) == _outbox(db, "reminder") == taken_over + 3


def test_every_message_is_queued_in_batches(db: Database) -> None:
    """A kind that builds more than a batch queues them all (each batch its own transaction)."""
    built = [
        Mail(
            kind="test",
            to_address=f"p{i}@example.org",
            to_name=None,
            language="en",
            subject="s",
            text_body="b",
            dedupe_key=f"test:{i}",
        )
        for i in range(schedule.BATCH * 2 + 7)
    ]
    kind = ScheduledKind("test", "daily", lambda _s, _d: built)
    assert run_scheduled(db, MONDAY, now=NOW, kinds=(kind,)) == {"test": len(built)}
    assert _outbox(db, "test") == len(built)


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return employdash("notify", *args, env={"DATABASE_URL": url, "SMTP_HOST": ""})


def test_the_command_line_run_twice_queues_nothing_the_second_time(
    sqlite_template: Path, tmp_path: Path
) -> None:
    url = copy_sqlite(sqlite_template, tmp_path / "cli.db")
    first = _cli(url, "--date", "2026-12-07")
    assert first.returncode == 0, first.stderr
    queued = int(first.stdout.split("reminder: ")[1].split(" ")[0])
    assert queued > 0 and "mail is off" in first.stdout
    second = _cli(url, "--date", "2026-12-07")
    assert second.returncode == 0, second.stderr
    assert (
        "reminder: 0 queued; attendance_warning: 0 queued; summary: 0 queued; digest: 0 queued"
        in second.stdout
    )
    bad = _cli(url, "--date", "07/12/2026")
    assert bad.returncode != 0
