"""Every command handed a record of a locality outside the actor's scope, in place of each
reference it is handed, answers "not found" and changes nothing."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from employdash.access import Actor
from employdash.commands import execute
from employdash.db import Database
from employdash.errors import NotFound
from employdash.handed_ids import SHARED_MODELS, locality_of
from employdash.models.base import Base
from tests.foundation.commands.harness import NATIONAL, PRODUCT, command, counts, with_ref, writer

# Found once per module database, actor and model (the search reads the locality of record after
# record): every test starts from the same demo data, the module's database rolled back after each.
_FOREIGN: dict[tuple[Database, Actor, type[Base]], int] = {}


def _foreign(db: Database, actor: Actor, model: type[Base]) -> int:
    """A record of `model` in a locality outside the actor's scope (for an admin, whose scope is
    every locality, a record that does not exist)."""
    if (db, actor, model) not in _FOREIGN:
        _FOREIGN[db, actor, model] = _search(db, actor, model)
    return _FOREIGN[db, actor, model]


def _search(db: Database, actor: Actor, model: type[Base]) -> int:
    key = model.__mapper__.primary_key[0]
    with db.transaction() as s:
        if actor.localities is None:
            return int(s.scalar(select(func.max(key))) or 0) + 1000
        for record_id in s.scalars(select(key).order_by(key)):
            code = locality_of(s, model, record_id)
            if code is not None and not actor.can_see(code):
                return int(record_id)
    raise AssertionError(f"the demo data has no {model.__name__} outside {actor.username}'s scope")


# Handed no ID at all: a new forum names only its locality (the locality test covers it).
HANDED_NOTHING = frozenset(
    {"employdash.forum.setup.CreateForum", "employdash.portfolio.notes.AddProgrammeNote"}
)


@pytest.mark.parametrize("name", sorted(set(PRODUCT) - NATIONAL - HANDED_NOTHING))
def test_a_reference_outside_the_scope_is_not_found(
    db: Database, actors: dict[str, Actor], name: str
) -> None:
    sampled = command(db, actors, name)
    runner = writer(actors, sampled)
    assert sampled.refs(), f"{name} is handed no reference"
    before = counts(db)
    for path, reference in sampled.refs().items():
        if reference.model in SHARED_MODELS:
            continue
        foreign = dataclasses.replace(reference, id=_foreign(db, runner, reference.model))
        with pytest.raises(NotFound):
            execute(db, runner, with_ref(sampled, path, foreign))
    assert counts(db) == before
