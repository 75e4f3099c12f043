"""The forum's structure: teams, members, stage milestones and strategic focuses.

Everyone in the locality's scope reads; managers and admins edit (members and leadership never edit
the structure).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TypedDict, cast

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from employdash import audit
from employdash.access import Actor, Area, require_locality, require_write
from employdash.db import Database
from employdash.errors import NotFound, ValidationError
from employdash.forum.membership import forum_role
from employdash.forum.stages import ALL_MILESTONES, stage_from, stage_started_on
from employdash.handed_ids import forum_person
from employdash.limits import clean_text
from employdash.models import Organisation, Person
from employdash.models.forum import (
    TEAM_KINDS,
    Forum,
    Membership,
    MilestoneCheck,
    StrategicFocus,
    SuccessMetric,
    Team,
)
from employdash.models.indicators import IndicatorDefinition


class TeamRow(TypedDict):
    """A forum team as the pages list it."""

    id: int
    kind: str
    name: str
    focus_id: int | None


class FocusRow(TypedDict):
    """A current strategic focus."""

    id: int
    title: str
    description: str | None
    version: int


class MemberRow(TypedDict):
    """One current (person, team) membership of the forum."""

    person_id: int
    full_name: str
    email: str | None
    phone: str | None
    organisation: str | None
    sector: str | None
    team_id: int
    team: str
    kind: str
    role: str | None
    membership_id: int
    membership_version: int
    joined_on: date | None


class PersonChoice(TypedDict):
    """A person the forum can add or assign."""

    id: int
    full_name: str
    organisation: str | None


class MetricRow(TypedDict):
    """A current success metric, named from the catalogue or by its own name."""

    id: int
    focus_id: int
    focus_title: str
    indicator_code: str | None
    baseline: float
    baseline_date: date | None
    target: float
    target_date: date
    direction: str | None
    version: int
    name_he: str | None
    name_en: str | None
    unit: str | None


class IndicatorChoice(TypedDict):
    """A headline outcome indicator a success metric can follow."""

    code: str
    name_he: str
    name_en: str
    unit: str


def forum_row(s: Session, locality_code: int) -> Forum | None:
    return s.scalar(select(Forum).where(Forum.locality_code == locality_code))


def require_forum(s: Session, locality_code: int) -> Forum:
    forum = forum_row(s, locality_code)
    if forum is None:
        raise NotFound(f"no forum in locality {locality_code}")
    return forum


@dataclass(frozen=True)
class Overview:
    forum_id: int
    name: str
    stage: int
    stage_since: date | None
    checks: dict[str, tuple[date, str]] = field(default_factory=dict)
    teams: list[TeamRow] = field(default_factory=list)
    focuses: list[FocusRow] = field(default_factory=list)


def teams_of(s: Session, forum_id: int) -> list[TeamRow]:
    rows = s.execute(
        select(Team.id, Team.kind, Team.name, Team.focus_id)
        .where(Team.forum_id == forum_id, Team.active.is_(True))
        .order_by(Team.id)
    )
    order = {kind: i for i, kind in enumerate(TEAM_KINDS)}
    teams = [TeamRow(id=r.id, kind=r.kind, name=r.name, focus_id=r.focus_id) for r in rows]
    return sorted(teams, key=lambda t: (order[t["kind"]], t["id"]))


def overview(db: Database, actor: Actor, locality_code: int) -> Overview | None:
    """The forum of a locality, or None when it has none yet."""
    require_locality(actor, locality_code)
    with db.transaction() as s:
        forum = forum_row(s, locality_code)
        if forum is None:
            return None
        checks = {
            c.milestone_key: (c.checked_on, c.checked_by)
            for c in s.scalars(select(MilestoneCheck).where(MilestoneCheck.forum_id == forum.id))
        }
        focuses = [
            FocusRow(id=f.id, title=f.title, description=f.description, version=f.version)
            for f in s.scalars(
                select(StrategicFocus)
                .where(StrategicFocus.forum_id == forum.id, StrategicFocus.retired.is_(False))
                .order_by(StrategicFocus.position, StrategicFocus.id)
            )
        ]
        return Overview(
            forum.id,
            forum.name,
            forum.stage,
            forum.stage_since,
            checks,
            teams_of(s, forum.id),
            focuses,
        )


def current_membership(as_of: date) -> ColumnElement[bool]:
    """A membership that has not ended by `as_of` (an ended member is no longer expected)."""
    return Membership.ended_on.is_(None) | (Membership.ended_on > as_of)


def members(
    db: Database, actor: Actor, locality_code: int, as_of: date | None = None
) -> list[MemberRow]:
    """One row per current (person, team): a person in three teams appears three times."""
    require_locality(actor, locality_code)
    as_of = as_of or date.today()
    with db.transaction() as s:
        forum = require_forum(s, locality_code)
        rows = s.execute(
            select(
                Person.id.label("person_id"),
                Person.full_name,
                Person.email,
                Person.phone,
                Organisation.name.label("organisation"),
                Organisation.sector,
                Team.id.label("team_id"),
                Team.name.label("team"),
                Team.kind,
                Membership.role,
                Membership.id.label("membership_id"),
                Membership.version.label("membership_version"),
                Membership.joined_on,
            )
            .join(Membership, Membership.person_id == Person.id)
            .join(Team, Team.id == Membership.team_id)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .where(Team.forum_id == forum.id, Team.active.is_(True), current_membership(as_of))
            .order_by(Team.id, Person.full_name)
        )
        return [cast(MemberRow, dict(r._mapping)) for r in rows]


def team_people(s: Session, team_id: int) -> list[int]:
    return list(s.scalars(select(Membership.person_id).where(Membership.team_id == team_id)))


def people_of(db: Database, actor: Actor, locality_code: int) -> list[PersonChoice]:
    """Everyone the forum can add or assign: the locality's people and the forum's members."""
    require_locality(actor, locality_code)
    with db.transaction() as s:
        forum = forum_row(s, locality_code)
        member_ids = (
            select(Membership.person_id)
            .join(Team)
            .where(Team.forum_id == (forum.id if forum else -1))
        )
        rows = s.execute(
            select(Person.id, Person.full_name, Organisation.name.label("organisation"))
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .where(
                (Person.locality_code == locality_code) | Person.id.in_(member_ids),
                Person.active.is_(True),
            )
            .order_by(Person.full_name)
        )
        return [cast(PersonChoice, dict(r._mapping)) for r in rows]


def set_milestone(
    db: Database, actor: Actor, locality_code: int, key: str, checked: bool, on: date
) -> int:
    """Check (or uncheck) a milestone; the forum's stage follows. Returns the new stage."""
    require_write(actor, Area.FORUM, locality_code)
    if key not in ALL_MILESTONES:
        raise ValidationError({"milestone": "validation.invalid"})
    with db.transaction() as s:
        forum = require_forum(s, locality_code)
        row = s.scalar(
            select(MilestoneCheck).where(
                MilestoneCheck.forum_id == forum.id, MilestoneCheck.milestone_key == key
            )
        )
        before = {"checked": row is not None, "stage": forum.stage}
        if checked and row is None:
            s.add(
                MilestoneCheck(
                    forum_id=forum.id, milestone_key=key, checked_on=on, checked_by=actor.username
                )
            )
        elif not checked and row is not None:
            s.delete(row)
        s.flush()
        checks = {
            c.milestone_key: c.checked_on
            for c in s.scalars(select(MilestoneCheck).where(MilestoneCheck.forum_id == forum.id))
        }
        stage = stage_from(set(checks))
        if stage != forum.stage:
            forum.stage = stage
            forum.stage_since = stage_started_on(checks, stage) or on
        audit.record(
            s,
            actor,
            "milestone",
            "forum",
            forum.id,
            before=before,
            after={"milestone": key, "checked": checked, "stage": stage},
            locality_code=locality_code,
        )
        return stage


