"""Validating an import and comparing it with what is stored: the preview and its commit.

`build_plan` reads the file, validates every value and sorts it into add / revise / unchanged /
rejected without writing anything. `apply_plan` writes a plan inside the caller's transaction:
new values are inserted, revised ones move their old value to the history table first, and
unchanged ones are left alone, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

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
    detail: str = ""


@dataclass
class ImportPlan:
    filename: str
    sha256: str
    layout: str
    encoding: str
    rows_read: int
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

    @property
    def changes(self) -> int:
        return len(self.to_add) + len(self.to_revise)


class _Validator:
    """Turns raw cells into planned values, caching the slow parts (names, months) per text."""

    def __init__(self, session: Session, today: date) -> None:
        self.matcher = LocalityMatcher.load(session)
        self.units = dict(
            session.execute(select(IndicatorDefinition.code, IndicatorDefinition.unit)).all()
        )
        self.latest = date(today.year, today.month, 1)
        self._places: dict[tuple[object, object], tuple[int | None, str | None]] = {}
        self._periods: dict[tuple[object, object], date | str] = {}

    def place(self, raw: RawValue) -> int:
        key = (raw.locality_code, raw.locality_name)
        if key not in self._places:
            self._places[key] = self.matcher.match(*key)
        code, reason = self._places[key]
        if code is None:
            raise Rejected(reason or "ind.import.reason.unknown_locality")
        return code

    def period(self, raw: RawValue) -> date:
        key = (raw.period, raw.year)
        if key not in self._periods:
            try:
                parsed = parse_period(*key)
                self._periods[key] = (
                    parsed if parsed <= self.latest else "ind.import.reason.future_period"
                )
            except Rejected as exc:
                self._periods[key] = exc.reason
        known = self._periods[key]
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
        status = str(raw.status or "").strip().lower() or "ok"
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
            select(
                IndicatorValue.id,
                IndicatorValue.locality_code,
                IndicatorValue.period,
                IndicatorValue.indicator_code,
                IndicatorValue.value,
                IndicatorValue.status,
            ).where(
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


def _reject(plan: ImportPlan, line: int, reason: str, detail: str) -> None:
    """One rejection per line and reason: a wide row with an unknown locality is one problem,
    not ten."""
    _note(plan.rejected, line, reason, detail)


def _note(found: list[Rejection], line: int, reason: str, detail: str) -> None:
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


def build_plan(session: Session, filename: str, data: bytes, today: date) -> ImportPlan:
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
    validator = _Validator(session, today)
    seen: dict[Key, Planned] = {}
    accepted: list[Planned] = []
    for raw in READERS[layout](table):
        if is_totals_row(raw.locality_code, raw.locality_name):
            if not plan.totals_skipped or plan.totals_skipped[-1] != raw.line:
                plan.totals_skipped.append(raw.line)
            continue
        try:
            item = validator.planned(raw)
        except Rejected as exc:
            _reject(plan, raw.line, exc.reason, raw.indicator)
            continue
        key = (item.locality_code, item.period, item.indicator_code)
        first = seen.get(key)
        if first is not None:
            if _same(item, first.value, first.status):  # the same figure again: one value
                _note(plan.duplicates, raw.line, "ind.import.duplicate.same", f"{first.line}")
            else:
                _reject(
                    plan, raw.line, "ind.import.reason.duplicate", f"{raw.indicator} · {first.line}"
                )
            continue
        seen[key] = item
        accepted.append(item)
    existing = _existing(session, seen)
    for item in accepted:
        old = existing.get((item.locality_code, item.period, item.indicator_code))
        if old is None:
            plan.to_add.append(item)
        elif _same(item, old[1], old[2]):
            plan.unchanged += 1
        else:
            plan.to_revise.append(Revision(item, *old))
    return plan


def _chunks(rows: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def apply_plan(session: Session, plan: ImportPlan, username: str, source: str) -> int | None:
    """Write the plan; return the new batch id, or None when there was nothing to change."""
    if not plan.changes:
        return None
    now = utcnow()
    batch = ImportBatch(
        username=username,
        filename=plan.filename[:255],
        file_sha256=plan.sha256,
        layout=plan.layout,
        source=source,
        rows_read=plan.rows_read,
        rows_added=len(plan.to_add),
        rows_revised=len(plan.to_revise),
        rows_unchanged=plan.unchanged,
        rows_rejected=len(plan.rejected),
        created_at=now,
    )
    session.add(batch)
    session.flush()
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
                "id": r.id,
                "value": r.new.value,
                "status": "revised" if r.new.status == "ok" else r.new.status,
                "source": source,
                "batch_id": batch.id,
                "recorded_at": now,
            }
            for r in plan.to_revise
        ]
        session.expire_all()
        for chunk in _chunks(changes):
            session.execute(update(IndicatorValue), chunk)
    return batch.id
