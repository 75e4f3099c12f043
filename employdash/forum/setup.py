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
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from employdash import audit
from employdash.access import Actor, Area, require_read, require_write
from employdash.db import Database, rowcount
from employdash.errors import StaleVersion, ValidationError
from employdash.forum.structure import forum_row, require_forum, seat_member
from employdash.handed_ids import forum_person, in_locality
from employdash.models.forum import TEAM_KINDS, Forum, StrategicFocus, Team


@dataclass(frozen=True)
class TeamRow:
    id: int
    kind: str
    name: str
    lead_person_id: int | None
    focus_id: int | None
    active: bool
    version: int


def _name(name: str, limit: int = 200) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "validation.required"})
    if len(name) > limit:
        raise ValidationError({"name": "validation.too_long"})
    return name


def create_forum(
    db: Database, actor: Actor, locality_code: int, name: str, started_on: date, stage: int = 1
) -> int:
    """The locality's forum (one per locality), with the plenary forum as its first team."""
    require_write(actor, Area.FORUM, locality_code)
    name = _name(name)
    if stage not in (1, 2, 3):
        raise ValidationError({"stage": "validation.out_of_range"})
    if started_on is None or started_on > date.today():
        raise ValidationError({"started_on": "validation.out_of_range"})
    with db.transaction() as s:
        if forum_row(s, locality_code) is not None:
            raise ValidationError({"forum": "validation.duplicate"})
        forum = Forum(locality_code=locality_code, name=name, stage=stage, stage_since=started_on)
        s.add(forum)
        s.flush()
        # The plenary forum is a team too: meetings and members need it from the first day.
        s.add(Team(forum_id=forum.id, kind="forum", name=name, active=True))
        audit.record(
            s,
            actor,
            "create",
            "forum",
            forum.id,
            after={"name": name, "stage": stage, "stage_since": started_on},
            locality_code=locality_code,
        )
        return forum.id


def rename_forum(db: Database, actor: Actor, locality_code: int, version: int, name: str) -> int:
    require_write(actor, Area.FORUM, locality_code)
    name = _name(name)
    with db.transaction() as s:
        forum = require_forum(s, locality_code)
        before = forum.name
        result = s.execute(
            update(Forum)
            .where(Forum.id == forum.id, Forum.version == version)
            .values(name=name, version=version + 1)
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            s.rollback()
            raise StaleVersion({}, forum.version)
        audit.record(
            s,
            actor,
            "update",
            "forum",
            forum.id,
            before={"name": before},
            after={"name": name},
            locality_code=locality_code,
        )
        return version + 1


def forum_version(db: Database, actor: Actor, locality_code: int) -> int:
    require_read(actor, Area.FORUM, locality_code)
    with db.transaction() as s:
        return require_forum(s, locality_code).version


def list_teams(
    db: Database, actor: Actor, locality_code: int, include_inactive: bool = True
) -> list[TeamRow]:
    require_read(actor, Area.FORUM, locality_code)
    with db.transaction() as s:
        forum = forum_row(s, locality_code)
        if forum is None:
            return []
        query = select(Team).where(Team.forum_id == forum.id).order_by(Team.id)
        if not include_inactive:
            query = query.where(Team.active.is_(True))
        return [
            TeamRow(t.id, t.kind, t.name, t.lead_person_id, t.focus_id, t.active, t.version)
            for t in s.scalars(query)
        ]


def _refs(
    s: Session, actor: Actor, locality_code: int, values: dict[str, Any], lead: int | None = None
) -> None:
    """The handed lead and focus belong to the locality (a lead kept as it was is not re-judged)."""
    if values.get("lead_person_id") not in (None, lead):
        forum_person(s, actor, values["lead_person_id"], locality_code)
    if values.get("focus_id") is not None:
        in_locality(s, actor, StrategicFocus, values["focus_id"], locality_code)


def create_team(
    db: Database,
    actor: Actor,
    locality_code: int,
    kind: str,
    name: str,
    lead_person_id: int | None = None,
    focus_id: int | None = None,
) -> int:
    require_write(actor, Area.FORUM, locality_code)
    if kind not in TEAM_KINDS:
        raise ValidationError({"kind": "validation.invalid"})
    values = {
        "kind": kind,
        "name": _name(name),
        "lead_person_id": lead_person_id,
        "focus_id": focus_id,
    }
    with db.transaction() as s:
        forum = require_forum(s, locality_code)
        _refs(s, actor, locality_code, values)
        team = Team(forum_id=forum.id, active=True, **values)
        s.add(team)
        s.flush()
        audit.record(s, actor, "create", "team", team.id, after=values, locality_code=locality_code)
        if lead_person_id is not None:
            seat_member(s, actor, locality_code, team.id, lead_person_id, "team_lead")
        return team.id


def update_team(
    db: Database,
    actor: Actor,
    locality_code: int,
    team_id: int,
    version: int,
    values: dict[str, Any],
) -> int:
    """Rename, change lead or focus, or deactivate (`active=False`) a team read at `version`."""
    require_write(actor, Area.FORUM, locality_code)
    values = {
        k: v for k, v in values.items() if k in ("name", "lead_person_id", "focus_id", "active")
    }
    if "name" in values:
        values["name"] = _name(values["name"])
    with db.transaction() as s:
        team = in_locality(s, actor, Team, team_id, locality_code)
        _refs(s, actor, locality_code, values, team.lead_person_id)
        before = {k: getattr(team, k) for k in values}
        result = s.execute(
            update(Team)
            .where(Team.id == team_id, Team.version == version)
            .values(**values, version=version + 1)
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            s.rollback()
            current = s.scalar(select(Team.version).where(Team.id == team_id))
            raise StaleVersion({}, current or version)
        old, new = audit.changed_fields(before, {**before, **values})
        audit.record(
            s, actor, "update", "team", team_id, before=old, after=new, locality_code=locality_code
        )
        if values.get("lead_person_id") not in (None, before.get("lead_person_id")):
            seat_member(s, actor, locality_code, team_id, values["lead_person_id"], "team_lead")
        return version + 1
