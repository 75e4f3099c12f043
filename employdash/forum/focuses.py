"""Editing the plan's strategic focuses and their success metrics: edit, reorder and retire a
focus; add a manual metric (name, unit, direction, values entered per period) or edit and retire
any metric, with baseline and target dates chosen by the user.

A retired focus or metric leaves the plan, the briefing and new quarterly snapshots; frozen
snapshots keep what they showed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from employdash.access import Actor, Area, require_read
from employdash.commands import ChangeAtVersion, Ref, Write, execute
from employdash.db import Database
from employdash.errors import ValidationError
from employdash.forum.metric_rules import check_metric, in_range, range_params
from employdash.forum.structure import (
    ForumChange,
    check_locality,
    refuse_duplicate_metric,
    writer_in_locality,
)
from employdash.handed_ids import in_locality
from employdash.models.base import utcnow
from employdash.models.forum import MetricValue, StrategicFocus, SuccessMetric
from employdash.models.indicators import IndicatorDefinition

DIRECTIONS = ("up", "down")
FOCUS_FIELDS = ("title", "description", "retired")
METRIC_FIELDS = ("name", "unit", "baseline", "baseline_date", "target", "target_date", "retired")
METRIC_TEXTS = {"values.name": "forum/metric_name", "values.unit": "forum/metric_unit"}


@dataclass
class UpdateFocus(
    ChangeAtVersion[StrategicFocus],
    ForumChange[int],
    entity="strategic_focus",
    texts={"values.title": "forum/focus_title", "values.description": "forum/focus_description"},
):
    """Change `title`, `description` or `retired` of a focus read at `version`; returns the new
    version."""

    model = StrategicFocus
    editable = FOCUS_FIELDS

    def validate(self, w: Write) -> None:
        if "title" in self.values:
            self.values["title"] = " ".join((self.values["title"] or "").split())
            if not self.values["title"]:
                raise ValidationError({"title": "validation.required"})


update_focus = writer_in_locality(StrategicFocus, UpdateFocus.of)


@dataclass
class MoveFocus(ForumChange[None]):
    """Move a focus one place up (-1) or down (+1) in the plan's order (audited on the forum:
    the order is the forum's)."""

    focus: Ref[StrategicFocus]
    step: int

    def run(self, w: Write) -> None:
        forum_id = w.get(self.focus).forum_id
        order = list(
            w.session.scalars(
                select(StrategicFocus)
                .where(StrategicFocus.forum_id == forum_id, StrategicFocus.retired.is_(False))
                .order_by(StrategicFocus.position, StrategicFocus.id)
            )
        )
        ids = [f.id for f in order]
        if self.focus.id not in ids:
            return
        i = ids.index(self.focus.id)
        j = i + (1 if self.step > 0 else -1)
        if not 0 <= j < len(ids):
            return
        before = list(ids)
        ids[i], ids[j] = ids[j], ids[i]
        for position, f in enumerate(sorted(order, key=lambda f: ids.index(f.id))):
            f.position = position
        w.session.flush()
        w.audit("reorder", forum_id, before={"focuses": before}, after={"focuses": ids})


def move_focus(db: Database, actor: Actor, locality_code: int, focus_id: int, step: int) -> None:
    check_locality(db, actor, locality_code, StrategicFocus, focus_id)
    execute(db, actor, MoveFocus.of(focus_id, step))


