"""Local indicators: measures a locality's forum tracks that no national source publishes (the
locality model asks for some, such as the diversity of the jobs offered).

An admin adds one to the catalogue (code, Hebrew and English names, unit, whether higher is
better, and the headline it breaks down, if any); its values then arrive by the ordinary import
(the long layout takes any catalogue code) or are entered one at a time here. An entered value is
a revision like any imported one: the value it replaces moves to the history table. Entering is
checked against the value the admin saw, and the UPDATE itself names the batch it replaces (the
value's version), so two admins correcting the same month at once cannot silently overwrite
each other.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from employdash.access import Actor, Area, only
from employdash.commands import Command, Ref, Write, execute
from employdash.db import Database
from employdash.errors import PermissionDenied, ValidationError
from employdash.indicators.catalogue import BY_CODE
from employdash.indicators.layouts import Rejected, parse_value
from employdash.models import Locality
from employdash.models.base import utcnow
from employdash.models.indicators import (
    STATUSES,
    UNITS,
    ImportBatch,
    IndicatorDefinition,
    IndicatorValue,
    IndicatorValueHistory,
)

CODE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
LOCAL_PREFIX = "local."
LOCAL_SOURCE = "מקומי / Local"
NEVER_STORED = datetime.min.replace(tzinfo=UTC)  # no value's version: a save over it is stale


@dataclass(frozen=True)
class LocalIndicatorInput:
    code: str  # without the "local." prefix the catalogue adds
    name_he: str
    name_en: str
    unit: str
    higher_is_better: bool
    parent_code: str | None = None  # the headline indicator it breaks down
    source: str = LOCAL_SOURCE


@dataclass(frozen=True)
class StoredValue:
    """What is stored for a locality, month and indicator (what the entry form shows)."""

    value: float | None
    status: str


def _require_catalogue_writer(actor: Actor) -> None:
    """The catalogue's forms (and what they show) are for those who may change it."""
    if not actor.can_write(Area.CATALOGUE):
        raise PermissionDenied(f"{actor.username} ({actor.role}) may not change the catalogue")


def headline_choices(db: Database, actor: Actor) -> list[tuple[str, str, str]]:
    """(code, Hebrew, English) of the headline indicators a local indicator may break down."""
    _require_catalogue_writer(actor)
    with db.transaction() as s:
        rows = s.execute(
            select(
                IndicatorDefinition.code, IndicatorDefinition.name_he, IndicatorDefinition.name_en
            )
            .where(IndicatorDefinition.headline)
            .order_by(IndicatorDefinition.sort_order)
        ).all()
    return [(c, he, en) for c, he, en in rows]


@dataclass
class AddLocalIndicator(
    Command[str],
    area=Area.CATALOGUE,
    entity="indicator_definition",
    texts={"name_he": "indicator/name", "name_en": "indicator/name", "source": "indicator/source"},
    invalidates=frozenset({Area.INDICATORS}),
):
    """Add a local indicator to the catalogue; returns its code (`local.<code>`). A catalogue
    entry is of no locality: its audit row names none."""

    code: str  # without the "local." prefix the catalogue adds
    name_he: str
    name_en: str
    unit: str
    higher_is_better: bool
    parent_code: str | None
    source: str | None

    @classmethod
    def of(cls, data: LocalIndicatorInput) -> AddLocalIndicator:
        return cls(**dataclasses.asdict(data))

    @property
    def full_code(self) -> str:
        return LOCAL_PREFIX + (self.code or "").strip().lower()

    def where(self) -> None:
        return None

    def validate(self, w: Write) -> None:
        errors: dict[str, str] = {}
        if not CODE.match(self.full_code.removeprefix(LOCAL_PREFIX)):
            errors["code"] = "validation.invalid"
        elif (
            self.full_code in BY_CODE
            or w.session.get(IndicatorDefinition, self.full_code) is not None
        ):
            errors["code"] = "validation.duplicate"
        for key in ("name_he", "name_en"):
            if not getattr(self, key):
                errors[key] = "validation.required"
        if self.unit not in UNITS:
            errors["unit"] = "validation.invalid"
        if self.parent_code is not None:
            parent = w.session.get(IndicatorDefinition, self.parent_code)
            if parent is None or not parent.headline:
                errors["parent_code"] = "validation.invalid"
        if errors:
            raise ValidationError(errors)

    def run(self, w: Write) -> str:
        short = self.full_code.removeprefix(LOCAL_PREFIX)
        order = w.session.scalar(select(func.max(IndicatorDefinition.sort_order))) or 0
        row = IndicatorDefinition(
            code=self.full_code,
            name_he=" ".join(self.name_he.split()),
            name_en=" ".join(self.name_en.split()),
            unit=self.unit,
            higher_is_better=self.higher_is_better,
            source=self.source or LOCAL_SOURCE,
            frequency="monthly",
            parent_code=self.parent_code,
            dimension="local" if self.parent_code else None,
            category=short if self.parent_code else None,
            headline=False,
            sort_order=max(order + 1, 1000),
        )
        w.session.add(row)
        try:
            w.session.flush()
        except IntegrityError as exc:  # added by someone else a moment ago
            raise ValidationError({"code": "validation.duplicate"}) from exc
        w.audit("create", row.code, after={k: getattr(row, k) for k in AUDITED})
        return row.code


AUDITED = ("name_he", "name_en", "unit", "higher_is_better", "parent_code", "source")


def add_indicator(db: Database, actor: Actor, data: LocalIndicatorInput) -> str:
    return execute(db, actor, AddLocalIndicator.of(data)).value


