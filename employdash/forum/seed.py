"""Demo forums for the 14 program localities at varied stages; Sederot's is the rich one.

Sederot: steering team, a forum of every seeded person, three task teams tied to focuses, success
metrics on real indicator codes, ~40 tasks (some overdue), ~10 meetings with attendance and
decisions, and the `member` user's person owning several tasks and sitting in a task team.
Everything is dated relative to the seed date and drawn from its own seeded random generator.
"""

from __future__ import annotations

import random
import secrets
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from employdash.forum.quarterly import quarter_bounds, quarter_of, snapshot_data
from employdash.forum.stages import STAGES
from employdash.models import Locality
from employdash.models.forum import (
    Attendance,
    Decision,
    Forum,
    Invitee,
    Meeting,
    Membership,
    MilestoneCheck,
    PlannedMeeting,
    QuarterlyReview,
    StrategicFocus,
    SuccessMetric,
    Task,
    Team,
)
from employdash.seed.context import DEMO_LOCALITY, DEMO_SEED, MANAGER_LOCALITIES, SeedContext

# Stage per program locality (Sederot and Netivot, the manager's, are in implementation).
STAGE = {
    2800: 2,
    1063: 1,
    8000: 3,
    9200: 2,
    874: 2,
    7500: 1,
    1061: 3,
    2200: 2,
    831: 3,
    31: 2,
    1031: 3,
    246: 3,
    1161: 1,
    2560: 2,
}
FOCUSES = (
    ("תעסוקת צעירים", "צעירים בני 18–30 שאינם עובדים או לומדים", ("job_seekers", -0.12)),
    (
        "שילוב נשים ערביות וחרדיות בתעסוקה",
        "הכשרות, הסעות ומעונות יום",
        ("unemployment_rate", -0.15),
    ),
    ("קשר עם מעסיקים", "קהילת מעסיקים אזורית ומשרות פתוחות", ("avg_wage", 0.08)),
)
TEAM_OF_FOCUS = ("צוות משימה – צעירים", "צוות משימה – נשים בתעסוקה", "צוות משימה – מעסיקים")
TASK_TITLES = (
    "מיפוי צעירים שאינם עובדים ואינם לומדים",
    "יריד תעסוקה לצעירים",
    "סדנת כתיבת קורות חיים",
    "שיתוף פעולה עם המכללה על קורס הסבה",
    "פגישה עם מנהלי משאבי אנוש",
    "סקר מעסיקים – הפצה",
    "הקמת קבוצת וואטסאפ למעסיקים",
    "תיאום הסעות לאזור התעשייה",
    "איתור מעונות יום בשעות עבודה",
    "קורס מחשבים לנשים",
    "פרסום משרות בפורטל העירוני",
    "מפגש מעסיקים רבעוני",
    "חיבור ללשכה – הפניית מועמדים",
    "הכנת דוח נתונים רבעוני",
    "תוכנית חונכות לצעירים",
    "יום פתוח במפעל",
    "קמפיין ברשתות החברתיות",
    "גיוס מנטורים מהתעשייה",
    "בדיקת צורכי הכשרה של מעסיקים",
    "הצגת התוכנית לראש העיר",
)
DECISIONS = (
    "לאשר את מתווה המפגשים לשנה הקרובה",
    "להקים שלושה צוותי משימה לפי המיקודים",
    "לקיים סקר מעסיקים עד סוף הרבעון",
    "להציג את תוכנית העבודה לראש העיר",
    "לבחון תקציב להסעות לאזור התעשייה",
    "לצרף נציג מעסיקים לצוות ההיגוי",
    "לקיים יריד תעסוקה משותף עם נתיבות",
    "לעדכן את מדדי ההצלחה ברבעון הבא",
)
PLANNED_AGENDA = (
    ("עדכון צוותי המשימה", 30),
    ("נתוני הלשכה לחודש האחרון", 20),
    ("יריד התעסוקה", 30),
)
STATUS_WEIGHTS = (("done", 0.35), ("in_progress", 0.35), ("not_started", 0.2), ("blocked", 0.1))
STILL_OVERDUE = 2  # overdue tasks left in a newcomer's forums: fewer than a health warning's


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _last_two_quarters(today: date) -> tuple[str, str]:
    """The two quarters before today's, oldest first ("2026Q2", "2026Q3" on 01/11/2026)."""
    this_quarter = quarter_bounds(quarter_of(today))[0]
    last = this_quarter - timedelta(days=1)
    return quarter_of(quarter_bounds(quarter_of(last))[0] - timedelta(days=1)), quarter_of(last)


