"""What a new installation still has to do for one locality before the dashboard is in use, in the
order it must be done: each step read from the records, so the list shrinks as the work is done
and is gone once everything is in place.

The order is the one a new municipality follows: an administrator enables the locality and makes
the employment office manager's account; the manager fills the people register, sets the forum
up (teams and members), gives it a focus with a success metric, records the first meeting and
imports the monthly indicator files. Pages show the list with a link to each step's page, or
say who does it when the reader cannot (see components/briefing/next_steps.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from employdash.access import MANAGER, Action, Actor, Area, ReadScope, allows, read_scope
from employdash.db import Database
from employdash.forum.structure import current_membership, forum_row
from employdash.models import Locality, Person, User, UserLocality
from employdash.models.forum import Meeting, Membership, StrategicFocus, SuccessMetric, Team
from employdash.models.indicators import IndicatorValue

STEPS = ("locality", "accounts", "people", "forum", "focus", "meeting", "indicators")


@dataclass(frozen=True)
class Step:
    key: str  # one of STEPS
    done: bool


@dataclass(frozen=True)
class SetupProgress:
    steps: tuple[Step, ...]

    @property
    def complete(self) -> bool:
        return all(step.done for step in self.steps)


def _exists(s: Session, query: Select[int]) -> bool:
    return s.scalar(query.limit(1)) is not None


def _done(s: Session, scope: ReadScope, code: int, today: date) -> dict[str, bool]:
    locality = s.get(Locality, code)
    forum = forum_row(s, code)
    done = {
        "locality": bool(locality and locality.is_program),
        "accounts": _exists(
            s,
            select(User.id)
            .join(UserLocality, UserLocality.user_id == User.id)
            .where(scope.of(UserLocality.locality_code), User.role == MANAGER, User.active),
        ),
        "people": _exists(
            s, select(Person.id).where(scope.of(Person.locality_code), Person.active)
        ),
        "indicators": _exists(
            s, select(IndicatorValue.id).where(scope.of(IndicatorValue.locality_code))
        ),
        "forum": False,
        "focus": False,
        "meeting": False,
    }
    if forum is not None:
        done["forum"] = _exists(
            s,
            select(Membership.id)
            .join(Team, Team.id == Membership.team_id)
            .where(Team.forum_id == forum.id, Team.active, current_membership(today)),
        )
        done["focus"] = _exists(
            s,
            select(SuccessMetric.id)
            .join(StrategicFocus, StrategicFocus.id == SuccessMetric.focus_id)
            .where(
                StrategicFocus.forum_id == forum.id,
                StrategicFocus.retired.is_(False),
                SuccessMetric.retired.is_(False),
            ),
        )
        done["meeting"] = _exists(s, select(Meeting.id).where(Meeting.forum_id == forum.id))
    return done


def setup_progress(
    db: Database, actor: Actor, locality_code: int | None, today: date | None = None
) -> SetupProgress:
    """Every step with whether it is done; with no locality (none enabled or in the reader's
    scope yet) nothing is. Readers of the briefing or of the forum may ask: both pages show it."""
    area = Area.BRIEFING if allows(actor.role, Area.BRIEFING, Action.READ) else Area.FORUM
    if locality_code is None:
        read_scope(actor, area)
        return SetupProgress(tuple(Step(key, False) for key in STEPS))
    scope = read_scope(actor, area, locality_code)
    with db.transaction() as s:
        done = _done(s, scope, locality_code, today or date.today())
    return SetupProgress(tuple(Step(key, done[key]) for key in STEPS))
