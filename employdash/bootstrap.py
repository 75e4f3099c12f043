"""First-run preparation for `make run`'s demo start: migrate and load the reference data when
needed, then load the demo data into an empty database.

`make run` calls this before every start, so on a database that is already up to date it must be
quick: it then costs one revision read and three counts, and imports neither Alembic's migration
machinery nor the seed modules (pandas and the demo data builders) it does not need.
Production installs run `python -m employdash migrate` instead (see `upgrade`).
"""

from __future__ import annotations

from sqlalchemy import func, select

from employdash import reference
from employdash.config import Config, check_production_safety
from employdash.db import Database, check_schema, migrate
from employdash.errors import SchemaOutdated
from employdash.models import User
from employdash.users import demo_credentials_in_use


def _has_users(db: Database) -> bool:
    with db.transaction() as s:
        return bool(s.scalar(select(func.count()).select_from(User)))


def upgrade(db: Database) -> str:
    """The schema at the newest revision and the reference data loaded and refreshed: what
    `migrate` does, at any time, also on a database in use (idempotent)."""
    migrate(db)
    return f"schema up to date; {reference.load(db).summary()}"


def prepare(db: Database, config: Config) -> str:
    """Return what was done, for the command line to print."""
    done = []
    try:
        check_schema(db)
        if reference.is_missing(db):
            done.append(reference.load(db).summary())
    except SchemaOutdated:
        done.append(upgrade(db))
    if _has_users(db):
        done.append("database up to date")
    elif config.DEMO_MODE:
        from employdash.seed import seed_demo

        seed_demo(db)
        done.append("demo data loaded")
    else:
        done.append("create the first admin with `python -m employdash create-admin`")
    check_production_safety(config, demo_credentials_in_use(db) if not config.DEMO_MODE else False)
    return "; ".join(done)
