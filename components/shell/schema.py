"""The database schema check of every run: at the code's migration head, or (demo mode) migrated
and seeded on the spot.

Its cached functions live here, not in app.py: app.py is the script Streamlit runs on every
run, so a cache decorator there was applied again on every run, and each application reads the
function's source to key its cache (2% of a page's run in the profile).
"""

from __future__ import annotations

import streamlit as st

from employdash.config import Config, get_config
from employdash.db import Database, check_schema, get_database
from employdash.errors import SchemaOutdated

SCHEMA_RECHECK_SECONDS = 30


@st.cache_resource(show_spinner=False)
def _demo_prepared(url: str) -> str:
    """Demo mode migrates and seeds its own SQLite file, once per process.

    `make run` used to start a separate Python process for this before Streamlit: a second
    interpreter start and the same imports again on every start, even with nothing to do.
    """
    from employdash.bootstrap import prepare

    return prepare(get_database(url), get_config())


@st.cache_resource(ttl=SCHEMA_RECHECK_SECONDS, max_entries=4, show_spinner=False)
def _schema_current(url: str) -> bool:
    """The database is at the code's migration head, checked once per SCHEMA_RECHECK_SECONDS per
    process (a database upgraded under a running replica is noticed within that time) instead of
    an Alembic query on every run. A failed check raises, and is not cached."""
    check_schema(get_database(url))
    return True


def ensure_schema(db: Database, config: Config) -> None:
    """Refuse an outdated schema in production (`make migrate` is a deliberate step); prepare
    the demo database instead."""
    try:
        _schema_current(db.url)
    except SchemaOutdated:
        if not config.DEMO_MODE:
            raise
        with st.spinner():
            _demo_prepared(config.DATABASE_URL)
