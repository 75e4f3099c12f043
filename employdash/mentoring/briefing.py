"""The mentoring snapshot the briefing page shows for one locality (contract in CONTRACTS.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from employdash.access import Actor, Area, ReadScope, read_scope
from employdash.config import get_config
from employdash.db import Database
from employdash.mentoring.funnel import (
    Selection,
    compute_funnel,
    count_current,
    count_matches_active,
    count_outcomes,
    twelve_months_before,
    waiting_query,
)
from employdash.mentoring.targets import METRICS, actuals
from employdash.models.mentoring import Program, Target
from employdash.privacy import suppress_total

# "Active" means in the pipeline, not dropped and not yet at its closing stages.
ACTIVE_MENTEE_STAGES = ("referred", "screened", "accepted", "matched", "in_sessions")
ACTIVE_MENTOR_STAGES = ("recruited", "interviewed", "trained", "matched", "active")


@dataclass(frozen=True)
class TargetLine:
    """One goal metric summed over the locality's programs with a target running on the date."""

    metric: str  # matches | completions | outcomes
    actual: int | None  # None when suppressed
    goal: int

    @property
    def share(self) -> float | None:
        return None if self.actual is None or not self.goal else self.actual / self.goal


@dataclass(frozen=True)
class MentoringSnapshot:
    programs: int
    mentees_active: int | None  # None when suppressed (below threshold)
    mentors_active: int | None
    matches_active: int | None
    outcomes_12m: int | None  # outcomes reached in the 12 months before as_of
    waiting_for_mentor: int | None
    funnel: list[tuple[str, int | None]]  # (stage catalogue key, count) for the mentee pipeline
    targets: tuple[TargetLine, ...] = ()  # progress against the running targets


def briefing_snapshot(
    db: Database, actor: Actor, locality_code: int, as_of: date | None = None
) -> MentoringSnapshot | None:
    """The locality's mentoring figures as of a date; None when it has no mentoring program."""
    scope = read_scope(actor, Area.MENTORING, locality_code)
    as_of = as_of or date.today()
    threshold = int(get_config().SUPPRESSION_THRESHOLD)
    mentees = Selection(pipeline="mentee", locality_codes=(locality_code,))
    mentors = Selection(pipeline="mentor", locality_codes=(locality_code,))
    with db.transaction() as s:
        programs = int(
            s.scalar(
                select(func.count())
                .select_from(Program)
                .where(scope.of(Program.locality_code), Program.kind == "mentoring")
            )
            or 0
        )
        if not programs:
            return None
        fun = compute_funnel(s, actor, mentees, as_of)
        waiting = s.scalar(
            select(func.count()).select_from(waiting_query(actor, mentees, as_of).subquery())
        )
        figures = {
            "mentees_active": count_current(s, actor, mentees, as_of, ACTIVE_MENTEE_STAGES),
            "mentors_active": count_current(s, actor, mentors, as_of, ACTIVE_MENTOR_STAGES),
            "matches_active": count_matches_active(s, actor, mentees, as_of),
            "outcomes_12m": count_outcomes(s, actor, mentees, twelve_months_before(as_of), as_of),
            "waiting_for_mentor": int(waiting or 0),
        }
        lines = target_lines(s, actor, scope, locality_code, as_of, threshold)
    funnel = [
        (row.name_key, suppress_total(int(row.reached), threshold))
        for row in fun.table.itertuples()
    ] or [(st.name_key, 0) for st in fun.stages]
    return MentoringSnapshot(
        programs=programs,
        **{k: suppress_total(v, threshold) for k, v in figures.items()},
        funnel=funnel,
        targets=lines,
    )


def target_lines(
    s: Session, actor: Actor, scope: ReadScope, locality_code: int, as_of: date, threshold: int
) -> tuple[TargetLine, ...]:
    """Goals and reached counts per metric over the locality's targets running on the date."""
    goals: dict[str, int] = {}
    reached: dict[str, int] = {}
    running = s.scalars(
        select(Target)
        .join(Program, Program.id == Target.program_id)
        .where(
            scope.of(Program.locality_code),
            Target.period_start <= as_of,
            Target.period_end >= as_of,
        )
    )
    for target in running:
        got = actuals(s, target.program_id, target.period_start, as_of)
        for metric in METRICS:
            goal = getattr(target, metric)
            if goal is not None:
                goals[metric] = goals.get(metric, 0) + goal
                reached[metric] = reached.get(metric, 0) + got[metric]
    exact = actor.can_read(Area.PARTICIPANTS, locality_code)
    return tuple(
        TargetLine(m, reached[m] if exact else suppress_total(reached[m], threshold), goals[m])
        for m in METRICS
        if m in goals
    )
