"""Racing real processes against one database: the proof that a version check is atomic.

Each worker is a separate process with its own engine (as two replicas would be), all released
by one barrier so their reads and writes interleave. A worker reports "ok" (its save was
accepted), "stale" (refused with `StaleVersion`) or "busy" (the database refused the lock; nothing
was written). The test then compares the stored record with the saves that were accepted.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable
from multiprocessing.synchronize import Barrier
from typing import Any

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import DatabaseUnavailable, StaleVersion
from employdash.users import load_actor

Work = Callable[[Database, Actor, Any], object]


def _run(
    url: str, username: str, work: Work, arg: object, barrier: Barrier, out: mp.Queue[object]
) -> None:
    db = Database(url)
    actor = load_actor(db, username)
    assert actor is not None
    barrier.wait(timeout=60)
    try:
        work(db, actor, arg)
        out.put((arg, "ok"))
    except StaleVersion:
        out.put((arg, "stale"))
    except DatabaseUnavailable:
        out.put((arg, "busy"))
    except Exception as exc:
        out.put((arg, f"error: {type(exc).__name__}: {exc}"))
    finally:
        db.dispose()


def race(url: str, username: str, work: Work, args: list[Any]) -> dict[Any, str]:
    """Run `work(db, actor, arg)` for every arg at once in its own process; {arg: outcome}."""
    ctx = mp.get_context("fork")
    barrier, out = ctx.Barrier(len(args)), ctx.Queue()
    procs = [
        ctx.Process(target=_run, args=(url, username, work, arg, barrier, out)) for arg in args
    ]
    for p in procs:
        p.start()
    results = dict(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    return results
