"""First-run preparation: migrate, then load demo or reference data when the database is empty.

`make run` calls this before every start, so on a database that is already up to date it must be
quick: it then costs one revision read and one count, and imports neither Alembic's migration
machinery nor the seed modules (pandas and the demo data builders) it does not need.
"""

from __future__ import annotations

from sqlalchemy import func, select

from employdash.config import Config, check_production_safety
from employdash.db import Database, check_schema, migrate
from employdash.errors import SchemaOutdated
from employdash.models import User
from employdash.users import demo_credentials_in_use


def _has_users(db: Database) -> bool:
    with db.transaction() as s:
        return bool(s.scalar(select(func.count()).select_from(User)))


def prepare(db: Database, config: Config) -> str:
    """Return what was done, for the command line to print."""
    try:
        check_schema(db)
    except SchemaOutdated:
        migrate(db)
    if _has_users(db):
        done = "database up to date"
    elif config.DEMO_MODE:
        from employdash.seed import seed_demo

        seed_demo(db)
        done = "demo data loaded"
    else:
        from employdash.seed import seed_reference

        seed_reference(db)
        done = (
            "locality catalogue loaded; "
            "create the first admin with `python -m employdash create-admin`"
        )
    check_production_safety(config, demo_credentials_in_use(db) if not config.DEMO_MODE else False)
    return done
