"""One way to write: every change is a `Command`, and `execute` takes each safety step once.

A command declares what it is about and implements only the change itself:
- `area`: the access policy's area it writes (the role and the locality are checked against it);
- `entity`: the record kind its audit rows name;
- `texts`: which of its text fields are bounded by which limit of `employdash.limits.FIELDS`
  ("changes.notes" for a text inside an update's changes, "agenda[]" for each text of a list,
  "tasks[].title" for one in each row of a list);
- `required`: the text fields that may not be empty once cleaned; `reason="<limit>"` declares
  the commonest one, a `reason` field the user must give (a delete's, a cancellation's), bounded
  by that limit;
- handed IDs as `Ref` fields (or inside a dict, a list, or the dataclass rows of a list): each is
  resolved in the command's locality before the change runs
  (another locality's record is refused like a missing one);
- `where()`: the locality it writes in, or the `Ref` of the record whose locality that is (by
  default its first field; `at="field"` in the class statement names another), or
  None for a change of no one locality: a national record (a pipeline definition), an account,
  a file of many localities; its references are then resolved in the actor's whole scope, and
  each audit row names its own locality, or none for a national record;
- `invalidates`: the areas whose cached read models the change makes stale;
- `emits`: the events it may write.

`execute(db, actor, command)` runs, in one transaction: the role check, the resolution of the
locality and the locality check, the cleaning and bounds of every declared text, the resolution of
every handed reference, the command's own rules (`validate`), and the change (`run`), which goes
through a `Write` that refuses stale versions, writes the audit row of each change and the events.
A failure anywhere leaves nothing: no change, no audit row, no event. The `Outcome` tells the UI
what to refresh, so that is done in one place too.
"""

from __future__ import annotations

import dataclasses
import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from types import MappingProxyType
from typing import Any, ClassVar, Generic, Protocol, Self, TypeVar, get_args, get_type_hints

from sqlalchemy import Select, bindparam, insert, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql.dml import ReturningInsert

from employdash import audit
from employdash.access import Actor, Area, require_write
from employdash.db import Database
from employdash.errors import NotFound, StaleVersion, ValidationError
from employdash.events import EventName, consumers_of, event_row, record_event, record_events
from employdash.handed_ids import MANY_AT_ONCE, RESOLVE_MANY, in_locality, in_scope, locality_of
from employdash.limits import FIELDS, TOO_LONG, TextLimit, strip_controls
from employdash.models.base import Base, table_of

T = TypeVar("T", bound=Base)
R = TypeVar("R")


class Versioned(Protocol):
    """A record saved from the version its editor read (its mapper's `version_id_col`: a
    counter, or the time of the save where a table has no counter)."""

    id: int

    @property
    def version(self) -> int | datetime: ...


class Counted(Protocol):
    """A record whose version is a counter the command may move on itself (`Write.claim`)."""

    id: int
    version: int


# How a reference is resolved when the plain rule (the record belongs to the command's locality)
# is not the domain's: (session, actor, id, locality) -> the record, or NotFound.
Resolver = Callable[[Session, Actor, int, int], Base]


@dataclass(frozen=True)
class Ref(Generic[T]):
    """An ID a command is handed, typed by the record it names; `within` resolves it where the
    domain's rule differs (a forum write may name the forum's member from another locality)."""

    model: type[T]
    id: int
    within: Resolver | None = None


def ref(model: type[T], record_id: int | None, within: Resolver | None = None) -> Ref[T] | None:
    """A reference to an optional record (an owner or contact left empty stays None)."""
    return None if record_id is None else Ref(model, int(record_id), within)


# What an ID among a command's values names: a record kind (resolved in the command's locality),
# or a record kind and the resolver of its own rule (`Ref.within`).
Handed = type[Base] | tuple[type[Base], Resolver]


