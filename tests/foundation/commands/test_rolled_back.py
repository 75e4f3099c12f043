"""The fixture the property tests stand on: a failed transaction inside a test returns to where
it began, and what a test commits is gone for the next test, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from employdash.models.stakeholders import Stakeholder
from tests.foundation.commands.harness import counts
from tests.support.databases import RolledBackDatabase

_SAVED_AGAIN = update(Stakeholder).values(version=Stakeholder.version + 1)


def test_a_failure_is_undone_at_once_and_a_commit_at_the_end(
    module_db: RolledBackDatabase,
) -> None:
    start = counts(module_db)
    with module_db.rolled_back():
        with pytest.raises(RuntimeError), module_db.transaction() as s:
            s.execute(_SAVED_AGAIN)
            raise RuntimeError("a failure inside the test's transaction")
        assert counts(module_db) == start
        with module_db.transaction() as s:
            s.execute(_SAVED_AGAIN)
        assert counts(module_db) != start  # committed: the next transaction sees it
    assert counts(module_db) == start
