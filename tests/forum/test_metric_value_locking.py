"""A manual metric's value per period is saved over the version the manager saw: a value saved
by someone else meanwhile, or a first value for the period entered by someone else, refuses the
save with theirs against yours, writes nothing and leaves no audit row."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import String, func, select

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import StaleVersion, ValidationError
from employdash.forum import focuses
from employdash.forum import structure as forum_service
from employdash.models import AuditEntry
from employdash.models.forum import MetricValue
from tests.forum.helpers import SEDEROT

MONTH = date(2026, 3, 1)


def _metric(db: Database, manager: Actor) -> int:
    fid = forum_service.create_focus(db, manager, SEDEROT, "Locked values")
    return focuses.add_manual_metric(
        db, manager, SEDEROT, fid, "Placed", "#", "up", 1.0, date(2026, 1, 1), 9.0, date(2027, 1, 1)
    )


def _stored(db: Database, mid: int) -> list[tuple[float, int, str]]:
    with db.transaction() as s:
        return [
            tuple(r)  # type: ignore[misc]
            for r in s.execute(
                select(MetricValue.value, MetricValue.version, MetricValue.entered_by).where(
                    MetricValue.metric_id == mid
                )
            )
        ]


def _audits(db: Database, mid: int) -> list[tuple[str, object, object]]:
    with db.transaction() as s:
        return [
            (r.action, r.before, r.after)
            for r in s.scalars(
                select(AuditEntry)
                .where(
                    AuditEntry.entity == "metric_value",
                    AuditEntry.entity_id.in_(
                        select(func.cast(MetricValue.id, String)).where(
                            MetricValue.metric_id == mid, MetricValue.period == MONTH
                        )
                    ),
                )
                .order_by(AuditEntry.id)
            )
        ]


def test_a_value_replaced_meanwhile_refuses_the_save_and_writes_nothing(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager, admin = actors["manager"], actors["admin"]
    mid = _metric(db, manager)
    first = focuses.enter_value(db, manager, SEDEROT, mid, MONTH, 3.0, None)
    assert first == 1
    seen = focuses.value_versions(db, manager, SEDEROT, [mid])
    assert seen == {mid: {MONTH: 1}}
    assert focuses.enter_value(db, admin, SEDEROT, mid, MONTH, 4.0, 1) == 2  # theirs
    with pytest.raises(StaleVersion) as refused:  # mine, over the version I saw
        focuses.enter_value(db, manager, SEDEROT, mid, MONTH, 5.0, seen[mid][MONTH])
    assert refused.value.changes == {"value": (4.0, 5.0)}
    assert refused.value.current_version == 2
    assert _stored(db, mid) == [(4.0, 2, "admin")]
    assert _audits(db, mid) == [
        ("create", None, {"period": MONTH.isoformat(), "value": 3.0}),
        ("update", {"value": 3.0, "entered_by": "manager"}, {"value": 4.0, "entered_by": "admin"}),
    ]
    # Seen again, the save goes through.
    assert focuses.enter_value(db, manager, SEDEROT, mid, MONTH, 5.0, 2) == 3
    assert _stored(db, mid) == [(5.0, 3, "manager")]


def test_a_first_value_entered_meanwhile_is_not_silently_replaced(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager, admin = actors["manager"], actors["admin"]
    mid = _metric(db, manager)
    assert focuses.value_versions(db, manager, SEDEROT, [mid]) == {mid: {}}
    focuses.enter_value(db, admin, SEDEROT, mid, MONTH, 7.0, None)
    with pytest.raises(StaleVersion) as refused:  # I saw no value for the month
        focuses.enter_value(db, manager, SEDEROT, mid, MONTH, 8.0, None)
    assert refused.value.changes == {"value": (7.0, 8.0)}
    assert _stored(db, mid) == [(7.0, 1, "admin")]
    with pytest.raises(ValidationError):  # nor a version for a month that has no value
        focuses.enter_value(db, manager, SEDEROT, mid, date(2026, 5, 1), 8.0, 1)
    with db.transaction() as s:
        count = s.scalar(
            select(func.count()).select_from(MetricValue).where(MetricValue.metric_id == mid)
        )
    assert count == 1
    assert [a[0] for a in _audits(db, mid)] == ["create"]


def test_the_unique_period_refuses_a_second_row_on_both_databases(
    db: Database, actors: dict[str, Actor]
) -> None:
    """The guard a concurrent first entry meets: one row per metric and period in the schema."""
    from sqlalchemy.exc import IntegrityError

    manager = actors["manager"]
    mid = _metric(db, manager)
    focuses.enter_value(db, manager, SEDEROT, mid, MONTH, 1.0, None)
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.add(MetricValue(metric_id=mid, period=MONTH, value=2.0, entered_by="x"))
        s.flush()
    assert _stored(db, mid) == [(1.0, 1, "manager")]
