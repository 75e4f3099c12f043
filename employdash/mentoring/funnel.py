"""The pipeline engine: every funnel figure AS OF a date, from the dated stage events.

The figures read the state spans derived from the events (employdash.mentoring.state, kept in
step in the same transaction as each event): the state as of D is the one span per participant
with from_on <= D < to_on, so "now" and any past date are one range scan of the span index
instead of a window over every event. All figures are set-based SQL, the same on SQLite and
PostgreSQL; Python only reshapes the few resulting rows and applies small-count suppression
(employdash.privacy) before anything leaves.

Semantics, for a date D:
- reached(k): participants with a `forward` event into a stage at position >= k on or before D
  (moving back does not un-reach a stage; a later stage implies the earlier ones).
- current stage: the stage of the participant's latest event on or before D; a latest `drop`
  event means "dropped at that stage" (with its reason).
- days in a stage: from an event entering it (forward or back) to the participant's next event,
  for stays that ended on or before D (open stays are not yet a duration); median and 90th
  percentile by nearest rank.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Exists,
    FromClause,
    Integer,
    Select,
    Subquery,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session

from employdash.access import Actor, Area, read_scope, require_read
from employdash.config import get_config
from employdash.db import Database
from employdash.models.mentoring import (
    Cohort,
    Match,
    Outcome,
    Participant,
    PipelineStage,
    Program,
    StageEvent,
    StateSpan,
)
from employdash.privacy import is_small, suppress_group, suppress_total

E = StageEvent.__table__
P = Participant.__table__
G = Program.__table__
S = PipelineStage.__table__
M = Match.__table__
O = Outcome.__table__  # noqa: E741 - the outcome table
C = Cohort.__table__
X = StateSpan.__table__

DIMENSIONS = ("program", "operating_model", "population", "cohort", "locality")
ALL = "all"
# Stages where a mentor is available for a mentee (if no match is active).
MENTOR_AVAILABLE = ("trained", "matched", "active")


@dataclass(frozen=True)
class Selection:
    """Which participants a figure covers; None means "all in the actor's scope"."""

    pipeline: str = "mentee"
    locality_codes: tuple[int, ...] | None = None
    program_ids: tuple[int, ...] | None = None
    operating_models: tuple[str, ...] | None = None
    populations: tuple[str, ...] | None = None
    cohort_ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Stage:
    id: int
    position: int
    code: str
    name_key: str
    label: str | None = None
    label_en: str | None = None


@dataclass
class Funnel:
    """Funnel figures for one selection (and optionally per group of a dimension).

    `table` columns: group, position, stage, name_key, reached, conversion, in_stage, dropped.
    """

    stages: list[Stage]
    table: pd.DataFrame
    as_of: date
    by: str | None = None
    groups: list[Any] = field(default_factory=list)


def frame_of(
    records: list[dict[str, Any]], columns: list[str], nullable: tuple[str, ...]
) -> pd.DataFrame:
    """A DataFrame whose suppressed cells stay None (pandas would turn them into NaN floats)."""
    frame = pd.DataFrame.from_records(records, columns=columns)
    for name in nullable:
        frame[name] = pd.Series([r[name] for r in records], index=frame.index, dtype=object)
    return frame


def _threshold() -> int:
    return int(get_config().SUPPRESSION_THRESHOLD)


def stages(session: Session, pipeline: str) -> list[Stage]:
    rows = session.execute(
        select(S.c.id, S.c.position, S.c.code, S.c.name_key, S.c.label, S.c.label_en)
        .where(S.c.pipeline_code == pipeline)
        .order_by(S.c.position)
    )
    return [Stage(*r) for r in rows]


def pipeline_stages(db: Database, actor: Actor, pipeline: str) -> list[Stage]:
    """The pipeline's ordered stages (configuration, not personal data)."""
    require_read(actor, Area.MENTORING)
    with db.transaction() as s:
        return stages(s, pipeline)


