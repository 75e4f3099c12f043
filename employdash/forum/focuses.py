"""Editing the plan's strategic focuses and their success metrics: edit, reorder and retire a
focus; add a manual metric (name, unit, direction, values entered per period) or edit and retire
any metric, with baseline and target dates chosen by the user.

A retired focus or metric leaves the plan, the briefing and new quarterly snapshots; frozen
snapshots keep what they showed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from employdash import audit
from employdash.access import Actor, Area, require_read, require_write
from employdash.db import Database, rowcount
from employdash.errors import StaleVersion, ValidationError
from employdash.forum.structure import refuse_duplicate_metric, require_forum
from employdash.handed_ids import in_locality
from employdash.models.base import Base, utcnow
from employdash.models.forum import MetricValue, StrategicFocus, SuccessMetric

DIRECTIONS = ("up", "down")
METRIC_FIELDS = ("name", "unit", "baseline", "baseline_date", "target", "target_date", "retired")


def _versioned(
    s: Session, model: type[Base], row_id: int, version: int, values: dict[str, Any]
) -> None:
    table: Any = model
    result = s.execute(
        update(table)
        .where(table.id == row_id, table.version == version)
        .values(**values, version=version + 1)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        s.rollback()
        current = s.scalar(select(table.version).where(table.id == row_id))
        raise StaleVersion({}, current or version)


def update_focus(
    db: Database,
    actor: Actor,
    locality_code: int,
    focus_id: int,
    version: int,
    values: dict[str, Any],
) -> int:
    """Change `title`, `description` or `retired` of a focus read at `version`."""
    require_write(actor, Area.FORUM, locality_code)
    values = {k: v for k, v in values.items() if k in ("title", "description", "retired")}
    if "title" in values:
        values["title"] = " ".join((values["title"] or "").split())
        if not values["title"]:
            raise ValidationError({"title": "validation.required"})
        if len(values["title"]) > 200:
            raise ValidationError({"title": "validation.too_long"})
    if "description" in values:
        values["description"] = (values["description"] or "").strip() or None
    with db.transaction() as s:
        focus = in_locality(s, actor, StrategicFocus, focus_id, locality_code)
        before = {k: getattr(focus, k) for k in values}
        _versioned(s, StrategicFocus, focus_id, version, values)
        old, new = audit.changed_fields(before, {**before, **values})
        audit.record(
            s,
            actor,
            "update",
            "strategic_focus",
            focus_id,
            before=old,
            after=new,
            locality_code=locality_code,
        )
        return version + 1


def move_focus(db: Database, actor: Actor, locality_code: int, focus_id: int, step: int) -> None:
    """Move a focus one place up (-1) or down (+1) in the plan's order."""
    require_write(actor, Area.FORUM, locality_code)
    with db.transaction() as s:
        in_locality(s, actor, StrategicFocus, focus_id, locality_code)
        forum = require_forum(s, locality_code)
        order = list(
            s.scalars(
                select(StrategicFocus)
                .where(StrategicFocus.forum_id == forum.id, StrategicFocus.retired.is_(False))
                .order_by(StrategicFocus.position, StrategicFocus.id)
            )
        )
        ids = [f.id for f in order]
        i = ids.index(focus_id)
        j = i + (1 if step > 0 else -1)
        if not 0 <= j < len(ids):
            return
        ids[i], ids[j] = ids[j], ids[i]
        before = [f.id for f in order]
        for position, f in enumerate(sorted(order, key=lambda f: ids.index(f.id))):
            f.position = position
            f.version += 1
        audit.record(
            s,
            actor,
            "reorder",
            "forum",
            forum.id,
            before={"focuses": before},
            after={"focuses": ids},
            locality_code=locality_code,
        )


