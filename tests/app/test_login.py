"""Logging in through the real streamlit-authenticator form, failures, outages, the demo hint."""

from __future__ import annotations

import gc
import secrets
from collections.abc import Callable
from pathlib import Path

import bcrypt
import pytest
from sqlalchemy import event, select, update
from streamlit.testing.v1 import AppTest

from components.common import cache
from employdash import logins, users
from employdash.db import Database, get_database
from employdash.models import AuditEntry, User
from tests.support.apptest import APP, app_as, reset_caches, texts


def _submit(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click().run()
    return at


OWASP_PREFIX = "$argon2id$v=19$m=19456,t=2,p=1$"


def _actions(url: str, username: str) -> list[str]:
    db = Database(url)
    with db.transaction() as s:
        actions = list(
            s.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.entity_id == username)
                .order_by(AuditEntry.id)
            )
        )
    db.dispose()
    return actions


def _stored_hash(url: str, username: str) -> str:
    db = Database(url)
    with db.transaction() as s:
        hashed = s.scalar(select(User.password_hash).where(User.username == username))
    db.dispose()
    assert hashed is not None
    return hashed


def _set_bcrypt(url: str, username: str, password: str) -> str:
    """The user's hash as a database made before Argon2id has it."""
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(4)).decode("ascii")
    db = Database(url)
    with db.transaction() as s:
        s.execute(update(User).where(User.username == username).values(password_hash=hashed))
    db.dispose()
    return hashed


def test_real_form_login_lands_on_the_role_page_and_is_audited(app_db: str) -> None:
    at = _submit(AppTest.from_file(APP, default_timeout=60).run(), "mayor", "demo")
    assert at.session_state["authentication_status"] is True
    assert not at.exception
    assert "תדריך" in texts(at)
    # The seeded test hash (Argon2id at CHEAP parameters) is outdated: upgraded on this login.
    assert _actions(app_db, "mayor") == ["login", "rehash_password"]
    assert _stored_hash(app_db, "mayor").startswith(OWASP_PREFIX)


def test_a_login_draws_the_page_and_not_the_form(app_db: str) -> None:
    """After the submit: the navigation, the page and the logout button, no form, the cookie's
    frame drawn. (That the browser sees this as one script run, not two, is checked in the
    browser: tests/e2e/test_login_fast.py; AppTest follows an st.rerun() by itself.)"""
    at = _submit(AppTest.from_file(APP, default_timeout=60).run(), "manager", "demo")
    assert not at.exception
    assert at.session_state["authentication_status"] is True
    labels = [i.label for i in at.text_input]
    assert "סיסמה *" not in labels and "שם משתמש *" not in labels  # the form is gone
    assert not any(b.label == "כניסה" for b in at.button)
    assert "יציאה" in [b.label for b in at.sidebar.button]
    assert "_cookie_pending" not in at.session_state  # drawn in this run, not left for the next
    assert "לוח המשימות" in texts(at) or "פורום" in texts(at)


def test_a_bcrypt_hash_logs_in_through_the_form_and_is_replaced(app_db: str) -> None:
    old = _set_bcrypt(app_db, "manager", "demo")
    at = _submit(AppTest.from_file(APP, default_timeout=60).run(), "manager", "demo")
    assert at.session_state["authentication_status"] is True
    at.run()
    assert not at.exception
    new = _stored_hash(app_db, "manager")
    assert new != old and new.startswith(OWASP_PREFIX)
    assert users.check_password("demo", new)
    assert _actions(app_db, "manager") == ["login", "rehash_password"]
    # The next login checks the Argon2id hash and replaces nothing.
    again = _submit(AppTest.from_file(APP, default_timeout=60).run(), "manager", "demo")
    assert again.session_state["authentication_status"] is True
    assert _stored_hash(app_db, "manager") == new
    assert _actions(app_db, "manager") == ["login", "rehash_password", "login"]


@pytest.mark.parametrize("scheme", ["argon2id", "bcrypt"])
def test_wrong_password_is_refused_counted_and_explained(app_db: str, scheme: str) -> None:
    old = _set_bcrypt(app_db, "manager", "demo") if scheme == "bcrypt" else None
    at = _submit(AppTest.from_file(APP, default_timeout=60).run(), "manager", "wrong")
    assert at.session_state["authentication_status"] is False
    assert any("שגויים" in e.value for e in at.error)
    assert _actions(app_db, "manager") == ["login_failed"]
    if old is not None:
        assert _stored_hash(app_db, "manager") == old  # a refused login upgrades nothing


