"""One guard for the IDs a write is handed: a person, team, focus, organisation, program, cohort,
stage or meeting must belong to the actor's locality scope before a write may point at it.

A form or an import can send any integer. Without this guard a manager of one locality could attach
another locality's person to their own task and then read that person's contact details back. An ID
outside the scope gets the same `NotFound` as a missing one, so probing reveals nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from employdash.access import Actor
from employdash.errors import NotFound
from employdash.models import Locality, Organisation, Person, User
from employdash.models.base import Base
from employdash.models.forum import (
    Decision,
    Forum,
    Meeting,
    Membership,
    StrategicFocus,
    SuccessMetric,
    Task,
    Team,
)
from employdash.models.mentoring import (
    Assessment,
    Cohort,
    Match,
    Participant,
    Pipeline,
    PipelineStage,
    Program,
    Standard,
    Target,
)
from employdash.models.stakeholders import (
    EmployerSurveyResponse,
    OrganisationProfile,
    Stakeholder,
    StakeholderRelation,
)

T = TypeVar("T", bound=Base)
LocalityQuery = Callable[[int], Select[Any]]


def _forum_child(model: type[Team | StrategicFocus | Meeting | Task]) -> LocalityQuery:
    return lambda i: (
        select(Forum.locality_code).join(model, model.forum_id == Forum.id).where(model.id == i)
    )


def _program_child(model: type[Cohort | Participant]) -> LocalityQuery:
    return lambda i: (
        select(Program.locality_code)
        .join(model, model.program_id == Program.id)
        .where(model.id == i)
    )


LOCALITY_OF: dict[type[Base], LocalityQuery] = {
    Locality: lambda i: select(Locality.code).where(Locality.code == i),
    Person: lambda i: select(Person.locality_code).where(Person.id == i),
    Organisation: lambda i: select(Organisation.locality_code).where(Organisation.id == i),
    Forum: lambda i: select(Forum.locality_code).where(Forum.id == i),
    Team: _forum_child(Team),
    StrategicFocus: _forum_child(StrategicFocus),
    Meeting: _forum_child(Meeting),
    Task: _forum_child(Task),
    Decision: lambda i: (
        select(Forum.locality_code)
        .join(Meeting, Meeting.forum_id == Forum.id)
        .join(Decision, Decision.meeting_id == Meeting.id)
        .where(Decision.id == i)
    ),
    Membership: lambda i: (
        select(Forum.locality_code)
        .join(Team, Team.forum_id == Forum.id)
        .join(Membership, Membership.team_id == Team.id)
        .where(Membership.id == i)
    ),
    SuccessMetric: lambda i: (
        select(Forum.locality_code)
        .join(StrategicFocus, StrategicFocus.forum_id == Forum.id)
        .join(SuccessMetric, SuccessMetric.focus_id == StrategicFocus.id)
        .where(SuccessMetric.id == i)
    ),
    Stakeholder: lambda i: select(Stakeholder.locality_code).where(Stakeholder.id == i),
    StakeholderRelation: lambda i: select(StakeholderRelation.locality_code).where(
        StakeholderRelation.id == i
    ),
    EmployerSurveyResponse: lambda i: select(EmployerSurveyResponse.locality_code).where(
        EmployerSurveyResponse.id == i
    ),
    OrganisationProfile: lambda i: select(OrganisationProfile.locality_code).where(
        OrganisationProfile.id == i
    ),
    Program: lambda i: select(Program.locality_code).where(Program.id == i),
    Cohort: _program_child(Cohort),
    Participant: _program_child(Participant),
    Match: lambda i: (
        select(Program.locality_code)
        .join(Participant, Participant.program_id == Program.id)
        .join(Match, Match.mentee_id == Participant.id)
        .where(Match.id == i)
    ),
    Target: lambda i: (
        select(Program.locality_code)
        .join(Target, Target.program_id == Program.id)
        .where(Target.id == i)
    ),
    Assessment: lambda i: (
        select(Program.locality_code)
        .join(Participant, Participant.program_id == Program.id)
        .join(Assessment, Assessment.participant_id == Participant.id)
        .where(Assessment.id == i)
    ),
}
# National by design: one pipeline definition every program follows, one list of certification
# standards, the accounts (only administrators manage them); an organisation without a locality
# is a national body (the Employment Service, National Insurance) any forum may name.
SHARED_MODELS: frozenset[type[Base]] = frozenset({Pipeline, PipelineStage, Standard, User})
SHARED_WHEN_NATIONAL: frozenset[type[Base]] = frozenset({Organisation})


def locality_of(s: Session, model: type[Base], record_id: int) -> int | None:
    return s.scalar(LOCALITY_OF[model](record_id))


def in_scope(s: Session, actor: Actor, model: type[T], record_id: int) -> T:
    """The record, if it exists and the actor's scope covers it; otherwise `NotFound`."""
    row = s.get(model, record_id)
    if row is None:
        raise NotFound(f"{model.__name__} {record_id}")
    if model in SHARED_MODELS:
        return row
    locality = locality_of(s, model, record_id)
    if locality is None and model in SHARED_WHEN_NATIONAL:
        return row
    if locality is None or not actor.can_see(locality):
        raise NotFound(f"{model.__name__} {record_id}")
    return row


def optional_in_scope(s: Session, actor: Actor, model: type[T], record_id: int | None) -> T | None:
    """`in_scope` for an optional reference (an owner or lead that may be left empty)."""
    return None if record_id is None else in_scope(s, actor, model, record_id)


def in_locality(s: Session, actor: Actor, model: type[T], record_id: int, locality_code: int) -> T:
    """`in_scope`, and the record belongs to the very locality the write is about: a manager of
    two localities must not attach one locality's person to the other's forum."""
    row = in_scope(s, actor, model, record_id)
    if model not in SHARED_MODELS:
        locality = locality_of(s, model, record_id)
        if not (locality is None and model in SHARED_WHEN_NATIONAL) and locality != locality_code:
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
    members = (
        select(Membership.person_id)
        .join(Team, Team.id == Membership.team_id)
        .join(Forum, Forum.id == Team.forum_id)
        .where(Forum.locality_code == locality_code)
    )
    return set(
        s.scalars(
            select(Person.id).where(
                Person.id.in_(wanted),
                (Person.locality_code == locality_code) | Person.id.in_(members),
            )
        )
    )


def forum_person(s: Session, actor: Actor, person_id: int, locality_code: int) -> Person:
    """The person handed to a forum write for `locality_code` (see `forum_people`); `NotFound`,
    as for a missing one, otherwise. The actor's right to write for the locality is checked by
    the write itself."""
    if person_id not in forum_people(s, [person_id], locality_code):
        raise NotFound(f"Person {person_id}")
    return s.get_one(Person, person_id)
