"""One set of rules for every metric, catalogue or manual, on create and on edit: the target lies
the way the indicator gets better, the target date comes after the baseline date, the values are
in range for the unit. And a database that was only migrated has the indicator catalogue, so a
manager can define a catalogue metric before any import."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from employdash.access import Actor
from employdash.db import Database, migrate
from employdash.errors import ValidationError
from employdash.forum import focuses, setup
from employdash.forum import structure as forum_service
from employdash.forum.targets import metric_progress
from employdash.models import Locality
from employdash.models.forum import SuccessMetric
from tests.forum.helpers import SEDEROT
from tests.support.postgres import create_database, drop_database

pytestmark = pytest.mark.rolled_back

BASE = date(2026, 1, 1)
LATER = date(2027, 12, 31)


def _refused(call: Callable[[], Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.fields


def test_a_catalogue_metric_keeps_the_rules_on_create(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    focus = forum_service.create_focus(db, manager, SEDEROT, "Rules")

    def add(code: str, baseline: float, target: float, on: date = LATER) -> int:
        return forum_service.add_metric(
            db, manager, SEDEROT, focus, code, baseline, target, on, BASE
        )

    # Unemployment is better lower, jobs higher: a target the other way is refused.
    assert _refused(lambda: add("unemployment_rate", 0.08, 0.09)) == {
        "target": "forum.targets.rule.down"
    }
    assert _refused(lambda: add("jobs", 500, 400)) == {"target": "forum.targets.rule.up"}
    assert _refused(lambda: add("jobs", 500, 500)) == {"target": "forum.targets.rule.up"}
    assert _refused(lambda: add("jobs", 500, 600, BASE)) == {
        "target_date": "forum.targets.rule.after_baseline"
    }
    # A rate is a fraction (0..1), a count is not negative.
    assert _refused(lambda: add("unemployment_rate", 8.0, 6.0)) == {
        "baseline": "forum.targets.rule.out_of_range",
        "target": "forum.targets.rule.out_of_range",
    }
    assert _refused(lambda: add("jobs", -5, 10)) == {"baseline": "forum.targets.rule.out_of_range"}
    assert add("unemployment_rate", 0.08, 0.06) > 0


def test_a_manual_metric_keeps_the_same_rules(db: Database, actors: dict[str, Actor]) -> None:
    manager = actors["manager"]
    focus = forum_service.create_focus(db, manager, SEDEROT, "Rules")

    def add(direction: str, baseline: float, target: float, on: date = LATER) -> int:
        return focuses.add_manual_metric(
            db, manager, SEDEROT, focus, f"Share {direction}", "%", direction, baseline, BASE,
            target, on,
        )  # fmt: skip

    assert _refused(lambda: add("up", 50, 40)) == {"target": "forum.targets.rule.up"}
    assert _refused(lambda: add("down", 50, 60)) == {"target": "forum.targets.rule.down"}
    assert _refused(lambda: add("up", 50, 60, date(2025, 6, 1))) == {
        "target_date": "forum.targets.rule.after_baseline"
    }
    assert _refused(lambda: add("up", 50, 120)) == {"target": "forum.targets.rule.out_of_range"}
    metric = add("up", 50, 60)
    month = date.today().replace(day=1)
    assert _refused(
        lambda: focuses.enter_value(db, manager, SEDEROT, metric, month, 101, None)
    ) == {"value": "forum.targets.rule.out_of_range"}


def _catalogue_metric(db: Database, manager: Actor) -> int:
    focus = forum_service.create_focus(db, manager, SEDEROT, "Edited")
    return forum_service.add_metric(
        db, manager, SEDEROT, focus, "unemployment_rate", 0.08, 0.06, LATER, BASE
    )


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ({"target": 0.09}, {"target": "forum.targets.rule.down"}),
        ({"baseline": 0.05}, {"target": "forum.targets.rule.down"}),
        ({"target_date": date(2025, 12, 1)}, {"target_date": "forum.targets.rule.after_baseline"}),
        ({"baseline_date": date(2028, 1, 1)}, {"target_date": "forum.targets.rule.after_baseline"}),
        ({"target": 1.5}, {"target": "forum.targets.rule.out_of_range"}),
    ],
)
def test_an_edit_is_refused_what_a_new_metric_is(
    db: Database, actors: dict[str, Actor], change: dict[str, Any], refusal: dict[str, str]
) -> None:
    manager = actors["manager"]
    metric = _catalogue_metric(db, manager)
    assert _refused(lambda: focuses.update_metric(db, manager, SEDEROT, metric, 1, change)) == (
        refusal
    )
    with db.transaction() as s:  # nothing saved
        row = s.get_one(SuccessMetric, metric)
        assert (row.baseline, row.target, row.version) == (0.08, 0.06, 1)


def test_an_edit_of_a_manual_metric_keeps_its_direction(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    focus = forum_service.create_focus(db, manager, SEDEROT, "Edited")
    metric = focuses.add_manual_metric(
        db, manager, SEDEROT, focus, "Dropouts", "#", "down", 40, BASE, 20, LATER
    )
    assert _refused(
        lambda: focuses.update_metric(db, manager, SEDEROT, metric, 1, {"target": 50})
    ) == {"target": "forum.targets.rule.down"}
    version = focuses.update_metric(db, manager, SEDEROT, metric, 1, {"target": 10})
    # Retiring is never refused by the figures it carries.
    focuses.update_metric(db, manager, SEDEROT, metric, version, {"target": 90, "retired": True})


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def migrated_only(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A new installation: the migrations run, nothing imported, no demo data."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
        migrate(db)
        yield db
        db.dispose()
        return
    server = request.getfixturevalue("pg_server")
    db = Database(create_database(server, "employdash_fresh_catalogue"))
    migrate(db)
    yield db
    db.dispose()
    drop_database(server, "employdash_fresh_catalogue")


def test_a_new_installation_can_define_a_catalogue_metric(migrated_only: Database) -> None:
    db = migrated_only
    with db.transaction() as s:  # the locality an admin enables (the CBS list is loaded apart)
        s.add(Locality(code=SEDEROT, name_he="שדרות", name_en="Sederot", is_program=True))
    admin = Actor(1, "admin", "Admin", "admin", None)
    manager = Actor(2, "manager", "Manager", "manager", frozenset({SEDEROT}))
    setup.create_forum(db, admin, SEDEROT, "Forum", date.today())
    focus = forum_service.create_focus(db, manager, SEDEROT, "Unemployment")
    codes = {c["code"] for c in forum_service.indicator_choices(db, manager, SEDEROT)}
    assert {"unemployment_rate", "jobs", "job_seekers"} <= codes
    metric = forum_service.add_metric(
        db, manager, SEDEROT, focus, "unemployment_rate", 0.08, 0.06, LATER
    )
    assert [m["id"] for m in metric_progress(db, manager, SEDEROT)] == [metric]
    with db.transaction() as s:
        assert s.scalar(select(SuccessMetric.indicator_code)) == "unemployment_rate"
