"""The IDs a task write is handed, and the states a record moves through.

Every path that makes or changes a task (a meeting's save, its correction, a decision turned into
a task, the work plan's own create and update) is handed a team and a focus: one of the actor's
other locality is refused like a missing one, however the command was built (from the form's
plain values, or typed by hand with the raw IDs in its values). And a record's state moves only
the declared ways: a closed decision is not closed again nor turned into a task, a typo fixed in
a closed decision in the meeting's correction leaves it closed, a cancelled task is not cancelled
again, a planned meeting held or cancelled is not cancelled.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from employdash.access import Actor
from employdash.commands import Command, execute
from employdash.db import Database
from employdash.errors import NotFound, ValidationError
from employdash.forum import decisions, meeting_edits, meetings, tasks
from employdash.models.forum import Decision, StrategicFocus, Task, Team
from tests.forum.helpers import SEDEROT, forum_id, team_of_kind

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

OTHER_OWN = 246  # the manager's other locality


def _of_forum(db: Database, model: type[Team] | type[StrategicFocus], code: int) -> int:
    with db.transaction() as s:
        found = s.scalar(
            select(model.id).where(model.forum_id == forum_id(db, code)).order_by(model.id)
        )
    assert found is not None, f"no {model.__name__} in {code}"
    return int(found)


def _meeting(db: Database, task: dict[str, Any]) -> meetings.MeetingInput:
    return meetings.MeetingInput(
        locality_code=SEDEROT,
        team_id=team_of_kind(db),
        held_on=date.today() - timedelta(days=1),
        decisions=["Hold a jobs fair"],
        tasks=[{"title": "Book the hall", **task}],
    )


def _refused(db: Database, actor: Actor, command: Command[Any]) -> None:
    with pytest.raises(NotFound):
        execute(db, actor, command)


@pytest.mark.parametrize("field", ["team_id", "focus_id"])
def test_every_task_path_refuses_a_team_or_focus_of_the_other_locality(
    db: Database, actors: dict[str, Actor], field: str
) -> None:
    manager = actors["manager"]
    model = Team if field == "team_id" else StrategicFocus
    foreign = {field: _of_forum(db, model, OTHER_OWN)}
    own = {field: _of_forum(db, model, SEDEROT)}
    _refused(db, manager, meetings.SaveMeeting.of(_meeting(db, foreign)))
    mid = meetings.save_meeting(db, manager, _meeting(db, own))
    data, version = meeting_edits.meeting_input(db, manager, mid)
    data.tasks = [{"title": "Another task", **foreign}]
    _refused(db, manager, meeting_edits.CorrectMeeting.of(mid, version, data))
    made = meeting_edits.meeting_tasks(db, manager, mid)[0]
    moved = meeting_edits.TaskCorrection(**{**vars(made), field: foreign[field]})
    data.tasks = []
    _refused(db, manager, meeting_edits.CorrectMeeting.of(mid, version, data, [moved]))
    with db.transaction() as s:
        decision = s.scalars(select(Decision).where(Decision.meeting_id == mid)).one()
        decision_id, decision_version = decision.id, decision.version
    _refused(
        db, manager, decisions.DecisionToTask.of(SEDEROT, decision_id, decision_version, foreign)
    )
    _refused(db, manager, tasks.CreateTask.of(SEDEROT, {"title": "Plan", **foreign}))
    _refused(db, manager, tasks.UpdateTask.of(made.task_id, made.version, foreign))
    # typed by hand, the raw ID in the values: the pipeline resolves it all the same
    _refused(db, manager, tasks.CreateTask(SEDEROT, {"title": "Plan", **foreign}))
    task_ref = tasks.UpdateTask.of(made.task_id, made.version, {}).task
    _refused(db, manager, tasks.UpdateTask(task_ref, made.version, dict(foreign)))
    with db.transaction() as s:
        stored = s.get_one(Task, made.task_id)
        assert getattr(stored, field) != foreign[field]


def _decision_of(db: Database, meeting_id: int) -> Decision:
    with db.transaction() as s:
        found = s.scalars(select(Decision).where(Decision.meeting_id == meeting_id)).one()
        s.expunge(found)
    return found


def test_a_closed_decision_stays_closed_and_a_typo_fixed_in_it_keeps_what_came_of_it(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    mid = meetings.save_meeting(db, manager, _meeting(db, {}))
    d = _decision_of(db, mid)
    version = decisions.close_decision(
        db, manager, SEDEROT, d.id, d.version, date.today(), "Fair held in May"
    )
    for again in (
        decisions.CloseDecision.of(SEDEROT, d.id, version, date.today(), "Overwritten"),
        decisions.DecisionToTask.of(SEDEROT, d.id, version, {"title": "Erase the outcome"}),
    ):
        with pytest.raises(ValidationError) as refused:
            execute(db, manager, again)
        assert refused.value.fields == {"decision": "validation.already_closed"}
    data, meeting_version = meeting_edits.meeting_input(db, manager, mid)
    assert data.decisions == ["Hold a jobs fair"]
    data.decisions = ["Hold a job fair"]  # the typo fixed
    meeting_edits.correct_meeting(db, manager, mid, meeting_version, data)
    fixed = _decision_of(db, mid)
    assert (fixed.id, fixed.text, fixed.is_open) == (d.id, "Hold a job fair", False)
    assert fixed.outcome == "Fair held in May"
    # a decision of another meeting is not this correction's to change
    other = meetings.save_meeting(db, manager, _meeting(db, {}))
    data, meeting_version = meeting_edits.meeting_input(db, manager, mid)
    data.decision_ids = [_decision_of(db, other).id]
    with pytest.raises(NotFound):
        meeting_edits.correct_meeting(db, manager, mid, meeting_version, data)


def test_a_cancelled_or_done_task_is_not_cancelled_and_a_cancelled_one_not_reopened(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    mid = meetings.save_meeting(db, manager, _meeting(db, {}))
    made = meeting_edits.meeting_tasks(db, manager, mid)[0]
    done = tasks.update_task(db, manager, made.task_id, made.version, {"status": "done"})
    with pytest.raises(ValidationError) as refused:
        tasks.cancel_task(db, manager, made.task_id, done, "Not needed")
    assert refused.value.fields == {"status": "chain.task_done"}
    data, meeting_version = meeting_edits.meeting_input(db, manager, mid)
    edit = meeting_edits.meeting_tasks(db, manager, mid)[0]
    edit.cancel = True
    with pytest.raises(ValidationError) as refused:
        meeting_edits.correct_meeting(db, manager, mid, meeting_version, data, [edit])
    assert refused.value.fields == {"tasks": "chain.task_done"}
    reopened = tasks.update_task(db, manager, made.task_id, done, {"status": "in_progress"})
    cancelled = tasks.cancel_task(db, manager, made.task_id, reopened, "Not needed")
    for move in (
        tasks.CancelTask.of(made.task_id, cancelled, "Again"),
        tasks.UpdateTask.of(made.task_id, cancelled, {"status": "in_progress"}),
    ):
        with pytest.raises(ValidationError) as refused:
            execute(db, manager, move)
        assert refused.value.fields == {"status": "task.cancelled_locked"}
    with db.transaction() as s:
        assert s.get_one(Task, made.task_id).version == cancelled


def test_a_planned_meeting_held_is_not_cancelled(db: Database, actors: dict[str, Actor]) -> None:
    from employdash.forum import planning
    from employdash.models.forum import PlannedMeeting
    from tests.forum.test_planning import _schedule

    manager = actors["manager"]
    planned = _schedule(db, actors, on_date=date.today() + timedelta(days=1), today=None)
    data = _meeting(db, {})
    data.planned_id = planned
    meetings.save_meeting(db, manager, data)
    with db.transaction() as s:
        version = s.get_one(PlannedMeeting, planned).version
    with pytest.raises(ValidationError) as refused:
        execute(db, manager, planning.CancelPlannedMeeting.of(planned, version, "Rain"))
    assert refused.value.fields == {"status": "planning.already_held"}


def test_a_raw_id_the_command_does_not_declare_is_refused_before_anything_runs(
    db: Database, actors: dict[str, Actor]
) -> None:
    """An ID among a command's values that no declaration types (here a meeting the task form
    never hands) would reach the record unchecked: the pipeline refuses it as a defect."""
    manager = actors["manager"]
    task_id = tasks.create_task(db, manager, SEDEROT, {"title": "Plan"})
    task = tasks.UpdateTask.of(task_id, 1, {}).task
    with pytest.raises(TypeError, match="meeting_id"):
        execute(db, manager, tasks.UpdateTask(task, 1, {"meeting_id": 1}))
    with db.transaction() as s:
        assert s.get_one(Task, task_id).version == 1
