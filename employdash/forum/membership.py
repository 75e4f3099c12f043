"""Changing who sits where: a member's role or team changes, and a membership ends on a date.

An ended membership stays (history and past attendance are untouched); from its end date the
person is no longer listed in the team or expected at its meetings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from employdash.access import Actor
from employdash.commands import ChangeAtVersion, Ref, Write, execute, ref
from employdash.db import Database
from employdash.errors import ValidationError
from employdash.forum.structure import (
    ForumChange,
    check_locality,
    forum_role,
    writer_in_locality,
)
from employdash.models.forum import Membership, Team

__all__ = ["UpdateMembership", "end_membership", "forum_role", "update_membership"]
FIELDS = ("role", "team_id", "ended_on")


@dataclass
class UpdateMembership(
    ChangeAtVersion[Membership],
    ForumChange[int],
    entity="membership",
    id_fields={"values": {"team_id": Team}},
):
    """Change `role`, `team_id` (a team of the same forum) or `ended_on` of a membership read at
    `version`; returns the new version."""

    model = Membership
    editable = FIELDS

    @classmethod
    def handed(cls, values: dict[str, Any]) -> dict[str, Any]:
        if "team_id" in values:
            values["team_id"] = ref(Team, values["team_id"])
        return values

    @classmethod
    def ending(cls, membership_id: int, version: int, on: date | None) -> UpdateMembership:
        """End a membership on `on`: kept for the history, out of the expected attendance
        after."""
        if on is None:
            raise ValidationError({"ended_on": "validation.required"})
        return cls.of(membership_id, version, {"ended_on": on})

    def validate(self, w: Write) -> None:
        row = w.get(self.record)
        if "role" in self.values:
            self.values["role"] = forum_role(self.values["role"])
        team = self.values.get("team_id")
        if isinstance(team, Ref):
            clash = w.session.scalar(
                select(Membership.id).where(
                    Membership.team_id == team.id,
                    Membership.person_id == row.person_id,
                    Membership.id != row.id,
                )
            )
            if clash:
                raise ValidationError({"team": "validation.duplicate"})
        ended = self.values.get("ended_on")
        if ended is not None and row.joined_on is not None and ended < row.joined_on:
            raise ValidationError({"ended_on": "validation.out_of_range"})


update_membership = writer_in_locality(Membership, UpdateMembership.of)


def end_membership(
    db: Database, actor: Actor, locality_code: int, membership_id: int, version: int, on: date
) -> int:
    check_locality(db, actor, locality_code, Membership, membership_id)
    return execute(db, actor, UpdateMembership.ending(membership_id, version, on)).value
