"""Goals per program and period (matches started, matches completed, participants with an
outcome) and the progress against them, for the funnel page and the briefing's mentoring panel.

Progress counts are exact for those who may see the participant list of the locality; for
everyone else (leadership) they are small-count suppressed like every other aggregate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from employdash.access import Actor, Area, read_scope
from employdash.commands import Ref, Write
from employdash.config import get_config
from employdash.db import Database
from employdash.errors import ValidationError
from employdash.handed_ids import in_scope
from employdash.mentoring.operations import MentoringChange, SavesStored
from employdash.models.mentoring import Match, Outcome, Participant, Program, Target
from employdash.privacy import suppress_total
from employdash.writers import reading_writer

METRICS = ("matches", "completions", "outcomes")
GOAL_LIMIT = 100_000


@dataclass(frozen=True)
class TargetProgress:
    id: int
    version: int
    program_id: int
    program_name: str
    locality_code: int
    period_start: date
    period_end: date
    goals: dict[str, int | None]  # metric → goal (None: no goal set)
    actual: dict[str, int | None]  # metric → reached so far (None: suppressed)

    def share(self, metric: str) -> float | None:
        goal, got = self.goals.get(metric), self.actual.get(metric)
        return None if not goal or got is None else got / goal


def _validate(period_start: date, period_end: date, goals: dict[str, Any]) -> dict[str, int | None]:
    errors = {}
    if period_end < period_start:
        errors["period"] = "validation.invalid"
    clean: dict[str, int | None] = {}
    for metric in METRICS:
        value = goals.get(metric)
        if value is None:
            clean[metric] = None
        elif not isinstance(value, int) or not 0 <= value <= GOAL_LIMIT:
            errors[metric] = "validation.invalid"
        else:
            clean[metric] = value
    if all(v is None for v in clean.values()):
        errors["goals"] = "validation.required"
    if errors:
        raise ValidationError(errors)
    return clean


@dataclass
class SetTarget(SavesStored, MentoringChange[int], entity="ment_target"):
    """Create the program's target for the period, or update the one it has (read at `version`);
    returns its ID."""

    program: Ref[Program]
    period_start: date
    period_end: date
    goals: dict[str, Any]
    version: int | None = None
    stored: Ref[Target] | None = None

    def key(self) -> dict[str, Any]:
        return {"program_id": self.program.id, "period_start": self.period_start}

    def validate(self, w: Write) -> None:
        target = w.get_optional(self.stored)
        if target is not None and target.program_id != self.program.id:
            raise ValidationError({"target": "validation.invalid"})
        self.goals = _validate(self.period_start, self.period_end, self.goals)

    def run(self, w: Write) -> int:
        values = {"period_end": self.period_end, **self.goals}
        row = w.get_optional(self.stored) or w.session.scalar(
            select(Target).where(
                Target.program_id == self.program.id, Target.period_start == self.period_start
            )
        )
        if row is None:
            row = Target(program_id=self.program.id, period_start=self.period_start, **values)
            after = {"program_id": self.program.id, "period_start": self.period_start, **values}
            return w.create(row, after).id
        w.update(row, row.version if self.version is None else self.version, values)
        return row.id


set_target = reading_writer(SetTarget.of)


def actuals(s: Session, program_id: int, start: date, end: date) -> dict[str, int]:
    mentee = aliased(Participant)
    in_program = (mentee.id == Match.mentee_id, mentee.program_id == program_id)
    started = s.scalar(
        select(func.count())
        .select_from(Match)
        .join(mentee, and_(*in_program))
        .where(Match.started_on >= start, Match.started_on <= end)
    )
    completed = s.scalar(
        select(func.count())
        .select_from(Match)
        .join(mentee, and_(*in_program))
        .where(Match.status == "completed", Match.ended_on >= start, Match.ended_on <= end)
    )
    outcomes = s.scalar(
        select(func.count(func.distinct(Outcome.participant_id)))
        .join(Participant, Participant.id == Outcome.participant_id)
        .where(
            Participant.program_id == program_id,
            Outcome.reached_on >= start,
            Outcome.reached_on <= end,
        )
    )
    return {"matches": started or 0, "completions": completed or 0, "outcomes": outcomes or 0}


def progress(
    db: Database,
    actor: Actor,
    locality_codes: tuple[int, ...] | None = None,
    as_of: date | None = None,
    program_ids: tuple[int, ...] | None = None,
    current_only: bool = False,
) -> list[TargetProgress]:
    """Targets in scope with what was reached in their period up to the date.

    A locality outside the actor's scope is refused (PermissionDenied) and a program outside it
    is reported missing (NotFound), as every other read does, rather than quietly left out."""
    scope = read_scope(actor, Area.MENTORING, locality_codes)
    as_of = as_of or date.today()
    threshold = int(get_config().SUPPRESSION_THRESHOLD)
    query = (
        select(Target, Program.name, Program.locality_code)
        .join(Program, Program.id == Target.program_id)
        .where(scope.of(Program.locality_code), Target.period_start <= as_of)
        .order_by(Target.period_start.desc(), Program.name)
    )
    if program_ids is not None:
        query = query.where(Target.program_id.in_(program_ids))
    if current_only:
        query = query.where(Target.period_end >= as_of)
    rows = []
    with db.transaction() as s:
        for program_id in program_ids or ():
            in_scope(s, actor, Program, program_id)
        for target, name, locality in s.execute(query):
            got = actuals(s, target.program_id, target.period_start, min(target.period_end, as_of))
            exact = actor.can_read(Area.PARTICIPANTS, locality)
            rows.append(
                TargetProgress(
                    target.id,
                    target.version,
                    target.program_id,
                    name,
                    locality,
                    target.period_start,
                    target.period_end,
                    {m: getattr(target, m) for m in METRICS},
                    {m: v if exact else suppress_total(v, threshold) for m, v in got.items()},
                )
            )
    return rows
