"""Localities, organisations, people and the demo users."""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from employdash.config import DEMO_PASSWORD
from employdash.models import Locality, Organisation, Person, User, UserLocality
from employdash.reference import load_reference
from employdash.seed.context import (
    DEMO_LOCALITY,
    MANAGER_LOCALITIES,
    NORTH,
    PROGRAM_LOCALITIES,
    SeedContext,
)
from employdash.users import OWASP, PasswordHashing, hash_password

FIRST_NAMES = (
    "נועה",
    "יוסי",
    "מיכל",
    "אבי",
    "שירה",
    "דוד",
    "רונית",
    "משה",
    "חן",
    "עומר",
    "ליאת",
    "איתי",
    "סיגל",
    "אמיר",
    "הילה",
    "יעקב",
    "מאיה",
    "אלון",
    "רחל",
    "נדב",
    "ענבל",
    "חיים",
    "אורית",
    "עידו",
    "סמאח",
    "מוחמד",
    "רים",
    "חאלד",
    "יוליה",
    "דמיטרי",
    "אסתר",
    "טל",
    "שמעון",
    "ורד",
    "גלעד",
    "אייל",
)
LAST_NAMES = (
    "כהן",
    "לוי",
    "מזרחי",
    "פרץ",
    "ביטון",
    "אברהם",
    "פרידמן",
    "אזולאי",
    "דהן",
    "אוחיון",
    "חדד",
    "גבאי",
    "שפירא",
    "עמר",
    "אבוטבול",
    "אלמוג",
    "טייב",
    "אבו-ריא",
    "חלאילה",
    "סלאמה",
    "קוגן",
    "וולך",
    "בן-דוד",
    "ששון",
    "מלכה",
    "יוסף",
    "נחום",
    "רוזן",
    "שטרן",
    "גולן",
)
EMPLOYERS = (
    ("מפעלי {n} תעשיות", 180),
    ("רשת מזון {n}", 60),
    ("מרכז לוגיסטי {n}", 240),
    ("מלון {n}", 90),
    ("חברת תוכנה {n} טק", 45),
    ("בית אבות {n}", 70),
)
COLLEGE = {"north": "המכללה האקדמית תל-חי", "south": "המכללה האקדמית ספיר"}
CLUSTER = {"north": "אשכול רשויות גליל מזרחי", "south": "אשכול רשויות נגב מערבי"}


def load_localities(s: Session) -> None:
    """The reference data (all 1,227 CBS localities, so imports can match any of them, and the
    indicator catalogue), then the demo's programme localities enabled, with their region."""
    load_reference(s)
    for loc in s.scalars(select(Locality).where(Locality.code.in_(PROGRAM_LOCALITIES))):
        loc.is_program = True
        loc.region = "north" if loc.code in NORTH else "south"
    s.flush()


def random_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _organisations(s: Session, rng: random.Random, loc: Locality) -> list[Organisation]:
    region = loc.region or "south"
    orgs = [
        Organisation(name=f"עיריית {loc.name_he}", sector="municipality"),
        Organisation(name=f"לשכת התעסוקה {loc.name_he}", sector="employment_office"),
        Organisation(name=f"ביטוח לאומי – סניף {loc.name_he}", sector="national_insurance"),
        Organisation(
            name="משרד העבודה – מחוז " + ("צפון" if region == "north" else "דרום"),
            sector="government",
        ),
        Organisation(name=CLUSTER[region], sector="regional_cluster"),
        Organisation(name=COLLEGE[region], sector="academia_training"),
        Organisation(name=f"מרכז הכוון תעסוקתי {loc.name_he}", sector="ngo"),
        Organisation(name="ג'וינט-תבת", sector="ngo"),
        Organisation(name=f"מנהלת הקהילה {loc.name_he}", sector="residents"),
    ]
    for template, size in rng.sample(EMPLOYERS, 4):
        orgs.append(
            Organisation(
                name=template.format(n=loc.name_he),
                sector="employer",
                employee_count=int(size * rng.uniform(0.5, 1.8)),
            )
        )
    for org in orgs:
        org.locality_code = loc.code
        s.add(org)
    s.flush()
    return orgs


def _people(
    s: Session, rng: random.Random, loc: Locality, orgs: list[Organisation]
) -> list[Person]:
    titles = {
        "municipality": ("ראש העירייה", 'מנכ"ל העירייה', "רפרנט/ית תעסוקה", "מנהל/ת רווחה"),
        "employment_office": ("מנהל/ת הלשכה", "רכז/ת השמה"),
        "employer": ("מנהל/ת משאבי אנוש", 'מנכ"ל/ית'),
    }
    people: list[Person] = []
    for org in orgs:
        for title in titles.get(org.sector, ("נציג/ה",)):
            person = Person(
                full_name=random_name(rng),
                organisation_id=org.id,
                locality_code=loc.code,
                job_title=title,
                email=f"contact{len(people) + 1}.{loc.code}@example.org",
                phone=f"05{rng.randint(0, 9)}-{rng.randint(1000000, 9999999)}",
            )
            s.add(person)
            people.append(person)
    s.flush()
    return people


def _user(
    s: Session,
    username: str,
    full_name: str,
    role: str,
    scope: tuple[int, ...],
    password_hash: str,
    person_id: int | None = None,
) -> User:
    user = User(
        username=username,
        full_name=full_name,
        email=f"{username}@example.org",
        role=role,
        password_hash=password_hash,
        person_id=person_id,
        localities=[UserLocality(locality_code=c) for c in scope],
    )
    s.add(user)
    s.flush()
    return user


def seed(s: Session, rng: random.Random, hashing: PasswordHashing = OWASP) -> SeedContext:
    """The localities, organisations, people and the five demo users. Their password hash is made
    at `hashing`: OWASP's for the app (demo mode and `make run`), CHEAP only for test and benchmark
    databases, whose users' hashes are then upgraded at their first login, like any outdated one."""
    load_localities(s)
    ctx = SeedContext()
    for code in PROGRAM_LOCALITIES:
        loc = s.get_one(Locality, code)
        orgs = _organisations(s, rng, loc)
        people = _people(s, rng, loc, orgs)
        ctx.organisations[code] = [o.id for o in orgs]
        ctx.people[code] = [p.id for p in people]
    sederot_people = ctx.people[DEMO_LOCALITY]
    ctx.manager_person_id = sederot_people[4]  # the employment office manager
    ctx.member_person_id = sederot_people[9]  # a representative of the college
    demo_hash = hash_password(DEMO_PASSWORD, hashing)
    for username, name, role, scope, person in (
        ("admin", "מנהלת המערכת", "admin", (), None),
        ("mayor", "ראש העיר שדרות", "leadership", (DEMO_LOCALITY,), sederot_people[0]),
        ("manager", "מנהל לשכת התעסוקה", "manager", MANAGER_LOCALITIES, ctx.manager_person_id),
        ("member", "חברת הפורום", "member", (DEMO_LOCALITY,), ctx.member_person_id),
        # the national programme's staff: no localities on record, so every locality
        ("programme", "רכזת התוכנית הארצית", "programme", (), None),
    ):
        ctx.users[username] = _user(s, username, name, role, scope, demo_hash, person).id
    return ctx
