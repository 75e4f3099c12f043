"""Cached read model of the briefing page (per actor, locality and day; the service authorizes)."""

from __future__ import annotations

from datetime import date

from components.common.cache import read_model
from employdash.access import Actor, Area
from employdash.briefing.build import Briefing, build_briefing
from employdash.db import Database

cached_briefing = read_model(Area.BRIEFING, max_entries=256)(build_briefing)


def briefing_for(db: Database, actor: Actor, locality_code: int) -> Briefing:
    return cached_briefing(db, actor, locality_code, date.today())
