"""The login gate around streamlit-authenticator.

The authenticator draws the form, checks the bcrypt hash and keeps the signed session cookie. What
it keeps only in memory is moved to the database here: failed attempts (a lock that holds across
restarts and replicas) and the audit of logins. It is built on every run from the database's
active, unlocked users, so a deactivation or a lock applies at once.
"""

from __future__ import annotations

import copy

import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities.exceptions import LoginError

from components.shell.context import tr
from employdash import users
from employdash.access import Actor
from employdash.config import Config
from employdash.db import Database

_AUTH_KEY = "_authenticator"


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
    return authenticator, authenticator.authentication_controller.authentication_model.credentials


def _failed_usernames(credentials: dict) -> list[str]:
    return [u for u, c in credentials["usernames"].items() if c.get("failed_login_attempts")]


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
            callback=lambda info: users.record_login(db, info["username"], succeeded=True),
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
    actor = users.load_actor(db, st.session_state["username"])
    if actor is None:
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
