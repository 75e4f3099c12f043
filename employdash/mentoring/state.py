"""The derived state table: one span per stage event, kept in step with the events.

The funnel "as of D" needs each participant's latest event on or before D and the furthest stage
they reached by then. Computing that with a window over every event took 10-14 s nationally (2M
events). Each span stores the state an event opened, from its date until the participant's next
event (`OPEN_END` while it is the latest), and the furthest stage reached so far; the state as of
any D is then the one span per participant with `from_on <= D < to_on`, a range scan of an index.

Every write that adds events or changes a participant's program, population or cohort calls
`refresh` for those participants in the SAME transaction, so the spans never disagree with the
events. A bulk load (the benchmark, a restore) calls `rebuild_all`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Date, Select, Table, case, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from employdash.models.mentoring import (
    OPEN_END,
    Participant,
    PipelineStage,
    StageEvent,
    StateSpan,
)

E = StageEvent.__table__
P = Participant.__table__
S = PipelineStage.__table__
# A mapped class's __table__ is typed as any FromClause; this one is a plain Table (delete/insert).
SPAN = cast(Table, StateSpan.__table__)
CHUNK = 500

COLUMNS = (
    "event_id",
    "participant_id",
    "pipeline_code",
    "program_id",
    "population",
    "cohort_id",
    "stage_id",
    "position",
    "kind",
    "reason",
    "furthest",
    "from_on",
    "to_on",
)


def spans_select(participant_ids: list[int] | None = None) -> Select[Any]:
    """SELECT producing the spans of the given participants (all when None), both databases."""
    order = (E.c.occurred_on, E.c.id)
    furthest = func.max(case((E.c.kind == "forward", S.c.position))).over(
        partition_by=E.c.participant_id, order_by=order, rows=(None, 0)
    )
    nxt = func.lead(E.c.occurred_on).over(partition_by=E.c.participant_id, order_by=order)
    query = select(
        E.c.id,
        E.c.participant_id,
        P.c.pipeline_code,
        P.c.program_id,
        P.c.population,
        P.c.cohort_id,
        E.c.stage_id,
        S.c.position,
        E.c.kind,
        E.c.reason,
        furthest,
        E.c.occurred_on,
        func.coalesce(nxt, literal(OPEN_END, Date)),
    ).select_from(E.join(P, P.c.id == E.c.participant_id).join(S, S.c.id == E.c.stage_id))
    if participant_ids is not None:
        query = query.where(E.c.participant_id.in_(participant_ids))
    return query


def refresh(s: Session, participant_ids: Iterable[int]) -> None:
    """Recompute the spans of these participants inside the caller's transaction."""
    ids = sorted(set(participant_ids))
    s.flush()
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        s.execute(delete(SPAN).where(SPAN.c.participant_id.in_(chunk)))
        s.execute(insert(SPAN).from_select(COLUMNS, spans_select(chunk)))


def rebuild_all(s: Session) -> None:
    """Recompute every span (after a bulk load of events that bypassed the services)."""
    s.execute(delete(SPAN))
    s.execute(insert(SPAN).from_select(COLUMNS, spans_select()))