def _group_column(by: str | None, src: FromClause = P) -> ColumnElement[Any]:
    columns = {
        "program": src.c.program_id,
        "operating_model": G.c.operating_model,
        "population": src.c.population,
        "cohort": src.c.cohort_id,
        "locality": G.c.locality_code,
    }
    if by is None:
        return literal(ALL)
    if by not in columns:
        raise ValueError(f"unknown dimension {by}")
    return columns[by]


def needs_program(actor: Actor, sel: Selection, by: str | None) -> bool:
    """Whether a query must join the program table (scope, program filters, its columns)."""
    return (
        actor.localities is not None
        or sel.locality_codes is not None
        or sel.operating_models is not None
        or by in ("operating_model", "locality")
    )


def conditions(
    actor: Actor, sel: Selection, with_program: bool = True, src: FromClause = P
) -> list[ColumnElement[bool]]:
    """WHERE clauses over participant P (or the spans X) and program G for the selection."""
    conds = [src.c.pipeline_code == sel.pipeline]
    scope = read_scope(actor, Area.MENTORING, sel.locality_codes)
    if with_program or sel.locality_codes is not None:
        conds.append(scope.of(G.c.locality_code))
    if sel.program_ids is not None:
        conds.append(src.c.program_id.in_(sel.program_ids))
    if sel.operating_models is not None:
        conds.append(G.c.operating_model.in_(sel.operating_models))
    if sel.populations is not None:
        conds.append(src.c.population.in_(sel.populations))
    if sel.cohort_ids is not None:
        conds.append(src.c.cohort_id.in_(sel.cohort_ids))
    return conds


def _spans(with_program: bool) -> FromClause:
    return X.join(G, G.c.id == X.c.program_id) if with_program else X


def as_of_clauses(as_of: date) -> list[ColumnElement[bool]]:
    """The one span per participant holding on the date (an index range on to_on, from_on)."""
    return [X.c.to_on > as_of, X.c.from_on <= as_of]


def spans_query(actor: Actor, sel: Selection, as_of: date, by: str | None) -> Select[Any]:
    """(group, furthest position, position, kind, reason, participants) of the spans holding on
    the date: one GROUP BY over one range scan, from which the stages reached (by the furthest
    position) and each participant's latest event (position, kind, reason) are both summed. Two
    queries, one for each, scanned the same spans twice: half of the national funnel's time."""
    grp = _group_column(by, X).label("grp")
    joined = needs_program(actor, sel, by)
    columns = (grp, X.c.furthest, X.c.position, X.c.kind, X.c.reason)
    return (
        select(*columns, func.count().label("n"))
        .select_from(_spans(joined))
        .where(*as_of_clauses(as_of), *conditions(actor, sel, joined, X))
        .group_by(*columns)
    )


def days_between(
    later: ColumnElement[Any], earlier: ColumnElement[Any], dialect: str
) -> ColumnElement[Any]:
    """Whole days between two DATE expressions, on either database."""
    if dialect == "sqlite":
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return later - earlier


def durations_query(
    actor: Actor, sel: Selection, as_of: date, by: str | None, dialect: str
) -> Select[Any]:
    """(group, position, stays, median days, p90 days), nearest-rank percentiles in SQL."""
    grp = _group_column(by, X).label("grp")
    # A stay is a span closed on or before the date (its end is the next event's date).
    stays = (
        select(grp, X.c.position, days_between(X.c.to_on, X.c.from_on, dialect).label("days"))
        .select_from(_spans(True))
        .where(
            X.c.kind != "drop",
            X.c.to_on <= as_of,
            X.c.from_on <= as_of,
            *conditions(actor, sel, True, X),
        )
        .subquery()
    )
    part = (stays.c.grp, stays.c.position)
    ranked = select(
        stays.c.grp,
        stays.c.position,
        stays.c.days,
        func.row_number().over(partition_by=part, order_by=stays.c.days).label("rn"),
        func.count().over(partition_by=part).label("n"),
    ).subquery()

    def rank(pct: int) -> ColumnElement[Any]:
        # ceil(pct% of n) with integer arithmetic, identical on both databases
        return (ranked.c.n * pct + 99) // 100

    return select(
        ranked.c.grp,
        ranked.c.position,
        func.max(ranked.c.n).label("n"),
        func.max(case((ranked.c.rn == rank(50), ranked.c.days))).label("median"),
        func.max(case((ranked.c.rn == rank(90), ranked.c.days))).label("p90"),
    ).group_by(ranked.c.grp, ranked.c.position)


