"""Run a domain command from the UI: the one place where a write's stale read models are cleared."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.common.cache import clear_area
from components.shell.context import PageContext
from employdash.access import Actor
from employdash.commands import Command, execute
from employdash.db import Database
from employdash.errors import DomainError, StaleVersion

R = TypeVar("R")


def perform(db: Database, actor: Actor, command: Command[R]) -> R:
    """Execute `command` and forget the cached read models of every area it invalidates. A
    stale refusal forgets them too: it proves what the page drew from is behind the database (a
    save by someone else, maybe on another replica), and "apply my change again" must start
    from the record as it now is."""
    try:
        outcome = execute(db, actor, command)
    except StaleVersion:
        clear_area(*type(command).invalidates)
        raise
    clear_area(*outcome.invalidates)
    return outcome.value


def command_button(
    ctx: PageContext,
    label: str,
    *,
    key: str,
    icon: str,
    command: Callable[[], Command[Any]],
    refusal: str,
    then: Callable[[], None] | None = None,
    place: DeltaGenerator | None = None,
) -> None:
    """A button whose click performs `command()` in the button's callback, before the page is
    drawn again, so that draw already shows the outcome. Built on the click, the command reads
    what the user typed by then. A refusal is kept in the session state under `refusal` for that
    draw to show; `then` runs when the command went through. `place`: a column to put it in."""
    button = st.button if place is None else place.button
    button(label, key=key, icon=icon, on_click=_perform_kept, args=(ctx, command, refusal, then))


def _perform_kept(
    ctx: PageContext,
    command: Callable[[], Command[Any]],
    refusal: str,
    then: Callable[[], None] | None,
) -> None:
    try:
        perform(ctx.db, ctx.actor, command())
    except DomainError as exc:
        st.session_state[refusal] = exc
    else:
        if then is not None:
            then()
