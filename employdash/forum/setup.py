"""Setting a forum up from nothing: the forum of a locality, its teams (steering, the plenary forum,
task and ad-hoc teams, each with a lead and a focus), renamed or deactivated later.

A team's lead sits in the team: naming a lead who is not a member seats them (role "team_lead"),
in the same transaction. Refusing instead would make a new team impossible to create with its
lead (a new team has no members yet) and cost the manager three steps for what they meant in one.

Admins, and managers for their localities (the FORUM write of the policy). Every person or focus a
team is handed must belong to the same locality.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import select

from employdash.access import Actor
from employdash.commands import ChangeAtVersion, Handed, Ref, Write, as_refs, execute, ids
from employdash.db import Database
from employdash.errors import ValidationError
from employdash.forum.structure import (
    ForumChange,
    forum_id_of,
    forum_row,
    reading_existing_forum,
    reading_forum,
    require_forum,
    seat_member,
    writer_in_locality,
)
from employdash.forum.target_status import TOLERANCE_RANGE
from employdash.handed_ids import forum_person
from employdash.models import Person
from employdash.models.forum import TEAM_KINDS, Forum, StrategicFocus, Team
from employdash.writers import writer

TEAM_FIELDS = ("name", "lead_person_id", "focus_id", "active")
R = TypeVar("R")


@dataclass(frozen=True)
class TeamRow:
    id: int
    kind: str
    name: str
    lead_person_id: int | None
    focus_id: int | None
    active: bool
    version: int


def _name(name: str | None) -> str:
    """A name on one line, spaces collapsed; required."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "validation.required"})
    return name


@dataclass
class CreateForum(ForumChange[int], texts={"name": "forum/name"}):
    """The locality's forum (one per locality), with the plenary forum as its first team."""

    locality_code: int
    name: str | None
    started_on: date
    stage: int = 1

    def validate(self, w: Write) -> None:
        self.name = _name(self.name)
        if self.stage not in (1, 2, 3):
            raise ValidationError({"stage": "validation.out_of_range"})
        if self.started_on is None or self.started_on > date.today():
            raise ValidationError({"started_on": "validation.out_of_range"})
        if forum_row(w.session, self.locality_code) is not None:
            raise ValidationError({"forum": "validation.duplicate"})

    def run(self, w: Write) -> int:
        name = self.name or ""
        forum = Forum(
            locality_code=self.locality_code,
            name=name,
            stage=self.stage,
            start_stage=self.stage,
            stage_since=self.started_on,
        )
        w.create(forum, {"name": name, "stage": self.stage, "stage_since": self.started_on})
        # The plenary forum is a team too: meetings and members need it from the first day.
        w.session.add(Team(forum_id=forum.id, kind="forum", name=name, active=True))
        return forum.id


def create_forum(
    db: Database, actor: Actor, locality_code: int, name: str, started_on: date, stage: int = 1
) -> int:
    return execute(db, actor, CreateForum(locality_code, name, started_on, stage)).value


@dataclass
class RenameForum(ForumChange[int], texts={"name": "forum/name"}):
    """A new name for the forum read at `version`; returns the new version."""

    forum: Ref[Forum]
    version: int
    name: str | None

    def validate(self, w: Write) -> None:
        self.name = _name(self.name)

    def run(self, w: Write) -> int:
        forum = w.get(self.forum)
        w.update(forum, self.version, {"name": self.name})
        return forum.version


def rename_forum(db: Database, actor: Actor, locality_code: int, version: int, name: str) -> int:
    forum_id = forum_id_of(db, actor, locality_code)
    return execute(db, actor, RenameForum.of(forum_id, version, name)).value


