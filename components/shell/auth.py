"""The login gate around streamlit-authenticator, with revocable sessions and a quick login.

The authenticator draws the form and keeps its failed-attempt count; its password check goes through
`users.check_password` (Argon2id, and the bcrypt hashes of databases made before it), and a login
whose hash is outdated stores its replacement with the login. What it keeps only in memory is moved
to the database here: failed attempts (a lock that holds across restarts and replicas) and the
audit of logins. It is built on every run from the database's active, unlocked users, so a
deactivation or a lock applies at once.

Sessions are revocable: the login cookie carries the user's session version (signed with the rest)
and every run checks the session's version against the database. Logout, a password reset, a role
change or a deactivation moves the version on, so older cookies and open sessions of that user end
on their next run, on every replica. A stale, forged, malformed or expired cookie is ignored and
the login form is shown; it never reaches the app as an exception.

The cookie is this module's, not the library's. The library reads the login cookie from the HTTP
request (`st.context.cookies`) but also draws a cookie component on every run whose answer, and
the answer of the component that writes the cookie after a login, each trigger one more rerun of
the whole app from the browser: a login took three runs and two browser round trips, and every new
session one extra run (profiled in benchmarks/results/foundation.md). Here the cookie is read from
the request the same way, and set or cleared by the server (HttpOnly: no script in the page can
read it; components/shell/session_cookie.py): a small script in a zero-height HTML frame, which
answers nothing, posts the login's one-time token to the server, or asks it to clear the cookie.
A login is one script run: the run that checks the password returns the user, and app.py clears
the form, draws that frame, the navigation and the page.
"""

from __future__ import annotations

import copy
import json
import time
from html import escape
from typing import Any

import jwt
import streamlit as st
import streamlit.components.v1 as components
import streamlit_authenticator as stauth
from streamlit_authenticator.controllers import AuthenticationController, CookieController
from streamlit_authenticator.models import AuthenticationModel
from streamlit_authenticator.utilities import Encryptor, Validator
from streamlit_authenticator.utilities.exceptions import LoginError

from components.shell import oidc, session_cookie
from components.shell.context import tr
from employdash import logins, users
from employdash.access import Actor
from employdash.config import Config
from employdash.db import Database

_AUTH_KEY = "_authenticator"
SESSION_VERSION_KEY = "_session_version"
_PENDING_KEY = "_cookie_pending"  # a cookie write or delete not drawn yet (write_pending_cookie)


class _SignedCookie:
    """The login cookie: a JWT with the username, expiry and session version."""

    def __init__(self, config: Config, db: Database) -> None:
        self.config = config
        self.cookie_name: str = config.COOKIE_NAME
        self.cookie_key: str = config.COOKIE_KEY
        self.cookie_expiry_days: float = config.COOKIE_EXPIRY_DAYS
        self.db = db

    def get_cookie(self) -> dict[str, Any] | None:
        if st.session_state.get("logout"):
            return None
        raw = st.context.cookies.get(self.cookie_name)
        if not raw:
            return None
        try:
            claims = jwt.decode(raw, self.cookie_key, algorithms=["HS256"])
        except jwt.PyJWTError:
            return None
        username, expires, version = (
            claims.get("username"),
            claims.get("exp_date"),
            claims.get("sv"),
        )
        if not isinstance(username, str) or not isinstance(expires, int | float):
            return None
        if expires <= time.time() or users.resume_session(self.db, username, version) is None:
            return None
        st.session_state[SESSION_VERSION_KEY] = version
        return claims

    def set_cookie(self) -> None:
        if not self.cookie_expiry_days:
            return
        value, expires = session_cookie.encode(
            self.config, st.session_state["username"], st.session_state.get(SESSION_VERSION_KEY)
        )
        token = session_cookie.issue_exchange(value, expires)
        st.session_state[_PENDING_KEY] = (session_cookie.EXCHANGE_PATH, token)

    def delete_cookie(self) -> None:
        st.session_state[_PENDING_KEY] = (session_cookie.LOGOUT_PATH, "")


class _CookieController(CookieController):  # type: ignore[misc]  # the library ships no types
    def __init__(self, config: Config, db: Database) -> None:  # no library cookie component
        self.cookie_model = _SignedCookie(config, db)


