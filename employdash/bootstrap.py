"""First-run preparation: migrate, then load demo or reference data when the database is empty."""

from __future__ import annotations

from employdash.config import Config, check_production_safety
from employdash.db import Database, migrate
from employdash.seed import is_seeded, seed_demo, seed_reference
from employdash.users import demo_credentials_in_use


def prepare(db: Database, config: Config) -> str:
    """Return what was done, for the command line to print."""
    migrate(db)
    if is_seeded(db):
        done = "database up to date"
    elif config.DEMO_MODE:
        seed_demo(db)
        done = "demo data loaded"
    else:
        seed_reference(db)
        done = (
            "locality catalogue loaded; "
            "create the first admin with `python -m employdash create-admin`"
        )
    check_production_safety(config, demo_credentials_in_use(db) if not config.DEMO_MODE else False)
    return done
