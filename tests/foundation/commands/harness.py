"""What the pipeline's property tests share: every registered command, its sample, who runs it,
and the database's state to compare before and after a command that must change nothing."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from sqlalchemy import Engine, event, func, select

import employdash
from employdash.access import Action, Actor, allows
from employdash.commands import Command, Ref, registered
from employdash.db import Database
from employdash.models.base import Base
from tests.foundation.command_samples import load

SAMPLES = load()
for _module in pkgutil.walk_packages(employdash.__path__, "employdash."):
    importlib.import_module(_module.name)  # every command is registered, sampled or not
COMMANDS = registered()
PRODUCT = sorted(name for name in COMMANDS if name.startswith("employdash."))

# Commands of national records, of no locality: their audit rows name none, and the records they
# name are shared by every locality.
NATIONAL = frozenset(
    {
        "employdash.indicators.local.AddLocalIndicator",
        "employdash.mentoring.certification.SaveStandard",
        "employdash.mentoring.operations.DefinePipeline",
    }
)


def fields_of(name: str) -> set[str]:
    return {f.name for f in dataclasses.fields(COMMANDS[name])}  # type: ignore[arg-type]  # commands are dataclasses


# The commands whose stale-version refusal the generic test proves (they read `version`).
READS_A_VERSION = [n for n in PRODUCT if {"version", "edits"} & fields_of(n)]


# Rows of every table and the sum of its versions, in one query (one round trip, not two per
# table): a refused or failed command changes none of them (an update shows in the versions).
_STATE = select(
    *(
        column
        for table in Base.metadata.sorted_tables
        for column in (
            select(func.count()).select_from(table).scalar_subquery(),
            *(
                [select(func.coalesce(func.sum(table.c.version), 0)).scalar_subquery()]
                if "version" in table.c
                else []
            ),
        )
    )
)


def counts(db: Database) -> tuple[int, ...]:
    with db.transaction() as s:
        return tuple(int(value) for value in s.execute(_STATE).one())


def command(db: Database, actors: dict[str, Actor], name: str) -> Command[Any]:
    return SAMPLES[name](db, actors)


def writer(actors: dict[str, Actor], command: Command[Any]) -> Actor:
    """Who runs a sample: Sederot's manager; the mayor for leadership's own write (the plan's
    approval); the programme's staff for theirs (a note); the admin for a national command (the
    catalogue's), which no one else may write."""
    area = type(command).area
    return next(
        a
        for a in (actors["manager"], actors["mayor"], actors["programme"], actors["admin"])
        if allows(a.role, area, Action.WRITE)
    )


@contextmanager
def insert_fails(table: str) -> Iterator[None]:
    """The database refuses every INSERT into `table`, however the rows are written (a unit of
    work's flush, or one statement for many rows)."""

    def boom(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().startswith(f"INSERT INTO {table} ("):
            raise RuntimeError(f"injected: the {table} row cannot be written")

    event.listen(Engine, "before_cursor_execute", boom)
    try:
        yield
    finally:
        event.remove(Engine, "before_cursor_execute", boom)


def audit_fails() -> AbstractContextManager[None]:
    return insert_fails("audit_entry")


def with_ref(sampled: Command[Any], path: str, replacement: Ref[Any]) -> Command[Any]:
    """A copy of `sampled` with the reference at `path` ("owner", "changes.x", "targets[0]",
    "tasks[0].owner") replaced."""
    copy = dataclasses.replace(sampled)  # type: ignore[type-var]
    if "]." in path:
        name, index, field = re.fullmatch(r"(\w+)\[(\d+)\]\.(\w+)", path).groups()  # type: ignore[union-attr]
        items = list(getattr(copy, name))
        items[int(index)] = dataclasses.replace(items[int(index)], **{field: replacement})
        setattr(copy, name, items)
    elif "[" in path:
        name, index = path[:-1].split("[")
        items = list(getattr(copy, name))
        items[int(index)] = replacement
        setattr(copy, name, items)
    elif "." in path:
        name, key = path.split(".", 1)
        setattr(copy, name, {**getattr(copy, name), key: replacement})
    else:
        setattr(copy, path, replacement)
    return copy