class _AuthenticationModel(AuthenticationModel):  # type: ignore[misc]  # no library types
    """The library's model with its one password check through `users.check_password`.

    The library's `check_credentials` calls its bcrypt-only `Hasher.check_pw`; this one checks
    Argon2id and bcrypt hashes and keeps the rest as the library has it: an unknown username is
    refused, a wrong password counts a failed attempt (`_record_failed_login_attempts`, which
    login_gate then records in the database). A match over an outdated hash leaves its
    replacement in `rehash`, for the login's callback to store with the login.
    """

    rehash: users.Rehash | None = None

    def check_credentials(self, username: str, password: str) -> bool:
        entry = self.credentials["usernames"].get(username)
        if entry is None:
            return False
        hashed = entry["password"]
        if users.check_password(password, hashed):
            self.rehash = users.rehash_for(password, hashed)
            return True
        self._record_failed_login_attempts(username)
        return False


class _AuthenticationController(AuthenticationController):  # type: ignore[misc]  # no types
    """The library's controller over `_AuthenticationModel`: its `__init__`'s assignments, made
    here with that model (and, as the library's with auto_hash=False, no path and no API key)."""

    def __init__(self, credentials: dict[str, Any], secret_key: str) -> None:
        self.secret_key = secret_key
        self.validator = Validator()
        self.authentication_model = _AuthenticationModel(
            credentials, False, None, None, secret_key, None, self.validator
        )
        self.encryptor = Encryptor(secret_key)


class _Authenticator(stauth.Authenticate):  # type: ignore[misc]  # the library ships no types
    """The library's login and logout views over this module's cookie.

    `Authenticate.__init__` would build the library's cookie controller (and draw its component),
    so its few assignments are made here instead, with the same values it would make.
    """

    def __init__(self, credentials: dict[str, Any], config: Config, db: Database) -> None:
        self.api_key = None
        self.attrs = {"login_sleep_time": config.LOGIN_SLEEP_SECONDS}
        self.secret_key = config.COOKIE_KEY
        self.path = None
        self.cookie_controller = _CookieController(config, db)
        self.authentication_controller = _AuthenticationController(credentials, config.COOKIE_KEY)
        self.encryptor = Encryptor(config.COOKIE_KEY)


def write_pending_cookie() -> None:
    """Draw the pending cookie write or delete: a script in a frame, which sends nothing back to
    the app, posts it to the server (the login's one-time token, or the logout)."""
    pending = st.session_state.pop(_PENDING_KEY, None)
    if pending is None:
        return
    path, body = pending
    st.html("<style>.element-container:has(iframe[height='0']){display:none}</style>")
    script = (
        f"<script>fetch({json.dumps(path)}, {{method: 'POST', credentials: 'same-origin', "
        f"cache: 'no-store', headers: {{'Content-Type': 'text/plain'}}, "
        f"body: {json.dumps(body)}}});</script>"
    )
    components.html(script, height=0)


_PROVIDER_BUTTON_CSS = (
    ".signin-provider{display:inline-block;padding:.55rem 1.1rem;border-radius:.5rem;"
    "background:#0b5394;color:#fff !important;text-decoration:none;font-weight:600}"
    ".signin-provider:hover{background:#083d6e}"
    ".signin-provider:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}"
)


def _provider_sign_in(config: Config, slot: Any, refused: Any) -> None:
    """The identity provider's sign-in link above the password form, when one is configured, and
    why the last sign-in with it was refused (components/shell/oidc.py sends the browser back
    with ?signin=unknown or ?signin=failed)."""
    reason = st.query_params.get(oidc.REFUSAL_PARAM)
    if reason in {"unknown", "failed"}:
        refused.error(tr(f"signin.{reason}"), icon=":material/error:")
    if not config.OIDC_ISSUER:
        return
    name = str(config.OIDC_PROVIDER_NAME).strip()
    # The name as an isolate (FSI ... PDI): a Hebrew name in an English label, or the reverse,
    # keeps its own direction and leaves the label's alone.
    named = tr("signin.provider_named", provider=f"\u2068{name}\u2069")
    label = named if name else tr("signin.provider")
    with slot:
        st.html(
            f"<style>{_PROVIDER_BUTTON_CSS}</style>"
            f'<p><a class="signin-provider" href="{oidc.START_PATH}">{escape(label)}</a></p>'
            f"<p>{escape(tr('signin.or_password'))}</p>"
        )


