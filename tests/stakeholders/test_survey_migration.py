"""Migration 0008 (the employer survey as annex 2 gives it) up and down on SQLite and PostgreSQL,
with answers stored under the old form: every old answer survives the upgrade in the new scales,
and the downgrade gives the old answers back."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from employdash.db import Database, alembic_config
from tests.support.postgres import create_database, drop_database

_names = itertools.count()
OLD = [  # id, remote_work, offers_training, training_needs, service_contact
    (1, "yes", True, '["מלגזה"]', "regular"),
    (2, "partial", False, "[]", "none"),
    (3, "no", True, "[]", "occasional"),
]


SURVEY = "0009_survey_annex2"
BEFORE = "0008_mentoring_current_state"  # the revision the survey migration follows


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'migrate.db'}")
        yield db
        db.dispose()
        return
    server = request.getfixturevalue("pg_server")
    name = f"employdash_migrate_{next(_names)}"
    db = Database(create_database(server, name))
    yield db
    db.dispose()
    drop_database(server, name)


def _migrate(db: Database, action: str, revision: str) -> None:
    cfg = alembic_config(db.url)
    with db.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        getattr(command, action)(cfg, revision)


def _rows(db: Database, columns: str) -> list[tuple[object, ...]]:
    with db.engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                sa.text(f"SELECT {columns} FROM employer_survey_response ORDER BY id")
            )
        ]


def test_survey_migration_up_and_down_keeps_every_answer(empty_db: Database) -> None:
    db = empty_db
    _migrate(db, "upgrade", BEFORE)
    is_pg = db.dialect == "postgresql"
    areas_sql, needs_sql = (
        ("CAST(:areas AS JSONB)", "CAST(:needs AS JSONB)") if is_pg else (":areas", ":needs")
    )
    with db.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO locality (code, name_he, name_en, is_program) "
                "VALUES (1031, 'שדרות', 'Sederot', true)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO organisation (id, name, sector, locality_code, created_at) "
                "VALUES (1, 'מפעל', 'employer', 1031, '2026-01-01 00:00:00')"
            )
        )
        for rid, remote, offers, needs, contact in OLD:
            conn.execute(
                sa.text(
                    "INSERT INTO employer_survey_response (id, locality_code, organisation_id, "
                    "survey_date, branch, recruitment_areas, hiring_horizon, remote_work, "
                    "offers_training, training_needs, service_contact, satisfaction, "
                    "community_interest, created_by, created_at) VALUES (:id, 1031, 1, "
                    f"'2026-0{rid}-01', 'industry', {areas_sql}, "
                    "'3_6', :remote, :offers, "
                    f"{needs_sql}, :contact, 4, false, "
                    "'admin', '2026-01-01 00:00:00')"
                ),
                dict(
                    id=rid,
                    areas="[1031]",
                    remote=remote,
                    offers=offers,
                    needs=needs,
                    contact=contact,
                ),
            )
            conn.execute(
                sa.text(
                    "INSERT INTO employer_survey_position (response_id, profession, "
                    "count) VALUES (:id, 'מחסנאי', 2)"
                ),
                dict(id=rid),
            )
    before = _rows(db, "id, remote_work, offers_training, service_contact, satisfaction")

    _migrate(db, "upgrade", SURVEY)
    assert _rows(
        db,
        "id, remote_work, training_offered, training_need, has_service_contact, service_contact, "
        "satisfaction, version",
    ) == [
        (1, "hybrid", "offered", "training", True, "regular", 4, 1),
        (2, "considering", "none", "none", False, "none", 4, 1),
        (3, "not_relevant", "offered", "none", True, "occasional", 4, 1),
    ]
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM employer_survey_position")).scalar() == 3
    with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:  # the new scales hold
        conn.execute(sa.text("UPDATE employer_survey_response SET remote_work = 'yes'"))

    _migrate(db, "downgrade", BEFORE)
    assert _rows(db, "id, remote_work, offers_training, service_contact, satisfaction") == before
    _migrate(db, "upgrade", "head")
