"""The indicator catalogue, declared once in code and written to `indicator_definition`.

The model's success metrics are outcome measures (model ch. 3): job seekers, unemployment rate,
average wage, jobs, businesses, open positions; job seekers are also published broken down by
age group, gender, education and population group. Keeping the catalogue in code means a fresh
production database gets it on its first import, and the demo seed uses the same definitions.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from employdash.i18n.names import Named
from employdash.models.indicators import IndicatorDefinition

IES = "שירות התעסוקה / Israel Employment Service"
CBS = 'הלמ"ס / CBS'
NII = "ביטוח לאומי / National Insurance"
TAX = "רשות המסים / Tax Authority"


@dataclass(frozen=True)
class Definition(Named):
    """One indicator, as declared here and as the catalogue's readers get it back."""

    code: str
    name_he: str
    name_en: str
    unit: str
    higher_is_better: bool
    source: str
    headline: bool = False
    parent_code: str | None = None
    dimension: str | None = None
    category: str | None = None
    frequency: str = "monthly"
    sort_order: int = 0


HEADLINE = (
    Definition("job_seekers", "דורשי עבודה", "Job seekers", "count", False, IES, True),
    Definition(
        "unemployment_rate", "שיעור אבטלה", "Unemployment rate", "fraction", False, CBS, True
    ),
    Definition("avg_wage", "שכר ממוצע", "Average wage", "ils", True, NII, True),
    Definition("jobs", "מספר משרות ביישוב", "Jobs in the locality", "count", True, NII, True),
    Definition("businesses", "מספר עסקים", "Businesses", "count", True, TAX, True),
    Definition("open_positions", "משרות פנויות", "Open positions", "count", True, IES, True),
)

# (dimension, [(category, Hebrew, English), ...]) for the job-seeker breakdowns.
BREAKDOWNS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "age_group",
        (
            ("18_24", "גילאי 18–24", "aged 18–24"),
            ("25_34", "גילאי 25–34", "aged 25–34"),
            ("35_44", "גילאי 35–44", "aged 35–44"),
            ("45_54", "גילאי 45–54", "aged 45–54"),
            ("55_plus", "גילאי 55 ומעלה", "aged 55+"),
        ),
    ),
    ("gender", (("men", "גברים", "men"), ("women", "נשים", "women"))),
    (
        "education",
        (
            ("up_to_12", "עד 12 שנות לימוד", "up to 12 years of schooling"),
            ("post_secondary", "על-תיכונית", "post-secondary"),
            ("academic", "אקדמית", "academic degree"),
        ),
    ),
    (
        "population_group",
        (
            ("general", "יהודים ואחרים (כללי)", "Jews and others (general)"),
            ("haredi", "חרדים", "Haredi"),
            ("arab", "ערבים", "Arab"),
        ),
    ),
)


# Measures of the Employment Service's table beyond the demo's breakdowns: its education split is
# academic / non-academic (non-academic = up to 12 years + post-secondary), and two subsets of the
# job seekers (income-support recipients, those not employed), each a one-cell dimension.
IES_BREAKDOWNS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    ("education", (("non_academic", "ללא תואר אקדמי", "without an academic degree"),)),
    ("income_support", (("recipients", "מקבלי הבטחת הכנסה", "income-support recipients"),)),
    ("employment_status", (("not_employed", "שאינם עובדים", "not employed"),)),
)
# A coarser cell is left out of a breakdown when the finer cells it sums are there, so one
# chart never counts the same people twice.
COARSER_THAN = {
    "job_seekers.education.non_academic": (
        "job_seekers.education.up_to_12",
        "job_seekers.education.post_secondary",
    ),
}
PLACEMENTS = Definition(
    "placements",
    "השמות מתוך הפניות",
    "Placements from referrals",
    "count",
    True,
    IES,
    sort_order=90,
)
IES_RATE = Definition(
    "ies_unemployment_estimate",
    "שיעור אבטלה מוערך (שירות התעסוקה)",
    "Estimated unemployment rate (Employment Service)",
    "fraction",
    False,
    IES,
    sort_order=91,
)


def breakdown_code(dimension: str, category: str) -> str:
    return f"job_seekers.{dimension}.{category}"


def _breakdowns() -> tuple[Definition, ...]:
    found = []
    order = 100
    for dimension, cells in BREAKDOWNS + IES_BREAKDOWNS:
        for category, he, en in cells:
            order += 1
            found.append(
                Definition(
                    breakdown_code(dimension, category),
                    f"דורשי עבודה – {he}",
                    f"Job seekers, {en}",
                    "count",
                    False,
                    IES,
                    False,
                    "job_seekers",
                    dimension,
                    category,
                    sort_order=order,
                )
            )
    return tuple(found)


DEFINITIONS: tuple[Definition, ...] = (
    *(Definition(**{**asdict(d), "sort_order": i}) for i, d in enumerate(HEADLINE)),
    PLACEMENTS,
    IES_RATE,
    *_breakdowns(),
)
BY_CODE = {d.code: d for d in DEFINITIONS}
HEADLINE_CODES = tuple(d.code for d in HEADLINE)
DIMENSIONS = tuple(dict.fromkeys(dimension for dimension, _ in BREAKDOWNS + IES_BREAKDOWNS))
CATEGORY_NAMES = {
    (dimension, category): (he, en)
    for dimension, cells in BREAKDOWNS + IES_BREAKDOWNS
    for category, he, en in cells
}


def ensure_catalogue(session: Session) -> None:
    """Insert the definitions a database lacks (headline first: breakdowns refer to them)."""
    present = set(session.scalars(select(IndicatorDefinition.code)))
    missing = [d for d in DEFINITIONS if d.code not in present]
    for d in sorted(missing, key=lambda d: d.parent_code is not None):
        session.add(IndicatorDefinition(**asdict(d)))
    session.flush()
