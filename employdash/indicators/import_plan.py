"""Validating an import and comparing it with what is stored: the preview and its commit.

`build_plan` reads the file, validates every value and sorts it into add / revise / unchanged /
rejected without writing anything. A line is the unit: one bad cell, a locality outside the
importer's scope or a clashing duplicate rejects the whole line, so a line the preview lists as
rejected contributes no value at all. `apply_plan` writes a plan inside the caller's
transaction: new values are inserted, revised ones move their old value to the history table
first, and unchanged ones are left alone, so importing the same file twice changes nothing. It
checks the locality of every row it writes against the importer's scope again, whoever built the
plan.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby
from operator import attrgetter
from typing import Any, NamedTuple

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from employdash.access import Actor, require_locality
from employdash.indicators import import_merge
from employdash.indicators.layouts import (
    READERS,
    RawValue,
    Rejected,
    detect,
    ignored_columns,
    is_totals_row,
    parse_period,
    parse_value,
)
from employdash.indicators.matching import LocalityMatcher
from employdash.indicators.values import SERIES
from employdash.limits import INDICATOR_UPLOAD
from employdash.models.base import utcnow
from employdash.models.indicators import (
    STATUSES,
    ImportBatch,
    IndicatorDefinition,
    IndicatorValue,
    indicator_value_history_table,
    indicator_value_table,
)
from employdash.reading import Table, read_table

Key = tuple[int, date, str]
CHUNK = 20_000


class Planned(NamedTuple):
    line: int
    locality_code: int
    period: date
    indicator_code: str
    value: float | None
    status: str


class Revision(NamedTuple):
    new: Planned
    id: int
    old_value: float | None
    old_status: str


@dataclass(frozen=True)
class Rejection:
    line: int
    reason: str  # catalogue key
    detail: str = ""  # text of the file (headers, an earlier line), shown as written
    indicators: tuple[str, ...] = ()  # the cells' indicators, shown by their names
    locality: int | None = None  # the locality the line named, when the reason is about it


@dataclass
class ImportPlan:
    filename: str
    sha256: str
    layout: str
    encoding: str
    rows_read: int
    # Every value accepted, sorted below into new, revised or unchanged (again at the commit).
    accepted: list[Planned] = field(default_factory=list)
    to_add: list[Planned] = field(default_factory=list)
    to_revise: list[Revision] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    # Every column not read, with why (a known context column, or not recognised).
    ignored_columns: list[tuple[str, str]] = field(default_factory=list)
    # The same locality, month, indicator and figure again (a name written two ways): one value.
    duplicates: list[Rejection] = field(default_factory=list)
    # Lines of totals rows (סה"כ), skipped: they name no locality.
    totals_skipped: list[int] = field(default_factory=list)
    # The months, localities and indicators of the values accepted (new, revised or unchanged).
    months: set[date] = field(default_factory=set)
    localities: set[int] = field(default_factory=set)
    indicators: set[str] = field(default_factory=set)
    # (Hebrew, English) names of every locality and indicator the plan mentions.
    locality_names: dict[int, tuple[str, str]] = field(default_factory=dict)
    indicator_names: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def changes(self) -> int:
        return len(self.to_add) + len(self.to_revise)

    @property
    def rejected_lines(self) -> int:
        """Lines rejected (a line may be rejected for more than one reason)."""
        return len({r.line for r in self.rejected})

    @property
    def suppressed(self) -> int:
        """Values written as suppressed (no figure): kept as the source hid them."""
        return sum(p.status == "suppressed" for p in self.to_add) + sum(
            r.new.status == "suppressed" for r in self.to_revise
        )


class OutsideScope(Rejected):
    """A line naming a locality the importer may not write."""

    def __init__(self, locality: int) -> None:
        super().__init__("ind.import.reason.outside_scope")
        self.locality = locality


class Clash(Rejected):
    """A cell the file gave earlier, on `first_line`, with another figure."""

    def __init__(self, first_line: int) -> None:
        super().__init__("ind.import.reason.duplicate")
        self.first_line = first_line


class _Validator:
    """Turns raw cells into planned values, caching the slow parts (names, months) per text."""

    def __init__(self, session: Session, today: date, scope: frozenset[int] | None) -> None:
        self.matcher = LocalityMatcher.load(session)
        definitions = session.execute(
            select(
                IndicatorDefinition.code,
                IndicatorDefinition.unit,
                IndicatorDefinition.name_he,
                IndicatorDefinition.name_en,
            )
        ).all()
        self.units = {d.code: d.unit for d in definitions}
        self.names = {d.code: (d.name_he, d.name_en) for d in definitions}
        self.scope = scope
        self.latest = date(today.year, today.month, 1)
        self._places: dict[tuple[object, object], tuple[int | None, str | None]] = {}
        self._periods: dict[tuple[object, object], date | str] = {}

    def place(self, raw: RawValue) -> int:
        key = (raw.locality_code, raw.locality_name)
        known = self._places.get(key)
        if known is None:
            known = self._places[key] = self.matcher.match(*key)
        code, reason = known
        if code is None:
            raise Rejected(reason or "ind.import.reason.unknown_locality")
        if self.scope is not None and code not in self.scope:
            raise OutsideScope(code)
        return code

    def period(self, raw: RawValue) -> date:
        key = (raw.period, raw.year)
        known = self._periods.get(key)
        if known is None:
            try:
                parsed = parse_period(*key)
                known = parsed if parsed <= self.latest else "ind.import.reason.future_period"
            except Rejected as exc:
                known = exc.reason
            self._periods[key] = known
        if isinstance(known, str):
            raise Rejected(known)
        return known

    def planned(self, raw: RawValue) -> Planned:
        unit = self.units.get(raw.indicator)
        if unit is None:
            raise Rejected("ind.import.reason.unknown_indicator")
        code = self.place(raw)
        period = self.period(raw)
        value = parse_value(raw.value, unit)
        status = str(raw.status).strip().lower() or "ok" if raw.status else "ok"
        if status not in STATUSES:
            raise Rejected("ind.import.reason.bad_status")
        if value is None or status == "suppressed":
            value, status = None, "suppressed"
        return Planned(raw.line, code, period, raw.indicator, value, status)


def _existing(session: Session, keys: Iterable[Key]) -> dict[Key, tuple[int, float | None, str]]:
    keys = list(keys)
    if not keys:
        return {}
    localities = sorted({k[0] for k in keys})
    codes = sorted({k[2] for k in keys})
    periods = [k[1] for k in keys]
    found: dict[Key, tuple[int, float | None, str]] = {}
    for start in range(0, len(localities), 500):
        rows = session.execute(
            select(IndicatorValue.id, *SERIES).where(
                IndicatorValue.locality_code.in_(localities[start : start + 500]),
                IndicatorValue.indicator_code.in_(codes),
                IndicatorValue.period >= min(periods),
                IndicatorValue.period <= max(periods),
            )
        )
        for r in rows:
            found[(r.locality_code, r.period, r.indicator_code)] = (r.id, r.value, r.status)
    return found


def _same(new: Planned, old_value: float | None, old_status: str) -> bool:
    if (new.value is None) != (old_value is None):
        return False
    if (
        new.value is not None
        and old_value is not None
        and abs(new.value - old_value) > 1e-9 * max(1.0, abs(new.value))
    ):
        return False
    # A value stored as 'revised' was imported as 'ok' and then corrected: same thing.
    return new.status == old_status or (new.status == "ok" and old_status == "revised")


def _note(found: list[Rejection], line: int, reason: str, detail: str) -> None:
    """One note per line and reason: a line seen twice is one duplicate, not two."""
    last = found[-1] if found else None
    if last is not None and last.line == line and last.reason == reason:
        if detail not in last.detail.split(", "):
            found[-1] = Rejection(line, reason, f"{last.detail}, {detail}")
    else:
        found.append(Rejection(line, reason, detail))


@contextmanager
def quiet_gc() -> Iterator[None]:
    """A large file becomes millions of small tuples that hold no reference cycles; the cyclic
    garbage collector would walk them over and over (a million-row import ran 2× slower)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _rejections(line: int, problems: list[tuple[Rejected, str]]) -> list[Rejection]:
    """One rejection per reason on a line, naming every indicator it hit: a wide row with an
    unknown locality is one problem, not ten."""
    found: dict[str, Rejection] = {}
    for exc, indicator in problems:
        known = found.get(exc.reason)
        locality = exc.locality if isinstance(exc, OutsideScope) else None
        earlier = str(exc.first_line) if isinstance(exc, Clash) else ""
        if known is None:
            found[exc.reason] = Rejection(line, exc.reason, earlier, (indicator,), locality)
        elif indicator not in known.indicators:
            found[exc.reason] = Rejection(
                line, exc.reason, known.detail, (*known.indicators, indicator), locality
            )
    return list(found.values())


