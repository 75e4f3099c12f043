"""How the app is served: `streamlit run serve.py` runs app.py (Streamlit's `st.App`) behind one
middleware that puts the page's language and its right-to-left rules into the HTML document
itself, so a page opened by URL is right to left from its first paint (see
components/shell/first_paint.py). `streamlit run app.py` still works, without that guarantee.

Served this way, the process also
- imports the pages' modules in the background once the first login form is out
  (components/shell/warmup.py), so a fresh server's first login does not pay them;
- watches no source files (`fileWatcherType = "none"` in .streamlit/config.toml, a public
  setting): Streamlit's watcher re-read the path of every imported module (some 2,400) on the
  event loop after each run that imported anything new, the landing page's run after a login
  among them: 0.3-0.8 s in which no session's messages went out (profiled in
  benchmarks/results/foundation.md). A server has no source edits to follow;
  `--server.fileWatcherType auto` brings it back for development.
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from components.shell import warmup
from components.shell.first_paint import FirstPaintDirection
from components.shell.style import FIRST_PAINT_CSS
from employdash.config import get_config
from employdash.errors import ConfigError


def _default_language() -> str:
    try:
        return str(get_config().DEFAULT_LANGUAGE)
    except ConfigError:
        return "he"  # app.py shows the configuration error itself


warmup.enable()

app = st.App(
    "app.py",
    middleware=[
        Middleware(FirstPaintDirection, css=FIRST_PAINT_CSS, default_lang=_default_language())
    ],
)
