"""Success metrics and their progress, computed from the latest indicator values (for a manual
metric: the latest value the manager entered).

progress = (latest - baseline) / (target - baseline), clamped to 0..1: a value that moved away from
the target counts as no progress, one beyond the target as reached. A lower-is-better metric
(unemployment) works the same way because target < baseline flips both signs.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from employdash.access import Actor
from employdash.db import Database
from employdash.forum.structure import MetricRow, metrics_of, reading_forum
from employdash.models.forum import MetricValue


class MetricProgress(MetricRow):
    """A success metric with its latest value and how far it has come from baseline to target."""

    latest: float | None
    latest_period: date | None
    progress: float | None


def progress(baseline: float, target: float, latest: float | None) -> float | None:
    if latest is None:
        return None
    span = target - baseline
    if span == 0:
        return 1.0 if latest == target else 0.0
    return min(1.0, max(0.0, (latest - baseline) / span))


def latest(s: Session, locality_code: int, indicator_code: str) -> tuple[date, float] | None:
    from employdash.indicators.values import latest_value

    return latest_value(s, locality_code, indicator_code)


def latest_manual(s: Session, metric_id: int) -> tuple[date, float] | None:
    """The newest value the manager entered for a manual metric."""
    row = s.execute(
        select(MetricValue.period, MetricValue.value)
        .where(MetricValue.metric_id == metric_id)
        .order_by(MetricValue.period.desc())
        .limit(1)
    ).first()
    return (row.period, row.value) if row else None


def metrics_with_progress(s: Session, locality_code: int, forum_id: int) -> list[MetricProgress]:
    """Every success metric of the forum with its latest value and computed progress."""
    out: list[MetricProgress] = []
    for metric in metrics_of(s, forum_id):
        found = (
            latest(s, locality_code, metric["indicator_code"])
            if metric["indicator_code"]
            else latest_manual(s, metric["id"])
        )
        value = found[1] if found else None
        out.append(
            MetricProgress(
                **metric,
                latest=value,
                latest_period=found[0] if found else None,
                progress=progress(metric["baseline"], metric["target"], value),
            )
        )
    return out


def focus_progress(metrics: Iterable[MetricProgress]) -> list[tuple[str, float | None]]:
    """One figure per focus: the mean progress of its metrics that have a value."""
    by_focus: dict[str, list[float]] = {}
    for m in metrics:
        bucket = by_focus.setdefault(m["focus_title"], [])
        if m["progress"] is not None:
            bucket.append(m["progress"])
    return [(title, sum(v) / len(v) if v else None) for title, v in by_focus.items()]


def metric_progress(db: Database, actor: Actor, locality_code: int) -> list[MetricProgress]:
    with reading_forum(db, actor, locality_code) as (s, forum):
        return metrics_with_progress(s, locality_code, forum.id) if forum else []


def targets_for(db: Database, actor: Actor, locality_code: int) -> list[dict[str, Any]]:
    """For the indicator explorer's "value against targets" (see CONTRACTS.md): plain dicts, as
    the explorer adds each one's latest value to it."""
    with reading_forum(db, actor, locality_code) as (s, forum):
        if forum is None:
            return []
        # Catalogue indicators only: a manual metric has no series in the explorer.
        return [
            {
                "indicator_code": m["indicator_code"],
                "baseline": m["baseline"],
                "target": m["target"],
                "target_date": m["target_date"],
                "focus_title": m["focus_title"],
            }
            for m in metrics_of(s, forum.id)
            if m["indicator_code"]
        ]
