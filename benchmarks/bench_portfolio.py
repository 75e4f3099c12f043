"""The programme's portfolio at national scale: 250 programme localities, each with two years of
forum records (a plenary and two task-team meetings a month, attendance, decisions, tasks,
milestones, planned meetings, two focuses with a catalogue and a manual success metric each), a
mentoring programme and two years of headline indicators.
Figure: the portfolio read model (`board.portfolio`, every row built) against the same grouped
queries written by hand and fetched raw, in the same run, on SQLite and PostgreSQL; the aim is
under 1 s.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session

from benchmarks.harness import Figure, on_both_databases, paired_median_times, write
from employdash.db import Database, migrate
from employdash.forum.stages import STAGES
from employdash.indicators.values import add_months
from employdash.models import Locality, Person
from employdash.models.forum import (
    Attendance,
    Decision,
    Forum,
    Meeting,
    MetricValue,
    MilestoneCheck,
    PlannedMeeting,
    StrategicFocus,
    SuccessMetric,
    Task,
    Team,
)
from employdash.models.indicators import IndicatorValue
from employdash.models.mentoring import Outcome, Participant, Pipeline, Program
from employdash.portfolio.board import portfolio
from employdash.reference import load_reference
from employdash.seed import core
from employdash.users import CHEAP, load_actor

LOCALITIES = 250
MONTHS = 24
MEMBERS = 15  # people in each plenary's attendance list
TASKS, PARTICIPANTS = 40, 30
FOCUSES = 2  # per forum, each with a catalogue metric and a manual one (monthly values)
TODAY = date(2026, 11, 15)
REPEAT = 7

# The read's queries written by hand (the localities, last held, next planned, dates set,
# attendance of the last three plenaries, open decisions, overdue tasks, mentoring, indicators).
RAW = [
    """SELECT l.code, l.name_he, l.name_en, l.district_id, l.population, f.id, f.stage,
              f.stage_since
       FROM locality l LEFT JOIN forum f ON f.locality_code = l.code
       WHERE l.is_program ORDER BY l.name_he, l.code""",
    "SELECT forum_id, max(held_on) FROM meeting WHERE held_on <= :today GROUP BY forum_id",
    """SELECT forum_id, min(on_date) FROM planned_meeting
       WHERE status = 'planned' AND on_date >= :today GROUP BY forum_id""",
    """SELECT forum_id, next_dates FROM meeting
       WHERE held_on >= :year_ago AND forum_id NOT IN (SELECT forum_id FROM planned_meeting)""",
    """SELECT r.forum_id, sum(CASE WHEN a.present THEN 1 ELSE 0 END) * 1.0 / count(*)
       FROM (SELECT m.id, m.forum_id,
                    row_number() OVER (PARTITION BY m.forum_id ORDER BY m.held_on DESC, m.id DESC)
                      AS recent
             FROM meeting m
             WHERE m.kind = 'forum' AND m.held_on <= :today
               AND EXISTS (SELECT 1 FROM attendance x WHERE x.meeting_id = m.id)) r
       JOIN attendance a ON a.meeting_id = r.id
       WHERE r.recent <= 3 GROUP BY r.forum_id, r.id""",
    """SELECT m.forum_id, count(d.id) FROM decision d JOIN meeting m ON m.id = d.meeting_id
       WHERE d.is_open AND m.held_on <= :today GROUP BY m.forum_id""",
    """SELECT forum_id, count(id) FROM task
       WHERE status NOT IN ('done', 'cancelled') AND due_date < :today GROUP BY forum_id""",
    """SELECT g.locality_code, count(p.id), count(o.participant_id)
       FROM ment_program g JOIN ment_participant p ON p.program_id = g.id
       LEFT JOIN (SELECT DISTINCT participant_id FROM ment_outcome
                  WHERE kind = 'job' AND reached_on <= :today) o ON o.participant_id = p.id
       WHERE g.kind = 'mentoring' AND p.role = 'mentee' GROUP BY g.locality_code""",
    """SELECT indicator_code, max(period) FROM indicator_value
       WHERE indicator_code IN ('unemployment_rate', 'avg_wage') AND value IS NOT NULL
         AND status != 'suppressed' GROUP BY indicator_code""",
    """SELECT v.locality_code, v.indicator_code, v.value, l.district_id
       FROM indicator_value v JOIN locality l ON l.code = v.locality_code
       WHERE v.indicator_code IN ('unemployment_rate', 'avg_wage') AND v.period = :month
         AND v.value IS NOT NULL AND v.status != 'suppressed'""",
    """SELECT l.district_id, v.indicator_code,
              sum(v.value * l.population) / nullif(sum(l.population), 0)
       FROM indicator_value v JOIN locality l ON l.code = v.locality_code
       WHERE v.indicator_code IN ('unemployment_rate', 'avg_wage') AND v.period = :month
         AND l.population > 0 AND v.value IS NOT NULL AND v.status != 'suppressed'
       GROUP BY l.district_id, v.indicator_code""",
    """SELECT m.id, m.indicator_code, m.baseline, m.baseline_date, m.target, m.target_date,
              f.locality_code, f.target_tolerance
       FROM success_metric m JOIN strategic_focus s ON s.id = m.focus_id
       JOIN forum f ON f.id = s.forum_id WHERE NOT s.retired AND NOT m.retired""",
    """SELECT locality_code, indicator_code, period, value FROM (
         SELECT locality_code, indicator_code, period, value, row_number() OVER (
           PARTITION BY locality_code, indicator_code ORDER BY period DESC) AS rank
         FROM indicator_value WHERE indicator_code = 'unemployment_rate'
           AND value IS NOT NULL AND status != 'suppressed') r WHERE rank = 1""",
    """SELECT metric_id, period, value FROM (
         SELECT metric_id, period, value,
                row_number() OVER (PARTITION BY metric_id ORDER BY period DESC) AS rank
         FROM metric_value) r WHERE rank = 1""",
]


def _programme_localities(s: Session) -> list[int]:
    codes = list(
        s.scalars(
            select(Locality.code)
            .where(Locality.population > 0, Locality.district_id.is_not(None))
            .order_by(Locality.population.desc())
            .limit(LOCALITIES)
        )
    )
    s.execute(update(Locality).values(is_program=Locality.code.in_(codes)))
    return codes


def _forums(s: Session, rng: random.Random, codes: list[int]) -> dict[int, int]:
    start = add_months(TODAY, -MONTHS)
    rows = []
    for code in codes:
        stage = rng.choice((1, 2, 2, 3, 3))
        rows.append(
            {
                "locality_code": code,
                "name": f"forum {code}",
                "stage": stage,
                "stage_since": start + timedelta(days=rng.randrange(60, 600)),
                "version": 1,
            }
        )
    s.execute(insert(Forum), rows)
    forums = dict(s.execute(select(Forum.locality_code, Forum.id)).all())
    checks = [
        {
            "forum_id": f,
            "milestone_key": key,
            "checked_on": start + timedelta(days=30 * i),
            "checked_by": "bench",
        }
        for f in forums.values()
        for i, key in enumerate(STAGES[1] + STAGES[2][: rng.randrange(0, 9)])
    ]
    s.execute(insert(MilestoneCheck), checks)
    return forums


def _meetings(s: Session, rng: random.Random, forums: dict[int, int]) -> None:
    s.execute(
        insert(Team),
        [
            {"forum_id": f, "kind": kind, "name": f"{kind} {i}", "version": 1}
            for f in forums.values()
            for i, kind in enumerate(("forum", "task", "task"))
        ],
    )
    teams: dict[int, list[tuple[int, str]]] = {}
    for team_id, forum_id, kind in s.execute(select(Team.id, Team.forum_id, Team.kind)):
        teams.setdefault(forum_id, []).append((team_id, kind))
    people = {
        code: [
            {"full_name": f"member {code}.{i}", "locality_code": code, "version": 1}
            for i in range(MEMBERS)
        ]
        for code in forums
    }
    s.execute(insert(Person), [p for rows in people.values() for p in rows])
    members: dict[int, list[int]] = {}
    for pid, code in s.execute(select(Person.id, Person.locality_code)):
        if code is not None:
            members.setdefault(code, []).append(pid)
    meeting_rows = []
    for forum_id in forums.values():
        for month in range(MONTHS):
            held = add_months(TODAY, -month) + timedelta(days=rng.randrange(0, 27))
            for team_id, kind in teams[forum_id]:
                if held > TODAY:
                    continue
                meeting_rows.append(
                    {
                        "forum_id": forum_id,
                        "team_id": team_id,
                        "kind": kind,
                        "held_on": held,
                        "agenda": [],
                        "next_dates": [(held + timedelta(days=30)).isoformat()],
                        "created_by": "bench",
                        "version": 1,
                    }
                )
    s.execute(insert(Meeting), meeting_rows)
    code_of = {f: c for c, f in forums.items()}
    plenaries = s.execute(select(Meeting.id, Meeting.forum_id).where(Meeting.kind == "forum"))
    attendance, decisions = [], []
    for meeting_id, forum_id in plenaries:
        for pid in members[code_of[forum_id]][:MEMBERS]:
            attendance.append(
                {"meeting_id": meeting_id, "person_id": pid, "present": rng.random() < 0.7}
            )
        for k in range(2):
            decisions.append(
                {"meeting_id": meeting_id, "text": f"decision {k}", "is_open": rng.random() < 0.3}
            )
    for start in range(0, len(attendance), 20_000):
        s.execute(insert(Attendance), attendance[start : start + 20_000])
    s.execute(insert(Decision), [{**d, "version": 1} for d in decisions])
    s.execute(
        insert(PlannedMeeting),
        [
            {
                "forum_id": f,
                "team_id": teams[f][0][0],
                "kind": "forum",
                "on_date": TODAY + timedelta(days=rng.randrange(1, 40)),
                "starts": time(17, 0),
                "ends": time(19, 0),
                "place": "City hall",
                "agenda": [],
                "status": "planned",
                "uid": f"bench-{f}@employdash",
                "sequence": 0,
                "created_by": "bench",
                "version": 1,
            }
            for f in forums.values()
            if f % 2  # half the forums have a planned meeting; the others' next is a date set
        ],
    )
    s.execute(
        insert(Task),
        [
            {
                "forum_id": f,
                "title": f"task {k}",
                "status": rng.choice(("not_started", "in_progress", "blocked", "done")),
                "progress": 0,
                "due_date": TODAY + timedelta(days=rng.randrange(-200, 200)),
                "version": 1,
            }
            for f in forums.values()
            for k in range(TASKS)
        ],
    )


def _mentoring(s: Session, rng: random.Random, codes: list[int]) -> None:
    if s.get(Pipeline, "mentee") is None:
        s.add(Pipeline(code="mentee", role="mentee", name_key="mentoring.pipeline.mentee"))
        s.flush()
    s.execute(
        insert(Program),
        [
            {
                "name": f"programme {c}",
                "kind": "mentoring",
                "operating_model": "program_coordinator",
                "target_population": "general",
                "locality_code": c,
                "version": 1,
            }
            for c in codes
        ],
    )
    programs = list(s.scalars(select(Program.id)))
    s.execute(
        insert(Participant),
        [
            {
                "code": f"B{g}-{i}",
                "role": "mentee",
                "pipeline_code": "mentee",
                "program_id": g,
                "population": "general",
                "version": 1,
            }
            for g in programs
            for i in range(PARTICIPANTS)
        ],
    )
    ids = list(s.scalars(select(Participant.id)))
    s.execute(
        insert(Outcome),
        [
            {"participant_id": p, "kind": "job", "reached_on": TODAY - timedelta(days=40)}
            for p in rng.sample(ids, len(ids) // 4)
        ],
    )


def _indicators(s: Session, rng: random.Random, codes: list[int]) -> None:
    rows = [
        {
            "locality_code": c,
            "indicator_code": code,
            "period": add_months(TODAY, -m),
            "value": rng.uniform(0.03, 0.12)
            if code == "unemployment_rate"
            else rng.uniform(8e3, 2e4),
            "status": "ok",
        }
        for c in codes
        for code in ("unemployment_rate", "avg_wage")
        for m in range(1, MONTHS + 1)
    ]
    s.execute(insert(IndicatorValue), rows)


def _targets(s: Session, rng: random.Random, forums: dict[int, int]) -> None:
    start = add_months(TODAY, -MONTHS)
    s.execute(
        insert(StrategicFocus),
        [
            {"forum_id": f, "title": f"focus {i}", "position": i, "version": 1}
            for f in forums.values()
            for i in range(FOCUSES)
        ],
    )
    metrics = []
    for focus_id in s.scalars(select(StrategicFocus.id)):
        common = {"focus_id": focus_id, "baseline_date": start, "version": 1}
        common["target_date"] = add_months(TODAY, 12)
        metrics.append({**common, "indicator_code": "unemployment_rate", "baseline": 0.09,
                        "target": round(rng.uniform(0.05, 0.08), 3)})  # fmt: skip
        metrics.append({**common, "name": "placements", "unit": "count", "direction": "up",
                        "baseline": 0.0, "target": float(rng.randrange(50, 200))})  # fmt: skip
    s.execute(insert(SuccessMetric), metrics)
    manual = s.scalars(select(SuccessMetric.id).where(SuccessMetric.indicator_code.is_(None)))
    s.execute(
        insert(MetricValue),
        [
            {
                "metric_id": m,
                "period": add_months(TODAY, -k),
                "value": float(rng.randrange(0, 150)),
                "entered_by": "bench",
                "version": 1,
            }
            for m in manual
            for k in range(1, 13)
        ],
    )


def build(db: Database) -> dict[str, int]:
    migrate(db)
    rng = random.Random(26)
    with db.transaction() as s:
        core.seed(s, rng, CHEAP)
        load_reference(s)  # the indicator definitions
        codes = _programme_localities(s)
        forums = _forums(s, rng, codes)
        _meetings(s, rng, forums)
        _targets(s, rng, forums)
        _mentoring(s, rng, codes)
        _indicators(s, rng, codes)
    if db.dialect == "postgresql":
        # Statistics, as autovacuum keeps them on a live database: just loaded, the planner
        # knows none and chose a nested loop for the mentoring counts (2 s instead of 10 ms).
        with db.engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
    with db.transaction() as s:
        return {
            t.__tablename__: int(s.scalar(select(func.count()).select_from(t)) or 0)
            for t in (
                Forum,
                Meeting,
                Attendance,
                Decision,
                Task,
                SuccessMetric,
                MetricValue,
                Participant,
                IndicatorValue,
            )
        }


def raw(db: Database) -> None:
    """The read's queries by hand, fetched as plain rows on a bare connection."""
    month = add_months(TODAY, -1)
    with db.engine.connect() as conn:
        for sql in RAW:
            params = {"today": TODAY, "month": month, "year_ago": TODAY - timedelta(days=365)}
            conn.execute(text(sql), params).fetchall()


