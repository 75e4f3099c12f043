"""A valid run of every command leaves an audit row per change in the command's locality, and
returns what to invalidate and the events it wrote."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from employdash.access import Actor
from employdash.commands import Command, Ref, execute
from employdash.db import Database
from employdash.handed_ids import locality_of
from employdash.models import AuditEntry, Event
from tests.foundation.command_samples import SEDEROT
from tests.foundation.commands.harness import NATIONAL, PRODUCT, command, writer


def _filed_under(db: Database, name: str, sampled: Command[Any]) -> int | None:
    """The locality a sample's audit rows are filed under: the one the command names, else
    Sederot's (whose data the samples use)."""
    if name in NATIONAL:
        return None
    where = sampled.where()
    if isinstance(where, Ref):
        with db.transaction() as s:
            return locality_of(s, where.model, where.id)
    return SEDEROT if where is None else where


@pytest.mark.parametrize("name", PRODUCT)
def test_a_valid_command_is_audited_in_its_locality(
    db: Database, actors: dict[str, Actor], name: str
) -> None:
    sampled = command(db, actors, name)
    runner = writer(actors, sampled)
    filed_under = _filed_under(db, name, sampled)  # before a delete
    with db.transaction() as s:
        last = s.scalar(select(func.max(AuditEntry.id))) or 0
        last_event = s.scalar(select(func.max(Event.id))) or 0  # a sample's own set-up
    outcome = execute(db, runner, sampled)
    with db.transaction() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.id > last)).all()
        events = s.scalars(select(Event.name).where(Event.id > last_event)).all()
    assert rows and {r.username for r in rows} == {runner.username}
    assert {r.locality_code for r in rows} == {filed_under}
    assert type(sampled).entity in {r.entity for r in rows}
    assert outcome.invalidates == type(sampled).invalidates and outcome.invalidates
    assert sorted(events) == sorted(outcome.events)
