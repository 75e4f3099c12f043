"""Status against target: is each success metric on track, at risk, off track, or without data?

A metric is planned to move along a straight line from its baseline (on its baseline date) to
its target (on its target date). Its latest value is set against that line on the date the value
describes (a month published late is judged for its own month, not for today), and how far it
lags behind is measured as a share of the whole way from baseline to target:

- on track: at the line or ahead of it (a value beyond the target counts as ahead);
- at risk: behind the line by no more than the forum's tolerance (`Forum.target_tolerance`,
  e.g. 0.1 = a tenth of the way);
- off track: behind by more than the tolerance;
- no data: no value yet.

Ahead and behind follow the target: the target above the baseline means higher is better, below
it lower is better (the metric rules keep that the indicator's own direction). Before the
baseline date the line is at the baseline; after the target date, at the target. A metric with no
baseline date (an older one) has no line to follow: until its target date it is judged against
its baseline, from then on against its target.

`status_of` is the rule, pure; `statuses_of` applies it to a forum's metrics in a session the
caller has scoped; `metric_statuses` is the scoped read for a locality (the forum page, the work
plan, the briefing and other summaries call it); `focus_statuses` gives one status per focus,
its worst metric's; `status_counts` counts the statuses of every forum in a scope at once (the
programme's portfolio).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, get_args

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from employdash.access import Actor, ReadScope
from employdash.db import Database
from employdash.forum.structure import reading_forum
from employdash.forum.targets import MetricProgress, metrics_with_progress
from employdash.models.forum import Forum, MetricValue, StrategicFocus, SuccessMetric
from employdash.models.indicators import IndicatorValue

Status = Literal["on_track", "at_risk", "off_track", "no_data"]
# Best first: a focus takes its worst metric's status ("no data" is not worse than any finding).
STATUSES: tuple[Status, ...] = get_args(Status)
SEVERITY: dict[Status, int] = {"no_data": 0, "on_track": 1, "at_risk": 2, "off_track": 3}
# The tolerance a forum may set: none (any lag is off track) up to half the way.
TOLERANCE_RANGE = (0.0, 0.5)
# Floating-point slack, so a value exactly at the tolerance is at risk on every engine.
_EPSILON = 1e-9


class MetricStatus(MetricProgress):
    """A metric with its latest value, progress, where its line stands on the value's date
    (`expected`, None without a value) and its `status`."""

    expected: float | None
    status: Status


def _elapsed(baseline_date: date | None, target_date: date, on: date) -> float:
    """The share of the time from baseline date to target date gone by on `on`, 0..1."""
    if on >= target_date:
        return 1.0
    if baseline_date is None or on <= baseline_date:
        return 0.0
    return (on - baseline_date).days / (target_date - baseline_date).days


def expected_value(
    baseline: float, baseline_date: date | None, target: float, target_date: date, on: date
) -> float:
    """Where the straight line from baseline to target stands on `on`."""
    return baseline + (target - baseline) * _elapsed(baseline_date, target_date, on)


def shortfall(
    baseline: float,
    baseline_date: date | None,
    target: float,
    target_date: date,
    value: float,
    on: date,
) -> float:
    """How far `value` (describing `on`) lags behind the line, as a share of the way from baseline
    to target: 0.25 is a quarter of the way behind, a negative share is ahead."""
    span = target - baseline
    if span == 0:  # no way to go: at the target or not
        return 0.0 if value == target else 1.0
    expected = expected_value(baseline, baseline_date, target, target_date, on)
    return (expected - value) / span


def status_of(
    baseline: float,
    baseline_date: date | None,
    target: float,
    target_date: date,
    latest: float | None,
    latest_on: date | None,
    tolerance: float,
) -> Status:
    """A metric's status from its line, its latest value (describing `latest_on`) and the
    forum's tolerance (a share of the way, see the module's docstring)."""
    if latest is None or latest_on is None:
        return "no_data"
    lag = shortfall(baseline, baseline_date, target, target_date, latest, latest_on)
    if lag <= _EPSILON:
        return "on_track"
    if lag <= tolerance + _EPSILON:
        return "at_risk"
    return "off_track"


def _with_status(m: MetricProgress, tolerance: float) -> MetricStatus:
    on, value = m["latest_period"], m["latest"]
    expected = (
        expected_value(m["baseline"], m["baseline_date"], m["target"], m["target_date"], on)
        if on is not None and value is not None
        else None
    )
    status = status_of(
        m["baseline"], m["baseline_date"], m["target"], m["target_date"], value, on, tolerance
    )
    return MetricStatus(**m, expected=expected, status=status)


def statuses_of(s: Session, forum: Forum) -> list[MetricStatus]:
    """Every current metric of `forum` with its status, in a session whose read the caller has
    scoped to the forum's locality."""
    return [
        _with_status(m, forum.target_tolerance)
        for m in metrics_with_progress(s, forum.locality_code, forum.id)
    ]