def _metric_values(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out = {k: v for k, v in values.items() if k in METRIC_FIELDS}
    if "name" in out:
        out["name"] = " ".join((out["name"] or "").split())
        if not out["name"]:
            errors["name"] = "validation.required"
    for key in ("baseline", "target"):
        if key in out:
            try:
                out[key] = float(out[key])
            except (TypeError, ValueError):
                errors[key] = "validation.invalid"
    if errors:
        raise ValidationError(errors)
    return out


def _judged(values: dict[str, Any]) -> dict[str, Any]:
    """What the metric rules judge, from a metric's values."""
    return {
        k: values.get(k) for k in ("unit", "baseline", "baseline_date", "target", "target_date")
    }


def _check_as_changed(w: Write, metric: SuccessMetric, values: dict[str, Any]) -> None:
    """The metric rules on the metric as it would stand after the change: the indicator's
    direction and unit for a catalogue metric, the metric's own for a manual one."""
    after = {k: values.get(k, getattr(metric, k)) for k in _judged(values)}
    definition = (
        w.session.get(IndicatorDefinition, metric.indicator_code) if metric.indicator_code else None
    )
    if definition is not None:
        after["unit"] = definition.unit
    higher = definition.higher_is_better if definition is not None else metric.direction == "up"
    check_metric(higher_is_better=higher, **after)


@dataclass
class AddManualMetric(ForumChange[int], entity="success_metric", texts=METRIC_TEXTS):
    """A metric of a focus with no catalogue indicator: the manager enters its values per
    period. `values`: name, unit, baseline, baseline_date, target, target_date."""

    focus: Ref[StrategicFocus]
    direction: str
    values: dict[str, Any]

    @classmethod
    def of(
        cls,
        focus_id: int,
        name: str,
        unit: str,
        direction: str,
        baseline: float,
        baseline_date: date,
        target: float,
        target_date: date,
    ) -> AddManualMetric:
        values = {
            "name": name,
            "unit": unit,
            "baseline": baseline,
            "baseline_date": baseline_date,
            "target": target,
            "target_date": target_date,
        }
        return cls(Ref(StrategicFocus, focus_id), direction, values)

    def validate(self, w: Write) -> None:
        if self.direction not in DIRECTIONS:
            raise ValidationError({"direction": "validation.invalid"})
        self.values = values = _metric_values(self.values)
        check_metric(higher_is_better=self.direction == "up", **_judged(values))
        refuse_duplicate_metric(w.session, self.focus.id, name=values["name"])

    def run(self, w: Write) -> int:
        after = {"focus_id": self.focus.id, "direction": self.direction, **self.values}
        metric = SuccessMetric(focus_id=self.focus.id, direction=self.direction, **self.values)
        return w.create(metric, after).id


add_manual_metric = writer_in_locality(StrategicFocus, AddManualMetric.of)


@dataclass
class UpdateMetric(
    ChangeAtVersion[SuccessMetric],
    ForumChange[int],
    entity="success_metric",
    texts=METRIC_TEXTS,
):
    """Change a metric's baseline, target, their dates, a manual metric's name or unit, or
    retire it (`retired=True`), read at `version`; returns the new version."""

    model = SuccessMetric
    editable = METRIC_FIELDS

    def validate(self, w: Write) -> None:
        metric = w.get(self.record)
        self.values = values = _metric_values(self.values)
        if metric.indicator_code and ({"name", "unit"} & set(values)):
            raise ValidationError({"name": "validation.invalid"})  # a catalogue indicator's own
        if not values.get("retired"):  # retiring a metric is never refused by its figures
            _check_as_changed(w, metric, values)
        if "name" in values:
            refuse_duplicate_metric(w.session, metric.focus_id, name=values["name"], skip=metric.id)


update_metric = writer_in_locality(SuccessMetric, UpdateMetric.of)


@dataclass
class EnterValue(ForumChange[int], entity="metric_value"):
    """A manual metric's value for a period (the month it describes); entered again, replaced.

    `value_version` is the version of the period's value the manager saw (None: there was none).
    A value saved by someone else meanwhile refuses the save with theirs against yours
    (`StaleVersion`), and so does a first value for the period entered by someone else at the
    same moment (the unique constraint on the metric and period). Returns the new version."""

    metric: Ref[SuccessMetric]
    period: date
    value: float
    value_version: int | None

    def validate(self, w: Write) -> None:
        if self.period is None or self.period > date.today():
            raise ValidationError({"period": "validation.out_of_range"})
        try:
            self.value = float(self.value)
        except (TypeError, ValueError):
            raise ValidationError({"value": "validation.invalid"}) from None
        metric = w.get(self.metric)
        if metric.indicator_code:  # catalogue values come from the imports
            raise ValidationError({"metric": "validation.invalid"})
        if not in_range(metric.unit, self.value):
            raise ValidationError(
                {"value": "forum.targets.rule.out_of_range"},
                field_params={"value": range_params(metric.unit)},
            )

    def _insert_first(self, w: Write) -> int | None:
        """Insert the period's first value; None when another one landed first. The unique
        period decides in one statement on both databases (a second first value waits for the
        first's commit, then inserts nothing), so the loser is refused as stale, not crashed."""
        insert = (
            postgresql.insert
            if w.session.get_bind().dialect.name == "postgresql"
            else sqlite.insert
        )
        statement = (
            insert(MetricValue)
            .values(
                metric_id=self.metric.id,
                period=self.period,
                value=self.value,
                entered_by=w.actor.username,
                created_at=utcnow(),
                version=1,
            )
            .on_conflict_do_nothing(index_elements=[MetricValue.metric_id, MetricValue.period])
            .returning(MetricValue.id)
        )
        return w.session.execute(statement).scalar()

    def _stored(self, w: Write) -> MetricValue | None:
        return w.session.scalar(
            select(MetricValue).where(
                MetricValue.metric_id == self.metric.id, MetricValue.period == self.period
            )
        )

    def run(self, w: Write) -> int:
        values = {"value": self.value, "entered_by": w.actor.username}
        row = self._stored(w)
        if row is None and self.value_version is None:
            created = self._insert_first(w)
            if created is not None:
                w.audit("create", created, after={"period": self.period, "value": self.value})
                return 1
            row = self._stored(w)  # a first value entered by someone else just now
        if row is None:  # read with a version, gone since: nothing to save over
            raise ValidationError({"value": "validation.invalid"})
        # A refusal names the value stored now against this one (what the manager saw was
        # either nothing or an older value).
        w.update(row, self.value_version or 0, values, read={"value": None})
        return row.version


def enter_value(
    db: Database,
    actor: Actor,
    locality_code: int,
    metric_id: int,
    period: date,
    value: float,
    version: int | None,
) -> int:
    check_locality(db, actor, locality_code, SuccessMetric, metric_id)
    return execute(db, actor, EnterValue.of(metric_id, period, value, version)).value


@dataclass
class RemoveValue(ForumChange[None], entity="metric_value"):
    """A manual metric's value entered by mistake (a wrong month) removed, from the version the
    manager read; the audit row keeps what it was."""

    value: Ref[MetricValue]
    version: int

    def run(self, w: Write) -> None:
        row = w.get(self.value)
        before = {"period": row.period, "value": row.value, "entered_by": row.entered_by}
        w.delete(row, before, version=self.version)


@dataclass(frozen=True)
class ValueRow:
    """A manual metric's value as the list of its values shows it, correctable from `version`."""

    id: int
    period: date
    value: float
    entered_by: str | None
    version: int


def metric_values(db: Database, actor: Actor, locality_code: int, metric_id: int) -> list[ValueRow]:
    """The values entered for a manual metric, newest period first, with who entered each."""
    require_read(actor, Area.FORUM, locality_code)
    with db.transaction() as s:
        in_locality(s, actor, SuccessMetric, metric_id, locality_code)
        return [
            ValueRow(r.id, r.period, r.value, r.entered_by, r.version)
            for r in s.scalars(
                select(MetricValue)
                .where(MetricValue.metric_id == metric_id)
                .order_by(MetricValue.period.desc())
            )
        ]


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
