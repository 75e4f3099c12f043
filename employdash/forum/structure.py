"""The forum's structure: teams, members, stage milestones and strategic focuses.

Everyone in the locality's scope reads; managers and admins edit (members and leadership never edit
the structure).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Concatenate, ParamSpec, TypedDict, TypeVar, cast

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from employdash.access import Actor, Area, only, read_scope, require_locality
from employdash.commands import Command, Ref, Write, execute
from employdash.db import Database
from employdash.errors import NotFound, ValidationError
from employdash.forum.metric_rules import check_metric
from employdash.forum.stages import (
    ALL_MILESTONES,
    OPTIONAL_MILESTONES,
    stage_from,
    stage_started_on,
)
from employdash.forum.states import MILESTONE
from employdash.handed_ids import forum_person, in_locality
from employdash.models import Organisation, Person
from employdash.models.base import Base
from employdash.models.forum import (
    FORUM_ROLES,
    MEETING_KINDS,
    TEAM_KINDS,
    Forum,
    Membership,
    MilestoneCheck,
    StrategicFocus,
    SuccessMetric,
    Team,
)
from employdash.models.indicators import IndicatorDefinition

# What a change of the forum's set-up makes stale: the forum's pages (overview, health, the plan
# against its targets) and the mayor's briefing, which reads focuses, metrics and the approval.
FORUM_READ_MODELS = frozenset({Area.FORUM, Area.BRIEFING})
R = TypeVar("R")
P = ParamSpec("P")


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


def forum_role(role: str | None) -> str | None:
    """A member's role from the fixed vocabulary (shown in both languages), never free text;
    empty means none given."""
    role = (role or "").strip() or None
    if role is not None and role not in FORUM_ROLES:
        raise ValidationError({"role": "validation.invalid"})
    return role


def forum_id_of(db: Database, actor: Actor, locality_code: int) -> int:
    """The ID of the locality's forum, for a command about the forum itself."""
    with reading_existing_forum(db, actor, locality_code) as (_, forum):
        return forum.id


@dataclass
class ForumChange(Command[R], area=Area.FORUM, entity="forum", invalidates=FORUM_READ_MODELS):
    """What every forum write shares: a manager of the forum's locality, and the forum's read
    models and the briefing refreshed after it (the audit row names the forum unless the
    command names its own record kind)."""


def check_locality(
    db: Database, actor: Actor, locality_code: int, model: type[Base], record_id: int
) -> None:
    """For a forum write named by its locality and a record: the record is of that very
    locality (otherwise `NotFound`, as for a missing one). A role that may not write learns
    nothing here: the command refuses it first."""
    require_locality(actor, locality_code)
    if not actor.can_write(Area.FORUM, locality_code):
        return
    with db.transaction() as s:
        in_locality(s, actor, model, record_id, locality_code)


