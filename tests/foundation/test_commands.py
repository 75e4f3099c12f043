"""The write pipeline's properties, proven once for every command on SQLite and PostgreSQL.

Every command the product registers is driven through `execute` (tests/foundation/commands/, one
file per property, each on one database per kind with every test rolled back) with a forbidden
role, with each handed reference swapped for a record of a locality outside the actor's scope,
with each declared text over its bound, with its version stale, and with its audit row failing to
insert: each is refused (or rolled back) and leaves the database exactly as it was. A valid run
leaves an audit row per change in the command's locality and returns what to invalidate. `SAMPLES`
holds one valid command per registered command (`tests/foundation/command_samples/`, one module
per area); a command without one fails `test_every_command_has_a_sample`. The tests here run on
a fresh database each: one of them writes from a second connection.
"""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from employdash.access import Actor, Area
from employdash.commands import Command, Ref, Write, execute
from employdash.db import Database
from employdash.errors import StaleVersion
from employdash.events import consumes
from employdash.models import AuditEntry, Event
from employdash.models.stakeholders import Stakeholder
from tests.foundation.command_samples import SEDEROT
from tests.foundation.command_samples.stakeholders import stakeholder
from tests.foundation.commands.harness import PRODUCT, SAMPLES, audit_fails, counts

__all__ = ["PRODUCT"]  # the commands every generic test drives (test_command_declarations.py)


def test_every_command_has_a_sample() -> None:
    assert PRODUCT, "no command registered: the area modules were not imported"
    assert sorted(set(PRODUCT) - set(SAMPLES)) == []


@dataclasses.dataclass
class _RenameAndTell(
    Command[int],
    area=Area.STAKEHOLDERS,
    entity="stakeholder",
    texts={"notes": "stakeholder/notes"},
    emits=frozenset({"stakeholder.noted"}),
):
    """A command of this test only: it emits a declared event, and then one it did not declare."""

    stakeholder: Ref[Stakeholder]
    version: int
    notes: str
    undeclared: bool = False

    def where(self) -> Ref[Stakeholder]:
        return self.stakeholder

    def run(self, w: Write) -> int:
        row = w.get(self.stakeholder)
        w.update(row, self.version, {"notes": self.notes})
        w.emit("stakeholder.noted", row.id, notes=self.notes)
        if self.undeclared:
            w.emit("stakeholder.gossip", row.id)
        return row.version


def test_events_are_written_with_the_change_and_only_when_declared(
    db: Database, actors: dict[str, Actor]
) -> None:
    sid, version = stakeholder(db)
    manager = actors["manager"]
    outcome = execute(db, manager, _RenameAndTell(Ref(Stakeholder, sid), version, " Keen\x07 "))
    assert outcome.events == ("stakeholder.noted",)
    with db.transaction() as s:
        written = s.scalars(select(Event)).one()
        notes = s.get_one(Stakeholder, sid).notes
    assert notes == "Keen"  # cleaned by the pipeline before the command ran
    assert (written.name, written.entity, written.entity_id) == (
        "stakeholder.noted",
        "stakeholder",
        str(sid),
    )
    assert (written.username, written.locality_code, written.payload) == (
        "manager",
        SEDEROT,
        {"notes": "Keen"},
    )
    before = counts(db)
    with pytest.raises(ValueError, match="does not declare"):
        execute(db, manager, _RenameAndTell(Ref(Stakeholder, sid), version + 1, "x", True))
    with audit_fails(), pytest.raises(RuntimeError):
        execute(db, manager, _RenameAndTell(Ref(Stakeholder, sid), version + 1, "y"))
    assert counts(db) == before  # neither the change nor its event


@dataclasses.dataclass
class _Interleaved(
    Command[int], area=Area.STAKEHOLDERS, entity="stakeholder", texts={"notes": "stakeholder/notes"}
):
    """A command of this test only: another connection saves the row after this one loaded it."""

    stakeholder: Ref[Stakeholder]
    version: int
    notes: str
    db: Database

    def where(self) -> Ref[Stakeholder]:
        return self.stakeholder

    def run(self, w: Write) -> int:
        row = w.get(self.stakeholder)  # loaded at `version`
        with self.db.engine.begin() as other:
            other.execute(
                update(Stakeholder)
                .where(Stakeholder.id == row.id)
                .values(version=self.version + 1, notes="Theirs")
            )
        w.update(row, self.version, {"notes": self.notes})
        return row.version


def test_a_save_between_the_read_and_the_write_is_refused(
    db: Database, actors: dict[str, Actor]
) -> None:
    """The version check is in the UPDATE itself: a save that lands after the command loaded the
    row (on another replica) still refuses this one instead of being overwritten."""
    sid, version = stakeholder(db)
    with pytest.raises(StaleVersion):
        execute(db, actors["manager"], _Interleaved(Ref(Stakeholder, sid), version, "Mine", db))
    with db.transaction() as s:
        row = s.get_one(Stakeholder, sid)
        assert (row.notes, row.version) == ("Theirs", version + 1)


FOLLOWED = "test.followed"  # an event of this test only, with a consumer of its own
_followed: list[dict[str, object]] = []


@consumes(FOLLOWED)
def _follow(_session: Session, event: Event) -> None:
    _followed.append(dict(event.payload))


@dataclasses.dataclass
class _TellThrice(
    Command[None],
    area=Area.STAKEHOLDERS,
    entity="stakeholder",
    emits=frozenset({"stakeholder.noted", FOLLOWED}),
):
    """A command of this test only: events no consumer follows around one a consumer follows."""

    stakeholder: Ref[Stakeholder]

    def where(self) -> Ref[Stakeholder]:
        return self.stakeholder

    def run(self, w: Write) -> None:
        for n, name in enumerate(("stakeholder.noted", FOLLOWED, "stakeholder.noted")):
            w.audit("note", self.stakeholder.id, after={"n": n})
            w.emit(name, self.stakeholder.id, n=n)


def test_a_commands_events_and_audit_rows_keep_their_order(
    db: Database, actors: dict[str, Actor]
) -> None:
    """Rows no consumer follows are written when the command is done, one statement per table;
    an event a consumer follows is written at once, after those before it, and its consumer
    sees it in the command's transaction."""
    sid, _ = stakeholder(db)
    _followed.clear()
    outcome = execute(db, actors["manager"], _TellThrice(Ref(Stakeholder, sid)))
    assert outcome.events == ("stakeholder.noted", FOLLOWED, "stakeholder.noted")
    assert _followed == [{"n": 1}]
    with db.transaction() as s:
        events = s.scalars(select(Event).order_by(Event.id)).all()
        notes = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "note").order_by(AuditEntry.id)
        ).all()
    assert [(e.name, e.payload) for e in events] == [
        ("stakeholder.noted", {"n": 0}),
        (FOLLOWED, {"n": 1}),
        ("stakeholder.noted", {"n": 2}),
    ]
    assert [(a.entity_id, a.locality_code, a.after) for a in notes] == [
        (str(sid), SEDEROT, {"n": n}) for n in range(3)
    ]
