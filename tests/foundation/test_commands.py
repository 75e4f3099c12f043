"""The write pipeline's properties, proven once for every command on SQLite and PostgreSQL.

Every command the product registers is driven through `execute` with a forbidden role, with each
handed reference swapped for a record of a locality outside the actor's scope, with each declared
text over its bound, with its version stale, and with its audit row failing to insert: each is
refused (or rolled back) and leaves the database exactly as it was. A valid run leaves an audit
row per change in the command's locality and returns what to invalidate. `SAMPLES` holds one
valid command per registered command (`tests/foundation/command_samples/`, one module per
area); a command without one fails `test_every_command_has_a_sample`.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select, update

import employdash
from employdash.access import Action, Actor, Area, allows
from employdash.commands import Command, Ref, Write, execute, registered
from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied, StaleVersion, ValidationError
from employdash.handed_ids import SHARED_MODELS, locality_of
from employdash.limits import FIELDS, TOO_LONG
from employdash.models import AuditEntry, Event
from employdash.models.base import Base
from employdash.models.stakeholders import Stakeholder
from tests.foundation.command_samples import SEDEROT, load
from tests.foundation.command_samples.stakeholders import stakeholder

SAMPLES = load()
for _module in pkgutil.walk_packages(employdash.__path__, "employdash."):
    importlib.import_module(_module.name)  # every command is registered, sampled or not
COMMANDS = registered()
PRODUCT = sorted(name for name in COMMANDS if name.startswith("employdash."))


def test_every_command_has_a_sample() -> None:
    assert PRODUCT, "no command registered: the area modules were not imported"
    assert sorted(set(PRODUCT) - set(SAMPLES)) == []


def _counts(db: Database) -> tuple[int, ...]:
    """Rows of every table and the sum of its versions: a refused or failed command changes
    none of them (an update shows in the versions)."""
    found: list[int] = []
    with db.transaction() as s:
        for table in Base.metadata.sorted_tables:
            found.append(int(s.scalar(select(func.count()).select_from(table)) or 0))
            if "version" in table.c:
                found.append(int(s.scalar(select(func.sum(table.c.version))) or 0))
    return tuple(found)


def _command(db: Database, actors: dict[str, Actor], name: str) -> Command[Any]:
    return SAMPLES[name](db, actors)


def _writer(actors: dict[str, Actor], command: Command[Any]) -> Actor:
    """Who runs a sample: Sederot's manager; the mayor for leadership's own write (the plan's
    approval); the admin for a national command (the catalogue's), which no one else may write."""
    area = type(command).area
    return next(
        a
        for a in (actors["manager"], actors["mayor"], actors["admin"])
        if allows(a.role, area, Action.WRITE)
    )


# Commands of national records, of no locality: their audit rows name none, and the records they
# name are shared by every locality.
NATIONAL = frozenset(
    {
        "employdash.indicators.local.AddLocalIndicator",
        "employdash.mentoring.certification.SaveStandard",
        "employdash.mentoring.operations.DefinePipeline",
    }
)


def _filed_under(db: Database, name: str, command: Command[Any]) -> int | None:
    """The locality a sample's audit rows are filed under: the one the command names, else
    Sederot's (whose data the samples use)."""
    if name in NATIONAL:
        return None
    where = command.where()
    if isinstance(where, Ref):
        with db.transaction() as s:
            return locality_of(s, where.model, where.id)
    return SEDEROT if where is None else where


@pytest.mark.parametrize("name", PRODUCT)
def test_a_valid_command_is_audited_in_its_locality(
    db: Database, actors: dict[str, Actor], name: str
) -> None:
    command = _command(db, actors, name)
    writer, filed_under = (
        _writer(actors, command),
        _filed_under(db, name, command),
    )  # before a delete
    with db.transaction() as s:
        last = s.scalar(select(func.max(AuditEntry.id))) or 0
        last_event = s.scalar(select(func.max(Event.id))) or 0  # a sample's own set-up
    outcome = execute(db, writer, command)
    with db.transaction() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.id > last)).all()
        events = s.scalars(select(Event.name).where(Event.id > last_event)).all()
    assert rows and {r.username for r in rows} == {writer.username}
    assert {r.locality_code for r in rows} == {filed_under}
    assert type(command).entity in {r.entity for r in rows}
    assert outcome.invalidates == type(command).invalidates and outcome.invalidates
    assert sorted(events) == sorted(outcome.events)


@pytest.mark.parametrize("name", PRODUCT)
def test_a_forbidden_role_changes_nothing(
    db: Database, actors: dict[str, Actor], name: str
) -> None:
    command = _command(db, actors, name)
    refused = [a for a in actors.values() if not allows(a.role, type(command).area, Action.WRITE)]
    assert refused, f"every role may write {type(command).area}"
    before = _counts(db)
    for actor in refused:
        with pytest.raises(PermissionDenied):
            execute(db, actor, command)
    assert _counts(db) == before


TEL_AVIV = 31  # in no demo user's scope but the admin's