@dataclass
class SetTargetTolerance(ForumChange[int]):
    """How far behind its line a metric may fall before it is off track (a share of the way
    from baseline to target, see employdash.forum.target_status), for the forum read at
    `version`; returns the new version."""

    forum: Ref[Forum]
    version: int
    tolerance: float

    def validate(self, w: Write) -> None:
        low, high = TOLERANCE_RANGE
        try:
            self.tolerance = float(self.tolerance)
        except (TypeError, ValueError):
            raise ValidationError({"tolerance": "validation.invalid"}) from None
        if not low <= self.tolerance <= high:  # NaN fails too
            raise ValidationError({"tolerance": "validation.out_of_range"})

    def run(self, w: Write) -> int:
        forum = w.get(self.forum)
        w.update(forum, self.version, {"target_tolerance": self.tolerance})
        return forum.version


def forum_tolerance(db: Database, actor: Actor, locality_code: int) -> float:
    """The forum's tolerance for a metric behind its line."""
    with reading_existing_forum(db, actor, locality_code) as (_, forum):
        return forum.target_tolerance


def forum_version(db: Database, actor: Actor, locality_code: int) -> int:
    with reading_existing_forum(db, actor, locality_code) as (_, forum):
        return forum.version


def list_teams(
    db: Database, actor: Actor, locality_code: int, include_inactive: bool = True
) -> list[TeamRow]:
    with reading_forum(db, actor, locality_code) as (s, forum):
        if forum is None:
            return []
        query = select(Team).where(Team.forum_id == forum.id).order_by(Team.id)
        if not include_inactive:
            query = query.where(Team.active.is_(True))
        return [
            TeamRow(t.id, t.kind, t.name, t.lead_person_id, t.focus_id, t.active, t.version)
            for t in s.scalars(query)
        ]


# A team's lead (a person of the locality or already in its forum) and focus.
TEAM_REFS: dict[str, Handed] = {
    "lead_person_id": (Person, forum_person),
    "focus_id": StrategicFocus,
}


def _seat_lead(w: Write, team: Team, lead_before: int | None) -> None:
    """A team's lead sits in the team: a new lead not yet seated is seated as its lead."""
    if team.lead_person_id not in (None, lead_before):
        seat_member(w, team.id, team.lead_person_id, "team_lead")


@dataclass
class TeamChange(
    ForumChange[R],
    entity="team",
    texts={"values.name": "forum/team_name"},
    id_fields={"values": TEAM_REFS},
):
    """A write of a team's values: its name bounded, its lead and focus handed IDs."""


@dataclass
class CreateTeam(TeamChange[int]):
    """A team of the locality's forum, with an optional lead and focus."""

    locality_code: int
    values: dict[str, Any]

    @classmethod
    def of(
        cls,
        locality_code: int,
        kind: str,
        name: str,
        lead_person_id: int | None = None,
        focus_id: int | None = None,
    ) -> CreateTeam:
        values = {
            "kind": kind,
            "name": name,
            "lead_person_id": lead_person_id,
            "focus_id": focus_id,
        }
        return cls(locality_code, as_refs(TEAM_REFS, values))

    def validate(self, w: Write) -> None:
        if self.values["kind"] not in TEAM_KINDS:
            raise ValidationError({"kind": "validation.invalid"})
        self.values["name"] = _name(self.values["name"])

    def run(self, w: Write) -> int:
        forum = require_forum(w.session, self.locality_code)
        values = ids(self.values)
        team = w.create(Team(forum_id=forum.id, active=True, **values), values)
        _seat_lead(w, team, None)
        return team.id


create_team = writer(CreateTeam.of)


@dataclass
class UpdateTeam(ChangeAtVersion[Team], TeamChange[int]):
    """Rename, change the lead or focus, or deactivate (`active=False`) a team read at
    `version`; returns the new version. A lead kept as it was is not judged again."""

    model = Team
    editable = TEAM_FIELDS

    @classmethod
    def handed(cls, values: dict[str, Any]) -> dict[str, Any]:
        return as_refs(TEAM_REFS, values)

    def validate(self, w: Write) -> None:
        if "name" in self.values:
            self.values["name"] = _name(self.values["name"])

    def run(self, w: Write) -> int:
        team = w.get(self.record)
        lead_before = team.lead_person_id
        w.update(team, self.version, ids(self.values))
        _seat_lead(w, team, lead_before)
        return team.version


update_team = writer_in_locality(Team, UpdateTeam.of)