def writer_in_locality(
    model: type[Base], of: Callable[Concatenate[int, P], Command[R]]
) -> Callable[Concatenate[Database, Actor, int, int, P], R]:
    """A `writer` named by a locality and a record of `model` (the first argument of `of`): it
    checks the record is of that locality (`check_locality`) before the command runs."""

    def write(
        db: Database,
        actor: Actor,
        locality_code: int,
        record_id: int,
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        check_locality(db, actor, locality_code, model, record_id)
        return execute(db, actor, of(record_id, *args, **kwargs)).value

    return write


def forum_row(s: Session, locality_code: int) -> Forum | None:
    """The locality's forum, or None; the caller has checked the locality (a read's
    `read_scope`, or the command's locality)."""
    return s.scalar(select(Forum).where(only(locality_code).of(Forum.locality_code)))


@contextmanager
def reading_forum(
    db: Database, actor: Actor, locality_code: int
) -> Iterator[tuple[Session, Forum | None]]:
    """A read of the locality's forum (None when it has none yet), in one transaction, once the
    locality is checked against the actor's scope."""
    read_scope(actor, Area.FORUM, locality_code)
    with db.transaction() as s:
        yield s, forum_row(s, locality_code)


@contextmanager
def reading_existing_forum(
    db: Database, actor: Actor, locality_code: int
) -> Iterator[tuple[Session, Forum]]:
    """`reading_forum` of a locality that has its forum (`NotFound` when it has none)."""
    read_scope(actor, Area.FORUM, locality_code)
    with db.transaction() as s:
        yield s, require_forum(s, locality_code)


def require_forum(s: Session, locality_code: int) -> Forum:
    forum = forum_row(s, locality_code)
    if forum is None:
        raise NotFound(f"no forum in locality {locality_code}")
    return forum


# A meeting's kind follows its team's unless the form says otherwise.
TEAM_KIND_TO_MEETING = {"steering": "steering", "forum": "forum", "task": "task", "adhoc": "task"}


def meeting_kind(
    w: Write, team: Ref[Team], forum: Forum, kind: str | None, errors: dict[str, str]
) -> str:
    """The kind of a meeting of `team` (which must be `forum`'s); an unknown kind is put in
    `errors` under "kind"."""
    row = w.get(team)
    if row.forum_id != forum.id:
        raise ValidationError({"team": "validation.invalid"})
    kind = kind or TEAM_KIND_TO_MEETING[row.kind]
    if kind not in MEETING_KINDS:
        errors["kind"] = "validation.invalid"
    return kind


@dataclass(frozen=True)
class Overview:
    forum_id: int
    name: str
    stage: int
    stage_since: date | None
    checks: dict[str, tuple[date, str]] = field(default_factory=dict)
    teams: list[TeamRow] = field(default_factory=list)
    focuses: list[FocusRow] = field(default_factory=list)
    not_applicable: dict[str, str] = field(default_factory=dict)  # milestone -> the reason
    start_stage: int = 1


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
    with reading_forum(db, actor, locality_code) as (s, forum):
        if forum is None:
            return None
        rows = list(s.scalars(select(MilestoneCheck).where(MilestoneCheck.forum_id == forum.id)))
        checks = {c.milestone_key: (c.checked_on, c.checked_by) for c in rows}
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
            {
                c.milestone_key: c.not_applicable_reason or ""
                for c in rows
                if c.not_applicable_reason
            },
            forum.start_stage,
        )


def current_membership(as_of: date) -> ColumnElement[bool]:
    """A membership that has not ended by `as_of` (an ended member is no longer expected)."""
    return Membership.ended_on.is_(None) | (Membership.ended_on > as_of)


def members(
    db: Database, actor: Actor, locality_code: int, as_of: date | None = None
) -> list[MemberRow]:
    """One row per current (person, team): a person in three teams appears three times (a
    member of another locality too: the forum seats them)."""
    as_of = as_of or date.today()
    with reading_existing_forum(db, actor, locality_code) as (s, forum):
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
    scope = read_scope(actor, Area.FORUM, locality_code)
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
                scope.of(Person.locality_code) | Person.id.in_(member_ids),
                Person.active.is_(True),
            )
            .order_by(Person.full_name)
        )
        return [cast(PersonChoice, dict(r._mapping)) for r in rows]


def _check_of(s: Session, forum_id: int, key: str) -> MilestoneCheck | None:
    return s.scalar(
        select(MilestoneCheck).where(
            MilestoneCheck.forum_id == forum_id, MilestoneCheck.milestone_key == key
        )
    )


def milestone_state(s: Session, forum_id: int, key: str) -> str:
    """ "open", "done" or "not_applicable" (`states.MILESTONE`)."""
    row = _check_of(s, forum_id, key)
    if row is None:
        return "open"
    return "done" if row.not_applicable_reason is None else "not_applicable"


