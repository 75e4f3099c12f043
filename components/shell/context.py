"""The per-run context every page reads: database, acting user, language, chosen locality.

`app.py` builds it after the login gate and stores it in session state; pages call `current()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import NotFound
from employdash.i18n import t
from employdash.localities import LocalityInfo

_KEY = "_page_context"


@dataclass(frozen=True)
class PageContext:
    db: Database
    actor: Actor
    lang: str
    locality: LocalityInfo | None
    localities: tuple[LocalityInfo, ...]

    def tr(self, key: str, **params: Any) -> str:
        return t(key, self.lang, **params)

    @property
    def locality_code(self) -> int:
        """The chosen locality's code. A user with no locality in scope has none; pages check
        `locality` first, and a page that does not is refused with a message, not a trace."""
        if self.locality is None:
            raise NotFound("no locality chosen")
        return self.locality.code


def set_current(ctx: PageContext) -> None:
    st.session_state[_KEY] = ctx


def current() -> PageContext:
    """The page's context, which app.py set before running the page.

    A fresh server whose first request is a page's own address (a link in a mail) runs that
    page's script alone: Streamlit keeps its pages-folder mode until the process's first
    `st.navigation`. Then there is no context: leave that mode and run again, now through
    app.py, which shows the login form at the link's own address and, once logged in, the page
    with the link's query."""
    if _KEY not in st.session_state:
        PagesManager.uses_pages_directory = False
        st.rerun()
    ctx: PageContext = st.session_state[_KEY]
    return ctx


def lang() -> str:
    """The language before login too (the login form is in the chosen language)."""
    return st.session_state.get("lang") or "he"


def tr(key: str, **params: Any) -> str:
    return t(key, lang(), **params)