class _Planner:
    """Sorts a file's lines into accepted values, rejections and duplicates, a line at a time."""

    def __init__(self, plan: ImportPlan, validator: _Validator) -> None:
        self.plan, self.validator = plan, validator
        self.seen: dict[Key, Planned] = {}
        self.accepted: list[Planned] = []

    def take_one(self, raw: RawValue) -> None:
        """A line of one cell (the long layout): the common case, a valid value not seen
        before, without the lists a line of many cells needs; anything else as `take`."""
        if not is_totals_row(raw.locality_code, raw.locality_name):
            try:
                item = self.validator.planned(raw)
            except Rejected:
                item = None
            if item is not None:
                key = (item.locality_code, item.period, item.indicator_code)
                if key not in self.seen:
                    self.seen[key] = item
                    self.accepted.append(item)
                    return
        self.take([raw])

    def take(self, cells: list[RawValue]) -> None:
        line = cells[0].line
        if is_totals_row(cells[0].locality_code, cells[0].locality_name):
            self.plan.totals_skipped.append(line)
            return
        items: list[Planned] = []
        problems: list[tuple[Rejected, str]] = []
        for raw in cells:
            try:
                items.append(self.validator.planned(raw))
            except Rejected as exc:
                problems.append((exc, raw.indicator))
        if problems:
            self.plan.rejected += _rejections(line, problems)
            return
        fresh: list[Planned] = []
        again: list[Planned] = []  # the same figure as an earlier line: one value
        clashes: list[tuple[Rejected, str]] = []
        for item in items:
            first = self.seen.get((item.locality_code, item.period, item.indicator_code))
            if first is None:
                fresh.append(item)
            elif _same(item, first.value, first.status):
                again.append(first)
            else:
                clashes.append((Clash(first.line), item.indicator_code))
        if clashes:
            self.plan.rejected += _rejections(line, clashes)
            return
        for first in again:
            _note(self.plan.duplicates, line, "ind.import.duplicate.same", f"{first.line}")
        for item in fresh:
            self.seen[(item.locality_code, item.period, item.indicator_code)] = item
        self.accepted += fresh