def follow_stage(w: Write, forum: Forum, on: date) -> int:
    """The forum's stage after its milestones changed: never below the stage it was set up at."""
    s = w.session
    checks = {
        c.milestone_key: c.checked_on
        for c in s.scalars(select(MilestoneCheck).where(MilestoneCheck.forum_id == forum.id))
    }
    stage = stage_from(set(checks), forum.start_stage)
    if stage != forum.stage:
        forum.stage = stage
        forum.stage_since = stage_started_on(checks, stage) or on
        s.flush()
    return stage


def tick_milestone(
    w: Write, forum: Forum, key: str, state: str, on: date, reason: str | None = None
) -> int:
    """Move a milestone to `state` ("done", "not_applicable" with `reason`, or "open") on `on`,
    as `states.MILESTONE` allows; the stage follows, and the audit row says both. A milestone
    already in `state` is left as it is: no second check claimed, no audit row."""
    s = w.session
    row = _check_of(s, forum.id, key)
    was = milestone_state(s, forum.id, key)
    if was == state:  # ticked again (a stale screen): no second check claimed, no audit row
        return follow_stage(w, forum, on)
    MILESTONE.move(was, state, field="milestone")
    before = {"state": was, "stage": forum.stage}
    if row is not None:
        s.delete(row)
        s.flush()
    if state != "open":
        s.add(
            MilestoneCheck(
                forum_id=forum.id,
                milestone_key=key,
                checked_on=on,
                checked_by=w.actor.username,
                not_applicable_reason=reason if state == "not_applicable" else None,
            )
        )
        s.flush()
    stage = follow_stage(w, forum, on)
    after = {"milestone": key, "state": state, "checked": state != "open", "stage": stage}
    w.audit(
        "milestone",
        forum.id,
        before=before,
        after=after if reason is None else {**after, "reason": reason},
        entity="forum",
    )
    return stage


@dataclass
class SetMilestone(ForumChange[int], texts={"reason": "forum/milestone_note"}):
    """Check (or uncheck) a milestone on `on`; the forum's stage follows. Returns the stage.
    Checked as `not_applicable`, with the `reason`, an optional milestone does not hold the
    stage back; a milestone the model requires cannot be marked so."""

    forum: Ref[Forum]
    key: str
    checked: bool
    on: date
    reason: str | None = None
    not_applicable: bool = False

    def validate(self, w: Write) -> None:
        if self.key not in ALL_MILESTONES:
            raise ValidationError({"milestone": "validation.invalid"})
        if self.not_applicable and self.key not in OPTIONAL_MILESTONES:
            raise ValidationError({"reason": "chain.milestone_required"})
        if self.not_applicable and not self.reason:
            raise ValidationError({"reason": "validation.required"})

    def run(self, w: Write) -> int:
        state = "open" if not self.checked else "not_applicable" if self.not_applicable else "done"
        reason = self.reason if state == "not_applicable" else None
        return tick_milestone(w, w.get(self.forum), self.key, state, self.on, reason)


def set_milestone(
    db: Database,
    actor: Actor,
    locality_code: int,
    key: str,
    checked: bool,
    on: date,
    reason: str | None = None,
) -> int:
    forum_id = forum_id_of(db, actor, locality_code)
    command = SetMilestone.of(forum_id, key, checked, on, reason, reason is not None)
    return execute(db, actor, command).value


@dataclass
class AddMember(ForumChange[None], entity="membership"):
    """Seat a person of the forum's locality (or already in its forum) in one of its teams."""

    team: Ref[Team]
    person: Ref[Person]
    role: str | None

    @classmethod
    def of(cls, team_id: int, person_id: int, role: str | None) -> AddMember:
        return cls(Ref(Team, team_id), Ref(Person, person_id, within=forum_person), role)

    def validate(self, w: Write) -> None:
        self.role = forum_role(self.role)

    def run(self, w: Write) -> None:
        if not seat_member(w, self.team.id, self.person.id, self.role):
            raise ValidationError({"person": "validation.duplicate"})


