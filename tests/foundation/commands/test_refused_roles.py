"""Every command refuses a role that may not write its area, and a locality outside the actor's
scope, and changes nothing."""

from __future__ import annotations

import dataclasses

import pytest

from employdash.access import POLICY, Action, Actor, allows
from employdash.commands import execute
from employdash.db import Database
from employdash.errors import PermissionDenied
from tests.foundation.commands.harness import (
    COMMANDS,
    PRODUCT,
    command,
    counts,
    fields_of,
    writer,
)

TEL_AVIV = 31  # in no demo user's scope but the admin's


@pytest.mark.parametrize("name", PRODUCT)
def test_a_forbidden_role_changes_nothing(
    db: Database, actors: dict[str, Actor], name: str
) -> None:
    sampled = command(db, actors, name)
    area = type(sampled).area
    refused = [a for a in actors.values() if not allows(a.role, area, Action.WRITE)]
    if all(area in rules.own_only for rules in POLICY.values()):
        # every role writes its own records of this area (its invitations): everyone else is
        # refused the sample's, which is its writer's own
        owner = writer(actors, sampled)
        refused = [a for a in actors.values() if a.person_id != owner.person_id]
    assert refused, f"every role may write {area}"
    before = counts(db)
    for actor in refused:
        with pytest.raises(PermissionDenied):
            execute(db, actor, sampled)
    assert counts(db) == before


@pytest.mark.parametrize(
    "name",
    [
        n
        for n in PRODUCT
        if "locality_code" in fields_of(n) and allows("manager", COMMANDS[n].area, Action.WRITE)
    ],
)
def test_a_locality_outside_the_scope_is_refused(
    db: Database, actors: dict[str, Actor], name: str
) -> None:
    elsewhere = dataclasses.replace(command(db, actors, name), locality_code=TEL_AVIV)  # type: ignore[type-var]  # commands are dataclasses
    before = counts(db)
    with pytest.raises(PermissionDenied):
        execute(db, actors["manager"], elsewhere)
    assert counts(db) == before
