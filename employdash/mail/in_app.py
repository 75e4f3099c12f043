"""`notify` inside the app process, for installations without cron or a timer (demo mode, or
NOTIFY_IN_APP): one daemon thread per process runs it every NOTIFY_INTERVAL_SECONDS.

It runs beside the pages, never in a page's run, so a slow mail server delays no one; a failure
is logged and the next round tries again. Several processes (replicas) may each run it: the
scheduled kinds run once per period and the sender claims each row, so nothing goes twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from employdash.config import Config
from employdash.db import get_database
from employdash.mail.notify import NotifyReport, notify

_LOG = logging.getLogger(__name__)
_lock = threading.Lock()
_runner: InAppRunner | None = None


def wanted(config: Config) -> bool:
    return (
        bool(config.NOTIFY_IN_APP or config.DEMO_MODE) and int(config.NOTIFY_INTERVAL_SECONDS) > 0
    )


class InAppRunner:
    def __init__(self, config: Config, run: Callable[[], NotifyReport] | None = None) -> None:
        self.interval = float(config.NOTIFY_INTERVAL_SECONDS)
        self._run = run or (lambda: notify(get_database(config.DATABASE_URL), config))
        self._stop = threading.Event()
        self.rounds = 0
        self._thread = threading.Thread(target=self._loop, name="employdash-notify", daemon=True)

    def start(self) -> InAppRunner:
        self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                _LOG.info("%s", self._run().describe())
            except Exception:  # logged, retried next round: the app must keep serving
                _LOG.exception("scheduled mail (notify) failed; trying again next round")
            self.rounds += 1

    def stop(self, timeout: float = 5) -> None:
        self._stop.set()
        self._thread.join(timeout)


def start(config: Config) -> InAppRunner | None:
    """The process's runner, started once (None when this installation does not want one)."""
    global _runner
    if not wanted(config):
        return None
    with _lock:
        if _runner is None:
            _runner = InAppRunner(config).start()
        return _runner


def stop() -> None:
    global _runner
    with _lock:
        if _runner is not None:
            _runner.stop()
            _runner = None
