"""Demo mentoring data: programs in six localities, mentees and mentors moving through their
pipelines with realistic drop-off, waits and durations, matches, outcomes, and two certification
cohorts of employment promoters. Everything is simulated up to DEMO_AS_OF and no later, then
moved in time to the seed date as it is stored (the same story, current on any day)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from employdash.mentoring import state
from employdash.models import Organisation
from employdash.models.mentoring import (
    Cohort,
    Match,
    Outcome,
    Participant,
    PipelineStage,
    Program,
    StageEvent,
)
from employdash.seed.context import DEMO_AS_OF, DEMO_SEED, SeedContext

START = date(2024, 1, 1)

# (locality, name, operating model, target population, host sector, mentees, mentors)
PROGRAMS = (
    (
        1031,
        "חונכות תעסוקתית שדרות – עובדים בשכר נמוך",
        "program_coordinator",
        "low_wage",
        "employment_office",
        110,
        34,
    ),
    (1031, "חונכות לאנשים עם מוגבלות – שדרות", "disability", "disability", "ngo", 60, 20),
    (246, "חונכות מעורבת נתיבות", "mentoring_coordinator", "haredi", "ngo", 90, 28),
    (246, "בוגרים 45+ נתיבות", "freelancer", "age45", "employment_office", 55, 17),
    (31, "חונכות יוצאי אתיופיה – אופקים", "program_coordinator", "ethiopian", "ngo", 60, 18),
    (7500, "חונכות תעסוקתית סח'נין", "mentoring_coordinator", "arab", "ngo", 70, 20),
    (2800, "חונכות קריית שמונה", "freelancer", "low_wage", "employment_office", 45, 13),
    (2200, "חונכות לאנשים עם מוגבלות – דימונה", "disability", "disability", "ngo", 40, 12),
)
MIXED = ("low_wage", "haredi", "age45", "other")
DROP_REASONS = ("lost_contact", "found_job", "health", "family", "not_suitable", "moved")
# (stage, probability to move on, days in the previous stage: low, high)
MENTEE_STEPS = (
    ("screened", 0.85, 7, 35),
    ("accepted", 0.82, 5, 30),
    ("matched", 0.93, 7, 45),
    ("in_sessions", 0.95, 7, 21),
    ("completed", 0.82, 120, 240),
    ("with_outcome", 0.7, 14, 120),
)
MENTOR_STEPS = (("interviewed", 0.80, 7, 30), ("trained", 0.88, 14, 45))
TRAINEE_STEPS = (
    ("in_training", 0.97, 3, 14),
    ("practicum", 0.92, 50, 80),
    ("supervised", 0.92, 50, 80),
    ("assessed", 0.95, 60, 100),
    ("certified", 0.88, 10, 30),
)
AGES = {"age45": ("45_54", "55_plus")}


@dataclass
class Person:
    code: str
    role: str
    program: int
    population: str
    age_band: str
    cohort: int | None = None
    events: list[tuple[str, date, str, str | None]] = field(default_factory=list)
    busy: list[tuple[date, date]] = field(default_factory=list)
    done: bool = False
    id: int = 0

    def last(self) -> date:
        return self.events[-1][1]


# A seeded match: mentor, mentee, started, ended (None while running), status.
SeedMatch = tuple[Person, Person, date, date | None, str]
# A pipeline step: stage, chance of moving on, and the wait before it (lowest, highest days).
Step = tuple[str, float, int, int]


class Codes:
    """Unique pseudonymous codes (no information about the person in them)."""

    ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def new(self, prefix: str) -> str:
        while True:
            code = prefix + "-" + "".join(self.rng.choice(self.ALPHABET) for _ in range(6))
            if code not in self.used:
                self.used.add(code)
                return code


def _walk(
    rng: random.Random, person: Person, steps: tuple[Step, ...], reasons: tuple[str, ...]
) -> None:
    """Advance through `steps` while dates stay before the demo's today; drop on the way."""
    for stage, p_move, low, high in steps:
        when = person.last() + timedelta(days=rng.randint(low, high))
        if when > DEMO_AS_OF:
            return
        if rng.random() > p_move:
            person.events.append((person.events[-1][0], when, "drop", rng.choice(reasons)))
            return
        person.events.append((stage, when, "forward", None))


def _age(rng: random.Random, population: str) -> str:
    return rng.choice(AGES.get(population, ("18_24", "25_34", "25_34", "35_44", "45_54")))


def _mentors(
    rng: random.Random, codes: Codes, program: int, population: str, n: int
) -> list[Person]:
    mentors = []
    for _ in range(n):
        m = Person(codes.new("MR"), "mentor", program, "other", _age(rng, "age45"))
        m.events.append(("recruited", START + timedelta(days=rng.randint(0, 900)), "forward", None))
        _walk(rng, m, MENTOR_STEPS, ("lost_contact", "not_suitable", "family"))
        mentors.append(m)
    return mentors


