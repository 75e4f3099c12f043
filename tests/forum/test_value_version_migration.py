"""Migration 0013 (versions of a manual metric's values and of the certification standards) goes
down and up again on a seeded database, on both engines: the values and standards stored before
are kept both ways, and start again at version 1."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import command

from employdash.access import Actor
from employdash.db import Database, alembic_config, check_schema
from employdash.forum import focuses
from employdash.forum import structure as forum_service
from employdash.mentoring import certification
from tests.forum.helpers import SEDEROT

VERSIONS = "0013_value_standard_version"
BEFORE = "0012_mentoring_stage_names"  # the revision it follows


def _migrate(db: Database, action: str, revision: str) -> None:
    db.dispose()
    getattr(command, action)(alembic_config(db.url), revision)


def _rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql))]


def _columns(db: Database, table: str) -> set[str]:
    db.dispose()
    return {c["name"] for c in sa.inspect(db.engine).get_columns(table)}


def test_0013_goes_down_and_up_keeping_values_and_standards(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager, admin = actors["manager"], actors["admin"]
    fid = forum_service.create_focus(db, manager, SEDEROT, "Migrated focus")
    mid = focuses.add_manual_metric(
        db, manager, SEDEROT, fid, "Kept", "#", "up", 1.0, date(2026, 1, 1), 9.0, date(2027, 1, 1)
    )
    version = focuses.enter_value(db, manager, SEDEROT, mid, date(2026, 3, 1), 2.0, None)
    focuses.enter_value(db, manager, SEDEROT, mid, date(2026, 3, 1), 3.0, version)
    certification.save_standard(db, admin, "migrated_std", "Before", version=None)
    certification.save_standard(db, admin, "migrated_std", "After", version=1)
    value_sql = f"SELECT value FROM metric_value WHERE metric_id = {mid}"
    standard_sql = "SELECT name FROM ment_standard WHERE code = 'migrated_std'"

    _migrate(db, "downgrade", BEFORE)
    assert "version" not in _columns(db, "metric_value")
    assert "version" not in _columns(db, "ment_standard")
    assert _rows(db, value_sql) == [(3.0,)]
    assert _rows(db, standard_sql) == [("After",)]

    _migrate(db, "upgrade", "head")  # through this migration and every later one
    assert _rows(db, f"SELECT value, version FROM metric_value WHERE metric_id = {mid}") == [
        (3.0, 1)
    ]
    assert _rows(db, "SELECT name, version FROM ment_standard WHERE code = 'migrated_std'") == [
        ("After", 1)
    ]
    db.dispose()
    check_schema(db)
    # Saved over the version the migration gave them.
    assert focuses.enter_value(db, manager, SEDEROT, mid, date(2026, 3, 1), 4.0, 1) == 2
    certification.save_standard(db, admin, "migrated_std", "Again", version=1)
