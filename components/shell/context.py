"""The per-run context every page reads: database, acting user, language, chosen locality.

`app.py` builds it after the login gate and stores it in session state; pages call `current()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

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


def has_current() -> bool:
    """False when a page script runs without the app around it (see `pages/rsvp.py`)."""
    return _KEY in st.session_state


def current() -> PageContext:
    ctx: PageContext = st.session_state[_KEY]
    return ctx


def lang() -> str:
    """The language before login too (the login form is in the chosen language)."""
    return st.session_state.get("lang") or "he"


def tr(key: str, **params: Any) -> str:
    return t(key, lang(), **params)
