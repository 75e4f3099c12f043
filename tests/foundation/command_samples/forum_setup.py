"""Samples of the forum set-up's commands: the forum and its teams, members, milestones and their
notes, focuses and their metrics and values, quarterly snapshots, and the plan's approval."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from sqlalchemy import select, update

from employdash.access import Actor
from employdash.commands import Command
from employdash.db import Database
from employdash.forum import approval, focuses, membership, milestones, quarterly, setup
from employdash.forum import structure as forum
from employdash.forum.stages import ALL_MILESTONES
from employdash.models import Locality, Person
from employdash.models.forum import Forum, Membership, StrategicFocus, SuccessMetric, Team
from tests.foundation.command_samples import SEDEROT, first, of_forum, sample

Versioned = TypeVar("Versioned", Team, StrategicFocus)

NEXT_YEAR = date(date.today().year + 1, 1, 1)
MONTH = date(2026, 3, 1)


def _forum(db: Database) -> tuple[int, int]:
    """Sederot's forum and its version."""
    with db.transaction() as s:
        row = s.execute(select(Forum.id, Forum.version).where(Forum.locality_code == SEDEROT)).one()
    return int(row.id), int(row.version)


def _versioned(db: Database, model: type[Versioned]) -> tuple[int, int]:
    record_id = of_forum(db, model)
    with db.transaction() as s:
        return record_id, s.get_one(model, record_id).version


def _manual_metric(db: Database, actors: dict[str, Actor]) -> int:
    return focuses.add_manual_metric(
        db,
        actors["manager"],
        SEDEROT,
        of_forum(db, StrategicFocus),
        "Placements sample",
        "#",
        "up",
        1.0,
        date(2026, 1, 1),
        9.0,
        NEXT_YEAR,
    )


def _stranger(db: Database, team: int | None = None) -> int:
    """A person of Sederot who does not sit in `team`."""
    return first(
        db,
        Person,
        Person.locality_code == SEDEROT,
        Person.active.is_(True),
        Person.id.not_in(select(Membership.person_id).where(Membership.team_id == team)),
    )


@sample("employdash.forum.approval.ApprovePlan")
def _approve(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return approval.ApprovePlan.of(_forum(db)[0], date.today(), "Approved at the council")


@sample("employdash.forum.setup.CreateForum")
def _create_forum(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    with db.transaction() as s:  # Sederot's forum moves away: Sederot has none to create
        spare = s.scalar(
            select(Locality.code)
            .where(Locality.code.not_in(select(Forum.locality_code)))
            .order_by(Locality.code)
        )
        s.execute(update(Forum).where(Forum.locality_code == SEDEROT).values(locality_code=spare))
    return setup.CreateForum(SEDEROT, "Sederot employment forum", date(2026, 1, 1))


@sample("employdash.forum.setup.RenameForum")
def _rename_forum(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return setup.RenameForum.of(*_forum(db), "Sederot forum, renamed")


@sample("employdash.forum.setup.SetTargetTolerance")
def _set_target_tolerance(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return setup.SetTargetTolerance.of(*_forum(db), 0.15)


@sample("employdash.forum.setup.CreateTeam")
def _create_team(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    focus = of_forum(db, StrategicFocus)
    return setup.CreateTeam.of(SEDEROT, "task", "Youth team", _stranger(db), focus)


@sample("employdash.forum.setup.UpdateTeam")
def _update_team(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    team, version = _versioned(db, Team)
    values = {
        "name": "Renamed team",
        "lead_person_id": _stranger(db, team),
        "focus_id": of_forum(db, StrategicFocus),
    }
    return setup.UpdateTeam.of(team, version, values)


@sample("employdash.forum.structure.AddMember")
def _add_member(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    team = of_forum(db, Team)
    return forum.AddMember.of(team, _stranger(db, team), "member")


@sample("employdash.forum.membership.UpdateMembership")
def _update_membership(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    team = of_forum(db, Team)
    with db.transaction() as s:
        row = s.execute(
            select(Membership.id, Membership.version, Membership.team_id)
            .join(Team, Team.id == Membership.team_id)
            .join(Forum, Forum.id == Team.forum_id)
            .where(
                Forum.locality_code == SEDEROT,
                Membership.person_id.not_in(
                    select(Membership.person_id).where(Membership.team_id == team)
                ),
            )
            .order_by(Membership.id)
        ).first()
    assert row is not None
    return membership.UpdateMembership.of(row.id, row.version, {"role": "chair", "team_id": team})


@sample("employdash.forum.structure.SetMilestone")
def _set_milestone(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return forum.SetMilestone.of(_forum(db)[0], ALL_MILESTONES[-1], True, date.today())


@sample("employdash.forum.milestones.SetNote")
def _set_note(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    key = ALL_MILESTONES[0]
    seen = milestones.notes(db, actors["manager"], SEDEROT).get(key)
    return milestones.SetNote.of(
        _forum(db)[0],
        key,
        seen.version if seen else None,
        "Signed by the mayor",
        "Agreement",
        "https://example.org/agreement.pdf",
    )


@sample("employdash.forum.quarterly.TakeSnapshot")
def _snapshot(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return quarterly.TakeSnapshot.of(_forum(db)[0], "2026Q3")


@sample("employdash.forum.structure.CreateFocus")
def _create_focus(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return forum.CreateFocus.of(_forum(db)[0], "Youth at work", "More young people employed")


@sample("employdash.forum.focuses.UpdateFocus")
def _update_focus(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    values = {"title": "Women at work", "description": "Half of the placements"}
    return focuses.UpdateFocus.of(*_versioned(db, StrategicFocus), values)


@sample("employdash.forum.focuses.MoveFocus")
def _move_focus(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return focuses.MoveFocus.of(of_forum(db, StrategicFocus), 1)


@sample("employdash.forum.structure.AddMetric")
def _add_metric(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    focus = forum.create_focus(db, actors["manager"], SEDEROT, "A focus with no metric yet")
    return forum.AddMetric.of(focus, "jobs", 1.0, 2.0, NEXT_YEAR)


@sample("employdash.forum.focuses.AddManualMetric")
def _add_manual_metric(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return focuses.AddManualMetric.of(
        of_forum(db, StrategicFocus),
        "Visits",
        "#",
        "up",
        1.0,
        date(2026, 1, 1),
        5.0,
        NEXT_YEAR,
    )


@sample("employdash.forum.focuses.UpdateMetric")
def _update_metric(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    metric = _manual_metric(db, actors)
    with db.transaction() as s:
        version = s.get_one(SuccessMetric, metric).version
    return focuses.UpdateMetric.of(metric, version, {"name": "Placements", "unit": "people"})


@sample("employdash.forum.focuses.EnterValue")
def _enter_value(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return focuses.EnterValue.of(_manual_metric(db, actors), MONTH, 4.0, None)
