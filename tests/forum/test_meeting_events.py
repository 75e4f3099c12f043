"""What the meeting commands tell the mail and calendar work: a saved meeting with who came, what
was decided and the tasks; the next meetings set, moved or withdrawn, with who is invited; each
task's owner; a correction and what it changed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from employdash.access import Actor
from employdash.db import Database
from employdash.forum import meeting_edits, meetings
from employdash.models import Event
from employdash.models.forum import Decision, Membership, Task
from tests.foundation.command_samples import SEDEROT
from tests.foundation.command_samples.forum_meetings import HELD, meeting_input

pytestmark = pytest.mark.rolled_back


def _events(db: Database, after: int = 0) -> list[Event]:
    with db.transaction() as s:
        rows = list(s.scalars(select(Event).where(Event.id > after).order_by(Event.id)))
        s.expunge_all()
    return rows


def _by_name(events: list[Event]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for e in events:
        found.setdefault(e.name, []).append({"entity": e.entity, "id": e.entity_id, **e.payload})
    return found


def test_saving_a_meeting_tells_who_came_what_was_decided_and_when_it_meets_next(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager, member = actors["manager"], actors["member"]
    data = meeting_input(db, actors)
    mid = meetings.save_meeting(db, manager, data)
    events = _by_name(_events(db))
    with db.transaction() as s:
        decision = s.scalars(select(Decision.id).where(Decision.meeting_id == mid)).one()
        task = s.scalars(select(Task).where(Task.meeting_id == mid)).one()
        members = set(
            s.scalars(select(Membership.person_id).where(Membership.team_id == data.team_id))
        )
        task_id, forum_id = task.id, task.forum_id
    present = [p for p, here in data.attendance.items() if here]
    absent = [p for p, here in data.attendance.items() if not here]
    [saved] = events["meeting.saved"]
    assert saved == {
        "entity": "meeting",
        "id": str(mid),
        "forum_id": forum_id,
        "team_id": data.team_id,
        "kind": "forum",
        "number": 3,
        "held_on": HELD.isoformat(),
        "present_person_ids": present,
        "absent_person_ids": absent,
        "decision_ids": [decision],
        "task_ids": [task_id],
        "next_dates": [(HELD + timedelta(days=30)).isoformat()],
    }
    [scheduled] = events["meeting.scheduled"]
    assert scheduled["dates"] == [(HELD + timedelta(days=30)).isoformat()]
    assert scheduled["previous_dates"] == [] and scheduled["id"] == str(mid)
    assert set(scheduled["invited_person_ids"]) <= members and present[0] in members
    [assigned] = events["task.assigned"]
    assert (assigned["entity"], assigned["id"]) == ("task", str(task_id))
    assert assigned["owner_person_id"] == member.person_id
    assert assigned["title"] == "Book the hall" and assigned["meeting_id"] == mid
    assert assigned["due_date"] == (HELD + timedelta(days=14)).isoformat()
    assert {e.locality_code for e in _events(db)} == {SEDEROT}


def test_a_correction_tells_what_changed_the_moved_date_and_a_new_owner(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    mid = meetings.save_meeting(db, manager, meeting_input(db, actors))
    last = max(e.id for e in _events(db))
    data, version = meeting_edits.meeting_input(db, manager, mid)
    data.issues = "Corrected"
    moved = HELD + timedelta(days=35)
    data.next_dates = [moved]
    edit = meeting_edits.meeting_tasks(db, manager, mid)[0]
    edit.owner_person_id = manager.person_id
    meeting_edits.correct_meeting(db, manager, mid, version, data, [edit])
    events = _by_name(_events(db, last))
    [corrected] = events["meeting.corrected"]
    assert corrected["changed"] == ["issues", "next_dates", "tasks_corrected"]
    [scheduled] = events["meeting.scheduled"]
    assert scheduled["dates"] == [moved.isoformat()]
    assert scheduled["previous_dates"] == [(HELD + timedelta(days=30)).isoformat()]
    [assigned] = events["task.assigned"]
    assert (assigned["id"], assigned["owner_person_id"]) == (str(edit.task_id), manager.person_id)
    assert events["task.updated"][0]["changed"] == ["owner_person_id"]

    last = max(e.id for e in _events(db))
    _, version = meeting_edits.meeting_input(db, manager, mid)
    meeting_edits.delete_meeting(db, manager, SEDEROT, mid, version, "Entered twice")
    [withdrawn] = _by_name(_events(db, last))["meeting.scheduled"]
    assert (withdrawn["dates"], withdrawn["previous_dates"]) == ([], [moved.isoformat()])