def build_plan(
    session: Session, filename: str, data: bytes, today: date, scope: frozenset[int] | None
) -> ImportPlan:
    """The preview of importing `data` for an importer whose localities are `scope` (None: all)."""
    table: Table = read_table(filename, data, INDICATOR_UPLOAD)
    layout = detect(table)
    plan = ImportPlan(
        filename,
        hashlib.sha256(data).hexdigest(),
        layout or "unknown",
        table.encoding,
        len(table.rows),
    )
    if layout is None:
        plan.rejected.append(
            Rejection(0, "ind.import.reason.unknown_layout", ", ".join(table.header))
        )
        return plan
    plan.ignored_columns = ignored_columns(table, layout)
    validator = _Validator(session, today, scope)
    planner = _Planner(plan, validator)
    if layout == "long":  # a line is one cell
        for raw in READERS[layout](table):
            planner.take_one(raw)
    else:  # readers give a line's cells one after another: take them a line at a time
        for _, cells in groupby(READERS[layout](table), key=attrgetter("line")):
            planner.take(list(cells))
    plan.accepted = planner.accepted
    _sort(session, plan)
    plan.months = {item.period for item in plan.accepted}
    plan.localities = {item.locality_code for item in plan.accepted}
    plan.indicators = {item.indicator_code for item in plan.accepted}
    _name(plan, validator)
    return plan


def _sort(session: Session, plan: ImportPlan) -> None:
    """Each accepted value into new, revision or unchanged, against what is stored now."""
    existing = _existing(
        session, ((i.locality_code, i.period, i.indicator_code) for i in plan.accepted)
    )
    for item in plan.accepted:
        old = existing.get((item.locality_code, item.period, item.indicator_code))
        if old is None:
            plan.to_add.append(item)
        elif _same(item, old[1], old[2]):
            plan.unchanged += 1
        else:
            plan.to_revise.append(Revision(item, *old))


def refreshed(session: Session, plan: ImportPlan) -> ImportPlan:
    """A previewed plan sorted again against what is stored now: a value someone else changed
    since the preview is compared with its new value, not the one the preview saw."""
    fresh = dataclasses.replace(plan, to_add=[], to_revise=[], unchanged=0)
    _sort(session, fresh)
    return fresh


