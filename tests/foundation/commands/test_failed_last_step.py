"""Every command whose audit row fails to insert, the last step of its transaction, leaves
nothing of its change."""

from __future__ import annotations

import pytest

from employdash.access import Actor
from employdash.commands import execute
from employdash.db import Database
from tests.foundation.commands.harness import PRODUCT, audit_fails, command, counts, writer


@pytest.mark.parametrize("name", PRODUCT)
def test_a_failure_at_the_last_step_leaves_nothing(
    db: Database, actors: dict[str, Actor], name: str
) -> None:
    sampled = command(db, actors, name)
    before = counts(db)
    with audit_fails(), pytest.raises(RuntimeError, match="injected"):
        execute(db, writer(actors, sampled), sampled)
    assert counts(db) == before
