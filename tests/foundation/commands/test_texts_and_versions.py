"""Every declared text of every command is refused over its bound, and a required one empty; every
command that reads a version refuses a stale one; none of them changes anything."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from sqlalchemy import update

from employdash.access import Actor
from employdash.commands import Command, Ref, execute
from employdash.db import Database
from employdash.errors import StaleVersion, ValidationError
from employdash.limits import FIELDS, TOO_LONG
from tests.foundation.commands.harness import (
    COMMANDS,
    PRODUCT,
    READS_A_VERSION,
    command,
    counts,
    writer,
)


@pytest.mark.parametrize("name", [n for n in PRODUCT if COMMANDS[n].texts])
def test_every_declared_text_is_bounded(db: Database, actors: dict[str, Actor], name: str) -> None:
    sampled = command(db, actors, name)
    before = counts(db)
    for path, limit in type(sampled).texts.items():
        long = "x" * (FIELDS[limit].max_len + 1)
        copy = dataclasses.replace(sampled)  # type: ignore[type-var]
        holder, _, key = path.partition(".")
        if "[]" in path:  # the first row of a list: "agenda[]", "tasks[].title"
            holder, _, key = path.partition("[]")
            key = key.removeprefix(".")
            rows = list(getattr(copy, holder))
            assert rows, f"the sample of {name} holds no row of {holder}"
            row = rows[0]
            if not key:
                rows[0] = long
            elif isinstance(row, dict):
                rows[0] = {**row, key: long}
            else:
                rows[0] = dataclasses.replace(row, **{key: long})
            setattr(copy, holder, rows)
            field = f"{holder}[0]" + (f".{key}" if key else "")
        elif key:
            setattr(copy, holder, {**getattr(copy, holder), key: long})
            field = key
        else:
            setattr(copy, path, long)
            field = path
        with pytest.raises(ValidationError) as refused:
            execute(db, writer(actors, sampled), copy)
        assert refused.value.fields == {field: TOO_LONG}
    assert counts(db) == before


@pytest.mark.parametrize("name", [n for n in PRODUCT if COMMANDS[n].required])
def test_every_required_text_is_refused_empty(
    db: Database, actors: dict[str, Actor], name: str
) -> None:
    sampled = command(db, actors, name)
    before = counts(db)
    for field in type(sampled).required:
        for empty in (None, "", "   "):
            with pytest.raises(ValidationError) as refused:
                execute(db, writer(actors, sampled), dataclasses.replace(sampled, **{field: empty}))  # type: ignore[type-var]
            assert refused.value.fields == {field: "validation.required"}
    assert counts(db) == before


def _versioned_targets(sampled: Command[Any]) -> list[Ref[Any]]:
    return [r for r in sampled.refs().values() if r.model.__mapper__.version_id_col is not None]


@pytest.mark.parametrize("name", READS_A_VERSION)
def test_a_stale_version_is_refused(db: Database, actors: dict[str, Actor], name: str) -> None:
    sampled = command(db, actors, name)
    targets = _versioned_targets(sampled)
    assert targets
    with db.transaction() as s:  # someone else saved each record since it was read
        for target in targets:
            s.execute(
                update(target.model)
                .where(target.model.id == target.id)
                .values(version=target.model.version + 1)
            )
    before = counts(db)
    with pytest.raises(StaleVersion):
        execute(db, writer(actors, sampled), sampled)
    assert counts(db) == before
