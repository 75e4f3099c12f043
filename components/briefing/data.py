"""Cached read models of the briefing page (per actor, locality and day; the services authorize)
and of the set-up checklist it shares with the forum board."""

from __future__ import annotations

from datetime import date

from components.common.cache import read_model
from employdash.access import Actor, Area
from employdash.briefing.build import Briefing, build_briefing
from employdash.briefing.next_steps import setup_progress
from employdash.db import Database

cached_briefing = read_model(Area.BRIEFING, max_entries=256)(build_briefing)
# Each step is a record of another area: an enabled locality, an account, a person, the forum
# (its focus and meeting) and imported indicator values; a write to any of them ticks one off.
cached_setup = read_model(
    Area.LOCALITIES,
    Area.USERS,
    Area.PEOPLE,
    Area.FORUM,
    Area.INDICATORS,
    Area.BRIEFING,
    max_entries=256,
)(setup_progress)


def briefing_for(db: Database, actor: Actor, locality_code: int) -> Briefing:
    return cached_briefing(db, actor, locality_code, date.today())
