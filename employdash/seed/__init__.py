"""Deterministic demo data: the same fixed seed always yields the same database.

Each area has a module with `seed(session, rng, ctx)`; they run in order inside one transaction so
a failure leaves no half-seeded database. Everything is dated relative to the seed date (`as_of`,
by default today in Israel), so a newcomer's demo is current: the last forum meeting a few weeks
ago, the next one ahead, indicator months up to last month. The same seed date always yields the
same data; tests pin it to `DEMO_AS_OF`.
"""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import func, select

from employdash.db import Database
from employdash.forum import seed as forum
from employdash.i18n import local_today
from employdash.indicators import seed as indicators
from employdash.mentoring import seed as mentoring
from employdash.models import User
from employdash.seed import core
from employdash.seed.context import DEMO_AS_OF, DEMO_SEED, SeedContext
from employdash.stakeholders import seed as stakeholders
from employdash.users import OWASP, PasswordHashing

__all__ = ["DEMO_AS_OF", "DEMO_SEED", "is_seeded", "seed_demo"]

AREAS = (indicators, forum, stakeholders, mentoring)


def is_seeded(db: Database) -> bool:
    with db.transaction() as s:
        return bool(s.scalar(select(func.count()).select_from(User)))


def seed_demo(
    db: Database,
    seed: int = DEMO_SEED,
    hashing: PasswordHashing = OWASP,
    as_of: date | None = None,
    recent_activity: bool = True,
) -> SeedContext:
    """The demo data set as of `as_of` (today in Israel unless given), with the manager's forums'
    recent activity (`SeedContext.recent_activity`) unless told not to; the users' password hash
    at `hashing` (see `core.seed`)."""
    rng = random.Random(seed)
    with db.transaction() as s:
        ctx = core.seed(s, rng, hashing)
        ctx.as_of = as_of or local_today()
        ctx.recent_activity = recent_activity
        for area in AREAS:
            area.seed(s, rng, ctx)
        return ctx
