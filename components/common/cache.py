"""One way to cache a read model in the UI: bounded, short-lived, keyed by database and actor, and
cleared per area after a write.

Each cached read model is a service function `fn(db, actor, *args)`. The cache key holds the
database URL and the acting user (role and locality scope), so one user's answer never serves
another; the service itself still authorizes every miss. Entries expire after CACHE_TTL_SECONDS
(writes on another replica show up within that time) and each function keeps at most
`max_entries`, so memory per process stays bounded however many people use it.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable
from dataclasses import fields
from typing import Concatenate, ParamSpec, TypeVar

import streamlit as st

from employdash.access import Actor, Area
from employdash.config import get_config
from employdash.db import Database, get_database

P = ParamSpec("P")
R = TypeVar("R")
ReadModel = Callable[Concatenate[Database, Actor, P], R]

_BY_AREA: dict[Area, list[Callable[[], None]]] = {}


def read_model(
    area: Area, *more: Area, max_entries: int = 128
) -> Callable[[ReadModel[P, R]], ReadModel[P, R]]:
    """Cache `fn(db, actor, *args)`; `clear_area(area)` drops its entries after a write, and so
    does clearing any of `more`: a read model that joins records of several areas (tasks with
    their owners' names) is stale after a write to any of them."""

    def wrap(fn: ReadModel[P, R]) -> ReadModel[P, R]:
        # The actor is keyed by `actor_key` (Streamlit leaves `_actor` out of the key): hashing
        # the Actor itself, field by field through its pickled form, was most of a cache hit.
        def cached(
            url: str, actor_key: str, _actor: Actor, /, *args: P.args, **kwargs: P.kwargs
        ) -> R:
            return fn(get_database(url), _actor, *args, **kwargs)

        # Streamlit keys a cache by module and qualified name: give each read model its own.
        cached.__module__, cached.__qualname__ = fn.__module__, f"cached.{fn.__qualname__}"
        store = st.cache_data(
            ttl=get_config().CACHE_TTL_SECONDS, max_entries=max_entries, show_spinner=False
        )(cached)
        for each in (area, *more):
            _BY_AREA.setdefault(each, []).append(store.clear)

        def call(db: Database, actor: Actor, /, *args: P.args, **kwargs: P.kwargs) -> R:
            return store(db.url, actor_key(actor), actor, *args, **kwargs)

        call.__doc__ = fn.__doc__
        return call

    return wrap


def actor_key(actor: Actor) -> str:
    """Every field of the actor (who, role, locality scope, person, language) as one text: two
    actors share a key only when they are the same in everything a read model may depend on."""
    values = (getattr(actor, f.name) for f in fields(actor))
    return repr(tuple(sorted(v) if isinstance(v, frozenset) else v for v in values))


def clear_area(*areas: Area) -> None:
    """Forget every cached read model of these areas (after a write that changes them)."""
    for area in areas:
        for clear in _BY_AREA.get(area, ()):
            clear()


_heap_lock = threading.Lock()
_modules_at_freeze = 0


def settle_heap() -> None:
    """Keep the objects of imported modules out of the garbage collector's full passes.

    Streamlit runs `gc.collect()` after every script run (`runner.postScriptGC`), holding the GIL.
    With pandas, Altair's schema, SQLAlchemy and the app imported that full pass walked some 200k
    long-lived objects: 0.3-0.8 s of CPU per run on this machine, most of a warm page's cost, and
    every other session waited for it. After a run that imported new modules (a few times per
    process: the first run of each page), what is alive is frozen (the modules, their schemas and
    caches), so later passes see only the objects a run created. Frozen objects are still freed
    by reference counting; only cycles among them stay until exit, and they are at most what was
    alive or garbage at those few freezes (no collection first: that full pass is what this saves).

    Measured (benchmarks/results/internals.md): that pass over the imported heap (some 200k
    objects) took 0.134 s of CPU unfrozen and 0.000 s frozen. tests/test_streamlit_internals.py
    fails when Streamlit stops collecting after runs, and this has nothing left to save.
    """
    global _modules_at_freeze
    if len(sys.modules) == _modules_at_freeze:
        return
    with _heap_lock:
        if len(sys.modules) != _modules_at_freeze:
            gc.freeze()
            _modules_at_freeze = len(sys.modules)