add_member = writer_in_locality(Team, AddMember.of)


def seat_member(w: Write, team_id: int, person_id: int, role: str | None) -> bool:
    """Seat a person (already checked for the locality) in a team from today, audited; False when
    they sit there already. One who left comes back to the same seat (one row per team and
    person keeps their history)."""
    s = w.session
    exists = s.scalar(
        select(Membership).where(Membership.team_id == team_id, Membership.person_id == person_id)
    )
    if exists is not None and exists.ended_on is None:
        return False
    if exists is not None:  # came back: the same seat again, from today
        exists.ended_on = None
        exists.role = role or None
        exists.joined_on = date.today()
    else:
        s.add(
            Membership(
                team_id=team_id,
                person_id=person_id,
                role=role or None,
                joined_on=date.today(),
            )
        )
    s.flush()
    w.audit(
        "create",
        f"{team_id}:{person_id}",
        after={"team_id": team_id, "person_id": person_id, "role": role},
        entity="membership",
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


@dataclass
class CreateFocus(
    ForumChange[int],
    entity="strategic_focus",
    texts={"title": "forum/focus_title", "description": "forum/focus_description"},
):
    """A strategic focus, last in the plan's order."""

    forum: Ref[Forum]
    title: str | None
    description: str | None = None

    def validate(self, w: Write) -> None:
        if not self.title:
            raise ValidationError({"title": "validation.required"})

    def run(self, w: Write) -> int:
        forum = w.get(self.forum)
        position = (
            w.session.scalar(select(func.count()).where(StrategicFocus.forum_id == forum.id)) or 0
        )
        focus = StrategicFocus(
            forum_id=forum.id,
            title=self.title or "",
            description=self.description,
            position=position,
        )
        return w.create(focus, {"title": focus.title, "description": focus.description}).id


def create_focus(
    db: Database, actor: Actor, locality_code: int, title: str, description: str = ""
) -> int:
    forum_id = forum_id_of(db, actor, locality_code)
    return execute(db, actor, CreateFocus.of(forum_id, title, description)).value


@dataclass
class AddMetric(ForumChange[int], entity="success_metric"):
    """A success metric of a focus: an outcome indicator from `baseline` (on `baseline_date`,
    today if not given) to `target` by `target_date`."""

    focus: Ref[StrategicFocus]
    indicator_code: str
    baseline: float
    target: float
    target_date: date | None
    baseline_date: date | None = None

    def validate(self, w: Write) -> None:
        definition = w.session.get(IndicatorDefinition, self.indicator_code)
        if definition is None:
            raise ValidationError({"indicator": "validation.invalid"})
        try:
            self.baseline, self.target = float(self.baseline), float(self.target)
        except (TypeError, ValueError):
            raise ValidationError({"target": "validation.invalid"}) from None
        self.baseline_date = self.baseline_date or date.today()
        check_metric(
            higher_is_better=definition.higher_is_better,
            unit=definition.unit,
            baseline=self.baseline,
            baseline_date=self.baseline_date,
            target=self.target,
            target_date=self.target_date,
        )
        refuse_duplicate_metric(w.session, self.focus.id, indicator_code=self.indicator_code)

    def run(self, w: Write) -> int:
        metric = SuccessMetric(
            focus_id=self.focus.id,
            indicator_code=self.indicator_code,
            baseline=float(self.baseline),
            baseline_date=self.baseline_date or date.today(),
            target=float(self.target),
            target_date=self.target_date,
        )
        after = {
            "focus_id": self.focus.id,
            "indicator_code": self.indicator_code,
            "baseline": self.baseline,
            "target": self.target,
            "target_date": self.target_date,
        }
        return w.create(metric, after).id


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
    check_locality(db, actor, locality_code, StrategicFocus, focus_id)
    command = AddMetric.of(focus_id, indicator_code, baseline, target, target_date, baseline_date)
    return execute(db, actor, command).value