def _free_mentor(mentors: list[Person], start: date, end: date) -> Person | None:
    for m in mentors:
        trained = [d for s, d, k, _ in m.events if s == "trained" and k == "forward"]
        if m.done or not trained or trained[0] > start or m.events[-1][2] == "drop":
            continue
        if all(e < start or s > end for s, e in m.busy):
            return m
    return None


def _mentee(
    rng: random.Random,
    codes: Codes,
    program: int,
    population: str,
    mentors: list[Person],
    matches: list[SeedMatch],
) -> Person:
    pop = population if population != "mixed" else rng.choice(MIXED)
    me = Person(codes.new("ME"), "mentee", program, pop, _age(rng, pop))
    me.events.append(("referred", START + timedelta(days=rng.randint(0, 1000)), "forward", None))
    _walk(rng, me, MENTEE_STEPS[:2], DROP_REASONS)
    if me.events[-1][0] != "accepted":
        return me
    start = me.last() + timedelta(days=rng.randint(7, 45))
    rest = Person("", "", 0, "", "", events=[("matched", start, "forward", None)])
    _walk(rng, rest, MENTEE_STEPS[3:], DROP_REASONS)
    end = (
        rest.last()
        if rest.events[-1][0] in ("completed", "with_outcome") or rest.events[-1][2] == "drop"
        else None
    )
    mentor = None
    for attempt in range(6):
        probe = start + timedelta(days=30 * attempt)
        mentor = _free_mentor(mentors, probe, end or DEMO_AS_OF)
        if mentor and probe <= DEMO_AS_OF:
            shift = probe - start
            rest.events = [
                (s, d + shift, k, r) for s, d, k, r in rest.events if d + shift <= DEMO_AS_OF
            ]
            end = end + shift if end and end + shift <= DEMO_AS_OF else None
            start = probe
            break
        mentor = None
    if mentor is None:  # no mentor found: most give up after a few months, some still wait
        gave_up = me.last() + timedelta(days=rng.randint(60, 180))
        if gave_up <= DEMO_AS_OF and rng.random() < 0.85:
            me.events.append(("accepted", gave_up, "drop", "no_mentor"))
        return me
    if rng.random() < 0.07 and end is None:  # the pair did not work: back to waiting
        back = start + timedelta(days=rng.randint(14, 40))
        if back <= DEMO_AS_OF:
            me.events += [rest.events[0], ("accepted", back, "back", None)]
            mentor.busy.append((start, back))
            matches.append((mentor, me, start, back, "ended_early"))
            return me
    me.events += rest.events
    mentor.busy.append((start, end or DEMO_AS_OF))
    ended = me.events[-1]
    status = "active" if end is None else ("ended_early" if ended[2] == "drop" else "completed")
    matches.append((mentor, me, start, end, status))
    return me


def _mentor_events(rng: random.Random, m: Person, matches: list[SeedMatch]) -> None:
    """A mentor's pipeline follows their matches: matched, active, and completed at the end."""
    mine = sorted((s, e) for mentor, _, s, e, _ in matches if mentor is m)
    if not mine:
        return
    first = mine[0][0]
    m.events.append(("matched", first, "forward", None))
    active = first + timedelta(days=rng.randint(7, 21))
    if active <= DEMO_AS_OF:
        m.events.append(("active", active, "forward", None))
    last_end = mine[-1][1]
    if last_end and last_end + timedelta(days=14) <= DEMO_AS_OF and rng.random() < 0.5:
        m.events.append(("completed", max(last_end, active) + timedelta(days=14), "forward", None))


def _trainees(
    rng: random.Random, codes: Codes, program: int, cohort: int, start: date
) -> list[Person]:
    people = []
    for _ in range(rng.randint(23, 27)):
        t = Person(codes.new("TR"), "trainee", program, "other", _age(rng, "other"), cohort)
        t.events.append(("enrolled", start + timedelta(days=rng.randint(0, 10)), "forward", None))
        _walk(rng, t, TRAINEE_STEPS[:4], ("left_job", "not_suitable", "family"))
        if t.events[-1][0] == "assessed" and rng.random() < 0.15:  # failed: back to supervision
            when = t.last() + timedelta(days=rng.randint(5, 15))
            if when <= DEMO_AS_OF:
                t.events.append(("supervised", when, "back", None))
                t.events.append(
                    ("assessed", when + timedelta(days=rng.randint(45, 75)), "forward", None)
                )
                t.events = [e for e in t.events if e[1] <= DEMO_AS_OF]
        if t.events[-1][0] == "assessed" and t.events[-1][2] == "forward":
            _walk(rng, t, TRAINEE_STEPS[4:], ("failed_assessment",))
        people.append(t)
    return people