def _metric_values(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out = {k: v for k, v in values.items() if k in METRIC_FIELDS}
    if "name" in out:
        out["name"] = " ".join((out["name"] or "").split())
        if not out["name"]:
            errors["name"] = "validation.required"
    if "unit" in out:
        out["unit"] = (out["unit"] or "").strip()[:20] or None
    for key in ("baseline", "target"):
        if key in out:
            try:
                out[key] = float(out[key])
            except (TypeError, ValueError):
                errors[key] = "validation.invalid"
    if "target_date" in out and out["target_date"] is None:
        errors["target_date"] = "validation.required"
    if (
        out.get("baseline_date")
        and out.get("target_date")
        and out["target_date"] <= out["baseline_date"]
    ):
        errors["target_date"] = "validation.out_of_range"
    if errors:
        raise ValidationError(errors)
    return out


def add_manual_metric(
    db: Database,
    actor: Actor,
    locality_code: int,
    focus_id: int,
    name: str,
    unit: str,
    direction: str,
    baseline: float,
    baseline_date: date,
    target: float,
    target_date: date,
) -> int:
    """A metric with no catalogue indicator: the manager enters its values per period."""
    require_write(actor, Area.FORUM, locality_code)
    if direction not in DIRECTIONS:
        raise ValidationError({"direction": "validation.invalid"})
    values = _metric_values(
        {
            "name": name,
            "unit": unit,
            "baseline": baseline,
            "baseline_date": baseline_date,
            "target": target,
            "target_date": target_date,
        }
    )
    if (values["target"] - values["baseline"]) * (1 if direction == "up" else -1) <= 0:
        raise ValidationError({"target": "forum.metric.direction_mismatch"})
    with db.transaction() as s:
        in_locality(s, actor, StrategicFocus, focus_id, locality_code)
        refuse_duplicate_metric(s, focus_id, name=values["name"])
        metric = SuccessMetric(focus_id=focus_id, direction=direction, **values)
        s.add(metric)
        s.flush()
        audit.record(
            s,
            actor,
            "create",
            "success_metric",
            metric.id,
            after={"focus_id": focus_id, "direction": direction, **values},
            locality_code=locality_code,
        )
        return metric.id


def update_metric(
    db: Database,
    actor: Actor,
    locality_code: int,
    metric_id: int,
    version: int,
    values: dict[str, Any],
) -> int:
    """Change a metric's baseline, target, their dates, a manual metric's name or unit, or retire
    it (`retired=True`)."""
    require_write(actor, Area.FORUM, locality_code)
    values = _metric_values(values)
    with db.transaction() as s:
        metric = in_locality(s, actor, SuccessMetric, metric_id, locality_code)
        if metric.indicator_code and ({"name", "unit"} & set(values)):
            raise ValidationError({"name": "validation.invalid"})  # a catalogue indicator's own
        if "name" in values:
            refuse_duplicate_metric(s, metric.focus_id, name=values["name"], skip=metric_id)
        before = {k: getattr(metric, k) for k in values}
        _versioned(s, SuccessMetric, metric_id, version, values)
        old, new = audit.changed_fields(before, {**before, **values})
        audit.record(
            s,
            actor,
            "update",
            "success_metric",
            metric_id,
            before=old,
            after=new,
            locality_code=locality_code,
        )
        return version + 1


def enter_value(
    db: Database,
    actor: Actor,
    locality_code: int,
    metric_id: int,
    period: date,
    value: float,
    version: int | None,
) -> int:
    """A manual metric's value for a period (the month it describes); entered again, replaced.

    `version` is the version of the period's value the manager saw (None: there was none). A value
    saved by someone else meanwhile refuses the save with theirs against yours (`StaleVersion`),
    and so does a first value for a period entered by someone else at the same moment (the unique
    constraint on the metric and period). Returns the new version."""
    require_write(actor, Area.FORUM, locality_code)
    if period is None or period > date.today():
        raise ValidationError({"period": "validation.out_of_range"})
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValidationError({"value": "validation.invalid"}) from None
    with db.transaction() as s:
        metric = in_locality(s, actor, SuccessMetric, metric_id, locality_code)
        if metric.indicator_code:  # catalogue values come from the imports, never typed in
            raise ValidationError({"metric": "validation.invalid"})
        row = s.scalar(
            select(MetricValue).where(
                MetricValue.metric_id == metric_id, MetricValue.period == period
            )
        )
        theirs = row.value if row else None
        if (row.version if row else None) != version:
            raise StaleVersion({"value": (theirs, value)}, row.version if row else 0)
        if row is None:
            try:
                s.execute(
                    insert(MetricValue).values(
                        metric_id=metric_id,
                        period=period,
                        value=value,
                        entered_by=actor.username,
                        created_at=utcnow(),
                        version=1,
                    )
                )
            except IntegrityError as exc:  # a first value entered by someone else just now
                raise StaleVersion({"value": (None, value)}, 1) from exc
            new_version = 1
        else:
            result = s.execute(
                update(MetricValue)
                .where(MetricValue.id == row.id, MetricValue.version == version)
                .values(value=value, entered_by=actor.username, version=row.version + 1)
                .execution_options(synchronize_session=False)
            )
            if rowcount(result) != 1:  # a writer slipped in between our read and this update
                s.rollback()
                current = s.execute(
                    select(MetricValue.value, MetricValue.version).where(MetricValue.id == row.id)
                ).first()
                raise StaleVersion(
                    {"value": (current[0] if current else None, value)},
                    current[1] if current else 0,
                )
            new_version = row.version + 1
        audit.record(
            s,
            actor,
            "update" if row else "create",
            "metric_value",
            f"{metric_id}:{period.isoformat()}",
            before={"value": theirs} if row else None,
            after={"value": value},
            locality_code=locality_code,
        )
        return new_version


def value_versions(
    db: Database, actor: Actor, locality_code: int, metric_ids: list[int]
) -> dict[int, dict[date, int]]:
    """Per manual metric, the version of each period's value: what a form drawn now has seen."""
    require_read(actor, Area.FORUM, locality_code)
    out: dict[int, dict[date, int]] = {m: {} for m in metric_ids}
    with db.transaction() as s:
        for metric_id in metric_ids:
            in_locality(s, actor, SuccessMetric, metric_id, locality_code)
        for metric_id, period, version in s.execute(
            select(MetricValue.metric_id, MetricValue.period, MetricValue.version).where(
                MetricValue.metric_id.in_(metric_ids)
            )
        ):
            out[metric_id][period] = version
    return out


def manual_values(
    db: Database, actor: Actor, locality_code: int, metric_id: int
) -> list[tuple[date, float]]:
    """The values entered for a manual metric, oldest period first."""
    require_read(actor, Area.FORUM, locality_code)
    with db.transaction() as s:
        in_locality(s, actor, SuccessMetric, metric_id, locality_code)
        return [
            (r.period, r.value)
            for r in s.execute(
                select(MetricValue.period, MetricValue.value)
                .where(MetricValue.metric_id == metric_id)
                .order_by(MetricValue.period)
            )
        ]
