"""PostgreSQL stopped mid-session: every page shows a clear message (no trace), an interrupted save
leaves nothing behind, and the app recovers by itself when the server is back.

The test runs its own throwaway server, so stopping it disturbs no other test.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, update
from streamlit.testing.v1 import AppTest

from employdash import localities, users
from employdash.bootstrap import upgrade
from employdash.db import Database
from employdash.errors import DatabaseUnavailable
from employdash.models import AuditEntry
from tests.support.apptest import APP, app_as, reset_caches, texts
from tests.support.postgres import OwnServer, create_database, own_server

pytestmark = pytest.mark.pg

OUTAGE_HE = "אין חיבור למסד הנתונים"
OUTAGE_EN = "The database cannot be reached"


@pytest.fixture
def outage_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[OwnServer, Database]]:
    with own_server() as server:
        url = create_database(server.url, "outage")
        db = Database(url)
        upgrade(db)  # the README's `migrate`
        localities.enable(db, localities.COMMAND_LINE, [1031])
        users.bootstrap_admin(db, "chief", "a-long-production-password")
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("DEMO_MODE", "false")
        monkeypatch.setenv("COOKIE_KEY", secrets.token_urlsafe(32))
        reset_caches()
        yield server, db
        reset_caches()
        db.dispose()


def _signed_in(version: int | None, lang: str = "he") -> AppTest:
    """A signed-in session (as the login leaves it) running app.py."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in {
        "lang": lang,
        "authentication_status": True,
        "username": "chief",
        "name": "chief",
        "_lang_user": "chief",
        "_session_version": version,
    }.items():
        at.session_state[key] = value
    return at.run()


PAGES = ["pages/audit.py", "pages/admin_users.py", "pages/briefing.py", "pages/forum.py"]


def test_pages_show_a_message_during_an_outage_and_recover(
    outage_server: tuple[OwnServer, Database],
) -> None:
    server, db = outage_server
    version = users.session_version(db, "chief")
    at = app_as("chief", lang="he")
    assert not at.exception and at.session_state["authentication_status"] is True
    at.switch_page("pages/audit.py").run()
    assert not at.exception and OUTAGE_HE not in texts(at)

    server.stop()
    # The open session's next click: AppTest re-runs only the page script on a page switch, so
    # this proves the pages themselves never let an outage escape as a trace ...
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
        assert "Traceback" not in texts(at) and "psycopg" not in texts(at)
    # ... and a full run (what every browser rerun is: app.py before any page) shows the message
    # in the user's language, with no navigation and no login form over the dead database.
    for lang, message in (("he", OUTAGE_HE), ("en", OUTAGE_EN)):
        fresh = _signed_in(version, lang=lang)
        assert not fresh.exception
        assert any(message in e.value for e in fresh.error), texts(fresh)[:300]
        assert "Traceback" not in texts(fresh) and "psycopg" not in texts(fresh)
        assert len(fresh.text_input) == 0

    server.start()
    for page in PAGES:  # the same session, the same process: no restart needed
        at.switch_page(page).run()
        assert not at.exception, page
        assert OUTAGE_HE not in texts(at), page
    back = _signed_in(version)  # and a full run: app.py, its schema check and the login
    assert not back.exception and not back.error
    assert back.session_state["authentication_status"] is True
    assert users.load_actor(db, "chief") is not None


def test_a_save_interrupted_by_the_outage_leaves_nothing_half_written(
    outage_server: tuple[OwnServer, Database],
) -> None:
    server, db = outage_server
    with pytest.raises(DatabaseUnavailable), db.transaction() as s:
        s.add(AuditEntry(username="chief", action="half", entity="first"))
        s.flush()  # the first half is on the server, not committed
        server.stop()
        s.add(AuditEntry(username="chief", action="half", entity="second"))
    server.start()
    with db.transaction() as s:  # the pool drops the dead connection and reconnects by itself
        assert s.scalar(select(func.count()).where(AuditEntry.action == "half")) == 0


def test_a_single_statement_in_an_outage_is_the_same_clear_error(
    outage_server: tuple[OwnServer, Database],
) -> None:
    """`Database.execute` (the sender records each message's outcome with it) names the outage
    like a transaction does, so `notify` reports it instead of a driver error."""
    server, db = outage_server
    server.stop()
    try:
        with pytest.raises(DatabaseUnavailable):
            db.execute(update(AuditEntry).where(AuditEntry.id == -1).values(action="x"))
    finally:
        server.start()
    db.execute(update(AuditEntry).where(AuditEntry.id == -1).values(action="x"))
