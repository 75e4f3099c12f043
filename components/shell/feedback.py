"""Turning domain errors into messages in the user's language, never a stack trace."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from components.common.tables import data_table
from components.common.text import plain
from components.shell.context import tr
from employdash.errors import DomainError, StaleVersion, ValidationError


def show_error(exc: DomainError) -> None:
    params = {"detail": exc.detail, **exc.params}
    st.error(tr(exc.message_key, **{k: plain(v) for k, v in params.items()}))
    if isinstance(exc, ValidationError):
        for field, key in exc.fields.items():
            limits = exc.field_params.get(field, {})
            message = tr(key, **{k: plain(v) for k, v in limits.items()})
            st.caption(f"• {tr('common.field')}: {plain(field)} — {message}")
    if isinstance(exc, StaleVersion):
        rows = [
            {
                tr("common.field"): k,
                tr("common.theirs"): str(theirs),
                tr("common.yours"): str(yours),
            }
            for k, (theirs, yours) in exc.changes.items()
        ]
        data_table(rows, hide_index=True)


@contextmanager
def guarded() -> Iterator[None]:
    """Run a block; show a domain error as a message and keep the page standing."""
    try:
        yield
    except DomainError as exc:
        show_error(exc)