def _suppress_column(frame: pd.DataFrame, column: str, threshold: int, by_group: bool) -> None:
    """Hide small cells of `column`; across groups of one stage, complements too."""
    if not by_group:
        frame[column] = [suppress_total(v, threshold) for v in frame[column]]
        return
    for _, idx in frame.groupby("position").groups.items():
        cells = {str(i): frame.at[i, column] for i in idx}
        hidden = suppress_group(
            {k: (None if v is None else int(v)) for k, v in cells.items()}, threshold
        )
        for k, v in hidden.items():
            frame.at[int(k), column] = v


def compute_funnel(
    session: Session, actor: Actor, sel: Selection, as_of: date, by: str | None = None
) -> Funnel:
    """The funnel table (raw counts, unsuppressed): callers outside this module use `funnel`."""
    stage_list = stages(session, sel.pipeline)
    rows = session.execute(spans_query(actor, sel, as_of, by)).all()
    groups = sorted({r.grp for r in rows}, key=str)
    furthest: dict[tuple[Any, int], int] = {}
    for r in rows:
        if r.furthest is not None:
            furthest[(r.grp, r.furthest)] = furthest.get((r.grp, r.furthest), 0) + r.n
    current: dict[tuple[Any, int, str], int] = {}
    for r in rows:
        key = (r.grp, r.position, "dropped" if r.kind == "drop" else "in_stage")
        current[key] = current.get(key, 0) + r.n
    records = []
    for g in groups:
        for st in stage_list:
            reached = sum(n for (gg, pos), n in furthest.items() if gg == g and pos >= st.position)
            records.append(
                {
                    "group": g,
                    "position": st.position,
                    "stage": st.code,
                    "name_key": st.name_key,
                    "reached": reached,
                    "in_stage": current.get((g, st.position, "in_stage"), 0),
                    "dropped": current.get((g, st.position, "dropped"), 0),
                }
            )
    table = pd.DataFrame.from_records(
        records,
        columns=["group", "position", "stage", "name_key", "reached", "in_stage", "dropped"],
    )
    return Funnel(stage_list, table, as_of, by, groups)


def _with_conversion(table: pd.DataFrame) -> pd.DataFrame:
    conversions = []
    previous: dict[Any, Any] = {}
    for row in table.itertuples():
        before = previous.get(row.group)
        ok = before not in (None, 0) and row.reached is not None and not pd.isna(row.reached)
        conversions.append(
            float(row.reached) / float(before)
            if ok and before is not None and row.position > 1
            else None
        )
        previous[row.group] = None if pd.isna(row.reached) else row.reached
    table = table.copy()
    table["conversion"] = conversions
    return table


def suppress_funnel(fun: Funnel, threshold: int) -> Funnel:
    """Hide small cells: reached per stage across groups (with complements), and the
    in-stage/dropped distribution of each group, whose cells add up to the group's total."""
    table = fun.table.astype({"reached": object, "in_stage": object, "dropped": object}).copy()
    by_group = fun.by is not None and len(fun.groups) > 1
    _suppress_column(table, "reached", threshold, by_group)
    for g in fun.groups:
        idx = table.index[table["group"] == g]
        cells = {f"i{i}": int(fun.table.at[i, "in_stage"]) for i in idx}
        cells |= {f"d{i}": int(fun.table.at[i, "dropped"]) for i in idx}
        hidden = suppress_group(cells, threshold)
        for i in idx:
            table.at[i, "in_stage"] = hidden[f"i{i}"]
            table.at[i, "dropped"] = hidden[f"d{i}"]
    return replace(fun, table=_with_conversion(table))


