"""Running the real app script in Streamlit's AppTest, logged in through the session seam."""

from __future__ import annotations

import atexit
import functools
import re
import secrets
import shutil
import tempfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from employdash.bootstrap import upgrade
from employdash.config import get_config
from employdash.db import Database, get_database
from employdash.i18n import t
from employdash.users import bootstrap_admin, session_version

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def reset_caches() -> None:
    """Config and engines are cached per process; a test points them at its own database."""
    get_config.cache_clear()
    get_database.cache_clear()


@functools.cache
def _migrated_template() -> Path:
    """An empty SQLite file after the README's `migrate` (`upgrade`: the schema and the reference
    data), made once per process: each test copies it instead of migrating again."""
    directory = Path(tempfile.mkdtemp(prefix="employdash-migrated-"))
    atexit.register(shutil.rmtree, directory, True)
    path = directory / "migrated.db"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    db.dispose()
    return path


def production_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, admin: str, password: str
) -> Database:
    """What the README's `migrate` and `create-admin` leave, outside demo mode, with the app
    pointed at it: the schema, the reference data, one administrator, no locality enabled."""
    path = tmp_path / "prod.db"
    shutil.copyfile(_migrated_template(), path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEMO_MODE", "false")
    monkeypatch.setenv("COOKIE_KEY", secrets.token_urlsafe(32))
    reset_caches()
    db = get_database(url)
    bootstrap_admin(db, admin, password)
    return db


def app_as(
    username: str | None,
    page: str | None = None,
    lang: str = "he",
    locality: int | None = None,
    timeout: float = 60,
    state: dict[str, object] | None = None,
    query: dict[str, str] | None = None,
) -> AppTest:
    """The app after a login as `username` (None: a visitor), optionally on `page`.

    The seam sets what streamlit-authenticator sets after a successful login, so page tests skip
    the password check; tests/app/test_login.py logs in through the real form.
    """
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.query_params.update(query or {})  # the URL the session opens (a link into the app)
    at.session_state["lang"] = lang
    if username:
        at.session_state["authentication_status"] = True
        at.session_state["username"] = username
        at.session_state["name"] = username
        at.session_state["roles"] = []
        at.session_state["_lang_user"] = username
        # What the login (form or cookie) records: the session's version, checked every run.
        db = get_database(get_config().DATABASE_URL)
        at.session_state["_session_version"] = session_version(db, username)
    if locality is not None:
        at.session_state["locality_code"] = locality
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.query_params.update(query or {})  # the address's ?name=value, as a link opens it
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def open_tab(tabs_key: str, label_key: str, lang: str) -> dict[str, object]:
    """The session state that opens a page's tab (for `app_as(state=...)`): tabs keyed
    `<tabs_key>_<lang>` run only the open tab's content, the first one unless chosen."""
    return {f"{tabs_key}_{lang}": t(label_key, lang)}


def click_tab(at: AppTest, tabs_key: str, label_key: str, lang: str) -> AppTest:
    """What a click on a page's tab sends (tabs keyed `<tabs_key>_<lang>`), and the run it
    starts."""
    for key, label in open_tab(tabs_key, label_key, lang).items():
        at.session_state[key] = label
    return at.run()


def texts(at: AppTest) -> str:
    """Every piece of text the run drew, to assert on what a user would read."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "text",
    ):
        parts.extend(str(el.value) for el in getattr(at, kind))
    for metric in at.metric:
        parts.append(f"{metric.label} {metric.value}")
    return rendered("\n".join(parts))


def rendered(markdown: str) -> str:
    """Markdown source as the reader sees it: escapes resolved, invisible word joiners gone
    (user text is escaped with `components.common.text.plain`)."""
    return _ESCAPE.sub(r"\1", markdown).replace("\u2060", "")


_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-!|<>~$.])")
