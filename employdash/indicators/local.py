"""Local indicators: measures a locality's forum tracks that no national source publishes (the
locality model asks for some, such as the diversity of the jobs offered).

An admin adds one to the catalogue (code, Hebrew and English names, unit, whether higher is
better, and the headline it breaks down, if any); its values then arrive by the ordinary import
(the long layout takes any catalogue code) or are entered one at a time here. An entered value is
a revision like any imported one: the value it replaces moves to the history table. Entering is
checked against the value the admin saw, inside the UPDATE's WHERE clause, so two admins
correcting the same month at once cannot silently overwrite each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from employdash import audit
from employdash.access import Actor, Area, require_write
from employdash.db import Database, rowcount
from employdash.errors import StaleVersion, ValidationError
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


def headline_choices(db: Database, actor: Actor) -> list[tuple[str, str, str]]:
    """(code, Hebrew, English) of the headline indicators a local indicator may break down."""
    require_write(actor, Area.CATALOGUE)
    with db.transaction() as s:
        rows = s.execute(
            select(
                IndicatorDefinition.code, IndicatorDefinition.name_he, IndicatorDefinition.name_en
            )
            .where(IndicatorDefinition.headline)
            .order_by(IndicatorDefinition.sort_order)
        ).all()
    return [(c, he, en) for c, he, en in rows]


def add_indicator(db: Database, actor: Actor, data: LocalIndicatorInput) -> str:
    """Add a local indicator to the catalogue; returns its code (`local.<code>`)."""
    require_write(actor, Area.CATALOGUE)
    errors: dict[str, str] = {}
    short = (data.code or "").strip().lower()
    if not CODE.match(short):
        errors["code"] = "validation.invalid"
    code = LOCAL_PREFIX + short
    names = {}
    for key in ("name_he", "name_en"):
        text = re.sub(r"\s+", " ", getattr(data, key) or "").strip()
        if not text:
            errors[key] = "validation.required"
        elif len(text) > 160:
            errors[key] = "validation.too_long"
        names[key] = text
    source = (data.source or "").strip() or LOCAL_SOURCE
    if len(source) > 120:
        errors["source"] = "validation.too_long"
    if data.unit not in UNITS:
        errors["unit"] = "validation.invalid"
    with db.transaction() as s:
        if data.parent_code is not None:
            parent = s.get(IndicatorDefinition, data.parent_code)
            if parent is None or not parent.headline:
                errors["parent_code"] = "validation.invalid"
        if code in BY_CODE or s.get(IndicatorDefinition, code) is not None:
            errors["code"] = "validation.duplicate"
        if errors:
            raise ValidationError(errors)
        order = (s.scalar(select(func.max(IndicatorDefinition.sort_order))) or 0) + 1
        row = IndicatorDefinition(
            code=code,
            name_he=names["name_he"],
            name_en=names["name_en"],
            unit=data.unit,
            higher_is_better=data.higher_is_better,
            source=source,
            frequency="monthly",
            parent_code=data.parent_code,
            dimension="local" if data.parent_code else None,
            category=short if data.parent_code else None,
            headline=False,
            sort_order=max(order, 1000),
        )
        s.add(row)
        try:
            s.flush()
        except IntegrityError as exc:  # added by someone else a moment ago
            raise ValidationError({"code": "validation.duplicate"}) from exc
        audit.record(
            s,
            actor,
            "create",
            "indicator_definition",
            code,
            after={
                "name_he": row.name_he,
                "name_en": row.name_en,
                "unit": row.unit,
                "higher_is_better": row.higher_is_better,
                "parent_code": row.parent_code,
                "source": row.source,
            },
        )
    return code


def stored_value(
    db: Database, actor: Actor, locality_code: int, indicator_code: str, period: date
) -> StoredValue | None:
    require_write(actor, Area.CATALOGUE)
    with db.transaction() as s:
        row = s.execute(
            select(IndicatorValue.value, IndicatorValue.status).where(
                IndicatorValue.locality_code == locality_code,
                IndicatorValue.indicator_code == indicator_code,
                IndicatorValue.period == date(period.year, period.month, 1),
            )
        ).first()
    return StoredValue(row.value, row.status) if row else None


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
    """Store one value of any catalogue indicator for a locality and month, over `seen` (what
    the admin was shown: None when there was no value). Returns the batch that recorded it."""
    require_write(actor, Area.CATALOGUE)
    month = date(period.year, period.month, 1)
    now_month = (today or date.today()).replace(day=1)
    errors: dict[str, str] = {}
    if month > now_month:
        errors["period"] = "validation.out_of_range"
    if status not in STATUSES or status == "revised":
        errors["status"] = "validation.invalid"
    with db.transaction() as s:
        definition = s.get(IndicatorDefinition, indicator_code)
        if definition is None:
            errors["indicator_code"] = "validation.invalid"
        if s.get(Locality, locality_code) is None:
            errors["locality_code"] = "validation.invalid"
        value: float | None = None
        if definition is not None:
            try:
                value = parse_value(raw, definition.unit)
            except Rejected:
                errors["value"] = "validation.invalid"
        if errors:
            raise ValidationError(errors)
        if value is None:
            status = "suppressed"
        current = s.scalar(
            select(IndicatorValue).where(
                IndicatorValue.locality_code == locality_code,
                IndicatorValue.indicator_code == indicator_code,
                IndicatorValue.period == month,
            )
        )
        shown = StoredValue(current.value, current.status) if current else None
        if shown != seen:
            changes = {"value": (shown.value if shown else None, value)}
            raise StaleVersion(changes, 0)
        now = utcnow()
        batch = ImportBatch(
            username=actor.username,
            filename="(entered)",
            file_sha256="-",
            layout="manual",
            source=definition.source[:120] if definition else LOCAL_SOURCE,
            rows_read=1,
            rows_added=0 if current else 1,
            rows_revised=1 if current else 0,
            created_at=now,
        )
        s.add(batch)
        s.flush()
        if current is None:
            try:
                s.execute(
                    insert(IndicatorValue).values(
                        locality_code=locality_code,
                        period=month,
                        indicator_code=indicator_code,
                        value=value,
                        status=status,
                        source=batch.source,
                        batch_id=batch.id,
                        recorded_at=now,
                    )
                )
            except IntegrityError as exc:  # entered by someone else at the same moment
                raise StaleVersion({"value": (None, value)}, 0) from exc
        else:
            s.execute(
                insert(IndicatorValueHistory).values(
                    locality_code=locality_code,
                    period=month,
                    indicator_code=indicator_code,
                    value=current.value,
                    status=current.status,
                    source=current.source,
                    batch_id=current.batch_id,
                    recorded_at=current.recorded_at,
                    replaced_at=now,
                    replaced_by_batch_id=batch.id,
                )
            )
            same_value = (
                IndicatorValue.value.is_(None)
                if current.value is None
                else IndicatorValue.value == current.value
            )
            result = s.execute(
                update(IndicatorValue)
                .where(
                    IndicatorValue.id == current.id,
                    IndicatorValue.batch_id == current.batch_id
                    if current.batch_id is not None
                    else IndicatorValue.batch_id.is_(None),
                    same_value,
                )
                .values(
                    value=value,
                    status="revised" if status == "ok" else status,
                    source=batch.source,
                    batch_id=batch.id,
                    recorded_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            if rowcount(result) != 1:
                s.rollback()
                raise StaleVersion({"value": (current.value, value)}, 0)
        audit.record(
            s,
            actor,
            "enter",
            "indicator_value",
            f"{locality_code}/{indicator_code}/{month:%Y-%m}",
            before={"value": current.value, "status": current.status} if current else None,
            after={"value": value, "status": status, "batch_id": batch.id},
            locality_code=locality_code,
        )
        return batch.id
