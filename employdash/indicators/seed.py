"""Demo indicators: 48 months up to the month before the seed date for the program's localities
and the towns of the North and South districts (so district comparisons and peer rankings mean
something).

Levels are plausible rather than real: job seekers a few percent of the population with a winter
peak, wages of 8–14 thousand shekels growing a few percent a year, some localities improving and
some worsening. Sederot's job seekers rise over the last four months so that the briefing's
"needs attention" list has something true to say. Job-seeker breakdowns (program localities
only) add up to the total; a cell below 5 is stored as suppressed, as the source publishes it.
Rows go in with one executemany per table: ORM objects would take seconds.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from employdash.indicators.catalogue import BREAKDOWNS, breakdown_code, ensure_catalogue
from employdash.models import Locality
from employdash.models.indicators import (
    indicator_value_table,
)
from employdash.seed.context import DEMO_AS_OF, DEMO_SEED, HISTORY_MONTHS, SeedContext

PEER_MIN_POPULATION = 5000
SOURCE_SUPPRESSES_BELOW = 5
SEDEROT = 1031
# Shares of job seekers per population group, for localities whose make-up differs from the
# general pattern (general, haredi, arab).
POPULATION_MIX = {
    7500: (0.01, 0.0, 0.99),  # Sakhnin
    1161: (0.01, 0.0, 0.99),  # Rahat
    1061: (0.70, 0.03, 0.27),  # Nof HaGalil
    1063: (0.75, 0.01, 0.24),  # Ma'alot-Tarshiha
    8000: (0.62, 0.36, 0.02),  # Zefat
    246: (0.70, 0.29, 0.01),  # Netivot
}
DEFAULT_MIX = (0.93, 0.05, 0.02)
AGE_SHARES = (0.13, 0.24, 0.22, 0.21, 0.20)
GENDER_SHARES = (0.46, 0.54)
EDUCATION_SHARES = (0.52, 0.27, 0.21)
# Job seekers rise in winter and fall in summer (index by month 1..12).
SEASON = (1.05, 1.06, 1.03, 1.0, 0.98, 0.96, 0.95, 0.96, 0.99, 1.02, 1.0, 1.02)


def months(end_exclusive: date = DEMO_AS_OF, count: int = HISTORY_MONTHS) -> list[date]:
    """The `count` months before `end_exclusive`, oldest first."""
    index = end_exclusive.year * 12 + end_exclusive.month - 1
    return [date((i - 1) // 12, (i - 1) % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def split(total: int, shares: tuple[float, ...], rng: random.Random) -> list[int]:
    """Whole numbers in roughly these shares that add up exactly to `total` (largest remainder)."""
    weights = [s * rng.uniform(0.9, 1.1) for s in shares]
    raw = [total * w / sum(weights) for w in weights]
    cells = [math.floor(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - cells[i], reverse=True)[
        : total - sum(cells)
    ]:
        cells[i] += 1
    return cells


def _recorded(period: date) -> datetime:
    """Published around the 15th of the following month."""
    nxt = date(period.year + (period.month == 12), period.month % 12 + 1, 15)
    return datetime(nxt.year, nxt.month, nxt.day, 9, tzinfo=UTC)


def _series(loc: Locality, rng: random.Random, periods: list[date]) -> dict[str, list[float]]:
    pop = loc.population or 10000
    labour_force = pop * rng.uniform(0.40, 0.48)
    rate0 = rng.uniform(0.035, 0.08) * (1.5 if loc.code in (1161, 7500) else 1.0)
    yearly = rng.uniform(-0.12, 0.10)  # relative change of unemployment per year
    if loc.code == SEDEROT:
        yearly = -0.06  # improving for years, until the recent rise
    wage0 = rng.uniform(8200, 12500)
    jobs0 = pop * rng.uniform(0.22, 0.38)
    biz0 = pop / rng.uniform(18, 30)
    growth = rng.uniform(-0.005, 0.03)
    out: dict[str, list[float]] = {
        k: []
        for k in (
            "job_seekers",
            "unemployment_rate",
            "avg_wage",
            "jobs",
            "businesses",
            "open_positions",
        )
    }
    n = len(periods)
    for i, period in enumerate(periods):
        years = i / 12
        level = rate0 * (1 + yearly) ** years * SEASON[period.month - 1] * rng.uniform(0.98, 1.02)
        if loc.code == SEDEROT and i >= n - 4:
            level *= 1 + 0.06 * (i - (n - 5))  # rising for the last four months
        seekers = round(labour_force * level)
        out["job_seekers"].append(seekers)
        out["unemployment_rate"].append(round(level * rng.uniform(0.97, 1.03), 4))
        wage = wage0 * (1.035 + growth / 3) ** years * (1.04 if period.month == 12 else 1.0)
        out["avg_wage"].append(round(wage * rng.uniform(0.99, 1.01)))
        jobs = jobs0 * (1 + growth) ** years * (2 - SEASON[period.month - 1])
        out["jobs"].append(round(jobs))
        out["businesses"].append(round(biz0 * (1 + growth * 0.8) ** years))
        out["open_positions"].append(
            round(jobs * rng.uniform(0.012, 0.02) * (2 - SEASON[period.month - 1]))
        )
    return out


def _breakdown_rows(
    code: int, period: date, seekers: int, rng: random.Random
) -> list[dict[str, Any]]:
    shares_by_dimension = {
        "age_group": AGE_SHARES,
        "gender": GENDER_SHARES,
        "education": EDUCATION_SHARES,
        "population_group": POPULATION_MIX.get(code, DEFAULT_MIX),
    }
    rows = []
    for dimension, cells in BREAKDOWNS:
        counts = split(seekers, shares_by_dimension[dimension], rng)
        for (category, _he, _en), count in zip(cells, counts, strict=True):
            small = 0 < count < SOURCE_SUPPRESSES_BELOW
            rows.append(
                {
                    "locality_code": code,
                    "period": period,
                    "indicator_code": breakdown_code(dimension, category),
                    "value": None if small else float(count),
                    "status": "suppressed" if small else "ok",
                }
            )
    return rows


def demo_localities(session: Session, program: tuple[int, ...]) -> list[Locality]:
    """Program localities plus the North and South towns above the peer population floor."""
    query = (
        select(Locality)
        .where(
            (Locality.code.in_(program))
            | (
                Locality.district_en.in_(("Northern", "Southern"))
                & (Locality.population >= PEER_MIN_POPULATION)
            )
        )
        .order_by(Locality.code)
    )
    return list(session.scalars(query))


def seed(session: Session, rng: random.Random, ctx: SeedContext) -> None:
    ensure_catalogue(session)
    rng = random.Random(f"indicators-{DEMO_SEED}")
    periods = months(ctx.as_of)
    latest = periods[-1]
    rows: list[dict[str, Any]] = []
    for loc in demo_localities(session, ctx.localities):
        series = _series(loc, rng, periods)
        for indicator, values in series.items():
            for period, value in zip(periods, values, strict=True):
                rows.append(
                    {
                        "locality_code": loc.code,
                        "period": period,
                        "indicator_code": indicator,
                        "value": float(value),
                        "status": "ok",
                    }
                )
        if loc.code in ctx.localities:
            for period, seekers in zip(periods, series["job_seekers"], strict=True):
                rows.extend(_breakdown_rows(loc.code, period, int(seekers), rng))
    for row in rows:
        row["source"] = "demo"
        row["recorded_at"] = _recorded(row["period"])
        if row["period"] == latest and row["status"] == "ok":
            row["status"] = "preliminary"
    session.execute(insert(indicator_value_table), rows)
