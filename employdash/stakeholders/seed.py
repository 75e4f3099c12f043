"""Demo stakeholder maps, questionnaire answers and employer survey responses.

Per program locality: 15-40 stakeholders across sectors and quadrants (the core's organisations
plus municipal departments, NGOs, training bodies and more employers), many with last quarter's
position, about twice as many relations, questionnaire answers for the forum's member
organisations, and 20-60 employer survey responses. Drawn from its own seeded generator, anchored
at the seed date, so the shared generator is left as the next area expects it.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from employdash.access import only
from employdash.models import Locality, Organisation, Person
from employdash.models.stakeholders import (
    AUDIENCES,
    RELATION_KINDS,
    EmployerSurveyPosition,
    EmployerSurveyResponse,
    OrganisationProfile,
    OrganisationProgram,
    Stakeholder,
    StakeholderPosition,
    StakeholderRelation,
)
from employdash.seed.context import DEMO_LOCALITY, DEMO_SEED, SeedContext
from employdash.stakeholders.common import quarter_start
from employdash.stakeholders.grid import forum_member_people

# Extra players per locality: (name template, sector).
EXTRA_ORGS = (
    ("אגף הרווחה – עיריית {n}", "municipality"),
    ("מחלקת החינוך – עיריית {n}", "municipality"),
    ("החברה הכלכלית {n}", "municipality"),
    ("מרכז צעירים {n}", "municipality"),
    ("משרד הכלכלה – מחוז", "government"),
    ("רשות החדשנות", "government"),
    ("מרכז הכשרה מקצועית {n}", "academia_training"),
    ("מכללת ההנדסאים האזורית", "academia_training"),
    ("עמותת ידיד – {n}", "ngo"),
    ("מרכז תעסוקה לחרדים", "ngo"),
    ("עמותת נשים לעבודה", "ngo"),
    ("מעגלים – {n}", "ngo"),
    ("ועד השכונות {n}", "residents"),
    ("פורום הורים {n}", "residents"),
    ("לשכת המסחר האזורית", "employer"),
    ("איגוד התעשיינים – סניף הדרום", "employer"),
)
# Power and interest ranges per sector, so the map looks like a real one.
PROFILE = {
    "municipality": ((2, 5), (2, 5)),
    "employment_office": ((3, 5), (3, 5)),
    "national_insurance": ((2, 4), (1, 3)),
    "government": ((3, 5), (1, 3)),
    "regional_cluster": ((1, 4), (1, 4)),
    "employer": ((1, 5), (1, 4)),
    "academia_training": ((1, 3), (2, 5)),
    "ngo": ((1, 3), (2, 5)),
    "residents": ((1, 2), (1, 5)),
}
ROLES = {
    "municipality": "קבלת החלטות ותקציב עירוני",
    "employment_office": "השמה ונתוני דורשי עבודה",
    "national_insurance": "קרנות ומימון תוכניות",
    "government": "מדיניות ותקצוב",
    "regional_cluster": "תיאום אזורי",
    "employer": "גיוס עובדים",
    "academia_training": "הכשרות",
    "ngo": "ליווי אוכלוסיות",
    "residents": "קול התושבים",
}
# Employers for the survey: (name template, branch, professions they hire).
EMPLOYERS = (
    ("מסעדת הגפן {n}", "hospitality", ("מלצרות", "טבחים", "שוטפי כלים")),
    ("מלון המדבר {n}", "hospitality", ("מלצרות", "עובדי משק בית", "פקידי קבלה")),
    ("קפה השדרה {n}", "hospitality", ("מלצרות", "בריסטות")),
    ("הובלות הדרום {n}", "logistics", ("נהגים", "מחסנאים")),
    ("מרכז הפצה {n}", "logistics", ("מחסנאים", "מלגזנים", "נהגים")),
    ("שליחויות מהירות {n}", "logistics", ("נהגים", "שליחים")),
    ("בית אבות נווה {n}", "care", ("מטפלות", "אחיות", "עובדי משק בית")),
    ("מעון יום רעות {n}", "care", ("מטפלות", "גננות")),
    ("סיעוד בבית {n}", "care", ("מטפלות",)),
    ("סייברטק {n}", "technology", ("מפתחי תוכנה", "בודקי תוכנה", "אנשי תמיכה טכנית")),
    ("דאטה-לאב {n}", "technology", ("מפתחי תוכנה", "אנליסטים")),
    ("מוקד שירות {n}", "commerce", ("נציגי שירות", "אנשי מכירות")),
    ("רשת חשמל פלוס {n}", "commerce", ("אנשי מכירות", "קופאים", "מחסנאים")),
    ("סופר השכונה {n}", "commerce", ("קופאים", "סדרנים", "אנשי מכירות")),
    ("מתכת הנגב {n}", "industry", ("רתכים", "מפעילי מכונות", "מלגזנים")),
    ('פלסטיק {n} בע"מ', "industry", ("מפעילי מכונות", "עובדי ייצור", "טכנאים")),
    ("מזון טרי {n}", "industry", ("עובדי ייצור", "מחסנאים", "נהגים")),
    ("בנייה ירוקה {n}", "construction", ("טפסנים", "חשמלאים", "מנהלי עבודה")),
    ("שיפוצים {n}", "construction", ("חשמלאים", "אינסטלטורים")),
    ("משק חקלאי {n}", "agriculture", ("עובדי חקלאות", "נהגים")),
    ("בית ספר אורט {n}", "education", ("מורים", "סייעות")),
    ('מתנ"ס {n}', "public", ("רכזי קהילה", "מדריכים")),
)
TRAINING = (
    "מלגזה",
    "שירות לקוחות",
    "עברית לעבודה",
    "רישיון נהיגה למשאית",
    "אקסל ומחשב",
    "בטיחות בעבודה",
    "הכשרת מטפלות",
    "תכנות Python",
    "מכירות",
    "ניהול צוות",
)
ORG_GOALS = {
    "municipality": "הגדלת שיעור התעסוקה של תושבי העיר והגדלת מקומות העבודה בעיר",
    "employment_office": "השמת דורשי עבודה וצמצום תקופות האבטלה",
    "academia_training": "הכשרת כוח אדם מקצועי לפי צורכי המעסיקים באזור",
    "ngo": "ליווי אוכלוסיות מודרות אל עבודה איכותית",
    "employer": "גיוס והכשרת עובדים מקומיים",
}
PROGRAMS = {
    "municipality": (
        ("מרכז צעירים – תעסוקה", ("youth", "graduates")),
        ("מענקי הסעה לאזור התעשייה", ("job_seekers", "women")),
    ),
    "employment_office": (
        ("סדנאות הכנה לראיון", ("job_seekers", "older_45")),
        ("השמה מותאמת לאנשים עם מוגבלות", ("disabilities",)),
    ),
    "academia_training": (
        ("קורס הנדסאי תוכנה", ("youth", "graduates")),
        ("מכינה טכנולוגית לנשים", ("women", "haredi", "arab")),
    ),
    "ngo": (
        ("ליווי תעסוקתי אישי", ("job_seekers", "ethiopian", "immigrants")),
        ("תוכנית חונכות", ("youth", "low_wage", "disabilities")),
    ),
    "national_insurance": (("קרן לפיתוח שירותים", ("disabilities", "older_45")),),
    "employer": (("הכשרה במקום העבודה", ("job_seekers", "low_wage")),),
    "regional_cluster": (("קהילת מעסיקים אזורית", ("employers",)),),
    "residents": (("לוח דרושים שכונתי", ("job_seekers",)),),
    "government": (("שוברי הכשרה", ("job_seekers", "older_45", "immigrants")),),
}


def _extra_orgs(s: Session, rng: random.Random, loc: Locality, count: int) -> list[Organisation]:
    orgs = [
        Organisation(name=template.format(n=loc.name_he), sector=sector, locality_code=loc.code)
        for template, sector in rng.sample(EXTRA_ORGS, count)
    ]
    s.add_all(orgs)
    s.flush()
    return orgs


def _stakeholders(
    s: Session, rng: random.Random, loc: Locality, ctx: SeedContext, members: set[int]
) -> list[Stakeholder]:
    people = s.scalars(
        select(Person).where(Person.locality_code == loc.code).order_by(Person.id)
    ).all()
    by_org: dict[int | None, list[Person]] = {}  # None: people with no organisation
    for person in people:
        by_org.setdefault(person.organisation_id, []).append(person)
    core = s.scalars(
        select(Organisation)
        .where(Organisation.id.in_(ctx.organisations[loc.code]))
        .order_by(Organisation.id)
    ).all()
    target = 32 if loc.code == DEMO_LOCALITY else rng.randint(15, 40)
    orgs = list(core) + _extra_orgs(s, rng, loc, min(len(EXTRA_ORGS), max(0, target - len(core))))
    owners = [p.id for p in people[:6]]
    review, previous = quarter_start(ctx.as_of), quarter_start(ctx.as_of - timedelta(days=95))
    rows = []
    for org in orgs[:target]:
        contacts = by_org.get(org.id, [])
        contact = rng.choice(contacts) if contacts else None
        (p_lo, p_hi), (i_lo, i_hi) = PROFILE[org.sector]
        power, interest = rng.randint(p_lo, p_hi), rng.randint(i_lo, i_hi)
        in_forum = org.id in members
        engagement = (
            "forum_member"
            if in_forum
            else rng.choice(("not_contacted", "contacted", "contacted", "engaged"))
        )
        last = (
            None
            if engagement == "not_contacted"
            else ctx.as_of - timedelta(days=rng.randint(3, 150))
        )
        row = Stakeholder(
            locality_code=loc.code,
            organisation_id=org.id,
            person_id=contact.id if contact else None,
            sector=org.sector,
            role=ROLES[org.sector],
            power=power,
            interest=interest,
            stance=rng.choices(("supporter", "neutral", "resistant"), (5, 3, 1))[0],
            engagement=engagement,
            owner_person_id=rng.choice(owners),
            last_contact=last,
            notes=rng.choice(
                (
                    None,
                    "לתאם פגישת היכרות",
                    "מעוניין בשיתוף פעולה בנושא הכשרות",
                    "חשש מעומס על הצוות",
                )
            ),
        )
        rows.append(row)
    s.add_all(rows)
    s.flush()
    history = []
    for row in rows:
        history.append(
            StakeholderPosition(
                stakeholder_id=row.id,
                review_period=review,
                power=row.power,
                interest=row.interest,
                stance=row.stance,
                engagement=row.engagement,
            )
        )
        if rng.random() < 0.7:
            was_p = min(5, max(1, row.power + rng.choice((-2, -1, 0, 0, 1))))
            was_i = min(5, max(1, row.interest + rng.choice((-2, -1, 0, 0, 1))))
            history.append(
                StakeholderPosition(
                    stakeholder_id=row.id,
                    review_period=previous,
                    power=was_p,
                    interest=was_i,
                    stance=row.stance,
                    engagement="contacted" if row.last_contact else "not_contacted",
                )
            )
    s.add_all(history)
    return rows


def _relations(s: Session, rng: random.Random, code: int, rows: list[Stakeholder]) -> None:
    wanted = 2 * len(rows)
    seen: set[tuple[int, int, str]] = set()
    relations: list[StakeholderRelation] = []
    for _ in range(wanted * 4):
        if len(relations) >= wanted:
            break
        a, b = rng.sample(rows, 2)
        if a.sector in ("government", "national_insurance") and b.sector in (
            "ngo",
            "academia_training",
        ):
            kind = "funds"
        elif a.sector == b.sector == "employer":
            kind = "competes_with"
        elif a.sector == b.sector == "municipality":
            kind = "reports_to"
        else:
            kind = rng.choices(RELATION_KINDS, (6, 1, 1, 1))[0]
        key = (a.id, b.id, kind)
        if key in seen:
            continue
        seen.add(key)
        relations.append(
            StakeholderRelation(locality_code=code, source_id=a.id, target_id=b.id, kind=kind)
        )
    s.add_all(relations)


def _profiles(s: Session, rng: random.Random, code: int, member_orgs: list[Organisation]) -> None:
    """Answers for the member organisations; two audiences per locality are left unserved, so
    the matrix shows gaps as well as overlaps."""
    unserved = set(rng.sample(AUDIENCES, 2))
    for org in member_orgs:
        options = PROGRAMS[org.sector]
        chosen = rng.sample(options, rng.randint(1, len(options)))
        programs = [(name, [a for a in aud if a not in unserved]) for name, aud in chosen]
        extra = [a for a in rng.sample(AUDIENCES, rng.randint(0, 1)) if a not in unserved]
        audiences = sorted(
            {a for _, aud in programs for a in aud} | set(extra), key=AUDIENCES.index
        )
        profile = OrganisationProfile(
            organisation_id=org.id,
            locality_code=code,
            goals=ORG_GOALS.get(org.sector, "קידום תעסוקה מיטבית ביישוב"),
            activities=rng.choice(
                (
                    "ייעוץ והכוונה",
                    "הכשרות מקצועיות",
                    "גיוס והשמה",
                    "מימון תוכניות",
                    "ימי חשיפה למעסיקים",
                )
            ),
            audiences=audiences,
            collaborations=rng.choice(
                ("לשכת התעסוקה", "המכללה האזורית", "עיריית היישוב", "ארגוני החברה האזרחית", None)
            ),
            programs=[OrganisationProgram(name=name, audiences=aud) for name, aud in programs],
        )
        s.add(profile)


def _survey(s: Session, rng: random.Random, loc: Locality, ctx: SeedContext) -> None:
    count = rng.randint(20, 60)
    existing = s.scalars(
        select(Organisation).where(
            Organisation.id.in_(ctx.organisations[loc.code]), Organisation.sector == "employer"
        )
    ).all()
    made = [
        Organisation(
            name=template.format(n=loc.name_he)
            + (f" {k // len(EMPLOYERS) + 1}" if k >= len(EMPLOYERS) else ""),
            sector="employer",
            locality_code=loc.code,
            employee_count=rng.randint(8, 400),
        )
        for k, template in enumerate(
            t for t, _, _ in (EMPLOYERS * 3)[: max(0, count - len(existing))]
        )
    ]
    s.add_all(made)
    s.flush()
    plans = {o.id: rng.choice(EMPLOYERS) for o in existing}
    plans.update({o.id: EMPLOYERS[k % len(EMPLOYERS)] for k, o in enumerate(made)})
    nearby = [c for c in ctx.localities if c != loc.code]
    for org in list(existing) + made:
        _, branch, professions = plans[org.id]
        contact = rng.choice(("none", "occasional", "occasional", "regular"))
        # Drawn in the order the pre-annex-2 seed drew them, so the demo figures stay the same.
        day = ctx.as_of - timedelta(days=rng.randint(10, 240))
        location = rng.choice(("אזור התעשייה", "מרכז העיר", "הפארק העסקי", "שכונת הוותיקים"))
        employees = org.employee_count or rng.randint(8, 400)
        areas = sorted({loc.code, *rng.sample(nearby, rng.randint(0, 2))})
        horizon = rng.choices(("1_2", "3_6", "6_plus", "none"), (4, 3, 2, 2))[0]
        remote = (
            "not_relevant"
            if branch not in ("technology", "commerce")
            else {"partial": "considering", "yes": "hybrid", "no": "not_relevant"}[
                rng.choice(("partial", "yes", "no"))
            ]
        )
        offers = rng.random()
        needs = sorted(set(rng.sample(TRAINING, rng.randint(0, 3))))
        response = EmployerSurveyResponse(
            locality_code=loc.code,
            organisation_id=org.id,
            survey_date=day,
            location=location,
            branch=branch,
            employee_count=employees,
            recruitment_areas=areas,
            hiring_horizon=horizon,
            recruiting_help=horizon in ("1_2", "3_6") and contact != "regular",
            remote_work=remote,
            training_offered=(
                "program"
                if offers < 0.1
                else "regular"
                if offers < 0.25
                else "occasional"
                if offers < 0.45
                else "none"
            ),
            training_need="training" if needs else ("onboarding" if offers < 0.5 else "none"),
            training_needs=needs,
            has_service_contact=contact != "none",
            service_contact=contact,
            satisfaction=None
            if contact == "none"
            else rng.choices((1, 2, 3, 4, 5), (1, 2, 4, 5, 3))[0],
            community_interest=rng.random() < 0.55,
            contact_name=rng.choice(
                ("מיכל לוי", "אבי כהן", "רונית פרץ", "חאלד סלאמה", "יוליה קוגן")
            ),
            contact_phone=f"08-{rng.randint(6000000, 6999999)}",
            created_by="seed",
            positions=[
                EmployerSurveyPosition(profession=p, count=rng.randint(1, 12))
                for p in rng.sample(professions, rng.randint(0, len(professions)))
            ],
        )
        response.has_vacancies = bool(response.positions)
        response.vacancies = sum(p.count for p in response.positions) or None
        response.contact_consent = response.community_interest or contact != "none"
        s.add(response)


def seed(session: Session, rng: random.Random, ctx: SeedContext) -> None:
    """Maps, questionnaires and surveys for every program locality (own generator)."""
    own = random.Random(f"stakeholders-{DEMO_SEED}")
    for code in ctx.localities:
        loc = session.get_one(Locality, code)
        members = {m[1] for m in forum_member_people(session, only(code)) if m[1] is not None}
        rows = _stakeholders(session, own, loc, ctx, members)
        session.flush()
        _relations(session, own, code, rows)
        member_orgs = session.scalars(
            select(Organisation)
            .where(
                Organisation.id.in_(
                    {r.organisation_id for r in rows if r.engagement == "forum_member"}
                )
            )
            .order_by(Organisation.id)
        ).all()
        _profiles(session, own, code, list(member_orgs))
        _survey(session, own, loc, ctx)
    session.flush()