def metric_statuses(db: Database, actor: Actor, locality_code: int) -> list[MetricStatus]:
    """The statuses of a locality's current metrics, in the plan's order (empty when it has no
    forum); `PermissionDenied` outside the actor's scope."""
    with reading_forum(db, actor, locality_code) as (s, forum):
        return statuses_of(s, forum) if forum else []


def worst(statuses: Iterable[Status]) -> Status:
    """The worst of some statuses ("no data" when there are none)."""
    return max(statuses, key=SEVERITY.__getitem__, default="no_data")


def focus_statuses(metrics: Iterable[MetricStatus]) -> dict[int, Status]:
    """Per focus ID, the worst status of its metrics."""
    by_focus: dict[int, list[Status]] = {}
    for m in metrics:
        by_focus.setdefault(m["focus_id"], []).append(m["status"])
    return {focus_id: worst(found) for focus_id, found in by_focus.items()}


@dataclass(frozen=True)
class StatusCounts:
    """How many of a forum's current metrics are in each status."""

    on_track: int = 0
    at_risk: int = 0
    off_track: int = 0
    no_data: int = 0

    @property
    def total(self) -> int:
        return self.on_track + self.at_risk + self.off_track + self.no_data


def status_counts(s: Session, scope: ReadScope) -> dict[int, StatusCounts]:
    """Per locality in `scope` whose forum has current metrics, the count of each status, by
    the same rule as `statuses_of`, in three queries whatever the number of forums: the metrics,
    the newest usable value of each (locality, indicator), the newest value of each manual
    metric."""
    metrics = s.execute(
        select(
            SuccessMetric.id,
            SuccessMetric.indicator_code,
            SuccessMetric.baseline,
            SuccessMetric.baseline_date,
            SuccessMetric.target,
            SuccessMetric.target_date,
            Forum.locality_code,
            Forum.target_tolerance,
        )
        .join(StrategicFocus, StrategicFocus.id == SuccessMetric.focus_id)
        .join(Forum, Forum.id == StrategicFocus.forum_id)
        .where(
            scope.of(Forum.locality_code),
            StrategicFocus.retired.is_(False),
            SuccessMetric.retired.is_(False),
        )
    ).all()
    codes = sorted({m.indicator_code for m in metrics if m.indicator_code})
    published = _newest(
        s,
        select(IndicatorValue.period, IndicatorValue.value)
        .add_columns(IndicatorValue.locality_code, IndicatorValue.indicator_code)
        .where(
            scope.of(IndicatorValue.locality_code),
            IndicatorValue.indicator_code.in_(codes),
            IndicatorValue.value.is_not(None),
            IndicatorValue.status != "suppressed",
        ),
        IndicatorValue.period,
        IndicatorValue.locality_code,
        IndicatorValue.indicator_code,
    )
    entered = _newest(
        s,
        select(MetricValue.period, MetricValue.value, MetricValue.metric_id).where(
            MetricValue.metric_id.in_([m.id for m in metrics if not m.indicator_code])
        ),
        MetricValue.period,
        MetricValue.metric_id,
    )
    found: dict[int, dict[Status, int]] = {}
    for m in metrics:
        newest = (
            published.get((m.locality_code, m.indicator_code))
            if m.indicator_code
            else entered.get((m.id,))
        )
        value, on = (newest[1], newest[0]) if newest else (None, None)
        status = status_of(
            m.baseline, m.baseline_date, m.target, m.target_date, value, on, m.target_tolerance
        )
        counts = found.setdefault(m.locality_code, {})
        counts[status] = counts.get(status, 0) + 1
    return {code: StatusCounts(**counts) for code, counts in found.items()}


def _newest(
    s: Session, query: Any, period: Any, *partition: Any
) -> dict[tuple[Any, ...], tuple[date, float]]:
    """{partition key: (period, value)} of the newest row per partition of `query`, whose first
    two columns are the period and the value and whose others are the partition."""
    rank = func.row_number().over(partition_by=partition, order_by=period.desc()).label("rank")
    ranked = query.add_columns(rank).subquery()
    rows = s.execute(select(ranked).where(ranked.c.rank == 1)).all()
    return {tuple(row[2:-1]): (row[0], float(row[1])) for row in rows}