def as_refs(declared: Mapping[str, Handed], values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` with the ID under each key of `declared` as a reference to its record (a
    reference or None left as it is): what a command's `of` and the pipeline both apply."""
    out = dict(values)
    for key, named in declared.items():
        model, within = named if isinstance(named, tuple) else (named, None)
        value = out.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            out[key] = Ref(model, value, within)
    return out


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """What a command returned, and what the UI must refresh after it."""

    value: R
    invalidates: frozenset[Area]
    events: tuple[str, ...]


class Write:
    """What a running command changes records through: each change is version-checked where the
    record is versioned, audited, and may emit events, all in the command's transaction."""

    def __init__(
        self, session: Session, actor: Actor, command: Command[Any], locality: int | None
    ) -> None:
        self.session, self.actor, self.locality = session, actor, locality
        self._command = command
        self._resolved: dict[str, Base] = {}
        self._loaded: list[Base] = []  # held: the session's identity map keeps weak references
        self.events: list[str] = []
        # audit rows and events no consumer follows, written together when the change is done
        self._audits: list[dict[str, Any]] = []
        self._emitted: list[dict[str, Any]] = []

    def get(self, reference: Ref[T]) -> T:
        """The record a handed reference names (resolved in scope before the command ran)."""
        row = self._resolved.get(_key(reference))
        if row is None:
            raise KeyError(f"{reference} was not handed to {type(self._command).__name__}")
        return row  # type: ignore[return-value]  # stored under the reference that typed it

    def get_optional(self, reference: Ref[T] | None) -> T | None:
        return None if reference is None else self.get(reference)

    def create(
        self,
        row: T,
        after: Mapping[str, Any],
        *,
        entity: str | None = None,
        locality_code: int | None = None,
    ) -> T:
        """Add `row` and audit its creation with the values `after`."""
        self.session.add(row)
        self.session.flush()
        record_id = getattr(row, "id", None)
        self.audit("create", record_id, after=after, entity=entity, locality_code=locality_code)
        return row

    def create_all(
        self,
        model: type[Base],
        rows: Sequence[Mapping[str, Any]],
        afters: Sequence[Mapping[str, Any]],
        *,
        entity: str | None = None,
    ) -> list[int]:
        """Insert `rows` of `model` in one statement and audit the creation of each with its
        `after` (the rows of one change: a meeting's tasks); returns their ids, in order. The rows
        are written as given (every column the model fills itself included, such as a version),
        without entering the session."""
        if not rows:
            return []
        record_ids = list(self.session.scalars(_inserting(model), list(rows)))
        for record_id, after in zip(record_ids, afters, strict=True):
            self.audit("create", record_id, after=after, entity=entity)
        return record_ids

    def update(
        self,
        row: Versioned,
        version: int | datetime,
        values: Mapping[str, Any],
        *,
        read: Mapping[str, Any] | None = None,
        action: str = "update",
        entity: str | None = None,
        owned: tuple[Mapping[str, Any], Mapping[str, Any]] | None = None,
        note: Mapping[str, Any] | None = None,
        locality_code: int | None = None,
    ) -> dict[str, Any]:
        """Set `values` on `row` read at `version`; returns the fields that changed (`note` adds
        to the audit row's after what the change came from, say an import's file and line).

        `owned` is the record's own rows (a meeting's attendance, guests...) as they were and as
        the command left them: their changes join the audit row, and a change there alone moves
        the version on too.

        A row saved by someone else since `version` was read is refused with what they changed:
        the fields whose stored value differs from `read` (the values as the editor saw them),
        or without `read` from what this save brings. The check is repeated by the UPDATE itself
        (the mapper's `version_id_col`), so a save on another replica between the read and the
        write is refused too.
        """
        current = {k: getattr(row, k) for k in values}
        stored = row.version
        if stored != version:
            if read:
                seen = {k: getattr(row, k) for k in read}
                theirs = {k: (seen[k], values.get(k, v)) for k, v in read.items() if seen[k] != v}
            else:
                theirs = {k: (current[k], v) for k, v in values.items() if current[k] != v}
            raise StaleVersion(theirs, _counter(stored))
        before, after = audit.changed_fields(current, dict(values))
        if owned is not None:
            was, now = audit.changed_fields(dict(owned[0]), dict(owned[1]))
            before, after = {**before, **was}, {**after, **now}
        if not after:
            return {}
        for name, value in after.items():
            if name in values:
                setattr(row, name, value)
        if not set(after) & set(values):  # an UPDATE all the same: it moves the version on
            flag_modified(row, next(iter(values)))
        self._flush_versioned(version)
        audited = after if note is None else {**after, **note}
        self.audit(
            action, row.id, before=before, after=audited, entity=entity, locality_code=locality_code
        )
        return after

    def claim(self, row: Counted, version: int) -> None:
        """Take the next version of `row` read at `version` without changing its fields: a change
        recorded in other rows (a participant's stage move) is refused when made twice or from a
        stale screen. The change's own rows carry its audit."""
        if row.version != version:
            raise StaleVersion({"version": (row.version, version + 1)}, row.version)
        row.version = version + 1
        self._flush_versioned(version)

    def delete(
        self,
        row: Base,
        before: Mapping[str, Any],
        *,
        version: int | None = None,
        after: Mapping[str, Any] | None = None,
        entity: str | None = None,
    ) -> None:
        """Delete `row`, auditing the values it had (and `after`, say the reason it went); a
        versioned record names the version read."""
        stored = getattr(row, "version", None)
        if stored is not None and version is None:
            raise TypeError(f"{type(row).__name__} is versioned: a delete names the version read")
        if stored != version:
            raise StaleVersion({}, stored or 0)
        record_id = getattr(row, "id", None)
        self.session.delete(row)
        self._flush_versioned(version or 0)
        self.audit("delete", record_id, before=before, after=after, entity=entity)

    def audit(
        self,
        action: str,
        record_id: Any,
        *,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
        entity: str | None = None,
        locality_code: int | None = None,
    ) -> None:
        """An audit row in the command's locality, or in `locality_code` for a change of a batch
        that spans several (an import); the rows of one command are written in one statement
        when it is done (`finish`)."""
        self._audits.append(
            audit.entry(
                self.actor,
                action,
                entity or self._command.entity,
                record_id,
                before=None if before is None else dict(before),
                after=None if after is None else dict(after),
                locality_code=self.locality if locality_code is None else locality_code,
            )
        )

    def emit(self, name: str, record_id: Any, *, entity: str | None = None, **payload: Any) -> None:
        """Write the event `name` (one the command declares) in the command's transaction, about
        the record `record_id` of `entity` (the command's own by default). An event a consumer
        follows is written at once, with its consumers run on it (the events before it written
        first, so they keep their order); the others when the command is done (`finish`)."""
        if name not in self._command.emits:
            raise ValueError(f"{type(self._command).__name__} does not declare the event {name!r}")
        written = (
            self.actor.username,
            self.locality,
            entity or self._command.entity,
            record_id,
            payload,
        )
        if consumers_of(name):
            # the events before it first; the session writes it before its next statement
            self._write_events()
            record_event(self.session, name, *written)
        else:
            self._emitted.append(event_row(name, *written))
        self.events.append(name)

    def finish(self) -> None:
        """Write the audit rows and events the change left to the end, one statement each."""
        audit.record_all(self.session, self._audits)
        self._audits = []
        self._write_events()

    def _write_events(self) -> None:
        record_events(self.session, self._emitted)
        self._emitted = []

    def _flush_versioned(self, version: int | datetime) -> None:
        try:
            self.session.flush()
        except StaleDataError:
            raise StaleVersion({}, _counter(version) + 1) from None


@cache
def _inserting(model: type[Base]) -> ReturningInsert[int]:
    """The insert of many rows of `model` returning their keys in order, built once per model."""
    key = sa_inspect(model).primary_key[0]
    return insert(table_of(model)).returning(key, sort_by_parameter_order=True)


def _counter(version: int | datetime) -> int:
    """The version a refusal reports (a time version reports none)."""
    return version if isinstance(version, int) else 0


class Command(ABC, Generic[R]):
    """A change, declared (see the module's docstring); subclasses are dataclasses."""

    area: ClassVar[Area]
    entity: ClassVar[str]
    texts: ClassVar[Mapping[str, str]] = MappingProxyType({})
    required: ClassVar[frozenset[str]] = frozenset()
    invalidates: ClassVar[frozenset[Area]] = frozenset()
    emits: ClassVar[frozenset[str]] = frozenset()
    at: ClassVar[str | None] = None
    id_fields: ClassVar[Mapping[str, Mapping[str, Handed]]] = MappingProxyType({})
    # fields holding a record as its editor read it (to name what someone else changed), whose
    # IDs are compared, never written
    snapshots: ClassVar[frozenset[str]] = frozenset({"read"})

    def __init_subclass__(
        cls,
        *,
        area: Area | None = None,
        entity: str | None = None,
        texts: Mapping[str, str] | None = None,
        required: frozenset[str] | None = None,
        reason: str | None = None,
        invalidates: frozenset[Area] | None = None,
        emits: frozenset[EventName] | frozenset[str] | None = None,
        at: str | None = None,
        id_fields: Mapping[str, Mapping[str, Handed]] | None = None,
        **kwargs: Any,
    ) -> None:
        """The declaration, given in the class statement (what is not given is inherited):
        `class SaveX(Command[int], area=Area.FORUM, entity="x", texts={...}, ...)`; `id_fields`
        names the IDs a field of values holds (`{"values": {"team_id": Team}}`)."""
        super().__init_subclass__(**kwargs)
        if area is not None:
            cls.area = area
        if entity is not None:
            cls.entity = entity
        if texts is not None:
            cls.texts = MappingProxyType(dict(texts))
        if required is not None:
            cls.required = required
        if reason is not None:
            cls.texts = MappingProxyType({**cls.texts, "reason": reason})
            cls.required = cls.required | {"reason"}
        if invalidates is not None:
            cls.invalidates = invalidates
        if emits is not None:
            cls.emits = emits
        if at is not None:
            cls.at = at
        if id_fields is not None:
            cls.id_fields = MappingProxyType(dict(id_fields))
        if not hasattr(cls, "area") or not hasattr(cls, "entity"):
            raise TypeError(f"{cls.__name__} declares no area or entity")

    @classmethod
    def of(cls, *values: Any, **named: Any) -> Self:
        """The command from the plain values a writer is called with, in the fields' order: the
        ID given for a `Ref` field (or an optional one, or a list of them) becomes a reference to
        that field's record. A command whose references resolve by a rule of their own
        (`Ref.within`), or whose inputs need reading first, declares its own `of`."""
        given = dict(zip((f.name for f in dataclasses.fields(cls)), values, strict=False)) | named  # type: ignore[arg-type]  # every subclass is a dataclass
        for name, model in _referenced(cls).items():
            value = given.get(name)
            if isinstance(value, list):
                given[name] = [_as_ref(model, v) for v in value]
            else:
                given[name] = _as_ref(model, value)
        return cls(**given)

    def where(self) -> int | Ref[Any] | None:
        """The locality the change is in: its code, or the record whose locality it is, or None
        when the change is of no one locality (see the module's docstring). By default the
        command's first field (a locality code, or the record it changes), or the field the class
        statement names (`at="field"`)."""
        placing = self.at or dataclasses.fields(self)[0].name  # type: ignore[arg-type]  # a dataclass
        located: int | Ref[Any] | None = getattr(self, placing)
        return located

    def validate(self, w: Write) -> None:
        """The command's own rules, once the declared steps have passed."""

    @abstractmethod
    def run(self, w: Write) -> R:
        """The change itself."""

    def refs(self) -> dict[str, Ref[Any]]:
        """The references this command is handed, by field name: "changes.person_id" for one
        inside a field that maps names to values (an update's changes), "targets[2]" in a list."""
        found: dict[str, Ref[Any]] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]  # every subclass is a dataclass
            value = getattr(self, f.name)
            if isinstance(value, Ref):
                found[f.name] = value
            elif isinstance(value, Mapping):
                found |= {f"{f.name}.{k}": v for k, v in value.items() if isinstance(v, Ref)}
            elif isinstance(value, list | tuple):
                for i, item in enumerate(value):
                    if isinstance(item, Ref):
                        found[f"{f.name}[{i}]"] = item
                    elif dataclasses.is_dataclass(item):  # a row of the input (a new task)
                        found |= {
                            f"{f.name}[{i}].{k}": v
                            for k, v in vars(item).items()
                            if isinstance(v, Ref)
                        }
        return found


@dataclass
class ChangeAtVersion(Generic[T]):
    """A change of one record read at `version`: the fields of `values` that `editable` names are
    set on it, refused if someone saved the record meanwhile; returns the new version. Mixed into
    a command before `Command[int]`, which declares the rest:
    `class UpdateX(ChangeAtVersion[X], Command[int], area=..., entity="x")`."""

    record: Ref[T]
    version: int
    values: dict[str, Any]

    model: ClassVar[type[Base]]
    editable: ClassVar[tuple[str, ...]]

    @classmethod
    def of(cls, record_id: int, version: int, values: dict[str, Any]) -> Self:
        kept = {k: v for k, v in values.items() if k in cls.editable}
        record = Ref(cls.model, record_id)
        return cls(record, version, cls.handed(kept))  # type: ignore[arg-type]  # `model` is T

    @classmethod
    def handed(cls, values: dict[str, Any]) -> dict[str, Any]:
        """The values with the IDs among them typed as references (none by default)."""
        return values

    def where(self) -> Ref[T]:
        return self.record

    def run(self, w: Write) -> int:
        row: Any = w.get(self.record)
        w.update(row, self.version, ids(self.values))
        return int(row.version)


def execute(db: Database, actor: Actor, command: Command[R]) -> Outcome[R]:
    """Run `command` with every declared step, in one transaction (see the module's docstring)."""
    kind = type(command)
    require_write(actor, kind.area)  # the role first: a refused role learns nothing more
    _type_handed(command)
    _clean_texts(command)
    with db.transaction() as s:
        locality = _locality(s, actor, command)
        require_write(actor, kind.area, locality)
        w = Write(s, actor, command, locality)
        _resolve_handed(w, command)
        command.validate(w)
        value = command.run(w)
        w.finish()
    return Outcome(value, kind.invalidates, tuple(w.events))


def _type_handed(command: Command[Any]) -> None:
    """Every ID among the command's values as a reference resolved in scope, however the command
    was built: the declared ones (`id_fields`) typed, and an ID under any other key ending in "_id"
    refused as a defect (a raw ID would reach the record unchecked)."""
    for name, declared in type(command).id_fields.items():
        values = getattr(command, name)
        if isinstance(values, Mapping):
            setattr(command, name, as_refs(declared, values))
    for f in dataclasses.fields(command):  # type: ignore[arg-type]  # every subclass is a dataclass
        values = getattr(command, f.name)
        if f.name in type(command).snapshots or not isinstance(values, Mapping):
            continue
        raw = [
            k
            for k, v in values.items()
            if isinstance(k, str) and k.endswith("_id") and type(v) is int
        ]
        if raw:
            raise TypeError(f"{type(command).__name__}.{f.name} hands raw IDs {raw}: declare them")


def _resolve_together(
    w: Write, together: Mapping[Resolver, Mapping[int, Ref[Any]]], locality: int
) -> None:
    """The references of each rule that resolves many IDs at once, in one call of it."""
    for within, references in together.items():
        found = RESOLVE_MANY[within](w.session, w.actor, list(references), locality)
        for record_id, reference in references.items():
            if record_id not in found:
                raise NotFound(f"{reference.model.__name__} {record_id}")
            w._resolved[_key(reference)] = found[record_id]
        w._loaded += found.values()


def _load_handed(s: Session, references: Iterable[Ref[Any]]) -> list[Base]:
    """The records of each kind handed more than once, loaded in one query per kind (per
    `MANY_AT_ONCE` IDs), so that resolving each reference finds its record in the session instead
    of reading it alone: a meeting hands twenty attendees and ten task owners. The scope checks
    still run per reference; a record not found here is reported missing by its check."""
    wanted: dict[type[Base], set[int]] = {}
    for reference in references:
        wanted.setdefault(reference.model, set()).add(reference.id)
    loaded: list[Base] = []
    for model, record_ids in wanted.items():
        if len(record_ids) < 2 or len(sa_inspect(model).primary_key) != 1:
            continue
        ordered = sorted(record_ids)
        for start in range(0, len(ordered), MANY_AT_ONCE):
            chunk = ordered[start : start + MANY_AT_ONCE]
            loaded += s.scalars(_loading(model), {"ids": chunk}).all()
    return loaded


@cache
def _loading(model: type[Base]) -> Select[Base]:
    """The query of the records of `model` (whose key is one column) with the keys "ids", built
    once per model."""
    key = sa_inspect(model).primary_key[0]
    return select(model).where(key.in_(bindparam("ids", expanding=True)))


def _resolve_handed(w: Write, command: Command[Any]) -> None:
    """Resolve every reference `command` is handed (see `execute`) into `w`: those whose rule
    resolves many IDs at once (`handed_ids.RESOLVE_MANY`) in one query per rule, the others one
    by one, each record found in the session when its kind was loaded in one query first."""
    s, actor, locality = w.session, w.actor, w.locality
    target = command.where()
    checked: set[tuple[str, Resolver | None]] = set()
    together: dict[Resolver, dict[int, Ref[Any]]] = {}
    alone: list[Ref[Any]] = []
    for path, reference in command.refs().items():
        key = _key(reference)
        if (key, reference.within) in checked:
            continue  # checked already under the same rule (an attendee who owns a task)
        if _kept(s, target, path, reference):
            w._resolved[key] = s.get_one(reference.model, reference.id)
            continue
        within = reference.within
        checked.add((key, within))
        if locality is not None and within is not None and within in RESOLVE_MANY:
            together.setdefault(within, {})[reference.id] = reference
        else:
            alone.append(reference)
    if locality is not None:
        _resolve_together(w, together, locality)
    w._loaded += _load_handed(s, alone)
    for reference in alone:
        w._resolved[_key(reference)] = _resolve(s, actor, reference, locality)


def _kept(s: Session, target: int | Ref[Any] | None, path: str, reference: Ref[Any]) -> bool:
    """An update that leaves a reference as it is stored is not judged on it again: a record
    kept from before a rule (a task owner of another locality) does not block other edits."""
    _, _, field = path.partition(".")
    if not field or not isinstance(target, Ref) or target is reference:
        return False
    row = s.get(target.model, target.id)
    return row is not None and getattr(row, field, None) == reference.id


def _resolve(s: Session, actor: Actor, reference: Ref[Base], locality: int | None) -> Base:
    if locality is None:
        return in_scope(s, actor, reference.model, reference.id)
    if reference.within is not None:
        return reference.within(s, actor, reference.id, locality)
    return in_locality(s, actor, reference.model, reference.id, locality)


def ids(values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` with each reference replaced by the ID it resolved to (what the row stores)."""
    return {k: v.id if isinstance(v, Ref) else v for k, v in values.items()}


def registered() -> dict[str, type[Command[Any]]]:
    """Every concrete command class defined so far, by its dotted name (the generic tests drive
    each one)."""
    found: dict[str, type[Command[Any]]] = {}
    pending: list[type[Command[Any]]] = list(Command.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if not inspect.isabstract(cls):
            found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


@cache
def _referenced(kind: type[Command[Any]]) -> dict[str, type[Base]]:
    """The fields of `kind` typed `Ref[Model]`, `Ref[Model] | None` or `list[Ref[Model]]`, with
    the model each names."""
    found: dict[str, type[Base]] = {}
    for name, hint in get_type_hints(kind).items():
        for part in (hint, *get_args(hint), *(a for p in get_args(hint) for a in get_args(p))):
            if getattr(part, "__origin__", None) is Ref:
                found[name] = get_args(part)[0]
                break
    return found


def _as_ref(model: type[Base], value: Any) -> Any:
    """An ID as a reference to `model`; a reference, None or anything else unchanged."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Ref(model, value)
    return value


def _key(reference: Ref[Any]) -> str:
    return f"{reference.model.__name__}:{reference.id}"


def _locality(s: Session, actor: Actor, command: Command[Any]) -> int | None:
    where = command.where()
    if isinstance(where, Ref):
        in_scope(s, actor, where.model, where.id)  # a record out of scope is NotFound
        return locality_of(s, where.model, where.id)
    return where


def _clean_texts(command: Command[Any]) -> None:
    """Control characters out and spaces trimmed in every declared text field (an empty text
    becomes None); every field over its bound, and every required one left empty, is named in
    one `ValidationError`."""
    errors: dict[str, str] = {}
    limits: dict[str, dict[str, Any]] = {}
    for name, limit in type(command).texts.items():
        declared = FIELDS[limit]
        if "[]" in name:
            _clean_items(command, name, declared, errors, limits)
            continue
        holder, _, key = name.partition(".")
        values = getattr(command, holder) if key else None
        if key and (not isinstance(values, dict) or key not in values):
            continue  # a field an update leaves as it is
        value = values[key] if values is not None else getattr(command, name)
        if value is None:
            continue
        text = strip_controls(str(value), multiline=declared.multiline).strip()
        if len(text) > declared.max_len:
            field = key or name
            errors[field] = TOO_LONG
            limits[field] = {"max": declared.max_len}
        if values is not None:
            values[key] = text or None
        else:
            setattr(command, name, text or None)
    for name in type(command).required:
        if not getattr(command, name):
            errors[name] = "validation.required"
    if errors:
        raise ValidationError(errors, f"over the limit or missing: {sorted(errors)}", limits)


def _clean_items(
    command: Command[Any],
    name: str,
    declared: TextLimit,
    errors: dict[str, str],
    limits: dict[str, dict[str, Any]],
) -> None:
    """`_clean_texts` for a text in every row of a list: "agenda[]" (the rows are the texts) or
    "tasks[].title" (a key or field of each row); a row over the bound is named "tasks[2].title".
    The list is replaced, not changed in place: the caller's input stays as it was handed."""
    holder, _, key = name.partition("[]")
    key = key.removeprefix(".")
    rows: list[Any] = []
    for i, row in enumerate(getattr(command, holder)):
        value = (row.get(key) if isinstance(row, Mapping) else getattr(row, key)) if key else row
        text = None
        if value is not None:
            text = strip_controls(str(value), multiline=declared.multiline).strip() or None
            if len(text or "") > declared.max_len:
                field = f"{holder}[{i}]" + (f".{key}" if key else "")
                errors[field] = TOO_LONG
                limits[field] = {"max": declared.max_len}
        if not key:
            rows.append(text)
        elif isinstance(row, Mapping):
            rows.append({**row, key: text})
        else:
            rows.append(dataclasses.replace(row, **{key: text}))
    setattr(command, holder, rows)