def funnel(
    db: Database, actor: Actor, sel: Selection, as_of: date | None = None, by: str | None = None
) -> Funnel:
    """Counts reached, conversion from the previous stage, in stage and dropped, as of a date."""
    require_read(actor, Area.MENTORING)
    as_of = as_of or date.today()
    with db.transaction() as s:
        fun = compute_funnel(s, actor, sel, as_of, by)
    return suppress_funnel(fun, _threshold())


def dropoff(db: Database, actor: Actor, sel: Selection, as_of: date | None = None) -> pd.DataFrame:
    """Participants whose latest event is a drop, by stage and reason (suppressed per stage)."""
    require_read(actor, Area.MENTORING)
    as_of = as_of or date.today()
    threshold = _threshold()
    with db.transaction() as s:
        stage_list = {st.position: st for st in stages(s, sel.pipeline)}
        rows = [r for r in s.execute(spans_query(actor, sel, as_of, None)) if r.kind == "drop"]
    records = []
    for pos in sorted({r.position for r in rows}):
        cells = {r.reason or "other": 0 for r in rows if r.position == pos}
        for r in rows:
            if r.position == pos:
                cells[r.reason or "other"] += r.n
        total = sum(cells.values())
        hidden = suppress_group(cells, threshold)
        for reason, n in sorted(hidden.items()):
            records.append(
                {
                    "position": pos,
                    "stage": stage_list[pos].code,
                    "name_key": stage_list[pos].name_key,
                    "reason": reason,
                    "count": n,
                    "stage_total": suppress_total(total, threshold),
                }
            )
    return frame_of(
        records,
        ["position", "stage", "name_key", "reason", "count", "stage_total"],
        ("count", "stage_total"),
    )


def durations(
    db: Database, actor: Actor, sel: Selection, as_of: date | None = None, by: str | None = None
) -> pd.DataFrame:
    """Median and 90th-percentile days in each stage; hidden when fewer stays than the threshold."""
    require_read(actor, Area.MENTORING)
    as_of = as_of or date.today()
    threshold = _threshold()
    with db.transaction() as s:
        stage_list = {st.position: st for st in stages(s, sel.pipeline)}
        rows = s.execute(durations_query(actor, sel, as_of, by, db.dialect)).all()
    records = []
    for r in sorted(rows, key=lambda r: (str(r.grp), r.position)):
        small = r.n < threshold
        records.append(
            {
                "group": r.grp,
                "position": r.position,
                "stage": stage_list[r.position].code,
                "name_key": stage_list[r.position].name_key,
                "stays": None if small else r.n,
                "median_days": None if small else r.median,
                "p90_days": None if small else r.p90,
            }
        )
    return frame_of(
        records,
        ["group", "position", "stage", "name_key", "stays", "median_days", "p90_days"],
        ("stays", "median_days", "p90_days"),
    )


