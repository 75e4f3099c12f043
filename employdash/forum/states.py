"""The states a forum record moves through, declared once, and the one check of a move.

A task is open until done or cancelled (a done task may be reopened; a cancelled one stays as it
is, in the history and out of every count); a decision is open until closed, once (closing it
again would overwrite what came of it); a planned meeting is held or cancelled, once; a stage
milestone is open, done or marked not applicable (a move to the state it is in changes nothing:
a second tick from a stale screen claims no second check). Every
command that moves one of them asks `States.move`, so a move not declared here is refused the same
way wherever it is tried (its own form, a meeting's correction, a stale screen).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from employdash.errors import ValidationError
from employdash.models.forum import TASK_CANCELLED


@dataclass(frozen=True)
class States:
    """The moves each state allows, and the catalogue key that says why a move is refused."""

    moves: Mapping[str, frozenset[str]]
    refused: Mapping[str, str]

    def move(self, before: str, after: str, field: str = "status") -> None:
        """Refuse moving from `before` to `after` unless declared (`ValidationError` on `field`)."""
        if after not in self.moves.get(before, frozenset()):
            raise ValidationError({field: self.refused.get(before, "chain.state_refused")})


_OPEN_TASK = frozenset({"not_started", "in_progress", "blocked", "done", TASK_CANCELLED})
TASK = States(
    moves={
        "not_started": _OPEN_TASK,
        "in_progress": _OPEN_TASK,
        "blocked": _OPEN_TASK,
        "done": frozenset({"not_started", "in_progress", "blocked", "done"}),
        TASK_CANCELLED: frozenset(),
    },
    refused={TASK_CANCELLED: "task.cancelled_locked", "done": "chain.task_done"},
)
DECISION = States(
    moves={"open": frozenset({"closed"}), "closed": frozenset()},
    refused={"closed": "validation.already_closed"},
)
PLANNED_MEETING = States(
    moves={
        "planned": frozenset({"held", "cancelled"}),
        "held": frozenset(),
        "cancelled": frozenset(),
    },
    refused={"held": "planning.already_held", "cancelled": "planning.already_cancelled"},
)


_MILESTONE_STATES = ("open", "done", "not_applicable")
MILESTONE = States(
    moves={s: frozenset(_MILESTONE_STATES) - {s} for s in _MILESTONE_STATES}, refused={}
)


def decision_state(is_open: bool) -> str:
    return "open" if is_open else "closed"
