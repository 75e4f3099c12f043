"""Demo data for the indicators area (filled by that work)."""

from __future__ import annotations

import random

from sqlalchemy.orm import Session

from employdash.seed.context import SeedContext


def seed(session: Session, rng: random.Random, ctx: SeedContext) -> None:
    """Nothing yet."""
