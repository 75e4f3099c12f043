"""How the app is served: `streamlit run serve.py` runs app.py (Streamlit's `st.App`) behind one
middleware that puts the page's language and its right-to-left rules into the HTML document
itself, so a page opened by URL is right to left from its first paint (see
components/shell/first_paint.py). `streamlit run app.py` still works, without that guarantee.
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from components.shell.first_paint import FirstPaintDirection
from components.shell.style import FIRST_PAINT_CSS
from employdash.config import get_config
from employdash.errors import ConfigError


def _default_language() -> str:
    try:
        return str(get_config().DEFAULT_LANGUAGE)
    except ConfigError:
        return "he"  # app.py shows the configuration error itself


app = st.App(
    "app.py",
    middleware=[
        Middleware(FirstPaintDirection, css=FIRST_PAINT_CSS, default_lang=_default_language())
    ],
)