def _name(plan: ImportPlan, validator: _Validator) -> None:
    mentioned = plan.localities | {r.locality for r in plan.rejected if r.locality is not None}
    plan.locality_names = {
        c: validator.matcher.names[c] for c in mentioned if c in validator.matcher.names
    }
    codes = plan.indicators | {c for r in plan.rejected for c in r.indicators}
    plan.indicator_names = {c: validator.names[c] for c in codes if c in validator.names}


def _chunks(rows: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def apply_plan(session: Session, plan: ImportPlan, actor: Actor, source: str) -> int | None:
    """Write the plan; return the new batch id, or None when there was nothing to change.

    Every row's locality, and every stored row a revision replaces, must be in the actor's scope:
    the scope is checked here, where the values are written, not only where the plan was made.
    """
    if not plan.changes:
        return None
    for code in {p.locality_code for p in plan.to_add} | {
        r.new.locality_code for r in plan.to_revise
    }:
        require_locality(actor, code)
    now = utcnow()
    batch = ImportBatch(
        username=actor.username,
        filename=plan.filename[:255],
        file_sha256=plan.sha256,
        layout=plan.layout,
        source=source,
        rows_read=plan.rows_read,
        rows_added=len(plan.to_add),
        rows_revised=len(plan.to_revise),
        rows_unchanged=plan.unchanged,
        rows_rejected=plan.rejected_lines,
        created_at=now,
    )
    session.add(batch)
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        _merge_staged(session, plan, actor, batch.id, source, now)
        return batch.id
    added = [
        {
            "locality_code": p.locality_code,
            "period": p.period,
            "indicator_code": p.indicator_code,
            "value": p.value,
            "status": p.status,
            "source": source,
            "batch_id": batch.id,
            "recorded_at": now,
        }
        for p in plan.to_add
    ]
    for chunk in _chunks(added):
        session.execute(insert(indicator_value_table), chunk)
    if plan.to_revise:
        ids = [r.id for r in plan.to_revise]
        olds = {}
        for start in range(0, len(ids), 1000):
            for row in session.execute(
                select(IndicatorValue).where(IndicatorValue.id.in_(ids[start : start + 1000]))
            ).scalars():
                require_locality(actor, row.locality_code)
                olds[row.id] = row
        history = [
            {
                "locality_code": o.locality_code,
                "period": o.period,
                "indicator_code": o.indicator_code,
                "value": o.value,
                "status": o.status,
                "source": o.source,
                "batch_id": o.batch_id,
                "recorded_at": o.recorded_at,
                "replaced_at": now,
                "replaced_by_batch_id": batch.id,
            }
            for o in olds.values()
        ]
        for chunk in _chunks(history):
            session.execute(insert(indicator_value_history_table), chunk)
        changes = [
            {
                "replaced": r.id,
                "value": r.new.value,
                "status": "revised" if r.new.status == "ok" else r.new.status,
                "source": source,
                "batch_id": batch.id,
                "recorded_at": now,
            }
            for r in plan.to_revise
        ]
        session.expire_all()
        # By the table, not the mapper: the mapper would take each row's new batch for the one
        # it replaces (its version), and the rows were checked against the store just above.
        revise = (
            update(indicator_value_table)
            .where(indicator_value_table.c.id == bindparam("replaced"))
            .values(
                {k: bindparam(k) for k in ("value", "status", "source", "batch_id", "recorded_at")}
            )
        )
        for chunk in _chunks(changes):
            session.execute(revise, chunk)
    return batch.id


def _merge_staged(
    session: Session, plan: ImportPlan, actor: Actor, batch_id: int, source: str, now: datetime
) -> None:
    """PostgreSQL's bulk path: new values through `COPY` into the table, revisions through
    `COPY` into a staging table and one merge."""
    import_merge.insert_new(
        session,
        ((p.locality_code, p.period, p.indicator_code, p.value, p.status) for p in plan.to_add),
        batch_id,
        source,
        now,
    )
    if not plan.to_revise:
        return
    import_merge.stage(
        session,
        (
            (
                r.id,
                r.new.locality_code,
                r.new.period,
                r.new.indicator_code,
                r.new.value,
                r.new.status,
            )
            for r in plan.to_revise
        ),
    )
    for code in import_merge.replaced_localities(session):
        require_locality(actor, code)
    import_merge.merge(session, batch_id, source, now)
