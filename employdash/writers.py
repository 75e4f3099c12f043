"""The plain functions a caller with no command at hand writes with (a script, a test, an
import): each runs one command through `execute` and returns its value, with the arguments of
the command's `of`, so no module repeats a command's signature in a wrapper of its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from employdash.access import Actor
from employdash.commands import Command, execute
from employdash.db import Database

R = TypeVar("R")
P = ParamSpec("P")


def writer(of: Callable[P, Command[R]]) -> Callable[Concatenate[Database, Actor, P], R]:
    """`writer(X.of)(db, actor, ...)` runs the command `X.of(...)` makes and returns its value."""

    def write(db: Database, actor: Actor, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return execute(db, actor, of(*args, **kwargs)).value

    return write


def reading_writer(
    of: Callable[Concatenate[Database, P], Command[R]],
) -> Callable[Concatenate[Database, Actor, P], R]:
    """A `writer` for a command whose `of` reads the database first (the record a form's save
    changes, found by its key): `reading_writer(X.of)(db, actor, ...)` runs `X.of(db, ...)`."""

    def write(db: Database, actor: Actor, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return execute(db, actor, of(db, *args, **kwargs)).value

    return write
