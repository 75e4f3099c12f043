"""One guard for the IDs a write is handed: a person, team, focus, organisation, program, cohort,
stage or meeting must belong to the actor's locality scope before a write may point at it.

A form or an import can send any integer. Without this guard a manager of one locality could attach
another locality's person to their own task and then read that person's contact details back. An ID
outside the scope gets the same `NotFound` as a missing one, so probing reveals nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any, TypeVar

from sqlalchemy import Integer, Select, bindparam, select
from sqlalchemy.orm import Session

from employdash.access import Actor
from employdash.errors import NotFound
from employdash.models import Locality, Organisation, Person, User
from employdash.models.base import Base
from employdash.models.forum import (
    Decision,
    Forum,
    Invitee,
    Meeting,
    Membership,
    MetricValue,
    PlannedMeeting,
    StrategicFocus,
    SuccessMetric,
    Task,
    Team,
)
from employdash.models.mail import OutboxMessage
from employdash.models.mentoring import (
    Assessment,
    Cohort,
    Match,
    MentoringSession,
    Participant,
    Pipeline,
    PipelineStage,
    Program,
    Standard,
    Target,
)
from employdash.models.record import Document, TrashItem
from employdash.models.stakeholders import (
    EmployerSurveyResponse,
    OrganisationProfile,
    Stakeholder,
    StakeholderRelation,
)

T = TypeVar("T", bound=Base)
# The query of a record's locality, its ID the parameter "record_id": built once per record kind
# (building a statement costs more than running it, and a write resolves many IDs).
LocalityQuery = Select[Any]
RECORD_ID = bindparam("record_id", type_=Integer)


def _own(model: Any) -> LocalityQuery:
    """A record that names its locality itself."""
    return select(model.locality_code).where(model.id == RECORD_ID)


def _via(owner: Any, *path: tuple[Any, Any]) -> LocalityQuery:
    """A record whose locality is its owner's (a forum, a program), reached through `path`: each
    step a record kind and its column naming the record of the step before (the first step's
    names the owner)."""
    found, parent = select(owner.locality_code), owner
    for model, parent_id in path:
        found, parent = found.join(model, parent_id == parent.id), model
    return found.where(parent.id == RECORD_ID)


LOCALITY_OF: dict[type[Base], LocalityQuery] = {
    Locality: select(Locality.code).where(Locality.code == RECORD_ID),
    Person: _own(Person),
    Organisation: _own(Organisation),
    Forum: _own(Forum),
    Team: _via(Forum, (Team, Team.forum_id)),
    StrategicFocus: _via(Forum, (StrategicFocus, StrategicFocus.forum_id)),
    Meeting: _via(Forum, (Meeting, Meeting.forum_id)),
    PlannedMeeting: _via(Forum, (PlannedMeeting, PlannedMeeting.forum_id)),
    Invitee: _via(
        Forum, (PlannedMeeting, PlannedMeeting.forum_id), (Invitee, Invitee.planned_meeting_id)
    ),
    Task: _via(Forum, (Task, Task.forum_id)),
    Decision: _via(Forum, (Meeting, Meeting.forum_id), (Decision, Decision.meeting_id)),
    Membership: _via(Forum, (Team, Team.forum_id), (Membership, Membership.team_id)),
    SuccessMetric: _via(
        Forum, (StrategicFocus, StrategicFocus.forum_id), (SuccessMetric, SuccessMetric.focus_id)
    ),
    MetricValue: _via(
        Forum,
        (StrategicFocus, StrategicFocus.forum_id),
        (SuccessMetric, SuccessMetric.focus_id),
        (MetricValue, MetricValue.metric_id),
    ),
    Stakeholder: _own(Stakeholder),
    StakeholderRelation: _own(StakeholderRelation),
    EmployerSurveyResponse: _own(EmployerSurveyResponse),
    OrganisationProfile: _own(OrganisationProfile),
    Program: _own(Program),
    Cohort: _via(Program, (Cohort, Cohort.program_id)),
    Participant: _via(Program, (Participant, Participant.program_id)),
    Match: _via(Program, (Participant, Participant.program_id), (Match, Match.mentee_id)),
    Target: _via(Program, (Target, Target.program_id)),
    MentoringSession: _via(
        Program,
        (Participant, Participant.program_id),
        (Match, Match.mentee_id),
        (MentoringSession, MentoringSession.match_id),
    ),
    Assessment: _via(
        Program, (Participant, Participant.program_id), (Assessment, Assessment.participant_id)
    ),
    OutboxMessage: _own(OutboxMessage),
    TrashItem: _own(TrashItem),
    Document: _via(Forum, (Document, Document.forum_id)),
}
# National by design: one pipeline definition every program follows, one list of certification
# standards, the accounts (only administrators manage them); an organisation without a locality
# is a national body (the Employment Service, National Insurance) any forum may name; a message
# of no locality (to a national user) is the administrators', who see every locality.
SHARED_MODELS: frozenset[type[Base]] = frozenset({Pipeline, PipelineStage, Standard, User})
SHARED_WHEN_NATIONAL: frozenset[type[Base]] = frozenset({Organisation, OutboxMessage})


def locality_of(s: Session, model: type[Base], record_id: int) -> int | None:
    return s.scalar(LOCALITY_OF[model], {"record_id": record_id})


def in_scope(s: Session, actor: Actor, model: type[T], record_id: int) -> T:
    """The record, if it exists and the actor's scope covers it; otherwise `NotFound`."""
    return _scoped(s, actor, model, record_id)[0]


