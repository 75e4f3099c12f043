"""The login gate around streamlit-authenticator, with revocable sessions.

The authenticator draws the form, checks the bcrypt hash and keeps the signed session cookie. What
it keeps only in memory is moved to the database here: failed attempts (a lock that holds across
restarts and replicas) and the audit of logins. It is built on every run from the database's
active, unlocked users, so a deactivation or a lock applies at once.

Sessions are revocable: the cookie also carries the user's session version (signed with the rest),
and every run checks the session's version against the database. Logout, a password reset, a role
change or a deactivation moves the version on, so older cookies and open sessions of that user end
on their next run, on every replica. A stale, forged, malformed or expired cookie is ignored and
the login form is shown; it never reaches the app as an exception.
"""

from __future__ import annotations

import copy
import time
from typing import Any

import jwt
import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.models.cookie_model import CookieModel
from streamlit_authenticator.utilities.exceptions import LoginError

from components.context import tr
from employdash.config import Config
from employdash.db import Database
from employdash.services import users
from employdash.services.access import Actor

_AUTH_KEY = "_authenticator"
SESSION_VERSION_KEY = "_session_version"


class _VersionedCookie(CookieModel):
    """The library's cookie with the session version signed in and checked on the way back."""

    db: Database

    @classmethod
    def adopt(cls, original: CookieModel, db: Database) -> _VersionedCookie:
        # The original already drew the cookie component; a second one would clash on its key,
        # so take over its state instead of calling __init__ again.
        model = cls.__new__(cls)
        model.__dict__.update(original.__dict__)
        model.db = db
        return model

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

    def _token_encode(self) -> str:
        claims = {
            "username": st.session_state["username"],
            "exp_date": self.exp_date,
            "sv": st.session_state.get(SESSION_VERSION_KEY),
        }
        return jwt.encode(claims, self.cookie_key, algorithm="HS256")


def _authenticator(db: Database, config: Config) -> tuple[stauth.Authenticate, dict]:
    credentials = users.authenticator_credentials(db)
    authenticator = stauth.Authenticate(
        copy.deepcopy(credentials),
        config.COOKIE_NAME,
        config.COOKIE_KEY,
        config.COOKIE_EXPIRY_DAYS,
        auto_hash=False,
        login_sleep_time=config.LOGIN_SLEEP_SECONDS,
    )
    controller = authenticator.cookie_controller
    controller.cookie_model = _VersionedCookie.adopt(controller.cookie_model, db)
    return authenticator, authenticator.authentication_controller.authentication_model.credentials


def _failed_usernames(credentials: dict) -> list[str]:
    return [u for u, c in credentials["usernames"].items() if c.get("failed_login_attempts")]


def _logged_in(db: Database, username: str) -> None:
    st.session_state[SESSION_VERSION_KEY] = users.record_login(db, username, succeeded=True)


def login_gate(db: Database, config: Config) -> Actor | None:
    """Draw the login form when needed; return the acting user once logged in."""
    authenticator, credentials = _authenticator(db, config)
    st.session_state[_AUTH_KEY] = authenticator
    fields = {
        "Form name": tr("login.title"),
        "Username": tr("login.username"),
        "Password": tr("login.password"),
        "Login": tr("login.submit"),
        "Captcha": tr("login.captcha"),
    }
    try:
        authenticator.login(
            location="main",
            fields=fields,
            callback=lambda info: _logged_in(db, info["username"]),
        )
    except LoginError:
        # A cookie for a user who is now inactive or locked: drop it and ask for a login.
        authenticator.logout(location="unrendered")
    for username in _failed_usernames(credentials):
        users.record_login(db, username, succeeded=False)
    status = st.session_state.get("authentication_status")
    if status is False:
        st.error(
            tr("login.failed", attempts=config.LOCKOUT_ATTEMPTS, minutes=config.LOCKOUT_MINUTES)
        )
    if not status:
        if config.DEMO_MODE:
            st.info(tr("login.demo_hint"))
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
        callback=lambda _info: users.record_logout(db, actor),
    )
