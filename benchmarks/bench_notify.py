"""`notify` for a national deployment: 250 localities' forums, 10,000 people, 50,000 open tasks
(due dates spread from a month overdue to two months ahead), a manager per locality and open
decisions, on a Sunday (the daily reminders and the weekly summaries both run). One run builds
and queues the messages (in batches of `schedule.BATCH`, each its own transaction) and delivers
them into a local SMTP server (aiosmtpd in a process of its own, plain SMTP), on SQLite and
PostgreSQL.

Baseline: the same number of ready-made messages handed to the same server over one smtplib
connection, with no database: what sending alone costs.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import smtplib
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import func, insert, select

from benchmarks.harness import Figure, write

if TYPE_CHECKING:
    from multiprocessing.sharedctypes import Synchronized
    from multiprocessing.synchronize import Event
from employdash import reference
from employdash.config import Config, get_config
from employdash.db import Database, migrate
from employdash.mail import notify, schedule
from employdash.models import Locality, Person, User, UserLocality
from employdash.models.base import utcnow
from employdash.models.forum import Decision, Forum, Meeting, Task, Team
from employdash.models.mail import OutboxMessage
from tests.support.postgres import create_database, free_port, running_server

LOCALITIES, PEOPLE, TASKS = 250, 10_000, 50_000
TEAMS_PER_FORUM, MEETINGS_PER_FORUM, DECISIONS_PER_MEETING = 4, 2, 3
SUNDAY = date(2026, 12, 6)
OPEN = ("not_started", "in_progress", "blocked")
AIM_SECONDS = 60


class _Sink:
    """Counts what the server accepted (in the server's process, shared with the benchmark's)."""

    def __init__(self, count: Synchronized[int]) -> None:
        self.count = count

    async def handle_DATA(self, _server: SMTP, _session: Session, envelope: Envelope) -> str:
        with self.count.get_lock():
            self.count.value += len(envelope.rcpt_tos)
        return "250 OK"


def _serve(port: int, count: Synchronized[int], stop: Event) -> None:
    controller = Controller(_Sink(count), hostname="127.0.0.1", port=port)
    controller.start()
    stop.wait()
    controller.stop()


@contextmanager
def smtp_server() -> Iterator[tuple[int, Synchronized[int]]]:
    """A plain SMTP server in a process of its own, as a mail server is: it does not share this
    process's interpreter lock with the sender it measures."""
    context = multiprocessing.get_context("spawn")
    count: Synchronized[int] = context.Value("i", 0)
    stop = context.Event()
    port = free_port()
    process = context.Process(target=_serve, args=(port, count, stop), daemon=True)
    process.start()
    deadline = time.monotonic() + 120  # a spawned interpreter on a busy machine
    while True:
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=2) as probe:
                probe.noop()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    try:
        yield port, count
    finally:
        stop.set()
        process.join(10)


def build(db: Database) -> dict[str, int]:
    migrate(db)
    reference.load(db)
    rng = random.Random(22)
    with db.transaction() as s:
        codes = list(s.scalars(select(Locality.code).order_by(Locality.code).limit(LOCALITIES)))
        s.execute(
            insert(Forum), [{"locality_code": c, "name": f"Forum {c}", "stage": 3} for c in codes]
        )
        forums = dict(s.execute(select(Forum.locality_code, Forum.id)).all())
        s.execute(
            insert(Team),
            [
                {"forum_id": f, "kind": "task", "name": f"Team {i}"}
                for f in forums.values()
                for i in range(TEAMS_PER_FORUM)
            ],
        )
        teams: dict[int, list[int]] = {}
        for forum_id, team_id in s.execute(select(Team.forum_id, Team.id)):
            teams.setdefault(forum_id, []).append(team_id)
        per = PEOPLE // LOCALITIES
        s.execute(
            insert(Person),
            [
                {
                    "full_name": f"Person {c}-{i}",
                    "locality_code": c,
                    "email": f"p{c}.{i}@bench.example",
                }
                for c in codes
                for i in range(per)
            ],
        )
        people: dict[int, list[int]] = {}
        for code, person_id in s.execute(select(Person.locality_code, Person.id)):
            if code is not None:
                people.setdefault(code, []).append(person_id)
        rows: list[dict[str, Any]] = []
        for n in range(TASKS):
            code = codes[n % LOCALITIES]
            rows.append(
                {
                    "forum_id": forums[code],
                    "team_id": rng.choice(teams[forums[code]]),
                    "title": f"Task {n}",
                    "owner_person_id": rng.choice(people[code]),
                    "due_date": SUNDAY + timedelta(days=rng.randint(-30, 60)),
                    "status": rng.choice(OPEN),
                    "version": 1,
                }
            )
        s.execute(insert(Task), rows)
        meetings = [
            {
                "forum_id": f,
                "team_id": teams[f][m % TEAMS_PER_FORUM],
                "kind": "forum",
                "held_on": SUNDAY - timedelta(days=14 * (m + 1)),
                "created_by": "bench",
            }
            for f in forums.values()
            for m in range(MEETINGS_PER_FORUM)
        ]
        s.execute(insert(Meeting), meetings)
        s.execute(
            insert(Decision),
            [
                {"meeting_id": m, "text": f"Decision {m}-{d}", "is_open": True}
                for m in s.scalars(select(Meeting.id))
                for d in range(DECISIONS_PER_MEETING)
            ],
        )
        for code in codes:
            user = User(
                username=f"manager{code}",
                full_name=f"Manager {code}",
                email=f"manager{code}@bench.example",
                password_hash="-",
                role="manager",
                language="he" if code % 2 else "en",
            )
            s.add(user)
            s.flush()
            s.add(UserLocality(user_id=user.id, locality_code=code))
    return {"localities": len(codes), "people": PEOPLE, "open_tasks": TASKS}