@pytest.mark.parametrize("scheme", ["argon2id", "bcrypt"])
def test_failures_through_the_form_lock_the_username(
    app_db: str, monkeypatch: pytest.MonkeyPatch, scheme: str
) -> None:
    """The library counts a failed attempt in its check (the one overridden here); login_gate
    records those counts in the database, which locks the username: then even the right
    password is refused."""
    monkeypatch.setenv("LOCKOUT_ATTEMPTS", "2")
    reset_caches()
    if scheme == "bcrypt":
        _set_bcrypt(app_db, "member", "demo")
    at = AppTest.from_file(APP, default_timeout=60).run()
    for _ in range(2):
        _submit(at, "member", "wrong")
        assert at.session_state["authentication_status"] is False
    assert _actions(app_db, "member") == ["login_failed", "login_failed", "login_locked"]
    db = Database(app_db)
    assert users.is_locked(db, "member")
    db.dispose()
    at = _submit(AppTest.from_file(APP, default_timeout=60).run(), "member", "demo")
    assert at.session_state["authentication_status"] is not True
    assert "rehash_password" not in _actions(app_db, "member")


def test_login_form_speaks_english_when_chosen(app_db: str) -> None:
    at = app_as(None, lang="en")
    assert [b.label for b in at.button] == ["Log in"]
    # Both fields are required: marked, and the mark explained (IS 5568 form rules).
    assert [i.label for i in at.text_input] == ["Username *", "Password *"]
    assert "Demo mode" in texts(at) and "Fields marked * are required" in texts(at)


