"""One way to cache a read model in the UI: bounded, short-lived, keyed by database and actor, and
cleared per area after a write.

Each cached read model is a service function `fn(db, actor, *args)`. The cache key holds the
database URL and the acting user (role and locality scope), so one user's answer never serves
another; the service itself still authorizes every miss. Entries expire after CACHE_TTL_SECONDS
(writes on another replica show up within that time) and each function keeps at most
`max_entries`, so memory per process stays bounded however many people use it.
"""

from __future__ import annotations

from collections.abc import Callable
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
    area: Area, *, max_entries: int = 128
) -> Callable[[ReadModel[P, R]], ReadModel[P, R]]:
    """Cache `fn(db, actor, *args)`; `clear_area(area)` drops its entries after a write."""

    def wrap(fn: ReadModel[P, R]) -> ReadModel[P, R]:
        def cached(url: str, actor: Actor, /, *args: P.args, **kwargs: P.kwargs) -> R:
            return fn(get_database(url), actor, *args, **kwargs)

        # Streamlit keys a cache by module and qualified name: give each read model its own.
        cached.__module__, cached.__qualname__ = fn.__module__, f"cached.{fn.__qualname__}"
        store = st.cache_data(
            ttl=get_config().CACHE_TTL_SECONDS, max_entries=max_entries, show_spinner=False
        )(cached)
        _BY_AREA.setdefault(area, []).append(store.clear)

        def call(db: Database, actor: Actor, /, *args: P.args, **kwargs: P.kwargs) -> R:
            return store(db.url, actor, *args, **kwargs)

        call.__doc__ = fn.__doc__
        return call

    return wrap


def clear_area(*areas: Area) -> None:
    """Forget every cached read model of these areas (after a write that changes them)."""
    for area in areas:
        for clear in _BY_AREA.get(area, ()):
            clear()
