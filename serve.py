"""How the app is served: `streamlit run serve.py` runs app.py (Streamlit's `st.App`) behind one
middleware that puts the page's language and its right-to-left rules into the HTML document
itself, so a page opened by URL is right to left from its first paint (see
components/shell/first_paint.py). `streamlit run app.py` still works, without that guarantee.

Served this way, the process also
- imports the pages' modules in the background once the first login form is out
  (components/shell/warmup.py), so a fresh server's first login does not pay them;
- serves the unsubscribe link of the reminders (components/shell/unsubscribe.py) beside the app;
- sets and clears the login cookie (HttpOnly: components/shell/session_cookie.py), and signs staff
  in with the municipality's identity provider when one is configured (components/shell/oidc.py);
- runs the scheduled mail (`notify`) in a background thread in demo mode or with NOTIFY_IN_APP
  (employdash/mail/in_app.py), started and stopped with the server (the app's lifespan);
- watches no source files (`fileWatcherType = "none"` in .streamlit/config.toml, a public
  setting): Streamlit's watcher re-read the path of every imported module (some 2,400) on the
  event loop after each run that imported anything new, the landing page's run after a login
  among them: 0.3-0.8 s in which no session's messages went out (profiled in
  benchmarks/results/foundation.md). A server has no source edits to follow;
  `--server.fileWatcherType auto` brings it back for development.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import streamlit as st
from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from components.shell import oidc, session_cookie, warmup
from components.shell.first_paint import FirstPaintDirection
from components.shell.style import FIRST_PAINT_CSS
from components.shell.unsubscribe import ROUTES as UNSUBSCRIBE_ROUTES
from employdash.config import get_config
from employdash.errors import ConfigError
from employdash.mail import in_app

_LOG = logging.getLogger(__name__)


def _default_language() -> str:
    try:
        return str(get_config().DEFAULT_LANGUAGE)
    except ConfigError:
        return "he"  # app.py shows the configuration error itself


def _sign_in_routes() -> list[BaseRoute]:
    try:
        config = get_config()
    except ConfigError:
        return []  # app.py shows the configuration error itself; nobody can log in
    return [*session_cookie.ROUTES, *oidc.routes(config)]


@asynccontextmanager
async def _lifespan(_app: st.App) -> AsyncIterator[dict[str, Any] | None]:
    """The in-app notify runner lives as long as the server (one per process)."""
    try:
        in_app.start(get_config())
    except ConfigError:
        _LOG.exception("scheduled mail not started: the configuration is not valid")
    yield None
    in_app.stop()


warmup.enable()

app = st.App(
    "app.py",
    lifespan=_lifespan,
    routes=[*UNSUBSCRIBE_ROUTES, *_sign_in_routes()],
    middleware=[
        Middleware(FirstPaintDirection, css=FIRST_PAINT_CSS, default_lang=_default_language())
    ],
)
