"""Migration 0018 (the trash and documents) goes down and up again on a seeded database, on both
engines: the forum's records stay, the two tables go and come back empty, and the schema matches
the models again."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from employdash.access import Actor
from employdash.db import Database, alembic_config, check_schema
from employdash.forum import documents, tasks
from tests.forum.helpers import SEDEROT

BEFORE = "0017_chain_stages"  # the revision it follows
PDF = b"%PDF-1.7\n%%EOF\n"


def _migrate(db: Database, action: str, revision: str) -> None:
    db.dispose()
    getattr(command, action)(alembic_config(db.url), revision)


def _tables(db: Database) -> set[str]:
    db.dispose()
    return set(sa.inspect(db.engine).get_table_names())


def test_0018_goes_down_and_up_keeping_the_forum(db: Database, actors: dict[str, Actor]) -> None:
    manager = actors["manager"]
    kept = tasks.create_task(db, manager, SEDEROT, {"title": "Kept"})
    gone = tasks.create_task(db, manager, SEDEROT, {"title": "Gone"})
    documents.upload_document(db, manager, SEDEROT, "task", kept, "plan.pdf", PDF)
    tasks.delete_task(db, manager, gone, 1, "typo")

    _migrate(db, "downgrade", BEFORE)
    assert {"trash_item", "document"}.isdisjoint(_tables(db))
    with db.engine.connect() as conn:
        assert conn.execute(sa.text(f"SELECT title FROM task WHERE id = {kept}")).scalar() == "Kept"

    _migrate(db, "upgrade", "head")
    assert {"trash_item", "document"} <= _tables(db)
    db.dispose()
    check_schema(db)
    assert documents.list_documents(db, manager, SEDEROT, "task", kept) == []
