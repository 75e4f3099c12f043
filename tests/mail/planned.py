"""Planned meetings and their events as the planning commands write them (`Write.emit`), for
the mail tests: the Sederot forum's plenary with every current member and a guest invited."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any
from uuid import uuid4

from sqlalchemy import select
from sqlalchemy.orm import Session

from employdash.db import Database
from employdash.events import EventName, record_event
from employdash.forum.structure import current_membership
from employdash.models.core import User
from employdash.models.forum import Forum, Invitee, Membership, PlannedMeeting, Team

SEDEROT = 1031
MAIL_FROM = "forum@sderot.example.org"
MEETING_DAY = date(2027, 1, 20)  # winter: Israel is UTC+2
GUEST = ("Dana Guest", "dana.guest@example.com")


@dataclass(frozen=True)
class Plenary:
    """The Sederot forum's plenary team and its current members, as the tests set them up."""

    forum_id: int
    team_id: int
    members: list[int]  # person ids, in order
    member_person: int  # the demo member's person (has an account)


def plenary(db: Database) -> Plenary:
    with db.transaction() as s:
        forum_id = s.scalars(select(Forum.id).where(Forum.locality_code == SEDEROT)).one()
        team_id = s.scalars(
            select(Team.id).where(Team.forum_id == forum_id, Team.kind == "forum")
        ).one()
        members = sorted(
            set(
                s.scalars(
                    select(Membership.person_id).where(
                        Membership.team_id == team_id, current_membership(MEETING_DAY)
                    )
                )
            )
        )
        member_person = s.scalars(select(User.person_id).where(User.username == "member")).one()
    assert member_person in members
    return Plenary(forum_id, team_id, members, member_person)


def schedule(
    s: Session, p: Plenary, *, on: date = MEETING_DAY, guests: Sequence[tuple[str, str]] = (GUEST,)
) -> PlannedMeeting:
    planned = PlannedMeeting(
        forum_id=p.forum_id,
        team_id=p.team_id,
        kind="forum",
        on_date=on,
        starts=time(17, 30),
        ends=time(19, 0),
        place="אולם העירייה, קומה 2",
        online_url="https://meet.example.org/sderot-forum",
        agenda=[
            {"topic": "תעסוקת צעירים", "presenter": "רונית", "minutes": 30},
            {"topic": "Employers' round table", "presenter": None, "minutes": 20},
        ],
        uid=f"{uuid4()}@employdash",
        sequence=0,
        created_by="manager",
    )
    s.add(planned)
    s.flush()
    s.add_all(
        Invitee(planned_meeting_id=planned.id, person_id=pid, token=secrets.token_urlsafe(16))
        for pid in p.members
    )
    s.add_all(
        Invitee(
            planned_meeting_id=planned.id,
            guest_name=name,
            guest_email=address,
            token=secrets.token_urlsafe(16),
        )
        for name, address in guests
    )
    s.flush()
    return planned


def emit(s: Session, name: str, planned: PlannedMeeting, **payload: Any) -> None:
    record_event(
        s,
        name,
        "manager",
        SEDEROT,
        "planned_meeting",
        planned.id,
        {"planned_meeting_id": planned.id, "sequence": planned.sequence, **payload},
    )


def scheduled(s: Session, planned: PlannedMeeting, change: str = "created", **more: Any) -> None:
    emit(s, EventName.MEETING_SCHEDULED, planned, change=change, removed=more.get("removed", []))