def measure(db: Database, label: str) -> list[Figure]:
    counts = build(db)
    programme = load_actor(db, "programme")
    assert programme is not None and programme.localities is None
    rows = portfolio(db, programme, TODAY)
    assert len(rows) == LOCALITIES, len(rows)
    assert all(r.targets.total == 2 * FOCUSES for r in rows)
    read, baseline = paired_median_times(
        lambda: portfolio(db, programme, TODAY), lambda: raw(db), REPEAT
    )
    return [
        Figure(
            f"portfolio read model ({LOCALITIES} localities)",
            read,
            "raw grouped queries",
            baseline,
            label,
            "< 1 s",
            counts,
        )
    ]


def main() -> None:
    write(
        "portfolio",
        on_both_databases("bench_portfolio", measure),
        notes=(
            f"{LOCALITIES} programme localities (the largest of the catalogue), each with "
            f"{MONTHS} months of forum records: a plenary and two task-team meetings a month, "
            f"{MEMBERS} people on each plenary's attendance list, two decisions a plenary, "
            f"{TASKS} tasks, milestones and a planned meeting, {FOCUSES} focuses with a "
            "catalogue metric and a manual one (monthly values); a mentoring programme of "
            f"{PARTICIPANTS} mentees; two headline indicators a month. The read is the service "
            "call as the national programme user (every row built: scope, meetings, attendance "
            "of the last three plenaries, counts, the metrics' status against target, mentoring "
            "with suppression, indicators against the district); the baseline runs the same "
            "grouped queries written by hand on a bare "
            f"connection. Paired medians of {REPEAT} runs on a machine shared with other work."
        ),
    )


if __name__ == "__main__":
    main()
