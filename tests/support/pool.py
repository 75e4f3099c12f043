"""PostgreSQL databases copied from the template one test ahead.

`CREATE DATABASE ... TEMPLATE` takes about half a second (a checkpoint and a file copy), all of
it in the server. The pool starts the copy for the next test in a background thread while the
current test runs, and drops a used database there too, so a test only waits when its copy is
not done yet. Every test still gets a fresh, untouched copy of its own.
"""

from __future__ import annotations

import itertools
from concurrent.futures import Future, ThreadPoolExecutor

from tests.support.postgres import create_database, drop_database


class DatabasePool:
    def __init__(self, server_url: str, template: str, prefix: str) -> None:
        self.server_url, self.template, self.prefix = server_url, template, prefix
        self._counter = itertools.count()
        # One thread: creates and drops reach the server one at a time, in order.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-pool")
        self._next: Future[tuple[str, str]] | None = None

    def _create(self) -> Future[tuple[str, str]]:
        name = f"{self.prefix}_{next(self._counter)}"

        def create() -> tuple[str, str]:
            return name, create_database(self.server_url, name, template=self.template)

        return self._executor.submit(create)

    def take(self) -> tuple[str, str]:
        """(name, URL) of a fresh copy of the template; the next one starts being made."""
        ready = self._next or self._create()
        self._next = self._create()
        return ready.result()

    def give_back(self, name: str) -> None:
        """Drop a used database (in the background)."""
        self._executor.submit(drop_database, self.server_url, name)

    def close(self) -> None:
        if self._next is not None:
            name = self._next.result()[0]
            self._executor.submit(drop_database, self.server_url, name)
        self._executor.shutdown(wait=True)
