"""Quarterly control (model ch. 3, stage 3): a kept snapshot per quarter of every success metric
against its target and of the work plan's planned vs done, so quarters can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from employdash.access import Actor
from employdash.commands import Ref, Write, execute
from employdash.db import Database
from employdash.errors import ValidationError
from employdash.forum.structure import (
    ForumChange,
    forum_id_of,
    metrics_of,
    reading_existing_forum,
)
from employdash.forum.target_status import status_of
from employdash.forum.targets import progress
from employdash.models.base import utcnow
from employdash.models.forum import Forum, MetricValue, QuarterlyReview, Task


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(quarter: str) -> tuple[date, date]:
    """First and last day of '2026Q3'."""
    try:
        year, q = int(quarter[:4]), int(quarter[5:])
        if quarter[4] != "Q" or not 1 <= q <= 4:
            raise ValueError
    except (ValueError, IndexError):
        raise ValidationError({"quarter": "validation.invalid"}) from None
    start = date(year, 3 * q - 2, 1)
    end = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def _value_in_quarter(
    s: Session, locality_code: int, code: str, start: date
) -> tuple[date, float] | None:
    """The quarter's last published month and its value (the "state cut" at quarter end)."""
    from employdash.indicators.values import value_at

    for month in (start.month + 2, start.month + 1, start.month):
        period = date(start.year, month, 1)
        value = value_at(s, locality_code, code, period)
        if value is not None:
            return period, value
    return None


def _manual_in_quarter(s: Session, metric_id: int, end: date) -> tuple[date, float] | None:
    """A manual metric's latest value entered for a period up to the quarter's end."""
    row = s.execute(
        select(MetricValue.period, MetricValue.value)
        .where(MetricValue.metric_id == metric_id, MetricValue.period <= end)
        .order_by(MetricValue.period.desc())
        .limit(1)
    ).first()
    return (row.period, row.value) if row else None


def snapshot_data(s: Session, forum_id: int, locality_code: int, quarter: str) -> dict[str, Any]:
    """The quarter's figures: each metric at quarter end against its target, with its status
    then (under the forum's tolerance then, kept with it), and plan vs done."""
    start, end = quarter_bounds(quarter)
    tolerance = s.get_one(Forum, forum_id).target_tolerance
    metrics = []
    for m in metrics_of(s, forum_id):
        found = (
            _value_in_quarter(s, locality_code, m["indicator_code"], start)
            if m["indicator_code"]
            else _manual_in_quarter(s, m["id"], end)
        )
        on, value = found if found else (None, None)
        metrics.append(
            {
                "focus": m["focus_title"],
                "indicator_code": m["indicator_code"],
                "indicator_he": m["name_he"],
                "indicator_en": m["name_en"],
                "unit": m["unit"],
                "baseline": m["baseline"],
                "target": m["target"],
                "target_date": m["target_date"].isoformat(),
                "value": value,
                "progress": progress(m["baseline"], m["target"], value),
                "status": status_of(
                    m["baseline"],
                    m["baseline_date"],
                    m["target"],
                    m["target_date"],
                    value,
                    on,
                    tolerance,
                ),
            }
        )
    due = select(func.count()).where(Task.forum_id == forum_id, Task.status != "cancelled")
    in_q = due.where(Task.due_date >= start, Task.due_date <= end)
    done = (Task.status == "done") & (Task.completed_on <= end)
    plan = {
        "planned": s.scalar(in_q) or 0,
        "done": s.scalar(in_q.where(done)) or 0,
        "planned_to_date": s.scalar(due.where(Task.due_date <= end)) or 0,
        "done_to_date": s.scalar(due.where(Task.due_date <= end, done)) or 0,
    }
    return {"quarter": quarter, "metrics": metrics, "plan": plan, "tolerance": tolerance}


@dataclass
class TakeSnapshot(
    ForumChange[int],
    entity="quarterly_review",
):
    """Freeze the quarter's figures; taking it again replaces it (the audit log keeps both)."""

    forum: Ref[Forum]
    quarter: str

    def validate(self, w: Write) -> None:
        quarter_bounds(self.quarter)

    def run(self, w: Write) -> int:
        s, forum = w.session, w.get(self.forum)
        data = snapshot_data(s, forum.id, forum.locality_code, self.quarter)
        row = s.scalar(
            select(QuarterlyReview).where(
                QuarterlyReview.forum_id == forum.id, QuarterlyReview.quarter == self.quarter
            )
        )
        before = dict(row.data) if row else None
        if row is None:
            row = QuarterlyReview(
                forum_id=forum.id, quarter=self.quarter, taken_by=w.actor.username, data=data
            )
            s.add(row)
        else:
            row.data, row.taken_by, row.taken_at = data, w.actor.username, utcnow()
        s.flush()
        w.audit("snapshot", row.id, before=before, after=data)
        return row.id


def take_snapshot(db: Database, actor: Actor, locality_code: int, quarter: str) -> int:
    forum_id = forum_id_of(db, actor, locality_code)
    return execute(db, actor, TakeSnapshot.of(forum_id, quarter)).value


def reviews(db: Database, actor: Actor, locality_code: int) -> list[dict[str, Any]]:
    """Every kept snapshot, oldest quarter first."""
    with reading_existing_forum(db, actor, locality_code) as (s, forum):
        rows = s.scalars(
            select(QuarterlyReview)
            .where(QuarterlyReview.forum_id == forum.id)
            .order_by(QuarterlyReview.quarter)
        )
        return [
            {"quarter": r.quarter, "taken_at": r.taken_at, "taken_by": r.taken_by, **r.data}
            for r in rows
        ]


class QuarterRow(TypedDict):
    """One kept quarter and metric (a quarter without metrics gives one row of None figures).

    The kept snapshot is JSON, so its figures are read back as stored."""

    quarter: str
    focus: str | None
    indicator_code: str | None
    indicator_he: str | None
    indicator_en: str | None
    unit: str | None
    value: float | None
    baseline: float | None
    target: float | None
    progress: float | None
    status: str | None  # None in a quarter kept before statuses were
    planned: int
    done: int
    planned_to_date: int
    done_to_date: int


def comparison_rows(kept: list[dict[str, Any]]) -> list[QuarterRow]:
    """Flat rows (one per quarter and metric) for a table, a chart and the export."""
    out: list[QuarterRow] = []
    for review in kept:
        plan = review["plan"]
        for m in review["metrics"] or [{}]:
            out.append(
                {
                    "quarter": review["quarter"],
                    "focus": m.get("focus"),
                    "indicator_code": m.get("indicator_code"),
                    "indicator_he": m.get("indicator_he"),
                    "indicator_en": m.get("indicator_en"),
                    "unit": m.get("unit"),
                    "value": m.get("value"),
                    "baseline": m.get("baseline"),
                    "target": m.get("target"),
                    "progress": m.get("progress"),
                    "status": m.get("status"),
                    "planned": plan["planned"],
                    "done": plan["done"],
                    "planned_to_date": plan["planned_to_date"],
                    "done_to_date": plan["done_to_date"],
                }
            )
    return out