def test_unreachable_database_is_a_message_not_a_trace(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/nowhere")
    monkeypatch.setenv("DEMO_MODE", "false")  # demo mode runs on SQLite only
    monkeypatch.setenv("COOKIE_KEY", secrets.token_urlsafe(32))
    reset_caches()
    try:
        at = AppTest.from_file(APP, default_timeout=60).run()
    finally:
        reset_caches()
    assert not at.exception
    assert any("אין חיבור למסד הנתונים" in e.value for e in at.error)
    assert len(at.text_input) == 0  # no login form over a dead database


def test_database_behind_the_code_asks_for_migrate(
    app_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEMO_MODE", "false")  # demo mode migrates its own file (make run)
    monkeypatch.setenv("COOKIE_KEY", secrets.token_urlsafe(32))
    reset_caches()
    db = Database(app_db)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    db.dispose()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("make migrate" in e.value for e in at.error)


def test_demo_mode_migrates_and_seeds_an_empty_database_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEMO_MODE", "true")
    reset_caches()
    try:
        at = AppTest.from_file(APP, default_timeout=300).run()
    finally:
        reset_caches()
    assert not at.exception and not at.error
    assert len(at.text_input) == 2  # the login form, over a migrated and seeded database
    db = Database(url)
    assert users.load_actor(db, "manager") is not None
    db.dispose()


def test_deactivated_user_session_ends(app_db: str) -> None:
    db = Database(app_db)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE app_user SET active = false WHERE username = 'member'")
    db.dispose()
    at = app_as("member")
    assert not at.exception
    assert at.session_state["authentication_status"] is not True
    assert len(at.text_input) == 2


def test_production_mode_refuses_demo_secrets(app_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_MODE", "false")
    reset_caches()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    shown = [e.value.replace("\\", "") for e in at.error]  # Markdown escapes, as rendered
    assert any("COOKIE_KEY" in text and "demo password" in text for text in shown)
    assert len(at.text_input) == 0


def test_chosen_locality_stays_chosen_across_pages(app_db: str) -> None:
    at = app_as("manager", locality=246)
    assert at.session_state["locality_code"] == 246
    at.switch_page("pages/forum.py").run()
    assert at.session_state["locality_code"] == 246
    assert "נתיבות" in texts(at)


def test_locality_picker_follows_the_language_and_keeps_the_choice(app_db: str) -> None:
    # The switch itself, in one session, is checked in the browser (tests/e2e).
    at = app_as("manager", locality=1031)
    picker = next(s for s in at.sidebar.selectbox if s.key == "locality_code_he")
    assert picker.options == ["נתיבות", "שדרות"]
    picker.select(246).run()
    assert at.session_state["locality_code"] == 246
    fresh = app_as("manager", locality=246, lang="en")
    picker = next(s for s in fresh.sidebar.selectbox if s.key == "locality_code_en")
    assert sorted(picker.options) == ["Netivot", "Sederot"] and picker.value == 246


def _session_at(username: str, version: int | None) -> AppTest:
    """A session as the login left it, at `version` (AppTest cannot carry a cookie)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state["name"] = username
    if version is not None:
        at.session_state["_session_version"] = version
    return at.run()


@pytest.mark.parametrize("revoke", ["reset_password", "logout", "role_change"])
def test_a_revoked_session_lands_on_the_login_form(app_db: str, revoke: str) -> None:
    db = Database(app_db)
    admin, manager = users.load_actor(db, "admin"), users.load_actor(db, "manager")
    assert admin and manager
    version = users.session_version(db, "manager")
    assert _session_at("manager", version).session_state["authentication_status"] is True
    if revoke == "reset_password":
        users.reset_password(db, admin, manager.user_id, "a-brand-new-password")
    elif revoke == "logout":
        logins.record_logout(db, manager)  # in another tab, or on another replica
    else:
        form = users.UserForm("manager", manager.full_name, "member", (1031,), None)
        row = next(u for u in users.list_users(db, admin) if u["id"] == manager.user_id)
        users.update_user(db, admin, manager.user_id, form, active=True, version=row["version"])
    db.dispose()
    at = _session_at("manager", version)  # the same session's next run
    assert not at.exception
    assert at.session_state["authentication_status"] is not True
    assert len(at.text_input) == 2
    assert "יציאה" not in [b.label for b in at.button]  # no logout button: not signed in


def test_a_session_without_a_version_is_not_trusted(app_db: str) -> None:
    at = _session_at("admin", None)
    assert not at.exception
    assert at.session_state["authentication_status"] is not True
    assert len(at.text_input) == 2


def test_a_password_over_72_bytes_at_login_is_refused_not_a_crash(app_db: str) -> None:
    at = _submit(AppTest.from_file(APP, default_timeout=60).run(), "manager", "ש" * 40)
    assert not at.exception
    assert at.session_state["authentication_status"] is not True


def _statements(db: Database, run: Callable[[], object]) -> list[str]:
    """The SQL the app sent to `db` while `run` ran (the engine the app uses: same URL)."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return seen


def test_a_logged_in_run_reads_no_credentials_and_no_schema_revision(app_db: str) -> None:
    """Each run of a logged-in session checks its session version, nothing more of the login:
    every user's credentials (and the lock-out table) are read only by runs that may log someone
    in, and the schema revision once per SCHEMA_RECHECK_SECONDS per process. (A new AppTest per
    run: AppTest reruns only the page script, and what is measured here is app.py's own run.)"""
    db = get_database(app_db)
    app_as("manager")  # the process's first run checks the schema
    statements = " ".join(_statements(db, lambda: app_as("manager"))).lower()
    assert "login_throttle" not in statements
    assert "alembic_version" not in statements
    assert "session_version" in statements  # the revocation check still runs every time
    visitor = AppTest.from_file(APP, default_timeout=60)
    assert "login_throttle" in " ".join(_statements(db, visitor.run)).lower()


def test_the_imported_heap_is_frozen_out_of_the_per_run_collection(
    app_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Streamlit collects garbage after every run; what a run that imported modules leaves alive
    is frozen first, so that pass does not walk it again (0.3-0.8 s per run before). Runs that
    import nothing new freeze nothing more (a frozen object's cycles are never collected)."""
    gc.unfreeze()
    monkeypatch.setattr(cache, "_modules_at_freeze", 0)  # as in a fresh process
    app_as("manager")
    frozen = gc.get_freeze_count()
    assert frozen > 0
    cache.settle_heap()  # nothing imported since
    assert gc.get_freeze_count() == frozen