def stored_value(
    db: Database, actor: Actor, locality_code: int, indicator_code: str, period: date
) -> StoredValue | None:
    _require_catalogue_writer(actor)
    with db.transaction() as s:
        row = _stored(s, locality_code, indicator_code, period)
    return StoredValue(row.value, row.status) if row else None


def _stored_query(locality_code: int, indicator_code: str, month: date) -> Select[IndicatorValue]:
    """The stored value of one locality, already authorised: the command's, or any for a
    catalogue writer."""
    return select(IndicatorValue).where(
        only(locality_code).of(IndicatorValue.locality_code),
        IndicatorValue.indicator_code == indicator_code,
        IndicatorValue.period == date(month.year, month.month, 1),
    )


def _stored(
    s: Session, locality_code: int, indicator_code: str, month: date
) -> IndicatorValue | None:
    return s.scalar(_stored_query(locality_code, indicator_code, month))


def _insert(s: Session) -> Any:
    """An INSERT of a value that may meet a conflict, in the session's dialect."""
    dialect = postgresql if s.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(IndicatorValue)


@dataclass
class EnterValue(
    Command[int],
    area=Area.CATALOGUE,
    entity="indicator_value",
    invalidates=frozenset({Area.INDICATORS, Area.BRIEFING}),
):
    """Store one value of any catalogue indicator for a locality and month, over `seen` (what
    the admin was shown: None when there was no value). Returns the batch that recorded it.

    An entered value is a revision like an imported one: the value it replaces moves to the
    history. A value stored since the admin saw `seen` (entered or imported meanwhile) refuses
    the save, as a stale version does anywhere."""

    locality: Ref[Locality]
    indicator_code: str
    period: date
    raw: str | float | None
    seen: StoredValue | None
    status: str = "ok"
    today: date | None = None

    def __post_init__(self) -> None:
        self.period = date(self.period.year, self.period.month, 1)  # any day names its month

    def value(self, w: Write) -> float | None:
        """The entered value in the indicator's unit; every problem named at once."""
        errors: dict[str, str] = {}
        if self.period > (self.today or date.today()).replace(day=1):
            errors["period"] = "validation.out_of_range"
        if self.status not in STATUSES or self.status == "revised":
            errors["status"] = "validation.invalid"
        definition = w.session.get(IndicatorDefinition, self.indicator_code)
        value = None
        if definition is None:
            errors["indicator_code"] = "validation.invalid"
        else:
            try:
                value = parse_value(self.raw, definition.unit)
            except Rejected:
                errors["value"] = "validation.invalid"
        if errors:
            raise ValidationError(errors)
        return value

    def validate(self, w: Write) -> None:
        self.value(w)

    def run(self, w: Write) -> int:
        value = self.value(w)
        status = self.status if value is not None else "suppressed"
        code = self.locality.id
        current = _stored(w.session, code, self.indicator_code, self.period)
        batch = _entry_batch(w, self.indicator_code, revising=current is not None)
        values = {
            "value": value,
            "status": status,
            "source": batch.source,
            "batch_id": batch.id,
            "recorded_at": batch.created_at,
        }
        if current is None:
            key = {
                "locality_code": code,
                "period": self.period,
                "indicator_code": self.indicator_code,
            }
            added = w.session.scalar(
                _insert(w.session)
                .values(**key, **values)
                .on_conflict_do_nothing(index_elements=list(key))
                .returning(IndicatorValue.id)
            )
            if added is not None:
                w.audit("create", added, after={"value": value, "status": status})
                return batch.id
            # Entered by someone else at the same moment: refused as stale below.
            current = w.session.scalars(_stored_query(code, self.indicator_code, self.period)).one()
        w.session.add(_history(current, batch))
        values["status"] = "revised" if status == "ok" else status
        w.update(current, self._version_seen(current), values, read=self._shown(), action="enter")
        return batch.id

    def _version_seen(self, current: IndicatorValue) -> datetime:
        """The version the admin saw: the stored one if it still shows what they were shown."""
        same = self.seen == StoredValue(current.value, current.status)
        return current.version if same else NEVER_STORED

    def _shown(self) -> dict[str, Any] | None:
        return None if self.seen is None else dataclasses.asdict(self.seen)


def _entry_batch(w: Write, indicator_code: str, revising: bool) -> ImportBatch:
    """The batch an entered value is recorded by (so its history reads like an import's)."""
    batch = ImportBatch(
        username=w.actor.username,
        filename="(entered)",
        file_sha256="-",
        layout="manual",
        source=w.session.get_one(IndicatorDefinition, indicator_code).source[:120],
        rows_read=1,
        rows_added=0 if revising else 1,
        rows_revised=1 if revising else 0,
        created_at=utcnow(),
    )
    w.session.add(batch)
    w.session.flush()
    return batch


def _history(current: IndicatorValue, batch: ImportBatch) -> IndicatorValueHistory:
    """The value an entry replaces, kept with the interval it was shown."""
    return IndicatorValueHistory(
        locality_code=current.locality_code,
        period=current.period,
        indicator_code=current.indicator_code,
        value=current.value,
        status=current.status,
        source=current.source,
        batch_id=current.batch_id,
        recorded_at=current.recorded_at,
        replaced_at=batch.created_at,
        replaced_by_batch_id=batch.id,
    )


def enter_value(
    db: Database,
    actor: Actor,
    locality_code: int,
    indicator_code: str,
    period: date,
    raw: str | float | None,
    seen: StoredValue | None,
    status: str = "ok",
    today: date | None = None,
) -> int:
    command = EnterValue.of(locality_code, indicator_code, period, raw, seen, status, today)
    return execute(db, actor, command).value