def _host(session: Session, ctx: SeedContext, locality: int, sector: str) -> int | None:
    ids = ctx.organisations.get(locality) or []
    return session.scalar(
        select(Organisation.id)
        .where(Organisation.id.in_(ids), Organisation.sector == sector)
        .order_by(Organisation.id)
        .limit(1)
    )


def seed(session: Session, rng: random.Random, ctx: SeedContext) -> None:
    rng = random.Random(f"mentoring-{DEMO_SEED}")
    codes = Codes(rng)
    people: list[Person] = []
    matches: list[SeedMatch] = []
    for locality, name, model, population, sector, n_mentees, n_mentors in PROGRAMS:
        staff: list[int | None] = [*ctx.people.get(locality, [])] or [None]
        program = Program(
            name=name,
            kind="mentoring",
            operating_model=model,
            target_population="mixed" if model == "mentoring_coordinator" else population,
            coordinator_person_id=staff[min(2, len(staff) - 1)],
            host_organisation_id=_host(session, ctx, locality, sector),
            locality_code=locality,
            started_on=ctx.shifted(START),
        )
        session.add(program)
        session.flush()
        mentors = _mentors(rng, codes, program.id, population, n_mentors)
        mentees = [
            _mentee(
                rng,
                codes,
                program.id,
                population if model != "mentoring_coordinator" else "mixed",
                mentors,
                matches,
            )
            for _ in range(n_mentees)
        ]
        for m in mentors:
            _mentor_events(rng, m, matches)
        people += mentors + mentees
    cert = Program(
        name="הכשרת מקדמי תעסוקה – מחוז דרום",
        kind="certification",
        operating_model="program_coordinator",
        target_population="other",
        coordinator_person_id=next(iter(ctx.people.get(1031, [])), None),
        host_organisation_id=_host(session, ctx, 1031, "employment_office"),
        locality_code=1031,
        started_on=ctx.shifted(date(2025, 1, 5)),
    )
    session.add(cert)
    session.flush()
    for label, start in (("מחזור א׳", date(2025, 1, 5)), ("מחזור ב׳", date(2025, 9, 7))):
        starts_on = ctx.shifted(start)
        cohort = Cohort(program_id=cert.id, name=f"{label} {starts_on.year}", starts_on=starts_on)
        session.add(cohort)
        session.flush()
        people += _trainees(rng, codes, cert.id, cohort.id, start)
    _store(session, people, matches, ctx.as_of - DEMO_AS_OF)


def _store(
    session: Session, people: list[Person], matches: list[SeedMatch], shift: timedelta
) -> None:
    """Store the people, their events, matches and outcomes, every date moved by `shift`."""
    for p in people:
        p.events = [(s, d + shift, k, r) for s, d, k, r in p.events]
    matches = [(m, me, s + shift, e and e + shift, st) for m, me, s, e, st in matches]
    pipeline = {"mentee": "mentee", "mentor": "mentor", "trainee": "certification"}
    rows = [
        Participant(
            code=p.code,
            role=p.role,
            pipeline_code=pipeline[p.role],
            program_id=p.program,
            cohort_id=p.cohort,
            population=p.population,
            age_band=p.age_band,
        )
        for p in people
    ]
    session.add_all(rows)
    session.flush()
    for p, row in zip(people, rows, strict=True):
        p.id = row.id
    stage_ids = {
        (pl, code): sid
        for sid, pl, code in session.execute(
            select(PipelineStage.id, PipelineStage.pipeline_code, PipelineStage.code)
        )
    }
    events = [
        {
            "participant_id": p.id,
            "stage_id": stage_ids[(pipeline[p.role], s)],
            "occurred_on": d,
            "kind": k,
            "reason": r,
        }
        for p in people
        for s, d, k, r in sorted(p.events, key=lambda e: e[1])
    ]
    session.execute(insert(StageEvent), events)
    state.rebuild_all(session)
    if matches:
        session.execute(
            insert(Match),
            [
                {
                    "mentor_id": m.id,
                    "mentee_id": me.id,
                    "started_on": s,
                    "ended_on": e,
                    "status": st,
                }
                for m, me, s, e, st in matches
            ],
        )
    kinds = ("job", "job", "integration", "promotion")
    outcomes = []
    for p in people:
        final = p.events[-1]
        if final[2] == "forward" and final[0] in ("with_outcome", "certified"):
            kind = "certified" if p.role == "trainee" else kinds[p.id % len(kinds)]
            outcomes.append({"participant_id": p.id, "kind": kind, "reached_on": final[1]})
    if outcomes:
        session.execute(insert(Outcome), outcomes)