def time_to_outcome(
    db: Database, actor: Actor, sel: Selection, as_of: date | None = None, months: int = 24
) -> pd.DataFrame:
    """Cumulative share of each entry cohort with an outcome, by months since entry.

    A cohort is the participant's named cohort, else the half-year of their first event. Cohorts
    smaller than the threshold are left out, and a point is shown only once at least
    `threshold` participants reached an outcome (or none did), so no small count is derivable.
    """
    require_read(actor, Area.MENTORING)
    as_of = as_of or date.today()
    threshold = _threshold()
    first_outcome = (
        select(O.c.participant_id, func.min(O.c.reached_on).label("reached_on"))
        .where(O.c.reached_on <= as_of)
        .group_by(O.c.participant_id)
        .subquery()
    )
    entry = (
        select(P.c.id, P.c.cohort_id, func.min(E.c.occurred_on).label("entered"))
        .select_from(E.join(P, P.c.id == E.c.participant_id).join(G, G.c.id == P.c.program_id))
        .where(E.c.occurred_on <= as_of, *conditions(actor, sel))
        .group_by(P.c.id, P.c.cohort_id)
        .subquery()
    )
    query = select(
        entry.c.entered, C.c.name.label("cohort"), first_outcome.c.reached_on
    ).select_from(
        entry.outerjoin(first_outcome, first_outcome.c.participant_id == entry.c.id).outerjoin(
            C, C.c.id == entry.c.cohort_id
        )
    )
    with db.transaction() as s:
        frame = pd.DataFrame(s.execute(query).all(), columns=["entered", "cohort", "reached_on"])
    columns = ["cohort", "month", "participants", "share"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    entered = pd.to_datetime(frame["entered"])
    half = entered.dt.year.astype(str) + "-H" + ((entered.dt.month > 6) + 1).astype(str)
    frame["cohort"] = frame["cohort"].fillna(half)
    reached = pd.to_datetime(frame["reached_on"])
    frame["months_to"] = ((reached - entered).dt.days // 30).astype("Int64")
    frame["observed"] = ((pd.Timestamp(as_of) - entered).dt.days // 30).astype(int)
    records = []
    for cohort, part in frame.groupby("cohort"):
        size = len(part)
        if size < threshold:
            continue
        horizon = min(months, int(part["observed"].min()))
        for month in range(horizon + 1):
            count = int((part["months_to"].fillna(10**6) <= month).sum())
            if is_small(count, threshold) or is_small(size - count, threshold):
                continue
            records.append(
                {"cohort": cohort, "month": month, "participants": size, "share": count / size}
            )
    return pd.DataFrame.from_records(records, columns=columns)


def current_state(actor: Actor, sel: Selection, as_of: date) -> Subquery:
    """Per participant of the selection: latest event's stage code, kind and date (as of).

    One row per participant (the span holding on the date); `rn` is always 1, kept for callers.
    """
    return (
        select(
            P.c.id.label("participant_id"),
            P.c.code,
            P.c.program_id,
            P.c.population,
            P.c.age_band,
            P.c.cohort_id,
            P.c.version,
            G.c.locality_code,
            S.c.code.label("stage"),
            X.c.position,
            X.c.kind,
            X.c.reason,
            X.c.from_on.label("occurred_on"),
            literal(1).label("rn"),
        )
        .select_from(
            X.join(P, P.c.id == X.c.participant_id)
            .join(G, G.c.id == X.c.program_id)
            .join(S, S.c.id == X.c.stage_id)
        )
        .where(*as_of_clauses(as_of), *conditions(actor, sel, True, X))
        .subquery()
    )


def active_match_exists(
    participant_id_column: ColumnElement[Any], side: str, as_of: date
) -> Exists:
    """EXISTS: a match of this participant (as mentor or mentee) is running on the date."""
    column = M.c.mentor_id if side == "mentor" else M.c.mentee_id
    return (
        select(M.c.id)
        .where(
            column == participant_id_column,
            M.c.started_on <= as_of,
            or_(M.c.ended_on.is_(None), M.c.ended_on > as_of),
        )
        .exists()
    )


def waiting_query(actor: Actor, sel: Selection, as_of: date) -> Select[Any]:
    """Mentees accepted (not yet matched) and without a running match, as of the date."""
    cur = current_state(actor, replace(sel, pipeline="mentee"), as_of)
    return select(cur).where(
        cur.c.rn == 1,
        cur.c.kind != "drop",
        cur.c.stage == "accepted",
        ~active_match_exists(cur.c.participant_id, "mentee", as_of),
    )


def idle_mentors_query(actor: Actor, sel: Selection, as_of: date) -> Select[Any]:
    """Mentors trained or active but with no running match, as of the date."""
    cur = current_state(actor, replace(sel, pipeline="mentor", populations=None), as_of)
    return select(cur).where(
        cur.c.rn == 1,
        cur.c.kind != "drop",
        cur.c.stage.in_(MENTOR_AVAILABLE),
        ~active_match_exists(cur.c.participant_id, "mentor", as_of),
    )


def _program_counts(
    session: Session, query: Select[Any], threshold: int
) -> dict[int | None, int | None]:
    """Rows of `query` counted per program plus the total (key None); small counts and the
    complements that would reveal them are hidden."""
    sub = query.subquery()
    rows = session.execute(select(sub.c.program_id, func.count()).group_by(sub.c.program_id))
    counts = {str(p): n for p, n in rows}
    hidden: dict[int | None, int | None] = {
        int(k): v for k, v in suppress_group(counts, threshold).items()
    }
    hidden[None] = suppress_total(sum(counts.values()), threshold)
    return hidden


def waiting_summary(
    db: Database, actor: Actor, sel: Selection, as_of: date | None = None
) -> pd.DataFrame:
    """Per program (and a last row, program None, for the total): mentees waiting for a mentor
    and mentors without a mentee, suppressed."""
    require_read(actor, Area.MENTORING)
    as_of = as_of or date.today()
    threshold = _threshold()
    with db.transaction() as s:
        waiting = _program_counts(s, waiting_query(actor, sel, as_of), threshold)
        idle = _program_counts(s, idle_mentors_query(actor, sel, as_of), threshold)
    programs = [*sorted({p for p in (*waiting, *idle) if p is not None}), None]
    return frame_of(
        [
            {
                "program_id": p,
                "waiting_mentees": waiting.get(p, 0),
                "mentors_without_mentee": idle.get(p, 0),
            }
            for p in programs
        ],
        ["program_id", "waiting_mentees", "mentors_without_mentee"],
        ("waiting_mentees", "mentors_without_mentee"),
    )


def count_current(
    session: Session, actor: Actor, sel: Selection, as_of: date, stage_codes: tuple[str, ...]
) -> int:
    """Participants whose latest event (as of) puts them in one of the stages, not dropped."""
    cur = current_state(actor, sel, as_of)
    return int(
        session.scalar(
            select(func.count())
            .select_from(cur)
            .where(cur.c.rn == 1, cur.c.kind != "drop", cur.c.stage.in_(stage_codes))
        )
        or 0
    )


def count_matches_active(session: Session, actor: Actor, sel: Selection, as_of: date) -> int:
    mentee = P.alias("mentee")
    program = G.alias("program")
    conds = [read_scope(actor, Area.MENTORING, sel.locality_codes).of(program.c.locality_code)]
    return int(
        session.scalar(
            select(func.count())
            .select_from(
                M.join(mentee, mentee.c.id == M.c.mentee_id).join(
                    program, program.c.id == mentee.c.program_id
                )
            )
            .where(
                M.c.started_on <= as_of, or_(M.c.ended_on.is_(None), M.c.ended_on > as_of), *conds
            )
        )
        or 0
    )


def count_outcomes(session: Session, actor: Actor, sel: Selection, start: date, end: date) -> int:
    """Participants of the selection with an outcome reached in (start, end]."""
    return int(
        session.scalar(
            select(func.count(func.distinct(O.c.participant_id)))
            .select_from(O.join(P, P.c.id == O.c.participant_id).join(G, G.c.id == P.c.program_id))
            .where(and_(O.c.reached_on > start, O.c.reached_on <= end), *conditions(actor, sel))
        )
        or 0
    )


def twelve_months_before(as_of: date) -> date:
    return as_of - timedelta(days=365)