def add_member(
    db: Database, actor: Actor, locality_code: int, team_id: int, person_id: int, role: str | None
) -> None:
    require_write(actor, Area.FORUM, locality_code)
    role = forum_role(role)
    with db.transaction() as s:
        forum = require_forum(s, locality_code)
        team = s.get(Team, team_id)
        if team is None or team.forum_id != forum.id:
            raise NotFound(f"team {team_id}")
        forum_person(s, actor, person_id, locality_code)
        if not seat_member(s, actor, locality_code, team_id, person_id, role):
            raise ValidationError({"person": "validation.duplicate"})


def seat_member(
    s: Session, actor: Actor, locality_code: int, team_id: int, person_id: int, role: str | None
) -> bool:
    """Seat a person (already checked for the locality) in a team from today, audited; False when
    they sit there already. One who left comes back to the same seat (one row per team and
    person keeps their history)."""
    exists = s.scalar(
        select(Membership).where(Membership.team_id == team_id, Membership.person_id == person_id)
    )
    if exists is not None and exists.ended_on is None:
        return False
    if exists is not None:  # came back: the same seat again, from today
        exists.ended_on = None
        exists.role = role or None
        exists.joined_on = date.today()
        exists.version += 1
    else:
        s.add(
            Membership(
                team_id=team_id,
                person_id=person_id,
                role=role or None,
                joined_on=date.today(),
            )
        )
    audit.record(
        s,
        actor,
        "create",
        "membership",
        f"{team_id}:{person_id}",
        after={"team_id": team_id, "person_id": person_id, "role": role},
        locality_code=locality_code,
    )
    return True


