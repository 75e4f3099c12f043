"""The forum's decisions: listed, closed with a date and an outcome, or turned into a task.

"Open decisions" everywhere (the forum page, the briefing, its PDF) are those not closed: a
decision is closed here, or when it becomes a task (the task carries it on from then).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from employdash.access import Actor
from employdash.commands import Ref, Write, execute, ids, ref
from employdash.db import Database
from employdash.errors import ValidationError
from employdash.events import EventName
from employdash.forum.states import DECISION, decision_state
from employdash.forum.structure import ForumChange, reading_forum
from employdash.forum.tasks import TaskRow, list_tasks, new_task_row
from employdash.handed_ids import forum_person
from employdash.models import Person
from employdash.models.forum import Decision, Meeting, StrategicFocus, Task, Team
from employdash.writers import writer


@dataclass(frozen=True)
class DecisionRow:
    id: int
    meeting_id: int
    held_on: date
    text: str
    is_open: bool
    closed_on: date | None
    outcome: str | None
    task_id: int | None
    version: int


def list_decisions(
    db: Database, actor: Actor, locality_code: int, open_only: bool = False
) -> list[DecisionRow]:
    """The forum's decisions, newest meeting first."""
    with reading_forum(db, actor, locality_code) as (s, forum):
        if forum is None:
            return []
        query = (
            select(Decision, Meeting.held_on)
            .join(Meeting, Meeting.id == Decision.meeting_id)
            .where(Meeting.forum_id == forum.id)
            .order_by(Meeting.held_on.desc(), Decision.id)
        )
        if open_only:
            query = query.where(Decision.is_open.is_(True))
        return [
            DecisionRow(
                d.id,
                d.meeting_id,
                held_on,
                d.text,
                d.is_open,
                d.closed_on,
                d.outcome,
                d.task_id,
                d.version,
            )
            for d, held_on in s.execute(query)
        ]


@dataclass(frozen=True)
class FocusWork:
    """What serves one strategic focus: its tasks (cancelled ones aside) and the decisions
    they were made from."""

    tasks: list[TaskRow]
    decisions: list[DecisionRow]


def focus_work(db: Database, actor: Actor, locality_code: int) -> dict[int, FocusWork]:
    """Per focus of the forum, its tasks and their decisions: the chain decision -> task ->
    focus read back (a focus nothing serves yet has no entry)."""
    decided = {
        d.task_id: d for d in list_decisions(db, actor, locality_code) if d.task_id is not None
    }
    work: dict[int, FocusWork] = {}
    for task in list_tasks(db, actor, locality_code):
        if task["focus_id"] is None or task["status"] == "cancelled":
            continue
        found = work.setdefault(task["focus_id"], FocusWork([], []))
        found.tasks.append(task)
        if task["id"] in decided:
            found.decisions.append(decided[task["id"]])
    return work


@dataclass
class _ClosingDecision(ForumChange[int], entity="decision"):
    """What closing a decision and turning it into a task share: an open decision of the
    locality, read at `version`. A decision is closed once: closing it again would overwrite
    what came of it."""

    locality_code: int
    decision: Ref[Decision]
    version: int

    def validate(self, w: Write) -> None:
        # refused as closed even from a stale screen: that says more than "saved meanwhile"
        DECISION.move(decision_state(w.get(self.decision).is_open), "closed", field="decision")


@dataclass
class CloseDecision(
    _ClosingDecision,
    texts={"outcome": "decision/outcome"},
    emits=frozenset({EventName.DECISION_CLOSED}),
):
    """Close a decision on `closed_on` with what came of it; returns the new version."""

    closed_on: date | None
    outcome: str | None

    def validate(self, w: Write) -> None:
        errors: dict[str, str] = {}
        if self.closed_on is None:
            errors["closed_on"] = "validation.required"
        elif self.closed_on > date.today():
            errors["closed_on"] = "validation.out_of_range"
        if not self.outcome:
            errors["outcome"] = "validation.required"
        if errors:
            raise ValidationError(errors)
        super().validate(w)

    def run(self, w: Write) -> int:
        decision = w.get(self.decision)
        values = {"is_open": False, "closed_on": self.closed_on, "outcome": self.outcome}
        w.update(decision, self.version, values, action="close")
        w.emit(
            EventName.DECISION_CLOSED, decision.id, outcome=self.outcome, closed_on=self.closed_on
        )
        return decision.version


@dataclass
class DecisionToTask(
    _ClosingDecision,
    texts={"title": "task/title"},
    emits=frozenset({EventName.DECISION_CLOSED, EventName.TASK_ASSIGNED}),
):
    """Turn an open decision into a task of the work plan, with its owner, team, focus and due
    date (the decision closes); returns the task id. The task is titled by the decision unless
    given a title of its own."""

    owner: Ref[Person] | None = None
    team: Ref[Team] | None = None
    focus: Ref[StrategicFocus] | None = None
    due_date: date | None = None
    title: str | None = None

    @classmethod
    def of(
        cls, locality_code: int, decision_id: int, version: int, task: dict[str, Any]
    ) -> DecisionToTask:
        return cls(
            locality_code,
            Ref(Decision, decision_id),
            version,
            ref(Person, task.get("owner_person_id"), within=forum_person),
            ref(Team, task.get("team_id")),
            ref(StrategicFocus, task.get("focus_id")),
            task.get("due_date"),
            task.get("title"),
        )

    def run(self, w: Write) -> int:
        decision = w.get(self.decision)
        meeting = w.session.get_one(Meeting, decision.meeting_id)
        values = ids(
            {
                "title": self.title or decision.text[:300],
                "owner_person_id": self.owner,
                "team_id": self.team,
                "focus_id": self.focus,
                "due_date": self.due_date,
            }
        )
        task = w.create(
            Task(**new_task_row(meeting.forum_id, values, meeting.id)),
            {**values, "decision_id": decision.id},
            entity="task",
        )
        w.update(
            decision,
            self.version,
            {"is_open": False, "closed_on": date.today(), "task_id": task.id},
            action="close",
        )
        w.emit(EventName.DECISION_CLOSED, decision.id, task_id=task.id)
        if task.owner_person_id is not None:
            w.emit(EventName.TASK_ASSIGNED, task.id, owner_person_id=task.owner_person_id)
        return task.id


def close_decision(
    db: Database,
    actor: Actor,
    locality_code: int,
    decision_id: int,
    version: int,
    closed_on: date | None,
    outcome: str,
) -> int:
    command = CloseDecision.of(locality_code, decision_id, version, closed_on, outcome)
    return execute(db, actor, command).value


decision_to_task = writer(DecisionToTask.of)
