"""Run a domain command from the UI: the one place where a write's stale read models are cleared."""

from __future__ import annotations

from typing import TypeVar

from components.common.cache import clear_area
from employdash.access import Actor
from employdash.commands import Command, execute
from employdash.db import Database

R = TypeVar("R")


def perform(db: Database, actor: Actor, command: Command[R]) -> R:
    """Execute `command` and forget the cached read models of every area it invalidates."""
    outcome = execute(db, actor, command)
    clear_area(*outcome.invalidates)
    return outcome.value