def _same_name(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def refuse_duplicate_metric(
    s: Session,
    focus_id: int,
    name: str | None = None,
    indicator_code: str | None = None,
    skip: int | None = None,
) -> None:
    """Refuse a second current metric of one focus under one name (in either language): the
    same catalogue indicator twice, or a manual metric named as another metric of the focus.
    Two lines that read alike on the plan and the briefing cannot be told apart."""
    rows = s.execute(
        select(
            SuccessMetric.indicator_code,
            SuccessMetric.name,
            IndicatorDefinition.name_he,
            IndicatorDefinition.name_en,
        )
        .outerjoin(IndicatorDefinition, IndicatorDefinition.code == SuccessMetric.indicator_code)
        .where(
            SuccessMetric.focus_id == focus_id,
            SuccessMetric.retired.is_(False),
            SuccessMetric.id != (skip if skip is not None else -1),
        )
    ).all()
    wanted = {_same_name(name)} if name else set()
    if indicator_code is not None:
        wanted |= {
            _same_name(n)
            for n in s.execute(
                select(IndicatorDefinition.name_he, IndicatorDefinition.name_en).where(
                    IndicatorDefinition.code == indicator_code
                )
            ).one_or_none()
            or ()
        }
    for row in rows:
        taken = {_same_name(n) for n in (row.name, row.name_he, row.name_en) if n}
        if (indicator_code is not None and row.indicator_code == indicator_code) or (
            wanted & taken
        ):
            field = "name" if name else "indicator"
            raise ValidationError({field: "forum.metric.duplicate"})


def metrics_of(s: Session, forum_id: int) -> list[MetricRow]:
    """The forum's current metrics (of current focuses): a catalogue indicator's names and unit,
    or a manual metric's own name (in both languages) and unit."""
    rows = s.execute(
        select(
            SuccessMetric.id,
            SuccessMetric.focus_id,
            StrategicFocus.title.label("focus_title"),
            SuccessMetric.indicator_code,
            SuccessMetric.baseline,
            SuccessMetric.baseline_date,
            SuccessMetric.target,
            SuccessMetric.target_date,
            SuccessMetric.direction,
            SuccessMetric.version,
            func.coalesce(IndicatorDefinition.name_he, SuccessMetric.name).label("name_he"),
            func.coalesce(IndicatorDefinition.name_en, SuccessMetric.name).label("name_en"),
            func.coalesce(IndicatorDefinition.unit, SuccessMetric.unit).label("unit"),
        )
        .join(StrategicFocus, StrategicFocus.id == SuccessMetric.focus_id)
        .outerjoin(IndicatorDefinition, IndicatorDefinition.code == SuccessMetric.indicator_code)
        .where(
            StrategicFocus.forum_id == forum_id,
            StrategicFocus.retired.is_(False),
            SuccessMetric.retired.is_(False),
        )
        .order_by(StrategicFocus.position, StrategicFocus.id, SuccessMetric.id)
    )
    return [cast(MetricRow, dict(r._mapping)) for r in rows]


def indicator_choices(db: Database, actor: Actor, locality_code: int) -> list[IndicatorChoice]:
    """Headline outcome indicators a success metric can follow."""
    require_locality(actor, locality_code)
    with db.transaction() as s:
        rows = s.execute(
            select(
                IndicatorDefinition.code,
                IndicatorDefinition.name_he,
                IndicatorDefinition.name_en,
                IndicatorDefinition.unit,
            )
            .where(IndicatorDefinition.parent_code.is_(None))
            .order_by(IndicatorDefinition.sort_order, IndicatorDefinition.code)
        )
        return [cast(IndicatorChoice, dict(r._mapping)) for r in rows]


def create_focus(
    db: Database, actor: Actor, locality_code: int, title: str, description: str = ""
) -> int:
    require_write(actor, Area.FORUM, locality_code)
    title = clean_text(title, "forum/focus_title")
    description = clean_text(description, "forum/focus_description")
    if not title:
        raise ValidationError({"title": "validation.required"})
    with db.transaction() as s:
        forum = require_forum(s, locality_code)
        position = s.scalar(select(func.count()).where(StrategicFocus.forum_id == forum.id)) or 0
        focus = StrategicFocus(
            forum_id=forum.id,
            title=title,
            description=description or None,
            position=position,
        )
        s.add(focus)
        s.flush()
        audit.record(
            s,
            actor,
            "create",
            "strategic_focus",
            focus.id,
            after={"title": title, "description": focus.description},
            locality_code=locality_code,
        )
        return focus.id


def add_metric(
    db: Database,
    actor: Actor,
    locality_code: int,
    focus_id: int,
    indicator_code: str,
    baseline: float,
    target: float,
    target_date: date | None,
    baseline_date: date | None = None,
) -> int:
    """A success metric: an outcome indicator from `baseline` (on `baseline_date`, today if not
    given) to `target` by `target_date`."""
    require_write(actor, Area.FORUM, locality_code)
    errors: dict[str, str] = {}
    if baseline == target:
        errors["target"] = "validation.invalid"
    if target_date is None:
        errors["target_date"] = "validation.required"
    if errors or target_date is None:
        raise ValidationError(errors)
    with db.transaction() as s:
        forum = require_forum(s, locality_code)
        focus = s.get(StrategicFocus, focus_id)
        if focus is None or focus.forum_id != forum.id:
            raise ValidationError({"focus": "validation.invalid"})
        if s.get(IndicatorDefinition, indicator_code) is None:
            raise ValidationError({"indicator": "validation.invalid"})
        refuse_duplicate_metric(s, focus_id, indicator_code=indicator_code)
        metric = SuccessMetric(
            focus_id=focus_id,
            indicator_code=indicator_code,
            baseline=float(baseline),
            baseline_date=baseline_date or date.today(),
            target=float(target),
            target_date=target_date,
        )
        s.add(metric)
        s.flush()
        audit.record(
            s,
            actor,
            "create",
            "success_metric",
            metric.id,
            after={
                "focus_id": focus_id,
                "indicator_code": indicator_code,
                "baseline": baseline,
                "target": target,
                "target_date": target_date,
            },
            locality_code=locality_code,
        )
        return metric.id
