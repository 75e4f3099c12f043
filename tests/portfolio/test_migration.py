"""The programme's migration goes down and up again on a seeded database, on both engines: a
programme account survives the way down as a member who cannot log in, nothing is deleted, and
the way up takes the role and the notes again."""

from __future__ import annotations

from datetime import date

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import select

from employdash.access import Actor
from employdash.db import Database, alembic_config, check_schema
from employdash.models import User, UserLocality
from employdash.portfolio.notes import add_note, notes


def test_0019_goes_down_and_up_with_data(db: Database, actors: dict[str, Actor]) -> None:
    add_note(db, actors["programme"], 1031, date(2026, 11, 3), "Visited the forum")
    cfg = alembic_config(db.url)
    db.dispose()
    ours = ScriptDirectory.from_config(cfg).get_revision("0019_programme")
    assert ours is not None and isinstance(ours.down_revision, str)
    command.downgrade(cfg, ours.down_revision)  # the revision before ours
    with db.transaction() as s:
        kept = s.scalars(select(User).where(User.username == "programme")).one()
        assert (kept.role, kept.active) == ("member", False)
        assert s.scalar(select(UserLocality.user_id).limit(1)) is not None
    command.upgrade(cfg, "head")
    db.dispose()
    check_schema(db)
    assert notes(db, actors["admin"], 1031) == []  # the table came back empty
