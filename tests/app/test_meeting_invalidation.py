"""A meeting saved, corrected or deleted from the UI (through `perform`) shows at once in the
mayor's cached briefing: the command declares the briefing stale and `perform` clears it."""

from __future__ import annotations

from datetime import date, timedelta

from components.briefing.data import briefing_for
from components.common.cache import clear_area
from components.common.commands import perform
from employdash.access import Actor, Area
from employdash.commands import execute
from employdash.db import Database
from employdash.forum import meeting_edits, meetings
from tests.foundation.command_samples import SEDEROT
from tests.foundation.command_samples.forum_meetings import meeting_input


def _open_decisions(db: Database, mayor: Actor) -> list[str]:
    forum = briefing_for(db, mayor, SEDEROT).forum
    assert forum is not None
    return list(forum.open_decisions)


def test_a_saved_meeting_shows_in_the_cached_briefing(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager, mayor = actors["manager"], actors["mayor"]
    clear_area(Area.BRIEFING)  # nothing cached from another test's database of the same URL
    assert "Open the youth desk" not in _open_decisions(db, mayor)

    data = meeting_input(db, actors)
    data.held_on, data.decisions = date.today(), ["Survey the employers"]
    execute(db, manager, meetings.SaveMeeting.of(data))  # saved, but nothing cleared
    assert "Survey the employers" not in _open_decisions(db, mayor)  # the cached read is stale

    data = meeting_input(db, actors)
    data.held_on, data.decisions = date.today(), ["Open the youth desk"]
    data.next_dates = [date.today() + timedelta(days=2)]
    mid = meetings.save_meeting(db, manager, data, run=perform)
    assert _open_decisions(db, mayor)[:2] == ["Open the youth desk", "Survey the employers"]
    forum = briefing_for(db, mayor, SEDEROT).forum
    assert forum is not None and forum.next_meeting == date.today() + timedelta(days=2)

    fixed, version = meeting_edits.meeting_input(db, manager, mid)
    fixed.decisions = ["Open two youth desks"]
    perform(db, manager, meeting_edits.CorrectMeeting.of(mid, version, fixed))
    assert _open_decisions(db, mayor)[0] == "Open two youth desks"

    _, version = meeting_edits.meeting_input(db, manager, mid)
    perform(db, manager, meeting_edits.DeleteMeeting.of(SEDEROT, mid, version, "Entered twice"))
    assert "Open two youth desks" not in _open_decisions(db, mayor)