def _authenticator(db: Database, config: Config) -> tuple[stauth.Authenticate, dict[str, Any]]:
    """The authenticator for this run. Only a run that may log someone in (the login form, or a
    cookie to honour) needs every active user's credentials; a logged-in run's authenticator only
    draws the logout button, and its session is checked against the database in `login_gate`
    (`users.resume_session`). Reading and copying all users on each of those runs was most of the
    login gate's cost, and grows with the number of users."""
    if st.session_state.get("authentication_status"):
        credentials: dict[str, Any] = {"usernames": {}}
    else:
        credentials = copy.deepcopy(users.authenticator_credentials(db))
    authenticator = _Authenticator(credentials, config, db)
    return authenticator, authenticator.authentication_controller.authentication_model.credentials


def _failed_usernames(credentials: dict[str, Any]) -> list[str]:
    return [u for u, c in credentials["usernames"].items() if c.get("failed_login_attempts")]


def _logged_in(db: Database, username: str, model: _AuthenticationModel) -> None:
    rehash, model.rehash = model.rehash, None
    st.session_state[SESSION_VERSION_KEY] = logins.record_login(
        db, username, succeeded=True, rehash=rehash
    )


def login_gate(db: Database, config: Config) -> Actor | None:
    """Draw the login form when needed; return the acting user once logged in."""
    write_pending_cookie()
    authenticator, credentials = _authenticator(db, config)
    model: _AuthenticationModel = authenticator.authentication_controller.authentication_model
    st.session_state[_AUTH_KEY] = authenticator
    # Form rules (IS 5568): required fields marked (" *", as components.common.form_feedback),
    # a refused login announced above the form.
    refused = st.empty()
    provider = st.container()
    fields = {
        "Form name": tr("login.title"),
        "Username": tr("login.username") + " *",
        "Password": tr("login.password") + " *",
        "Login": tr("login.submit"),
        "Captcha": tr("login.captcha"),
    }
    try:
        authenticator.login(
            location="main",
            fields=fields,
            callback=lambda info: _logged_in(db, info["username"], model),
        )
    except LoginError:
        # A cookie for a user who is now inactive or locked: drop it and ask for a login.
        authenticator.logout(location="unrendered")
    for username in _failed_usernames(credentials):
        logins.record_login(db, username, succeeded=False)
    status = st.session_state.get("authentication_status")
    # A submit that logged in goes on in this run: app.py clears the form's slot and draws the
    # pending cookie write, then the navigation and the page (it used to st.rerun() here: a
    # second script run before the navigation was drawn).
    if status is False:
        refused.error(
            tr("login.failed", attempts=config.LOCKOUT_ATTEMPTS, minutes=config.LOCKOUT_MINUTES),
            icon=":material/error:",
        )
    if not status:
        _provider_sign_in(config, provider, refused)
        st.caption(tr("a11y.required_note"))
        if config.DEMO_MODE:
            st.info(tr("login.demo_hint"))
        write_pending_cookie()  # a dropped cookie is deleted in this run already
        return None
    actor = users.resume_session(
        db, st.session_state["username"], st.session_state.get(SESSION_VERSION_KEY)
    )
    if actor is None:
        # Revoked (logout elsewhere, password reset, role change) or deactivated: back to login.
        authenticator.logout(location="unrendered")
        st.rerun()
    return actor


def logout_button(db: Database, actor: Actor) -> None:
    authenticator: stauth.Authenticate = st.session_state[_AUTH_KEY]
    authenticator.logout(
        button_name=tr("logout"),
        location="sidebar",
        key="logout_button",
        callback=lambda _info: logins.record_logout(db, actor),
    )
    if not st.session_state.get("authentication_status"):
        st.rerun()  # the login form, and the cookie deleted, in the next run
