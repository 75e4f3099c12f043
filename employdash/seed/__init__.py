"""Deterministic demo data: the same fixed seed always yields the same database.

Each area has a module with `seed(session, rng, ctx)`; they run in order inside one transaction so
a failure leaves no half-seeded database. History is anchored at `DEMO_AS_OF`, not at today, so
two runs on different days produce identical data.
"""

from __future__ import annotations

import random

from sqlalchemy import func, select

from employdash.db import Database
from employdash.forum import seed as forum
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


def seed_demo(db: Database, seed: int = DEMO_SEED, hashing: PasswordHashing = OWASP) -> SeedContext:
    """The demo data set; the users' password hash at `hashing` (see `core.seed`)."""
    rng = random.Random(seed)
    with db.transaction() as s:
        ctx = core.seed(s, rng, hashing)
        for area in AREAS:
            area.seed(s, rng, ctx)
        return ctx