def _config(db: Database, port: int) -> Config:
    return Config(
        {
            **get_config().values,
            "DATABASE_URL": db.url,
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": port,
            "SMTP_STARTTLS": False,
            "SMTP_USER": "",
            "MAIL_FROM": "forum@bench.example",
            "REMINDER_DAYS": 3,
        }
    )


def _baseline(port: int, count: int) -> float:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@bench.example", "b@bench.example", "x"
    message.set_content("reminder " * 80)
    message.add_alternative("<p>" + "reminder " * 80 + "</p>", subtype="html")
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for _ in range(count):
            smtp.send_message(message)
    return time.perf_counter() - start


def measure(db: Database, label: str) -> list[Figure]:
    sizes = build(db)
    load_before = os.getloadavg()[0]  # the machine is shared: its load, to read the figure by
    with smtp_server() as (port, accepted):
        config = _config(db, port)
        start = time.perf_counter()
        queued = schedule.run_scheduled(db, SUNDAY)
        queue_s = time.perf_counter() - start
        delivered = notify.deliver_all(
            db, config, utcnow(), processes=True
        )  # due from their making
        total = time.perf_counter() - start
        again = notify.notify(db, config, today=SUNDAY)
        with db.transaction() as s:
            sent_rows = s.scalar(select(func.count()).where(OutboxMessage.status == "sent"))
        messages = sum(queued.values())
        assert delivered.sent == messages == accepted.value == sent_rows, (delivered, messages)
        assert sum(again.queued.values()) == 0 and again.sent == 0
        baseline = _baseline(port, messages)
    return [
        Figure(
            f"notify: queue and deliver {messages:,} messages",
            total,
            "smtplib: as many ready-made messages, one connection, no database",
            baseline,
            label,
            f"< {AIM_SECONDS} s",
            {
                **sizes,
                **{f"queued_{k}": v for k, v in queued.items()},
                "queue_s": round(queue_s, 2),
                "deliver_s": round(total - queue_s, 2),
                "messages_per_s": round(messages / total, 1),
                "batch": schedule.BATCH,
                "second_run_queued": sum(again.queued.values()),
                "load_before": round(load_before, 1),
                "load_after": round(os.getloadavg()[0], 1),
            },
        )
    ]


def main() -> None:

    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}")
        figures += measure(db, "sqlite")
        db.dispose()
    with running_server() as server:
        db = Database(create_database(server, "bench_notify"))
        figures += measure(db, "postgresql")
        db.dispose()
    write(
        "notify",
        figures,
        notes=(
            f"A national deployment: {LOCALITIES} localities' forums ({TEAMS_PER_FORUM} teams "
            f"each), {PEOPLE:,} people with an address, {TASKS:,} open tasks due from 30 days "
            "ago to 60 days ahead, one manager per locality and "
            f"{MEETINGS_PER_FORUM * DECISIONS_PER_MEETING} open decisions per forum; run on a "
            "Sunday, so the owners' daily reminders (REMINDER_DAYS=3) and the managers' weekly "
            "summaries are both built (no leadership users: the mayors' digest, about 0.5 s "
            "each for its briefing PDF, is not in this figure). The figure is one `notify`: "
            "build and queue "
            f"(batches of {schedule.BATCH} messages per transaction: queue_s), then deliver "
            f"everything with the sender (deliver_s: {notify.SENDERS} sender processes at "
            "once on both databases, as the command line runs them, each claiming batches of "
            f"{notify.DELIVERY_BATCH} rows of its own, each message built, sent and recorded "
            "in its own transaction) into an aiosmtpd server running "
            "in a process of its own (plain SMTP, no TLS, the same machine). A second run the "
            "same day queues and sends nothing (checked). The baseline hands as many "
            "ready-made messages to the same server with smtplib and no database. One run per "
            "database on a 2-core machine shared with other work: load_before and load_after "
            "are its 1-minute load average around the run (the baseline, run right after, "
            "shows what that load did to sending alone)."
        ),
    )


if __name__ == "__main__":
    main()
