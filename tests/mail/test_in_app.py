"""The in-app runner (demo mode, NOTIFY_IN_APP) runs notify in the background, round after round,
and a failing round is logged and does not stop it."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from sqlalchemy import select

from employdash.config import Config, get_config
from employdash.db import Database
from employdash.mail import in_app
from employdash.mail.notify import NotifyReport
from employdash.models.mail import ScheduledRun


def _config(db: Database, **values: object) -> Config:
    return Config({**get_config().values, "DATABASE_URL": db.url, **values})


def _wait(condition: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the runner did not get there in time"
        time.sleep(0.1)


def test_the_runner_runs_notify_on_its_interval(sqlite_db: Database) -> None:
    runner = in_app.InAppRunner(_config(sqlite_db, NOTIFY_INTERVAL_SECONDS=1, SMTP_HOST=""))
    runner.start()
    try:
        _wait(lambda: runner.rounds >= 1)
    finally:
        runner.stop()
    with sqlite_db.transaction() as s:
        kinds = set(s.scalars(select(ScheduledRun.kind)))
    assert kinds == {"reminder", "attendance_warning", "summary", "digest"}


def test_a_failing_round_is_logged_and_the_next_one_runs(
    sqlite_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> NotifyReport:
        raise RuntimeError("mail server on fire")

    runner = in_app.InAppRunner(_config(sqlite_db, NOTIFY_INTERVAL_SECONDS=1), run=broken)
    runner.start()
    try:
        _wait(lambda: runner.rounds >= 2)
    finally:
        runner.stop()
    assert "mail server on fire" in caplog.text


def test_who_runs_it_in_the_app(sqlite_db: Database) -> None:
    assert in_app.wanted(_config(sqlite_db, DEMO_MODE=True, NOTIFY_IN_APP=False))
    assert in_app.wanted(_config(sqlite_db, DEMO_MODE=False, NOTIFY_IN_APP=True))
    assert not in_app.wanted(_config(sqlite_db, DEMO_MODE=False, NOTIFY_IN_APP=False))
    assert not in_app.wanted(_config(sqlite_db, DEMO_MODE=True, NOTIFY_INTERVAL_SECONDS=0))