@pytest.mark.parametrize(
    "name",
    [
        n
        for n in PRODUCT
        if "locality_code" in {f.name for f in dataclasses.fields(COMMANDS[n])}  # type: ignore[arg-type]  # commands are dataclasses
        and allows("manager", COMMANDS[n].area, Action.WRITE)
    ],
)
def test_a_locality_outside_the_scope_is_refused(
    db: Database, actors: dict[str, Actor], name: str
) -> None:
    command = dataclasses.replace(_command(db, actors, name), locality_code=TEL_AVIV)  # type: ignore[type-var]  # commands are dataclasses
    before = _counts(db)
    with pytest.raises(PermissionDenied):
        execute(db, actors["manager"], command)
    assert _counts(db) == before


def _foreign(db: Database, actor: Actor, model: type[Base]) -> int:
    """A record of `model` in a locality outside the actor's scope (for an admin, whose scope is
    every locality, a record that does not exist)."""
    key = model.__mapper__.primary_key[0]
    with db.transaction() as s:
        if actor.localities is None:
            return int(s.scalar(select(func.max(key))) or 0) + 1000
        for record_id in s.scalars(select(key).order_by(key)):
            code = locality_of(s, model, record_id)
            if code is not None and not actor.can_see(code):
                return int(record_id)
    raise AssertionError(f"the demo data has no {model.__name__} outside {actor.username}'s scope")


def _with_ref(command: Command[Any], path: str, replacement: Ref[Any]) -> Command[Any]:
    """A copy of `command` with the reference at `path` ("owner", "changes.x", "targets[0]",
    "tasks[0].owner") replaced."""
    copy = dataclasses.replace(command)  # type: ignore[type-var]
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


# Handed no ID at all: a new forum names only its locality (the locality test covers it).
HANDED_NOTHING = frozenset({"employdash.forum.setup.CreateForum"})


@pytest.mark.parametrize("name", sorted(set(PRODUCT) - NATIONAL - HANDED_NOTHING))
def test_a_reference_outside_the_scope_is_not_found(
    db: Database, actors: dict[str, Actor], name: str
) -> None:
    command = _command(db, actors, name)
    writer = _writer(actors, command)
    assert command.refs(), f"{name} is handed no reference"
    before = _counts(db)
    for path, reference in command.refs().items():
        if reference.model in SHARED_MODELS:
            continue
        foreign = dataclasses.replace(reference, id=_foreign(db, writer, reference.model))
        with pytest.raises(NotFound):
            execute(db, writer, _with_ref(command, path, foreign))
    assert _counts(db) == before


@pytest.mark.parametrize("name", [n for n in PRODUCT if COMMANDS[n].texts])
def test_every_declared_text_is_bounded(db: Database, actors: dict[str, Actor], name: str) -> None:
    command = _command(db, actors, name)
    before = _counts(db)
    for path, limit in type(command).texts.items():
        long = "x" * (FIELDS[limit].max_len + 1)
        copy = dataclasses.replace(command)  # type: ignore[type-var]
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
            execute(db, _writer(actors, command), copy)
        assert refused.value.fields == {field: TOO_LONG}
    assert _counts(db) == before


def _versioned_targets(command: Command[Any]) -> list[Ref[Any]]:
    return [r for r in command.refs().values() if r.model.__mapper__.version_id_col is not None]


READS_A_VERSION = [
    n
    for n in PRODUCT
    if {"version", "edits"} & {f.name for f in dataclasses.fields(COMMANDS[n])}  # type: ignore[arg-type]  # commands are dataclasses
]


@pytest.mark.parametrize("name", READS_A_VERSION)
def test_a_stale_version_is_refused(db: Database, actors: dict[str, Actor], name: str) -> None:
    command = _command(db, actors, name)
    targets = _versioned_targets(command)
    assert targets
    with db.transaction() as s:  # someone else saved each record since it was read
        for target in targets:
            s.execute(
                update(target.model)
                .where(target.model.id == target.id)
                .values(version=target.model.version + 1)
            )
    before = _counts(db)
    with pytest.raises(StaleVersion):
        execute(db, _writer(actors, command), command)
    assert _counts(db) == before


@contextmanager
def _audit_fails() -> Iterator[None]:
    def boom(*_args: object) -> None:
        raise RuntimeError("injected: the audit row cannot be written")

    event.listen(AuditEntry, "before_insert", boom)
    try:
        yield
    finally:
        event.remove(AuditEntry, "before_insert", boom)


@pytest.mark.parametrize("name", PRODUCT)
def test_a_failure_at_the_last_step_leaves_nothing(
    db: Database, actors: dict[str, Actor], name: str
) -> None:
    command = _command(db, actors, name)
    before = _counts(db)
    with _audit_fails(), pytest.raises(RuntimeError, match="injected"):
        execute(db, _writer(actors, command), command)
    assert _counts(db) == before


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
    before = _counts(db)
    with pytest.raises(ValueError, match="does not declare"):
        execute(db, manager, _RenameAndTell(Ref(Stakeholder, sid), version + 1, "x", True))
    with _audit_fails(), pytest.raises(RuntimeError):
        execute(db, manager, _RenameAndTell(Ref(Stakeholder, sid), version + 1, "y"))
    assert _counts(db) == before  # neither the change nor its event


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
