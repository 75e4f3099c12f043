"""Samples of the forum's meeting commands: saving, correcting and deleting a meeting."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from employdash.access import Actor
from employdash.commands import Command
from employdash.db import Database
from employdash.forum import meeting_edits, meetings
from employdash.models.forum import Forum, Membership, StrategicFocus, Team
from tests.foundation.command_samples import SEDEROT, of_forum, sample

HELD = date(2026, 11, 20)


def meeting_input(db: Database, actors: dict[str, Actor]) -> meetings.MeetingInput:
    """A meeting of Sederot's plenary forum with a row in every list of the form: two members
    (one present, one absent), a guest, a link, a decision, a task with an owner, team and focus,
    and a next meeting."""
    with db.transaction() as s:
        rows = s.execute(
            select(Team.id, Membership.person_id)
            .join(Forum, Forum.id == Team.forum_id)
            .join(Membership, Membership.team_id == Team.id)
            .where(Forum.locality_code == SEDEROT, Team.kind == "forum")
            .order_by(Membership.person_id)
            .limit(2)
        ).all()
    assert len(rows) == 2, "the plenary of Sederot has fewer than two members"
    (team, present), (_, absent) = rows
    return meetings.MeetingInput(
        locality_code=SEDEROT,
        team_id=team,
        held_on=HELD,
        number=3,
        agenda=["Work plan"],
        attendance={present: True, absent: False},
        guests=[{"name": "Dana Guest", "organisation": "Ministry"}],
        issues="Employers' round table",
        decisions=["Start the youth team"],
        tasks=[
            {
                "title": "Book the hall",
                "owner_person_id": actors["member"].person_id,
                "team_id": of_forum(db, Team),
                "focus_id": of_forum(db, StrategicFocus),
                "due_date": HELD + timedelta(days=14),
            }
        ],
        attachments=[{"title": "Slides", "url": "https://example.org/slides.pdf"}],
        next_dates=[HELD + timedelta(days=30)],
    )


@sample("employdash.forum.meetings.SaveMeeting")
def _save(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return meetings.SaveMeeting.of(meeting_input(db, actors))


def saved_meeting(db: Database, actors: dict[str, Actor]) -> int:
    return meetings.save_meeting(db, actors["manager"], meeting_input(db, actors))


@sample("employdash.forum.meeting_edits.CorrectMeeting")
def _correct(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    manager = actors["manager"]
    mid = saved_meeting(db, actors)
    data, version = meeting_edits.meeting_input(db, manager, mid)
    data.issues = "Employers' round table, corrected"
    data.tasks = meeting_input(db, actors).tasks  # one more task, decided in the correction
    edit = meeting_edits.meeting_tasks(db, manager, mid)[0]
    edit.title = "Book the big hall"
    return meeting_edits.CorrectMeeting.of(mid, version, data, [edit])


@sample("employdash.forum.meeting_edits.DeleteMeeting")
def _delete(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    mid = saved_meeting(db, actors)
    _, version = meeting_edits.meeting_input(db, actors["manager"], mid)
    return meeting_edits.DeleteMeeting.of(SEDEROT, mid, version, "Entered twice")