def _scoped(s: Session, actor: Actor, model: type[T], record_id: int) -> tuple[T, int | None]:
    """`in_scope`'s record and its locality (None for a shared or national record)."""
    row = s.get(model, record_id)
    if row is None:
        raise NotFound(f"{model.__name__} {record_id}")
    if model in SHARED_MODELS:
        return row, None
    locality = locality_of(s, model, record_id)
    if locality is None and model in SHARED_WHEN_NATIONAL:
        return row, None
    if locality is None or not actor.can_see(locality):
        raise NotFound(f"{model.__name__} {record_id}")
    return row, locality


def optional_in_scope(s: Session, actor: Actor, model: type[T], record_id: int | None) -> T | None:
    """`in_scope` for an optional reference (an owner or lead that may be left empty)."""
    return None if record_id is None else in_scope(s, actor, model, record_id)


def in_locality(s: Session, actor: Actor, model: type[T], record_id: int, locality_code: int) -> T:
    """`in_scope`, and the record belongs to the very locality the write is about: a manager of
    two localities must not attach one locality's person to the other's forum."""
    row, locality = _scoped(s, actor, model, record_id)
    national = locality is None and model in SHARED_WHEN_NATIONAL
    if model not in SHARED_MODELS and not national and locality != locality_code:
        raise NotFound(f"{model.__name__} {record_id}")
    return row


def forum_people(s: Session, person_ids: Iterable[int], locality_code: int) -> set[int]:
    """Of `person_ids`, those who belong to the locality a forum write is for: the locality's own
    people, and anyone who already sits (or sat) in a team of its forum.

    The one rule for a person handed to a forum write (a member, a team lead, a task owner, a
    meeting's attendance and task owners, a decision's task owner): the person belongs to the
    locality the write is for. A person of the actor's other locality is refused like a missing
    one; a forum's existing member from elsewhere stays usable in that forum (the forum's people
    lists offer them), but no forum write can seat a person of another locality in the first
    place."""
    wanted = sorted(set(person_ids))
    if not wanted:
        return set()
    return set(s.scalars(_ADMITTED_IDS, {"ids": wanted, "locality_code": locality_code}))


# `forum_people`'s rule as a condition on a person, and its queries, built once (building a
# statement costs more than running it); their parameters "locality_code" and "ids".
_FORUM_LOCALITY = bindparam("locality_code", type_=Integer)
_OF_FORUM = (Person.locality_code == _FORUM_LOCALITY) | Person.id.in_(
    select(Membership.person_id)
    .join(Team, Team.id == Membership.team_id)
    .join(Forum, Forum.id == Team.forum_id)
    .where(Forum.locality_code == _FORUM_LOCALITY)
)
_HANDED = Person.id.in_(bindparam("ids", expanding=True))
_ADMITTED_IDS = select(Person.id).where(_HANDED, _OF_FORUM)
_ADMITTED = select(Person).where(_HANDED, _OF_FORUM)
_ALL_ADMITTED_IDS = select(Person.id).where(_OF_FORUM)


def forum_person(s: Session, actor: Actor, person_id: int, locality_code: int) -> Person:
    """The person handed to a forum write for `locality_code` (see `forum_people`); `NotFound`,
    as for a missing one, otherwise. The actor's right to write for the locality is checked by
    the write itself."""
    if person_id not in _forum_people_of(s, locality_code):
        raise NotFound(f"Person {person_id}")
    return s.get_one(Person, person_id)


def forum_persons(
    s: Session, actor: Actor, person_ids: Collection[int], locality_code: int
) -> dict[int, Person]:
    """`forum_person` for many IDs at once, in one query (per `MANY_AT_ONCE` IDs): the people
    admitted, by id; an ID missing from the answer is refused by the caller."""
    wanted = sorted(set(person_ids))
    found: dict[int, Person] = {}
    for start in range(0, len(wanted), MANY_AT_ONCE):
        chunk = wanted[start : start + MANY_AT_ONCE]
        admitted = s.scalars(_ADMITTED, {"ids": chunk, "locality_code": locality_code})
        found |= {person.id: person for person in admitted}
    return found


# The most IDs one query names (SQLite and PostgreSQL both bound a statement's parameters).
MANY_AT_ONCE = 500
ManyResolver = Callable[[Session, Actor, Collection[int], int], Mapping[int, Any]]
# The resolvers (a `Ref.within`) that resolve many IDs in one query: the pipeline resolves
# every ID a command hands under such a rule at once (a meeting's attendees and task owners).
RESOLVE_MANY: dict[Callable[..., Any], ManyResolver] = {forum_person: forum_persons}


def _forum_people_of(s: Session, locality_code: int) -> set[int]:
    """Everyone `forum_people` admits for the locality, read once per transaction: a meeting
    hands twenty attendees and ten task owners, one query instead of thirty. Handed IDs are
    resolved before a command changes anything, so the set cannot go stale while it is used."""
    memo: dict[int, set[int]] = s.info.setdefault("forum_people", {})
    if locality_code not in memo:
        memo[locality_code] = set(s.scalars(_ALL_ADMITTED_IDS, {"locality_code": locality_code}))
    return memo[locality_code]
