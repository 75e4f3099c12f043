"""Typed keys of the session state: a value one run leaves for the next (a form's saved message,
the plan an import previewed, the versions a form was drawn from).

A page and the component that fills a key share the `Kept` object, not a string typed twice, so a
renamed key or a value of the wrong type fails the type check instead of showing nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

import streamlit as st

T = TypeVar("T")


@dataclass(frozen=True)
class Kept(Generic[T]):
    """One session-state key holding a `T`."""

    key: str

    def get(self) -> T | None:
        value: T | None = st.session_state.get(self.key)
        return value

    def put(self, value: T) -> None:
        st.session_state[self.key] = value

    def take(self) -> T | None:
        """The value, removed (a message shown once after the rerun that follows a save)."""
        value: T | None = st.session_state.pop(self.key, None)
        return value

    def forget(self) -> None:
        st.session_state.pop(self.key, None)