def _team(
    s: Session,
    forum: Forum,
    kind: str,
    name: str,
    people: list[tuple[int, str]],
    focus_id: int | None = None,
) -> Team:
    team = Team(forum_id=forum.id, kind=kind, name=name, focus_id=focus_id)
    s.add(team)
    s.flush()
    s.execute(
        insert(Membership),
        [
            {"team_id": team.id, "person_id": p, "role": role, "joined_on": forum.stage_since}
            for p, role in people
        ],
    )
    return team


def _milestones(
    s: Session, forum: Forum, stage: int, start: date, rng: random.Random, rich: bool, today: date
) -> None:
    """Every milestone of the earlier stages, and part of the current one, over the years."""
    day, rows, reached = start, [], start
    for st, keys in STAGES.items():
        if st > stage:
            break
        done = (
            keys if st < stage else keys[: len(keys) - 1 if rich else rng.randint(0, len(keys) - 1)]
        )
        if st == stage:  # the current stage's checks spread up to the demo's today
            gap = max(1, (today - day).days // (len(done) + 1))
        for key in done:
            day += timedelta(days=rng.randint(15, 45) if st < stage else gap)
            rows.append(
                {
                    "forum_id": forum.id,
                    "milestone_key": key,
                    "checked_on": min(day, today - timedelta(days=3)),
                    "checked_by": "manager",
                }
            )
        if st < stage:
            reached = min(day, today - timedelta(days=3))
    if rows:
        s.execute(insert(MilestoneCheck), rows)
    forum.stage = stage
    forum.stage_since = reached


def _meeting(
    s: Session,
    forum: Forum,
    team: Team,
    members: list[int],
    held_on: date,
    number: int | None,
    presence: float,
    rng: random.Random,
    today: date,
    next_dates: list[date] | None = None,
) -> Meeting:
    meeting = Meeting(
        forum_id=forum.id,
        team_id=team.id,
        held_on=held_on,
        number=number,
        kind={"adhoc": "task"}.get(team.kind, team.kind),
        agenda=[],
        issues="עדכונים, סקירת נתוני הלשכה ודיון בתוכנית העבודה",
        next_dates=[d.isoformat() for d in next_dates or []],
        created_by="manager",
        created_at=_at(held_on),
    )
    s.add(meeting)
    s.flush()
    s.execute(
        insert(Attendance),
        [
            {"meeting_id": meeting.id, "person_id": p, "present": rng.random() < presence}
            for p in members
        ],
    )
    for text in rng.sample(DECISIONS, rng.randint(1, 2)):
        s.add(Decision(meeting_id=meeting.id, text=text, is_open=(today - held_on).days < 120))
    return meeting


def _planned_meeting(
    s: Session, forum: Forum, plenary: Team, people: list[int], today: date
) -> None:
    """The next plenary meeting, two weeks ahead, with most of its invitees' answers in. Its own
    generator, so the other forums' draws stay the same."""
    rng = random.Random(f"planned-{DEMO_SEED}")
    planned = PlannedMeeting(
        forum_id=forum.id,
        team_id=plenary.id,
        kind="forum",
        on_date=today + timedelta(days=15),
        starts=time(9, 0),
        ends=time(11, 0),
        place="אולם הישיבות, בניין העירייה",
        agenda=[
            {"topic": topic, "presenter": None, "minutes": minutes}
            for topic, minutes in PLANNED_AGENDA
        ],
        status="planned",
        uid=f"{uuid.uuid4()}@employdash",
        sequence=0,
        created_by="manager",
        created_at=_at(today - timedelta(days=10)),
    )
    s.add(planned)
    s.flush()
    answers = ("coming", "coming", "coming", "maybe", "not_coming", None)
    s.add_all(
        Invitee(
            planned_meeting_id=planned.id,
            person_id=p,
            answer=(answer := rng.choice(answers)),
            answered_at=_at(today - timedelta(days=rng.randint(1, 9))) if answer else None,
            token=secrets.token_urlsafe(32),
        )
        for p in people
    )


def _next_milestone(s: Session, forum: Forum, on: date) -> None:
    """The current stage's first unchecked milestone, checked `on`: the stage moving lately."""
    checked = set(
        s.scalars(select(MilestoneCheck.milestone_key).where(MilestoneCheck.forum_id == forum.id))
    )
    waiting = [key for key in STAGES[forum.stage] if key not in checked]
    if waiting:
        s.add(
            MilestoneCheck(
                forum_id=forum.id, milestone_key=waiting[0], checked_on=on, checked_by="manager"
            )
        )


def _caught_up(rows: list[dict[str, Any]], today: date) -> None:
    """The owners caught up lately: all but the first `STILL_OVERDUE` overdue tasks done last
    week (the forum's first look is a live one, with a few real overdue tasks)."""
    overdue = [r for r in rows if r["status"] != "done" and r["due_date"] < today]
    done_on = today - timedelta(days=7)
    for row in overdue[STILL_OVERDUE:]:
        row.update(status="done", progress=100, completed_on=done_on, updated_at=_at(done_on))


def _tasks(s: Session, forum: Forum, rows: list[dict[str, Any]]) -> None:
    if rows:
        s.execute(insert(Task), rows)


def _task_row(
    forum: Forum,
    team: Team,
    focus_id: int | None,
    meeting: Meeting,
    owner: int,
    title: str,
    rng: random.Random,
    today: date,
) -> dict[str, Any]:
    due = meeting.held_on + timedelta(days=rng.randint(20, 200))
    status = rng.choices([s for s, _ in STATUS_WEIGHTS], [w for _, w in STATUS_WEIGHTS])[0]
    if due > today + timedelta(days=30) and status == "done":
        status = "in_progress"
    progress = {"done": 100, "not_started": 0}.get(status, rng.choice((25, 50, 75)))
    completed = min(due, today - timedelta(days=1)) if status == "done" else None
    return dict(
        forum_id=forum.id,
        team_id=team.id,
        focus_id=focus_id,
        meeting_id=meeting.id,
        title=title,
        owner_person_id=owner,
        due_date=due,
        status=status,
        progress=progress,
        completed_on=completed,
        created_at=_at(meeting.held_on),
        updated_at=_at(meeting.held_on),
        version=1,
    )


def _metrics(s: Session, loc: int, focus_ids: list[int], start: date, today: date) -> None:
    from employdash.indicators.values import latest_value, value_at

    for focus_id, (_, _, (code, change)) in zip(focus_ids, FOCUSES, strict=False):
        baseline = value_at(s, loc, code, start) or (latest_value(s, loc, code) or (start, None))[1]
        if baseline is None:
            continue
        target = baseline * (1 + change)
        target = round(target, 4) if code == "unemployment_rate" else round(target)
        s.add(
            SuccessMetric(
                focus_id=focus_id,
                indicator_code=code,
                baseline=baseline,
                baseline_date=start,
                target=target,
                target_date=date(today.year + 1, 12, 31),
            )
        )


def _forum(
    s: Session,
    rng: random.Random,
    code: int,
    people: list[int],
    rich: bool,
    member_person: int | None,
    ctx: SeedContext,
) -> None:
    today = ctx.as_of
    loc = s.get_one(Locality, code)
    stage = STAGE[code]
    start = ctx.shifted(date(2024, 1, 1)) + timedelta(
        days=rng.randint(0, 240 if stage > 1 else 600)
    )
    forum = Forum(
        locality_code=code,
        name=f"פורום התעסוקה {loc.name_he}",
        stage=1,
        stage_since=start,
        created_at=_at(start),
    )
    s.add(forum)
    s.flush()
    _milestones(s, forum, stage, start, rng, rich, today)
    # Forum roles from the fixed vocabulary; what each does for a living is the person's job title.
    steering = [
        (people[0], "chair"),
        (people[1], "member"),
        (people[2], "referent"),
        (people[4], "member"),
    ]
    steer = _team(s, forum, "steering", "צוות היגוי", steering)
    _meeting(
        s, forum, steer, [p for p, _ in steering], start + timedelta(days=20), None, 0.9, rng, today
    )
    if stage == 1:
        return
    size = len(people) if rich else rng.randint(10, min(16, len(people)))
    forum_people = people[:size]
    roles = {people[0]: "chair", people[2]: "referent"}  # the fixed vocabulary, as the UI gives
    plenary = _team(
        s,
        forum,
        "forum",
        "פורום התעסוקה היישובי",
        [(p, roles.get(p, "member")) for p in forum_people],
    )
    n_forum = 7 if rich else (rng.randint(5, 7) if stage == 3 else rng.randint(2, 4))
    first = max(forum.stage_since or start, start + timedelta(days=60))
    step = max(30, min(62, (today - first).days // (n_forum + 1)))
    meetings = []
    for i in range(n_forum):
        held = first + timedelta(days=step * i)
        presence = 0.85 - (0.25 * i / n_forum if rich else rng.uniform(0, 0.2))
        meetings.append(
            _meeting(s, forum, plenary, forum_people, held, min(i + 1, 7), presence, rng, today)
        )
    if rich:  # a recent plenary meeting: thinly attended in the tests' story, well in a newcomer's
        presence = 0.9 if ctx.recent_activity else 0.55
        meetings.append(
            _meeting(
                s,
                forum,
                plenary,
                forum_people,
                today - timedelta(days=25),
                None,
                presence,
                rng,
                today,
            )
        )
    if not rich and code in MANAGER_LOCALITIES and ctx.recent_activity:
        recent = random.Random(f"recent-{code}-{DEMO_SEED}")
        _meeting(
            s, forum, plenary, forum_people, today - timedelta(days=20), None, 0.8, recent, today
        )
        _next_milestone(s, forum, today - timedelta(days=12))
    if stage < 3:
        return
    focus_ids = []
    for i, (title, desc, _) in enumerate(FOCUSES if rich else rng.sample(FOCUSES, 2)):
        focus = StrategicFocus(forum_id=forum.id, title=title, description=desc, position=i)
        s.add(focus)
        s.flush()
        focus_ids.append(focus.id)
    _metrics(s, code, focus_ids, date(first.year, first.month, 1), today)
    pool = [p for p in forum_people if p != member_person]
    task_rows: list[dict[str, Any]] = []
    plan_meeting = meetings[min(4, len(meetings) - 1)]
    for i, focus_id in enumerate(focus_ids):
        crew = rng.sample(pool, 5) + ([member_person] if member_person and i == 0 else [])
        team = _team(
            s,
            forum,
            "task",
            TEAM_OF_FOCUS[i % 3],
            [(p, "team_lead" if j == 0 else "member") for j, p in enumerate(crew)],
            focus_id,
        )
        last_gap = (20, 30, 75)[i % 3]  # the third team has gone quiet
        team_meetings = [
            _meeting(s, forum, team, crew, today - timedelta(days=d), None, 0.8, rng, today)
            for d in (last_gap + 60, last_gap + 30, last_gap)
        ]
        per_team = 13 if rich else rng.randint(4, 7)
        for k in range(per_team):
            source = plan_meeting if k < per_team // 2 else team_meetings[k % 3]
            owner = (
                crew[k % len(crew)]
                if not (member_person and i == 0 and k % 3 == 0)
                else member_person
            )
            task_rows.append(
                _task_row(
                    forum,
                    team,
                    focus_id,
                    source,
                    owner,
                    TASK_TITLES[(i * 7 + k) % len(TASK_TITLES)],
                    rng,
                    today,
                )
            )
    last = meetings[-1]
    last.next_dates = [(today + timedelta(days=d)).isoformat() for d in (15, 45)]
    if rich and ctx.recent_activity:
        _planned_meeting(s, forum, plenary, forum_people, today)
    if code in MANAGER_LOCALITIES and ctx.recent_activity:
        _caught_up(task_rows, today)
    _tasks(s, forum, task_rows)
    s.flush()
    for back, quarter in zip((130, 40), _last_two_quarters(today), strict=True):
        s.add(
            QuarterlyReview(
                forum_id=forum.id,
                quarter=quarter,
                taken_by="manager",
                taken_at=_at(today - timedelta(days=back)),
                data=snapshot_data(s, forum.id, code, quarter),
            )
        )


def seed(session: Session, rng: random.Random, ctx: SeedContext) -> None:
    """A forum in every program locality; the shared rng is left untouched for the next areas."""
    own = random.Random(f"forum-{DEMO_SEED}")
    for code in ctx.localities:
        rich = code == DEMO_LOCALITY
        _forum(
            session, own, code, ctx.people[code], rich, ctx.member_person_id if rich else None, ctx
        )
    session.flush()
