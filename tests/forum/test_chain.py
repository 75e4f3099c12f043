"""The chain decision -> task -> focus: a task's team and focus set and changed in scope, a task
made from a decision with its team and focus, and the focus reading back its tasks and the
decisions they came from."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from employdash.access import Actor
from employdash.db import Database
from employdash.forum import decisions, meeting_edits, meetings, tasks
from employdash.models.forum import Decision, StrategicFocus, Task, Team
from tests.forum.helpers import SEDEROT, forum_id, team_of_kind

pytestmark = pytest.mark.rolled_back


def _two(db: Database, model: type[Team] | type[StrategicFocus]) -> tuple[int, int]:
    with db.transaction() as s:
        found = list(
            s.scalars(
                select(model.id).where(model.forum_id == forum_id(db)).order_by(model.id).limit(2)
            )
        )
    assert len(found) == 2, f"Sederot has fewer than two {model.__name__}"
    return found[0], found[1]


def _stored(db: Database, task_id: int) -> tuple[int | None, int | None]:
    with db.transaction() as s:
        task = s.get_one(Task, task_id)
        return task.team_id, task.focus_id


def test_a_tasks_team_and_focus_are_set_and_changed(db: Database, actors: dict[str, Actor]) -> None:
    manager = actors["manager"]
    (team_a, team_b), (focus_a, focus_b) = _two(db, Team), _two(db, StrategicFocus)
    task_id = tasks.create_task(db, manager, SEDEROT, {"title": "Map employers"})
    assert _stored(db, task_id) == (None, None)
    version = tasks.get_task(db, manager, task_id)["version"]
    version = tasks.update_task(
        db, manager, task_id, version, {"team_id": team_a, "focus_id": focus_a}
    )
    assert _stored(db, task_id) == (team_a, focus_a)
    tasks.update_task(db, manager, task_id, version, {"team_id": team_b, "focus_id": focus_b})
    assert _stored(db, task_id) == (team_b, focus_b)
    # a meeting's correction changes the team and focus of the tasks the meeting decided
    data = meetings.MeetingInput(
        locality_code=SEDEROT,
        team_id=team_of_kind(db),
        held_on=date.today() - timedelta(days=2),
        tasks=[{"title": "Call the college", "team_id": team_a, "focus_id": focus_a}],
    )
    mid = meetings.save_meeting(db, manager, data)
    edit = meeting_edits.meeting_tasks(db, manager, mid)[0]
    assert (edit.team_id, edit.focus_id) == (team_a, focus_a)
    edit.team_id, edit.focus_id = team_b, None
    opened, version = meeting_edits.meeting_input(db, manager, mid)
    meeting_edits.correct_meeting(db, manager, mid, version, opened, [edit])
    assert _stored(db, edit.task_id) == (team_b, None)


def test_a_task_made_from_a_decision_takes_a_team_and_a_focus_and_the_focus_lists_both(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    (team, _), (focus, other_focus) = _two(db, Team), _two(db, StrategicFocus)
    data = meetings.MeetingInput(
        locality_code=SEDEROT,
        team_id=team_of_kind(db),
        held_on=date.today() - timedelta(days=1),
        decisions=["Open a jobs corner at the community centre"],
    )
    mid = meetings.save_meeting(db, manager, data)
    with db.transaction() as s:
        decision = s.scalars(select(Decision).where(Decision.meeting_id == mid)).one()
        decision_id, version = decision.id, decision.version
    task_id = decisions.decision_to_task(
        db, manager, SEDEROT, decision_id, version, {"team_id": team, "focus_id": focus}
    )
    assert _stored(db, task_id) == (team, focus)
    work = decisions.focus_work(db, manager, SEDEROT)
    assert task_id in [t["id"] for t in work[focus].tasks]
    assert [d.id for d in work[focus].decisions] == [decision_id]
    assert task_id not in [
        t["id"] for t in work.get(other_focus, decisions.FocusWork([], [])).tasks
    ]
    member = decisions.focus_work(db, actors["member"], SEDEROT)
    assert [d.id for d in member[focus].decisions] == [decision_id]
