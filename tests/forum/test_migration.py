"""The forum set-up migration goes down and up again on a seeded database, on both engines."""

from __future__ import annotations

from alembic import command

from employdash.db import Database, alembic_config, check_schema


def test_0006_goes_down_and_up_with_data(db: Database) -> None:
    cfg = alembic_config(db.url)
    db.dispose()
    command.downgrade(cfg, "0005")
    command.upgrade(cfg, "head")
    db.dispose()
    check_schema(db)
