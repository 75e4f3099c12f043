"""Migration 0012 (English names of pipelines and stages defined in the UI), up and down on
both databases: the names given before it are kept both ways."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from employdash.db import Database, alembic_config
from tests.support.postgres import create_database, drop_database

NAMES = "0012_mentoring_stage_names"
BEFORE = "0010_session_version"  # the revision it follows (re-chained at merge)
_names = itertools.count()


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'migrate.db'}")
        yield db
        db.dispose()
        return
    server = request.getfixturevalue("pg_server")
    name = f"employdash_stage_names_{next(_names)}"
    db = Database(create_database(server, name))
    yield db
    db.dispose()
    drop_database(server, name)


def _migrate(db: Database, action: str, revision: str) -> None:
    """As `make migrate` runs them: on SQLite with foreign keys off during the table rebuilds
    (ment_stage points at ment_pipeline) and checked after."""
    db.engine.dispose()
    getattr(command, action)(alembic_config(db.url), revision)


def _labels(db: Database, table: str, columns: str) -> list[tuple[object, ...]]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(f"SELECT {columns} FROM {table}"))]


def test_stage_names_migration_up_and_down_keeps_the_names(empty_db: Database) -> None:
    db = empty_db
    _migrate(db, "upgrade", BEFORE)
    with db.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO ment_pipeline (code, role, name_key, label) "
                "VALUES ('club', 'mentee', 'ment.pipeline.club', 'מועדון תעסוקה')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO ment_stage (pipeline_code, position, code, name_key, label) "
                "VALUES ('club', 1, 'joined', 'ment.stage.club.joined', 'הצטרפו')"
            )
        )
    _migrate(db, "upgrade", NAMES)
    assert _labels(db, "ment_pipeline WHERE code = 'club'", "label, label_en") == [
        ("מועדון תעסוקה", None)
    ]
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE ment_stage SET label_en = 'Joined' WHERE code = 'joined'"))
    assert _labels(db, "ment_stage WHERE pipeline_code = 'club'", "label, label_en") == [
        ("הצטרפו", "Joined")
    ]
    _migrate(db, "downgrade", BEFORE)
    assert _labels(db, "ment_stage WHERE pipeline_code = 'club'", "label") == [("הצטרפו",)]
    assert _labels(db, "ment_pipeline WHERE code = 'club'", "label") == [("מועדון תעסוקה",)]
    _migrate(db, "upgrade", "head")
    assert _labels(db, "ment_stage WHERE pipeline_code = 'club'", "label, label_en") == [
        ("הצטרפו", None)
    ]
