"""Samples of the planned meetings' commands.

The demo data holds no planned meeting: a sample schedules the ones it needs (in Sederot as its
manager, and one in Tel Aviv as the admin, so that a reference outside the manager's scope
exists for the generic tests).
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import select

from employdash.access import Actor
from employdash.commands import Command, Ref, execute
from employdash.db import Database
from employdash.forum import planning
from employdash.models.forum import Forum, Invitee, PlannedMeeting, Team
from tests.foundation.command_samples import SEDEROT, first, sample

TEL_AVIV = 31
SOON = date.today() + timedelta(days=10)


def _team(db: Database, locality_code: int) -> int:
    return first(
        db, Team, Team.forum_id.in_(select(Forum.id).where(Forum.locality_code == locality_code))
    )


def values(db: Database, team_id: int, invitee_ids: list[int]) -> dict[str, Any]:
    """A valid schedule form: the team, a date ten days on, a place, an agenda, a guest."""
    return {
        "team_id": team_id,
        "on_date": SOON,
        "starts": time(17, 0),
        "ends": time(19, 0),
        "place": "City hall, room 2",
        "online_url": "https://meet.example.org/forum",
        "agenda": [{"topic": "Job fair", "presenter": "Dana", "minutes": 20}],
        "invitee_ids": invitee_ids,
        "guests": [{"name": "Guest speaker", "email": "guest@example.org"}],
    }


def _planned(db: Database, actors: dict[str, Actor]) -> tuple[int, int, str]:
    """A Sederot meeting inviting the manager and the member (and one of Tel Aviv): its id,
    version and the manager's invitation token."""
    others = [p for p in (actors["admin"].person_id,) if p is not None]
    tel_aviv = values(db, _team(db, TEL_AVIV), others)
    execute(db, actors["admin"], planning.ScheduleMeeting.of(TEL_AVIV, tel_aviv))
    people = [p for p in (actors["manager"].person_id, actors["member"].person_id) if p]
    planned_id = planning.schedule_meeting(
        db, actors["manager"], SEDEROT, values(db, _team(db, SEDEROT), people)
    )
    with db.transaction() as s:
        version = s.get_one(PlannedMeeting, planned_id).version
        token = s.scalar(
            select(Invitee.token).where(
                Invitee.planned_meeting_id == planned_id,
                Invitee.person_id == actors["manager"].person_id,
            )
        )
    assert token is not None
    return planned_id, version, token


@sample("employdash.forum.planning.ScheduleMeeting")
def _schedule(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    _planned(db, actors)  # a meeting outside the manager's scope to be handed in its place
    invitees = [p for p in (actors["member"].person_id,) if p is not None]
    return planning.ScheduleMeeting.of(SEDEROT, values(db, _team(db, SEDEROT), invitees))


@sample("employdash.forum.planning.EditPlannedMeeting")
def _edit(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    planned_id, version, _ = _planned(db, actors)
    moved = {**values(db, _team(db, SEDEROT), []), "place": "Community centre"}
    return planning.EditPlannedMeeting.of(planned_id, version, moved)


@sample("employdash.forum.planning.CancelPlannedMeeting")
def _cancel(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    planned_id, version, _ = _planned(db, actors)
    return planning.CancelPlannedMeeting(Ref(PlannedMeeting, planned_id), version, "The hall")


@sample("employdash.forum.planning.AnswerInvitation")
def _answer(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    _, _, token = _planned(db, actors)
    found = planning.invitation(db, actors["manager"], token)
    return planning.AnswerInvitation(Ref(Invitee, found.invitee_id), token, "coming")
